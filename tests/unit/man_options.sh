#!/bin/sh
# man_options.sh - every option tracee --help prints is documented in
# tracee(8), the page renders without warnings, and the bash completion
# offers every option of tracee --help and tracee analyze --help.
. "$top_srcdir/tests/tap.sh"

MAN=$top_srcdir/man/tracee.8
[ -x "$TRACEE" ] || skip_all "tracee is not built ($TRACEE)"

opts=$("$TRACEE" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u)
[ -n "$opts" ]
ok $? "tracee --help lists options"
for o in $opts; do
	# mdoc spells --install-path as "Fl \-install\-path"
	esc=$(printf '%s' "${o#-}" | sed 's/-/\\\\-/g')
	grep -q "Fl $esc\\b" "$MAN"
	ok $? "tracee(8) documents $o"
done
for v in TRACEE_BPF_FILE TRACEE_BTF_FILE NOTIFY_SOCKET TRACEE_LUA_DIR TRACEE_FEATURES_OFF; do
	grep -q "Ev $v" "$MAN"
	ok $? "tracee(8) documents $v"
done
COMP=$top_srcdir/data/tracee.bash-completion
all=$({ "$TRACEE" --help; "$TRACEE" analyze --help; } 2>/dev/null |
	grep -oE '(^|[ ,])--?[a-zA-Z][a-z-]*' | sed 's/^[ ,]*//' | sort -u)
for o in $all; do
	grep -qE -- "(^|[[:space:]\"])$o([[:space:]\"]|\$)" "$COMP"
	ok $? "the bash completion offers $o"
done
if command -v mandoc >/dev/null 2>&1; then
	out=$(mandoc -T lint -W warning "$MAN" 2>&1)
	is "$out" "" "mandoc -T lint -W warning is clean"
else
	skip "mandoc is not installed"
fi
done_testing

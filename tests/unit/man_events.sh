#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# man_events.sh - the generated tracee-events(7) lints clean and documents
# every event `tracee --list` shows, with its id and arguments.  No root.

. "$top_srcdir/tests/tap.sh"

page=$top_builddir/man/tracee-events.7
[ -f "$page" ] || skip_all "$page is not built (run make)"
[ -x "$TRACEE" ] || skip_all "tracee is not built ($TRACEE)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tracee-man.XXXXXX") || skip_all "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT

if command -v mandoc >/dev/null 2>&1; then
	mandoc -T lint -W all "$page" > "$tmp/lint" 2>&1
	rc=$?
	[ $rc -eq 0 ] && [ ! -s "$tmp/lint" ]
	ok $? "mandoc -T lint -W all finds nothing"
	[ -s "$tmp/lint" ] && diag "$(head -20 "$tmp/lint")"
else
	skip "mandoc is not installed"
fi

"$TRACEE" --list > "$tmp/list" || { ok 1 "tracee --list runs"; done_testing; }
# "name id" of every event, from --list and from the page's entries.
awk '/^[a-z]/ && $2 ~ /^[0-9]+$/ { print $1, $2 }' "$tmp/list" | sort > "$tmp/want"
awk '/^\.TP$/ { tp = 1; next }
     tp && /^\.B / { name = $2; tp = 0; next }
     name != "" && /^id [0-9]+;/ { id = $2; sub(/;$/, "", id); print name, id; name = "" }
     { tp = 0 }' "$page" | sort > "$tmp/got"
[ -s "$tmp/want" ]
ok $? "tracee --list shows events ($(wc -l < "$tmp/want"))"
diff "$tmp/want" "$tmp/got" > "$tmp/diff"
ok $? "the page has one entry per event of tracee --list, with the same id"
[ -s "$tmp/diff" ] && diag "$(head -20 "$tmp/diff")"

# Arguments as --list prints them: openat's, for one.
grep -qx 'arguments: int dirfd, const char\* pathname, int flags, umode_t mode' "$page"
ok $? "openat's arguments are listed with their type labels"

done_testing

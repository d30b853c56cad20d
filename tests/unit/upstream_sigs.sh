#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# upstream_sigs.sh - the original Tracee's signature unit test cases (tag
# v0.24.1) replayed through `tracee analyze`: each case of
# tests/upstream/cases.tsv alone, its signature alone (as the Go test
# runs it), and the finding, or its absence, and the data the Go test
# asserts compared.  No root.

. "$top_srcdir/tests/tap.sh"

[ -x "$TRACEE" ] || skip_all "tracee is not built ($TRACEE)"
command -v jq >/dev/null 2>&1 || skip_all "jq is needed to read the findings (apt-get install jq)"

dir=$top_srcdir/tests/upstream
sigs=$top_srcdir/lua/signatures
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tracee-upstream.XXXXXX") || skip_all "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT

tab=$(printf '\t')
seen=
grep -v '^#' "$dir/cases.tsv" > "$tmp/cases"
while IFS="$tab" read -r sig lines want data todo name; do
	case "$lines" in
	*-*) sed -n "${lines%-*},${lines#*-}p" "$dir/$sig.json" > "$tmp/case.json" ;;
	*) sed -n "${lines}p" "$dir/$sig.json" > "$tmp/case.json" ;;
	esac
	"$TRACEE" analyze --no-signatures -s "$sigs/$sig.lua" -o json "$tmp/case.json" \
		> "$tmp/out" 2> "$tmp/err"
	rc=$?
	# The run itself: every line read, no script error.
	st=0
	if [ $rc -ne 0 ] || ! grep -q 'errors 0,' "$tmp/err"; then
		st=1
	fi
	got=$(jq -r '.metadata.Properties.signatureID' "$tmp/out" 2>/dev/null | tr '\n' ' ')
	got=${got% }
	[ "$want" = - ] && want_ids= || want_ids=$want
	[ "$got" = "$want_ids" ] || st=1
	if [ $st -eq 0 ] && [ "$data" != - ]; then
		jq -e --argjson want "$data" '
			[.args[] | select(.name != "triggeredBy") | {(.name): .value}] | add // {} |
			. as $d | $want | to_entries | all(. as $e | $d[$e.key] == $e.value)' \
			"$tmp/out" > /dev/null || st=1
	fi
	desc="$sig: $name"
	if [ "$todo" != - ]; then
		todo $st "$desc" "$todo"
	else
		ok $st "$desc"
	fi
	if [ $st -ne 0 ] && [ "$todo" = - ]; then
		diag "want '${want_ids}' data $data; got '$got' (exit $rc)"
		diag "$(head -c 2000 "$tmp/out")"
		diag "$(grep -v '^lua: signature' "$tmp/err" | head -20)"
	fi
	case " $seen " in *" $sig "*) ;; *) seen="$seen $sig" ;; esac
done < "$tmp/cases"

# Every built-in signature the original tests is covered, and each file is used.
n=$(set -- $seen; echo $#)
is "$n" 31 "cases for all 31 signatures with upstream tests"
st=0
for f in "$dir"/*.json; do
	s=$(basename "$f" .json)
	[ -f "$sigs/$s.lua" ] || { diag "$f names no built-in signature"; st=1; }
done
ok $st "every recording is named for a built-in signature"
done_testing

# tap.sh - TAP helpers for shell tests; source it.
#
#   ok COND_EXIT "description"      (use: cmd; ok $? "desc")
#   is GOT WANT "description"
#   todo COND_EXIT "description" "reason"   (a known gap: TODO, never counted)
#   skip_all "reason"               (a skip becomes a failure with TRACEE_TEST_STRICT=1)
#   need_root / need_bpf            skip_all unless the test can run for real
#   relay FILE                      "ok ..."/"not ok ..." lines a checker wrote
#                                   (python over the JSON) as test points
#   diag "text"; done_testing
#
# Tests run under automake's tap-driver.sh; they print TAP on stdout and
# diagnostics with '# '.

tap_n=0
tap_failed=0

diag() { printf '# %s\n' "$*" | sed '2,$s/^/# /'; }

ok() { # ok STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		printf 'ok %d - %s\n' "$tap_n" "$2"
	else
		printf 'not ok %d - %s\n' "$tap_n" "$2"
		tap_failed=$((tap_failed + 1))
	fi
}

relay() { # relay FILE: a checker's verdicts as test points, anything else as diagnostics
	while read -r tap_line; do
		case $tap_line in
		"ok "*) ok 0 "${tap_line#ok }" ;;
		"not ok "*) ok 1 "${tap_line#not ok }" ;;
		*) diag "$tap_line" ;;
		esac
	done <"$1"
	grep -q "^not ok\|^ok" "$1" || { ok 1 "the checks ran"; diag "$(cat "$1")"; }
}

is() { # is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "got:  '$1'"
		diag "want: '$2'"
	fi
}

todo() { # todo STATUS DESCRIPTION REASON: a known gap, TAP TODO (XFAIL; XPASS fails the run)
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		printf 'ok %d - %s # TODO %s\n' "$tap_n" "$2" "$3"
	else
		printf 'not ok %d - %s # TODO %s\n' "$tap_n" "$2" "$3"
	fi
}

like() { # like TEXT REGEX DESCRIPTION  (grep -E)
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "no match for /$2/ in:"
		diag "$(printf '%s\n' "$1" | head -20)"
	fi
}

skip() { # skip REASON: one skipped test point (a failure in strict mode)
	tap_n=$((tap_n + 1))
	if [ "${TRACEE_TEST_STRICT:-0}" = 1 ]; then
		printf 'not ok %d - skipped in strict mode: %s\n' "$tap_n" "$1"
		tap_failed=$((tap_failed + 1))
	else
		printf 'ok %d # SKIP %s\n' "$tap_n" "$1"
	fi
}

skip_all() { # the whole file cannot run here
	if [ "${TRACEE_TEST_STRICT:-0}" = 1 ]; then
		printf '1..1\nnot ok 1 - TRACEE_TEST_STRICT=1 but: %s\n' "$1"
		exit 1
	fi
	printf '1..0 # SKIP %s\n' "$1"
	exit 0
}

need_root() {
	[ "$(id -u)" = 0 ] || skip_all "needs root"
}

# Real eBPF: root, bpf() usable, and a built program.
need_bpf() {
	need_root
	[ -x "$TRACEE" ] || skip_all "tracee is not built ($TRACEE)"
	"$TRACEE" --probe >/dev/null 2>&1 || skip_all "eBPF is not usable here (tracee --probe failed)"
}

done_testing() {
	printf '1..%d\n' "$tap_n"
	[ "$tap_failed" -eq 0 ]
	exit $?
}

# A private scratch dir under /tmp, removed on exit.
tap_tmpdir() {
	TAP_TMP=$(mktemp -d /tmp/tracee-test.XXXXXX)
	trap 'rm -rf "$TAP_TMP"' EXIT
}

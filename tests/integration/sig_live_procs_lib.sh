# sig_live_procs_lib.sh - shared by the sig_live_procs_*.sh tests (the
# TRC-21xx process, privilege, escape and network rules); source it after
# sig_live_lib.sh.
#
#   RAP NAME MODE ARGS...     tests/integration/rule-actions-procs
#   rap NAME MODE ARGS...     run it; a failure is reported by sl_stop
#   run_pid VAR CMD...        CMD in its own process, its exit status
#                             ignored (the behaviour is the exec, not what
#                             the program makes of its arguments); VAR gets
#                             its pid, which an exec keeps
#   mkprog NAME [SRC]         $D/bin/NAME, a copy of SRC (default /bin/true):
#                             the rules know programs by name

RAP="$top_builddir/tests/integration/rule-actions-procs"
[ -x "$RAP" ] || skip_all "rule-actions-procs is not built ($RAP)"

rap() {
	"$RAP" "$@" 2>>"$D/actions.err" || printf '(exit %d) rule-actions-procs %s\n' "$?" "$*" >>"$D/actions.err"
}

run_pid() {
	sl_var=$1
	shift
	"$@" >/dev/null 2>&1 </dev/null &
	sl_p=$!
	wait "$sl_p"
	eval "$sl_var=\$sl_p"
}

mkdir -p "$D/bin"
mkprog() {
	cp "${2:-/bin/true}" "$D/bin/$1" || printf 'cannot copy %s to %s\n' "${2:-/bin/true}" "$1" >>"$D/actions.err"
}

# data_has ID TEXT: a finding of ID whose JSON line holds TEXT (fixed string)
data_has() {
	grep -F "\"signatureID\":\"$1\"" "$D/out.json" | grep -Fq -- "$2"
}

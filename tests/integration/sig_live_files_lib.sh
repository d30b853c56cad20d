# sig_live_files_lib.sh - shared by sig_live_files_*.sh (the TRC-20xx file
# behaviour rules); source it after setting nothing: it sources
# sig_live_lib.sh, whose act/sl_start/sl_stop/fires/quiet it adds to.
#
#   RAF                     tests/integration/rule-actions-files
#   raf NAME ARGS...        run it under the command name NAME; a failure is
#                           reported by sl_stop
#   run_pid VAR CMD...      CMD in its own process, exit status ignored; VAR
#                           gets its pid
#   POLICY                  a policy script ($D/policy.lua) the test fills
#                           and passes with -s: it tunes the rules' shared
#                           lists the way a user's policy would

. "$top_srcdir/tests/integration/sig_live_lib.sh"

RAF="$top_builddir/tests/integration/rule-actions-files"
[ -x "$RAF" ] || skip_all "rule-actions-files is not built ($RAF)"
POLICY=$D/policy.lua

raf() {
	"$RAF" "$@" 2>>"$D/actions.err" ||
		printf '(exit %d) rule-actions-files %s\n' "$?" "$*" >>"$D/actions.err"
}

# raf_pid VAR ARGS...: raf in its own process; VAR gets its pid
raf_pid() {
	rf_var=$1
	shift
	"$RAF" "$@" 2>>"$D/actions.err" &
	rf_p=$!
	wait "$rf_p" || printf '(exit %d) rule-actions-files %s\n' "$?" "$*" >>"$D/actions.err"
	eval "$rf_var=\$rf_p"
}

run_pid() {
	rf_var=$1
	shift
	"$@" >/dev/null 2>&1 &
	rf_p=$!
	wait "$rf_p"
	eval "$rf_var=\$rf_p"
}

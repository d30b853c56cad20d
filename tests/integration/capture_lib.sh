# capture_lib.sh - shared by the capture tests (capture_*.sh); source it
# with CAP_TAG (the scratch directory's name) and CAP_PY (what the test
# needs python3 for, for the skip message) set.  Root and real eBPF.
#
#   D         the test's scratch directory, made readable to all (755):
#             tracee's capture thread and the traced programs use it
#   sha FILE  FILE's sha256, hex
#   start/stop (tagged_run.sh): tracee with --pidfile, -o json:$D/TAG.json

. "$top_srcdir/tests/tap.sh"

: "${TRACEE_PKGLIBDIR:=$top_builddir/dist}"
export TRACEE_PKGLIBDIR
need_bpf
command -v sha256sum >/dev/null 2>&1 || skip_all "sha256sum is missing (coreutils)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is missing (it $CAP_PY)"

TAP_TMP=$(mktemp -d "/tmp/tracee-$CAP_TAG.XXXXXX") || exit 1
D=$(cd "$TAP_TMP" && pwd -P)
chmod 755 "$D"
. "$top_srcdir/tests/integration/tagged_run.sh"

sha() { sha256sum "$1" | cut -d' ' -f1; }

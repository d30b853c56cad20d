#!/bin/sh
# select_buildenv.sh - the run-time build runs clang as root: nothing in the
# caller's environment steers it, and it compiles only headers root owns.
#   - PATH with a fake clang/llc first, CPATH with a bpf/bpf_helpers.h
#     that is an #error, CCC_OVERRIDE_OPTIONS adding an unknown option and
#     SHELL naming a fake shell: each alone breaks or hijacks the build
#     when passed on; tracee builds with a fixed environment and runs.
#   - headers owned by another user, world-writable ones, and a trusted
#     build half whose source half (found by kheaders.sh) is another
#     user's: refused in one line before anything is compiled.
# One real build (Debian's 6.1 headers, as select_build.sh).

TL_HIDE_BTF=1
. "$top_srcdir/tests/integration/select_lib.sh"

H=${TRACEE_TEST_6_1_HEADERS:-}
if [ -z "$H" ]; then
	envfile=$("$top_srcdir/tests/kernels/fetch-kernel.sh" 6.1 2>"$TAP_TMP/fetch.log") ||
		skip_all "no Debian 6.1 headers: fetch-kernel.sh 6.1 failed ($(tail -n 1 "$TAP_TMP/fetch.log"))"
	H=$(. "$envfile" && printf '%s' "$KERNEL_HEADERS")
fi
[ -f "$H/include/generated/utsrelease.h" ] || skip_all "no Debian 6.1 headers at $H (tests/kernels/fetch-kernel.sh)"
HREL=$(sed -n 's/.*UTS_RELEASE "\(.*\)".*/\1/p' "$H/include/generated/utsrelease.h")
[ "$HREL" != "$RELEASE" ] || skip_all "the running kernel is $HREL itself"
command -v clang >/dev/null 2>&1 && command -v llc >/dev/null 2>&1 || skip_all "clang/llc are missing"
KOBJ=$INST/tracee.bpf.$HREL.$VERSION.o

# Headers root must not trust: nothing is built, one line says why.
fake_build() { # DIR: the least a build dir needs to name its release
	mkdir -p "$1/include/generated"
	printf '#define UTS_RELEASE "%s"\n' "$HREL" >"$1/include/generated/utsrelease.h"
	: >"$1/include/generated/autoconf.h"
}
untrusted() { # DESCRIPTION HEADERS REGEX
	run_tracee 30 --kernel-headers "$2" --allow-foreign-kernel-object
	is "$RC" 1 "$1: refused, exit 1"
	like "$ERR" "$3" "$1: the line names the directory and why"
	unlike "$ERR" "building $KOBJ" "$1: nothing was compiled"
	[ ! -e "$KOBJ" ]
	ok $? "$1: no object"
}
unlike() { printf '%s\n' "$1" | grep -Eq -- "$2"; ok $((!$?)) "$3"; }

fake_build "$TAP_TMP/theirs"
chown -R 65534:65534 "$TAP_TMP/theirs"
untrusted "headers owned by another user" "$TAP_TMP/theirs" \
	"kernel headers $TAP_TMP/theirs: owned by uid 65534, not root .*clang runs as root on them"
fake_build "$TAP_TMP/open"
chmod 0777 "$TAP_TMP/open"
untrusted "world-writable headers" "$TAP_TMP/open" \
	"kernel headers $TAP_TMP/open: writable by group or others"
# A build half of root's whose source half (its "source" link) is not.
fake_build "$TAP_TMP/kb"
mkdir -p "$TAP_TMP/ks/include/linux" "$TAP_TMP/ks/arch"
: >"$TAP_TMP/ks/include/linux/kconfig.h"
chown -R 65534:65534 "$TAP_TMP/ks"
ln -s "$TAP_TMP/ks" "$TAP_TMP/kb/source"
untrusted "a source half owned by another user" "$TAP_TMP/kb" \
	"kernel headers $TAP_TMP/ks: owned by uid 65534"

# The caller's environment: each of these would break or hijack the build.
mkdir -p "$TAP_TMP/bin" "$TAP_TMP/evil/bpf"
for t in clang llc llvm-strip sh; do
	printf '#!/bin/sh\ntouch %s/hijacked.%s\nexit 1\n' "$TAP_TMP" "$t" >"$TAP_TMP/bin/$t"
	chmod 0755 "$TAP_TMP/bin/$t"
done
printf '#error steered by CPATH\n' >"$TAP_TMP/evil/bpf/bpf_helpers.h"
PATH=$TAP_TMP/bin:$PATH CPATH=$TAP_TMP/evil C_INCLUDE_PATH=$TAP_TMP/evil \
	CCC_OVERRIDE_OPTIONS="+--tracee-steered" SHELL=$TAP_TMP/bin/sh \
	run_tracee 300 --kernel-headers "$H" --allow-foreign-kernel-object
is "$RC" 0 "with PATH, CPATH, CCC_OVERRIDE_OPTIONS and SHELL set, tracee builds, loads and runs"
is "$(chosen)" "$KOBJ" "the object built is chosen"
is "$READY" 1 "every probe attached (pidfile written)"
is "$(ls "$TAP_TMP" | grep -c '^hijacked')" 0 "no tool or shell from the caller's PATH or SHELL ran"
unlike "$ERR" "steered|tracee-steered|CCC_OVERRIDE" "neither CPATH nor CCC_OVERRIDE_OPTIONS reached clang"
[ "$RC" = 0 ] || diag "$ERR"

done_testing

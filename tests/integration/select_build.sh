#!/bin/sh
# select_build.sh - no usable object (BTF hidden, install path empty):
# tracee builds the kernel-specific object at run time from the BPF sources
# and --kernel-headers, writes it into the install path (created 0700) and
# loads it.
#
# The only headers here are Debian's 6.1 ones, for another kernel than the
# running one, fetched (or found in the cache) by tests/kernels/fetch-kernel.sh:
# whatever 6.1 release the mirror serves today.  An object built from them
# records that release, and reads 6.1 offsets: tracee refuses to build it for this kernel unless
# --allow-foreign-kernel-object is given (exit 2: nothing usable), and with
# it builds, chooses and loads it with a warning.  The event contents are
# not checked here (offsets of another kernel); the qemu matrix does that.

TL_HIDE_BTF=1
. "$top_srcdir/tests/integration/select_lib.sh"

H=${TRACEE_TEST_6_1_HEADERS:-}
if [ -z "$H" ]; then
	# the kernel matrix's cache: a second call costs nothing
	envfile=$("$top_srcdir/tests/kernels/fetch-kernel.sh" 6.1 2>"$TAP_TMP/fetch.log") ||
		skip_all "no Debian 6.1 headers: fetch-kernel.sh 6.1 failed ($(tail -n 1 "$TAP_TMP/fetch.log"))"
	H=$(. "$envfile" && printf '%s' "$KERNEL_HEADERS")
fi
[ -f "$H/include/generated/utsrelease.h" ] || skip_all "no Debian 6.1 headers at $H (tests/kernels/fetch-kernel.sh)"
HREL=$(sed -n 's/.*UTS_RELEASE "\(.*\)".*/\1/p' "$H/include/generated/utsrelease.h")
[ "$HREL" != "$RELEASE" ] || skip_all "the running kernel is $HREL itself"
command -v clang >/dev/null 2>&1 && command -v llc >/dev/null 2>&1 || skip_all "clang/llc are missing"

KOBJ=$INST/tracee.bpf.$HREL.$VERSION.o

run_tracee 60 --kernel-headers "$H"
is "$RC" 2 "headers for another kernel: no usable object, exit 2"
like "$ERR" "kernel headers $H are for kernel $HREL, but the running kernel is $RELEASE" \
	"the error names both releases"
like "$ERR" "--allow-foreign-kernel-object" "and the override"
[ ! -e "$KOBJ" ]
ok $? "nothing was built"

out=$("$TRACEE" --install-path "$INST" --kernel-headers "$H" --allow-foreign-kernel-object --probe 2>&1)
like "$out" "object: $KOBJ \(not built yet: would be built at run time" "--probe says it would build, without building"
[ ! -e "$KOBJ" ]
ok $? "--probe built nothing"

run_tracee 180 --kernel-headers "$H" --allow-foreign-kernel-object
is "$RC" 0 "with --allow-foreign-kernel-object tracee builds, loads and runs"
like "$ERR" "building $KOBJ from the kernel headers in $H" "it says it builds"
is "$(chosen)" "$KOBJ" "the built object is chosen"
like "$ERR" "\(built at run time from the headers in $H\)" "and the line says why"
like "$ERR" "warning: loading $KOBJ, built for kernel $HREL, on kernel $RELEASE" "with the foreign-kernel warning"
is "$READY" 1 "every probe attached (pidfile written)"
is "$(stat -c '%a %u' "$INST")" "700 0" "the install path was created 0700, owned by root"
is "$(stat -c '%a %u' "$KOBJ")" "644 0" "the object is 0644, owned by root"
meta=$(llvm-objdump -s -j .tracee.meta "$KOBJ" 2>/dev/null | tr -d '\n')
like "$meta" "flavour=kernel" "its meta says kernel-specific"

# --build-policy always: build even though a usable CO-RE object is there.
cp "$CORE_OBJ" "$INST/tracee.bpf.core.o"
rm -f "$KOBJ"
run_tracee 180 --kernel-headers "$H" --allow-foreign-kernel-object --build-policy always \
	--btf /nonexistent-but-unused
is "$RC" 1 "a bad --btf is an error even when building"
run_tracee 180 --kernel-headers "$H" --allow-foreign-kernel-object --build-policy always
is "$RC" 0 "--build-policy always runs"
is "$(chosen)" "$KOBJ" "and builds and chooses the kernel-specific object over the CO-RE one"

# A failing build: sources without kbuild.sh's compiler.
rm -f "$KOBJ"
mkdir -m 0755 "$TAP_TMP/src" && cp -R "$TRACEE_BPF_SRC_DIR/." "$TAP_TMP/src/" && chmod -R go-w "$TAP_TMP/src"
printf 'int broken(void) { return }\n' >"$TAP_TMP/src/tracee.bpf.c"
TRACEE_BPF_SRC_DIR=$TAP_TMP/src run_tracee 180 --kernel-headers "$H" --allow-foreign-kernel-object
is "$RC" 2 "a failed build: no usable object, exit 2"
like "$ERR" "building the kernel-specific object failed" "the error says the build failed"
[ ! -e "$KOBJ" ]
ok $? "no half-written object is left"

chmod 0777 "$TAP_TMP/src"
TRACEE_BPF_SRC_DIR=$TAP_TMP/src run_tracee 20 --kernel-headers "$H" --allow-foreign-kernel-object
is "$RC" 1 "world-writable BPF sources are not run as root"
like "$ERR" "eBPF sources $TAP_TMP/src: writable by group or others" "the error says why"

done_testing

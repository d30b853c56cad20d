#!/bin/sh
# select_foreign.sh - a kernel-specific object built for another release is
# refused, naming both releases (via TRACEE_BPF_FILE and in the install
# path), unless --allow-foreign-kernel-object.  Wrong offsets do not fail,
# they lie.

. "$top_srcdir/tests/integration/select_lib.sh"
command -v llvm-objcopy >/dev/null 2>&1 || skip_all "llvm-objcopy is missing"

# a release no kernel has: the object is relabelled, never built for it
OTHER=0.0.0-foreign
[ "$RELEASE" != "$OTHER" ] || OTHER=0.0.1-foreign
relabel "$CORE_OBJ" "$TAP_TMP/foreign.o" kernel "$OTHER"

TRACEE_BPF_FILE=$TAP_TMP/foreign.o run_tracee 5
is "$RC" 1 "a foreign kernel-specific object in TRACEE_BPF_FILE is refused"
like "$ERR" "foreign.o was built for kernel $OTHER, but the running kernel is $RELEASE" \
	"the error names both releases"
like "$ERR" "--allow-foreign-kernel-object" "and the override"
is "$READY" 0 "nothing was started"

TRACEE_BPF_FILE=$TAP_TMP/foreign.o run_tracee 20 --allow-foreign-kernel-object
is "$RC" 0 "--allow-foreign-kernel-object loads it"
like "$ERR" "warning: loading .*foreign.o, built for kernel $OTHER, on kernel $RELEASE" \
	"with a warning naming both releases"
traced
ok $? "and it runs"

# In the install path under the running release's name, but built for another.
mkdir -m 0700 "$INST"
cp "$TAP_TMP/foreign.o" "$INST/tracee.bpf.$RELEASE.$VERSION.o"
run_tracee 5 --build-policy never
is "$RC" 1 "a mislabelled object in the install path is refused"
like "$ERR" "was built for kernel $OTHER, but the running kernel is $RELEASE" "naming both releases"

# Another architecture's object verifies and loads like any BPF, then reads
# the wrong registers: refused, with no override.
case $HOST_ARCH in x86_64) OARCH=arm64 ;; *) OARCH=x86_64 ;; esac
relabel "$CORE_OBJ" "$TAP_TMP/otherarch.o" core "" "" "$OARCH"
TRACEE_BPF_FILE=$TAP_TMP/otherarch.o run_tracee 5 --allow-foreign-kernel-object
is "$RC" 1 "an object built for $OARCH is refused, even with --allow-foreign-kernel-object"
like "$ERR" "otherarch.o was built for architecture $OARCH, but this is $HOST_ARCH" \
	"the error names both architectures"
is "$(printf '%s\n' "$ERR" | grep -c '^tracee: ')" 1 "in one line"
is "$READY" 0 "nothing was started"
relabel "$CORE_OBJ" "$TAP_TMP/noarch.o" core "" "" ""
TRACEE_BPF_FILE=$TAP_TMP/noarch.o run_tracee 5
is "$RC" 1 "an object that names no architecture is refused"
like "$ERR" "built for architecture \\(none given\\)" "saying so"

# A CO-RE object carries no release and is never refused for it.
relabel "$CORE_OBJ" "$TAP_TMP/core.o" core ""
TRACEE_BPF_FILE=$TAP_TMP/core.o run_tracee 20
is "$RC" 0 "a CO-RE object has no release to refuse"

done_testing

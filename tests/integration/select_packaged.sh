#!/bin/sh
# select_packaged.sh - the CO-RE object installed with the program
# (PKGLIBDIR, here TRACEE_PKGLIBDIR) when the install path has nothing.

. "$top_srcdir/tests/integration/select_lib.sh"

mkdir -m 0755 "$TRACEE_PKGLIBDIR" && cp "$CORE_OBJ" "$TRACEE_PKGLIBDIR/tracee.bpf.core.o"
run_tracee 20 --build-policy never
is "$RC" 0 "tracee runs from the packaged object"
is "$(chosen)" "$TRACEE_PKGLIBDIR/tracee.bpf.core.o" "the packaged CO-RE object is chosen"
like "$ERR" "CO-RE object in the packaged object directory" "and the line says why"
traced
ok $? "the marker's openat is traced"
[ ! -e "$INST" ]
ok $? "the install path was not created for it"

# The install path still wins when it has an object.
mkdir -m 0700 "$INST" && cp "$CORE_OBJ" "$INST/tracee.bpf.core.o"
run_tracee 20 --build-policy never
is "$(chosen)" "$INST/tracee.bpf.core.o" "the install path comes before the packaged object"

# A packaged dir others can write to is refused, not trusted.
rm -rf "$INST"
chmod 0777 "$TRACEE_PKGLIBDIR"
run_tracee 5 --build-policy never
is "$RC" 1 "a world-writable packaged dir is refused"
like "$ERR" "packaged object directory .*writable by group or others" "the error says why"

done_testing

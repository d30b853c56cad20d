#!/bin/sh
# select_unsafe.sh - the install path is a privilege-escalation spot:
# directories not owned by root or writable by group/others, symlinked
# objects and a symlinked install path are refused with a clear error, and
# nothing is loaded.  A missing install path is created 0700 when needed.

. "$top_srcdir/tests/integration/select_lib.sh"

refused() { # DESCRIPTION REGEX
	run_tracee 5 --build-policy never
	is "$RC" 1 "$1: refused, exit 1"
	like "$ERR" "$2" "$1: the error says why"
	[ ! -f "$OUT" ] && [ "$READY" = 0 ]
	ok $? "$1: nothing started, no output file"
}

mkdir -m 0700 "$INST" && cp "$CORE_OBJ" "$INST/tracee.bpf.core.o"
run_tracee 20 --build-policy never
is "$RC" 0 "a root-owned 0700 install path is used"

# group write counts when the group has other members: daemon's has daemon
chgrp daemon "$INST" && chmod 0770 "$INST"
refused "group-writable install path" "install path $INST: writable by group or others \(mode 0770"
chmod 0757 "$INST"
refused "world-writable install path" "install path $INST: writable by group or others"
chmod 0700 "$INST"

chown 65534 "$INST"
refused "install path owned by nobody" "install path $INST: owned by uid 65534, not root"
chown 0 "$INST"

chown 65534 "$INST/tracee.bpf.core.o"
refused "object owned by nobody" "tracee.bpf.core.o: owned by uid 65534, not root"
chown 0 "$INST/tracee.bpf.core.o"

chgrp daemon "$INST/tracee.bpf.core.o" && chmod 0664 "$INST/tracee.bpf.core.o"
refused "group-writable object" "tracee.bpf.core.o: writable by group or others"
chmod 0644 "$INST/tracee.bpf.core.o"

mv "$INST/tracee.bpf.core.o" "$TAP_TMP/real.o"
ln -s "$TAP_TMP/real.o" "$INST/tracee.bpf.core.o"
refused "symlinked object" "tracee.bpf.core.o: is a symbolic link"
rm -f "$INST/tracee.bpf.core.o"
mv "$TAP_TMP/real.o" "$INST/tracee.bpf.core.o"

mkdir -m 0700 "$TAP_TMP/real-inst"
cp "$CORE_OBJ" "$TAP_TMP/real-inst/tracee.bpf.core.o"
mv "$INST" "$TAP_TMP/old-inst"
ln -s "$TAP_TMP/real-inst" "$INST"
refused "symlinked install path" "install path $INST: is a symbolic link"
rm -f "$INST"

# A parent directory anyone can write to (without the sticky bit).
mkdir -m 0777 "$TAP_TMP/open"
chmod 0777 "$TAP_TMP/open"
mkdir -m 0700 "$TAP_TMP/open/inst"
cp "$CORE_OBJ" "$TAP_TMP/open/inst/tracee.bpf.core.o"
INST=$TAP_TMP/open/inst refused "install path under a world-writable dir" \
	"directory $TAP_TMP/open is writable by group or others"

done_testing

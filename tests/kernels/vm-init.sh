#!/bin/sh
# vm-init.sh - /init of the kernel matrix's initramfs (busybox sh).
#
# Mounts the pseudo file systems, runs /kt/cases.sh and powers the VM off.
# Everything the host reads is a console line starting with "@@KT " between
# "@@KT BEGIN" and "@@KT END"; anything else on the console is kernel noise
# or diagnostics kept in the test log.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# An image of another architecture than the host's has only /bin/sh: the
# host could not run its busybox to list the applets.
[ -e /bin/mount ] || /bin/busybox --install -s
export HOME=/root
umask 022

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs -o mode=1777 tmpfs /tmp
mkdir -p /dev/pts /dev/shm /run /root
mount -t tmpfs tmpfs /run
# tracefs and debugfs: some hooks (tracepoints by name) and tools want them.
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null ||
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# Let bpf programs use memory beyond the small default locked limit.
ulimit -l unlimited 2>/dev/null
hostname tracee-kvm

exec </dev/console >/dev/console 2>&1
echo "@@KT BEGIN $(uname -r)"
if [ -x /kt/cases.sh ]; then
	/kt/cases.sh
	echo "@@KT # cases.sh exited with $?"
else
	echo "@@KT not ok 1 - /kt/cases.sh is missing from the initramfs"
fi
echo "@@KT END"
sync
poweroff -f
# poweroff failed: returning makes the kernel panic, and panic=-1 with
# qemu -no-reboot ends the VM.
sleep 1
exit 1

#!/bin/sh
# cases.sh - the kernel matrix cases, run by /init inside the VM (busybox).
#
# /kt/env (written by check-kernels.sh) says what the image holds:
#   KT_TRACEE        installed tracee
#   KT_RELEASE       the release this kernel-specific object was built for
#   KT_KOBJ          the kernel-specific object for this kernel, or empty
#   KT_FOREIGN       a kernel-specific object built for another kernel, or empty
#   KT_FOREIGN_RELEASE  the release it was built for
#   KT_CASES         which cases to run (default: all)
# Results are "@@KT ok|not ok|#|DATA" console lines (see kt-lib.sh).

KT_OUT='@@KT '
KT_TMP=/tmp/kt
KT_CASES="core-btf kernel-object external-btf no-object foreign-object events events-perfbuf events-kernel path-prefilter path-prefilter-kernel capture capture-kernel"
mkdir -p "$KT_TMP"
. /kt/env
. /kt/kt-lib.sh

btf=/sys/kernel/btf/vmlinux
release=$(uname -r)
empty=$KT_TMP/empty-install-path
mkdir -p "$empty"
# An install path holding the kernel-specific object built for this kernel.
kip=$KT_TMP/install-kernel
mkdir -p "$kip"
[ -z "$KT_KOBJ" ] || cp "$KT_KOBJ" "$kip/"

want() { case " $KT_CASES " in *" $1 "*) return 0 ;; esac; return 1; }

hide_btf() {
	mount -t tmpfs -o size=1m,mode=755 none /sys/kernel/btf && [ ! -e "$btf" ] ||
		kt_say "# could not hide $btf under a tmpfs"
}
show_btf() { umount /sys/kernel/btf; }

# marker_case NAME DESC OBJECT-PATTERN TRACEE-ARGS...: --probe must choose an
# object matching the pattern, then a traced exec of a marker program must
# show up in the JSON with its path.
marker_case() {
	_name=$1 _desc=$2 _want=$3
	shift 3
	"$KT_TRACEE" --probe "$@" >"$KT_TMP/$_name.probe" 2>"$KT_TMP/$_name.probe.err"
	# "object: PATH (REASON)"
	_obj=$(sed -n 's/^object: \(.*\) (.*$/\1/p; s/^object: \([^ (]*\)$/\1/p' "$KT_TMP/$_name.probe")
	case "$_obj" in
	$_want) ;;
	*)
		kt_say "not ok $_name: $_desc: tracee --probe chose '${_obj:-nothing}', expected $_want"
		kt_diag "$KT_TMP/$_name.probe" "tracee --probe printed:"
		kt_diag "$KT_TMP/$_name.probe.err" "tracee said:"
		return
		;;
	esac
	_json=$KT_TMP/$_name.json
	if ! kt_start "$_name" -e sched_process_exec -o "json:$_json" "$@"; then
		kt_ok 1 "$_name: $_desc: tracee did not start (exit $KT_RC)" "$KT_TMP/$_name.err"
		return
	fi
	_marker=$KT_TMP/tk-marker-$_name
	cp /kt/tk-workload "$_marker"
	"$_marker"
	kt_wait_for "$_json" "tk-marker-$_name" 10
	_seen=$?
	kt_stop
	if [ "$_seen" != 0 ]; then
		kt_ok 1 "$_name: $_desc: the exec of $_marker is not in the JSON" "$KT_TMP/$_name.err"
		kt_diag "$_json" "JSON:"
		return
	fi
	grep -F "tk-marker-$_name" "$_json" | grep -q '"eventName": *"sched_process_exec"'
	_r=$?
	[ "$_r" = 0 ] || kt_diag "$_json" "JSON:"
	[ "$KT_RC" = 0 ] || { _r=1; kt_say "# tracee exited with $KT_RC after SIGINT"; }
	kt_ok "$_r" "$_name: $_desc (object $(basename "$_obj"))" "$KT_TMP/$_name.err"
}

kt_say "# kernel $release, tracee $("$KT_TRACEE" --version 2>&1)"
[ "$KT_RELEASE" = "$release" ] ||
	kt_say "not ok image: built for kernel $KT_RELEASE, but $release booted"
# Without kernel BTF (CONFIG_DEBUG_INFO_BTF off) the CO-RE cases cannot run.
core_ok=1
cp "$btf" "$KT_TMP/vmlinux.btf" 2>/dev/null || core_ok=0
no_core() { # no_core CASE: true (and a skip) when the kernel has no BTF
	[ "$core_ok" = 0 ] || return 1
	kt_say "ok $1: # SKIP the kernel has no $btf (CONFIG_DEBUG_INFO_BTF)"
}

# 1. The installed CO-RE object with the kernel's own BTF.
want core-btf && ! no_core core-btf &&
	marker_case core-btf "installed CO-RE object, kernel BTF" '*/tracee.bpf.core.o' \
		--install-path "$empty" --build-policy never

# 2. BTF hidden: CO-RE is skipped, the kernel-specific object in the install path loads.
if want kernel-object; then
	if [ -z "$KT_KOBJ" ]; then
		kt_say "not ok kernel-object: no kernel-specific object for $release was built on the host"
	else
		hide_btf
		marker_case kernel-object "BTF hidden, kernel-specific object from the install path" \
			"*/tracee.bpf.$release.*.o" --install-path "$kip" --build-policy never
		show_btf
	fi
fi

# 3. BTF hidden, the copy passed with --btf: CO-RE works again.
if want external-btf && ! no_core external-btf; then
	hide_btf
	marker_case external-btf "BTF hidden, external BTF with --btf" '*/tracee.bpf.core.o' \
		--install-path "$empty" --build-policy never --btf "$KT_TMP/vmlinux.btf"
	show_btf
fi

# 4. BTF hidden, nothing usable, no build: exit 2 and the ways out.
if want no-object; then
	hide_btf
	"$KT_TRACEE" -e sched_process_exec -o none --install-path "$empty" \
		--build-policy never >"$KT_TMP/no-object.out" 2>"$KT_TMP/no-object.err"
	rc=$?
	show_btf
	r=0
	[ "$rc" = 2 ] || { r=1; kt_say "# exit status $rc, expected 2"; }
	for w in --btf TRACEE_BPF_FILE --build-policy; do
		grep -q -e "$w" "$KT_TMP/no-object.err" ||
			{ r=1; kt_say "# the message does not mention $w"; }
	done
	kt_ok "$r" "no-object: BTF hidden, no object, --build-policy never: exit 2 naming the ways out" \
		"$KT_TMP/no-object.err"
	[ "$r" != 0 ] || kt_diag "$KT_TMP/no-object.err" "tracee said:"
fi

# 5. A kernel-specific object built for another kernel is refused, naming
#    both releases (through TRACEE_BPF_FILE, the path with no fallback).
if want foreign-object; then
	if [ -z "$KT_FOREIGN" ]; then
		kt_say "ok foreign-object: # SKIP no kernel-specific object of another kernel in the image"
	else
		TRACEE_BPF_FILE=$KT_FOREIGN "$KT_TRACEE" -e sched_process_exec -o none \
			--install-path "$empty" --build-policy never \
			>"$KT_TMP/foreign.out" 2>"$KT_TMP/foreign.err" &
		fpid=$!
		# A refusal ends at once; an object that loads runs until stopped.
		i=0
		while kill -0 "$fpid" 2>/dev/null && [ "$i" -lt 300 ]; do sleep 0.2; i=$((i + 1)); done
		kill -INT "$fpid" 2>/dev/null
		wait "$fpid"
		rc=$?
		r=0
		[ "$rc" != 0 ] || { r=1; kt_say "# tracee loaded it (exit 0)"; }
		grep -qF "$KT_FOREIGN_RELEASE" "$KT_TMP/foreign.err" &&
			grep -qF "$release" "$KT_TMP/foreign.err" ||
			{ r=1; kt_say "# the message does not name both $KT_FOREIGN_RELEASE and $release"; }
		kt_ok "$r" "foreign-object: object built for $KT_FOREIGN_RELEASE refused (exit $rc)" \
			"$KT_TMP/foreign.err"
		[ "$r" != 0 ] || kt_diag "$KT_TMP/foreign.err" "tracee said:"

		# The explicit override loads it.
		TRACEE_BPF_FILE=$KT_FOREIGN kt_start foreign-allowed -e sched_process_exec -o none \
			--install-path "$empty" --build-policy never --allow-foreign-kernel-object
		r=$?
		[ "$r" != 0 ] || kt_stop
		kt_ok "$r" "foreign-object: --allow-foreign-kernel-object loads it" \
			"$KT_TMP/foreign-allowed.err"
	fi
fi

# 6. The fixed workload: its events go to the host for the comparison.
if want events && ! no_core events; then
	kt_workload events-ringbuf /kt/tk-workload /tmp/kw \
		--install-path "$empty" --build-policy never
	kt_ok $? "events: workload traced with the CO-RE object (ring buffer)" "$KT_TMP/events-ringbuf.err"
fi
if want events-perfbuf && ! no_core events-perfbuf; then
	kt_workload events-perfbuf /kt/tk-workload /tmp/kw \
		--install-path "$empty" --build-policy never --perf-buffer
	kt_ok $? "events-perfbuf: workload traced through the perf buffer" "$KT_TMP/events-perfbuf.err"
fi
if want events-kernel && [ -n "$KT_KOBJ" ]; then
	hide_btf
	kt_workload events-kernel /kt/tk-workload /tmp/kw \
		--install-path "$kip" --build-policy never
	kt_ok $? "events-kernel: workload traced with the kernel-specific object" \
		"$KT_TMP/events-kernel.err"
	show_btf
fi
# 7. The pathname prefilter's automaton (src/filter/pathdfa.c) through this
#    kernel's verifier and at run time, with each object: the opens a glob
#    matches arrive, near misses are dropped in the kernel.
pf_case() { # pf_case NAME DESC TRACEE-ARGS...
	_name=$1 _desc=$2
	shift 2
	_d=$KT_TMP/pf-$_name
	mkdir -p "$_d/a/.ssh" "$_d/a/ssh"
	for _f in want.txt other.txt a/.ssh/id_x a/ssh/id_x; do : >"$_d/$_f"; done
	if ! kt_start "$_name" -v -e security_file_open -o "json:$_d/out.json" \
		-e "security_file_open.args.pathname=$_d/want*,*/.ssh/*" "$@"; then
		kt_ok 1 "$_name: $_desc: tracee did not start (exit $KT_RC)" "$KT_TMP/$_name.err"
		return
	fi
	for _i in 1 2 3; do
		for _f in want.txt other.txt a/.ssh/id_x a/ssh/id_x; do : <"$_d/$_f"; done
	done
	kt_wait_for "$_d/out.json" "$_d/a/.ssh/id_x" 10
	kt_stop
	_r=0
	for _f in want.txt a/.ssh/id_x; do
		[ "$(grep -cF "\"$_d/$_f\"" "$_d/out.json")" -ge 3 ] ||
			{ _r=1; kt_say "# the opens of $_d/$_f are missing"; }
	done
	for _f in other.txt a/ssh/id_x; do
		[ "$(grep -cF "\"$_d/$_f\"" "$_d/out.json")" = 0 ] ||
			{ _r=1; kt_say "# opens of $_d/$_f were let through"; }
	done
	_k=$(sed -n 's/.*filtered in kernel \([0-9]*\).*/\1/p' "$KT_TMP/$_name.err" | tail -n 1)
	[ "${_k:-0}" -ge 6 ] || { _r=1; kt_say "# filtered in kernel: ${_k:-none}, expected >= 6"; }
	grep -q "automaton states" "$KT_TMP/$_name.err" ||
		{ _r=1; kt_say "# tracee did not say it loaded the automaton"; }
	[ "$KT_RC" = 0 ] || { _r=1; kt_say "# tracee exited with $KT_RC after SIGINT"; }
	kt_ok "$_r" "$_name: $_desc (filtered in kernel ${_k:-0})" "$KT_TMP/$_name.err"
}
if want path-prefilter && ! no_core path-prefilter; then
	pf_case path-prefilter "path globs as one automaton, CO-RE object" \
		--install-path "$empty" --build-policy never
fi
if want path-prefilter-kernel && [ -n "$KT_KOBJ" ]; then
	hide_btf
	pf_case path-prefilter-kernel "path globs as one automaton, kernel-specific object" \
		--install-path "$kip" --build-policy never
	show_btf
fi

# 8. -c with every kind on: the capture's programs (bpf/capture.h, the
#    finit_module hook at sys_enter) through this kernel's verifier, then a
#    write to a matching file and an executed file copied byte for byte.
cap_case() { # cap_case NAME DESC TRACEE-ARGS...
	_name=$1 _desc=$2
	shift 2
	_d=$KT_TMP/cap-$_name
	rm -rf "$_d"
	mkdir -p "$_d"
	if ! kt_start "$_name" -e sched_process_exec,openat -o "json:$_d/out.json" \
		-c exec -c "write=$_d/w*" -c mem -c bpf -c module -c "dir:$_d/store" "$@"; then
		kt_ok 1 "$_name: $_desc: tracee did not start (exit $KT_RC)" "$KT_TMP/$_name.err"
		return
	fi
	# busybox with a tail of its own: identical content would be stored once,
	# under the name of the first applet run (cp, ls...), not runme
	cp /bin/busybox "$_d/runme" && echo "kt-$_name" >>"$_d/runme"
	"$_d/runme" >/dev/null 2>&1
	echo "kt-capture-$_name" >"$_d/w1"
	kt_wait_for "$_d/out.json" '"capture_file_write"' 10
	kt_wait_for "$_d/out.json" '"capture_exec"' 10
	kt_stop
	_r=0
	_w=$(ls "$_d"/store/out/host/write.* 2>/dev/null | head -n 1)
	[ -n "$_w" ] && grep -qxF "kt-capture-$_name" "$_w" ||
		{ _r=1; kt_say "# no write capture holding what was written (${_w:-none})"; }
	_e=$(grep -l "" "$_d"/store/out/host/exec.*runme 2>/dev/null | head -n 1)
	[ -n "$_e" ] && cmp -s "$_e" "$_d/runme" ||
		{ _r=1; kt_say "# no byte-identical copy of the executed file (${_e:-none})"; }
	[ "$KT_RC" = 0 ] || { _r=1; kt_say "# tracee exited with $KT_RC after SIGINT"; }
	kt_ok "$_r" "$_name: $_desc" "$KT_TMP/$_name.err"
}
if want capture && ! no_core capture; then
	cap_case capture "-c exec, write, mem, bpf, module load and capture, CO-RE object" \
		--install-path "$empty" --build-policy never
fi
if want capture-kernel && [ -n "$KT_KOBJ" ]; then
	hide_btf
	cap_case capture-kernel "-c exec, write, mem, bpf, module load and capture, kernel-specific object" \
		--install-path "$kip" --build-policy never
	show_btf
fi
exit 0

#!/bin/sh
# sig_live_tuning.sh - rule tuning on a live run (root, real eBPF).
#
# A policy switches TRC-102 off (tracee.disable), with every other rule
# that consumes ptrace, and the command line TRC-103 (--signatures): ptrace
# then has no consumer left, and the event
# selection tracee wrote into its loaded object's .rodata (read back with
# bpftool) must lack it, while a default run's has it.  The same policy
# excepts one writer of /etc/sudoers.d/ from TRC-1028: its write is held
# back and counted in the exit summary, another writer's is reported.
# Files under /etc are never changed: the writes go to a tmpfs over /etc in
# a private mount namespace of the writing process (sig-actions --tmpfs).

. "$top_srcdir/tests/integration/sig_live_lib.sh"

command -v bpftool >/dev/null 2>&1 || skip_all "bpftool is missing"

# event_bit NAME: 1 when the running tracee's kernel side selects NAME
event_bit() {
	sl_id=$(awk -v n="$1" '$1 == n { print $2 }' "$D/events")
	for m in $(cat /proc/"$TPID"/fdinfo/* 2>/dev/null |
		   sed -n 's/^map_id:[[:space:]]*\([0-9]*\)$/\1/p' | sort -un); do
		bpftool map show id "$m" 2>/dev/null | grep -q ' name tracee.rodata ' || continue
		bpftool -j map dump id "$m" | python3 -c '
import json, sys
def find(o):
    if isinstance(o, dict):
        if "ev_sel" in o:
            return o["ev_sel"]
        o = list(o.values())
    if isinstance(o, list):
        for v in o:
            r = find(v)
            if r is not None:
                return r
    return None
sel, i = find(json.load(sys.stdin)), int(sys.argv[1])
print((sel[i // 64] >> (i % 64)) & 1 if sel else "unknown")' "$sl_id"
		return
	done
	echo "no .rodata map"
}

cat >"$D/policy.lua" <<'EOF'
tracee.disable("TRC-102")
tracee.except("sudoers_modification", { process = "s1028-ok*", path = "/etc/sudoers.d/*" })
EOF
# the other rules on ptrace (ptrace_attach, ...): off too, whatever they are
"$TRACEE" --list-signatures >"$D/all-sigs" 2>&1
ev_col=$(head -n 1 "$D/all-sigs" | awk '{ for (i = 1; i <= NF; i++) if ($i == "EVENTS") print i }')
awk -v c="$ev_col" 'NR > 1 && $1 != "TRC-102" && $1 != "TRC-103" && ("," $c ",") ~ /,ptrace,/ {
	printf "tracee.disable(\"%s\")\n", $1 }' "$D/all-sigs" >>"$D/policy.lua"

# the control: a default run selects ptrace for TRC-102 and TRC-103
sl_start
is "$(event_bit ptrace)" 1 "a default run selects ptrace in the kernel"
stop

sl_start -s "$D/policy.lua" --signatures -TRC-103
is "$(event_bit ptrace)" 0 "ptrace is not selected once its two rules are off"
is "$(event_bit security_file_open)" 1 "security_file_open still is (TRC-1028 is on)"
act s102-hit traceme
act s1028-ok --tmpfs /etc --mkfile /etc/sudoers.d/backup open /etc/sudoers.d/backup w x
act s1028-hit --tmpfs /etc --mkfile /etc/sudoers.d/evil open /etc/sudoers.d/evil w x
sl_stop

quiet TRC-102 anti_debugging s102-hit "switched off by the policy"
fires TRC-1028 sudoers_modification s1028-hit "no exception for it"
quiet TRC-1028 sudoers_modification s1028-ok "excepted by process and path"
grep -q '^lua: signature TRC-1028 (sudoers_modification): 1 findings, 1 suppressed by exceptions$' \
	"$D/out.err"
ok $? "the exit summary counts the suppressed finding" ||
	diag "$(grep '^lua:' "$D/out.err")"
grep -q 'signatures [0-9]* ([0-9]* on),.* suppressed by exceptions 1,' "$D/out.err"
ok $? "the summary totals say how many signatures were on and what was suppressed"

# --list-signatures shows the same state with the same arguments
"$TRACEE" --list-signatures -s "$D/policy.lua" --signatures -TRC-103 >"$D/sigs" 2>&1
is "$(sl_column TRC-102 STATE) $(sl_column TRC-102 BY)" "off $D/policy.lua" \
	"--list-signatures: TRC-102 off, by the policy"
is "$(sl_column TRC-103 STATE) $(sl_column TRC-103 BY)" "off --signatures" \
	"--list-signatures: TRC-103 off, by --signatures"
grep -q "^  sudoers_modification ($D/policy.lua): process=s1028-ok\\* path=/etc/sudoers.d/\\*\$" \
	"$D/sigs"
ok $? "--list-signatures lists the exception"

# a name that matches nothing stops tracee before anything is attached
"$TRACEE" --signatures -TRC-99999 -o none >"$D/bad.out" 2>&1
is "$?" 1 "--signatures with an unknown id exits 1"
is "$(wc -l <"$D/bad.out" | tr -d ' ')" 1 "with one line: $(cat "$D/bad.out")"
done_testing

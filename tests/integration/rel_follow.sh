#!/bin/sh
# rel_follow.sh - --scope follow's set never drops a live process.  It was
# an LRU map: a followed process whose children filled it was evicted and
# left the scope.  Now it is a plain hash, emptied at process exit; when it
# is full a new child is not followed, and that is counted ("follow set
# full N" in the exit summary).  The set is made small here
# (TRACEE_FOLLOW_MAX) and a followed parent forks more live children than
# it holds: the parent stays in scope, and so do the children that got in
# first (an LRU evicted them for the later ones).

. "$top_srcdir/tests/integration/rel_lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is missing"

MAX=32
NR=96
# The interpreter itself (not a wrapper script), under the name in scope.
cp "$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))')" "$TAP_TMP/fl-root"
cat >"$TAP_TMP/family.py" <<'PY'
import ctypes, os, sys, time
d, nr = sys.argv[1], int(sys.argv[2])
libc = ctypes.CDLL(None)
def name(n):
    libc.prctl(15, n.encode(), 0, 0, 0)	# PR_SET_NAME: in scope by follow only
def touch(p):
    os.close(os.open(os.path.join(d, p), os.O_RDONLY | os.O_CREAT, 0o600))
pid = os.fork()
if pid:
    os.waitpid(pid, 0)
    sys.exit(0)
name("fl-parent")
touch("parent-before")
r, w = os.pipe()
kids = []
for i in range(nr):
    k = os.fork()
    if k == 0:
        name("fl-child")
        os.close(w)
        os.read(r, 1)	# live until the parent is done
        touch("child-%d" % i)
        os._exit(0)
    kids.append(k)
os.close(r)
time.sleep(0.3)
touch("parent-after")	# more live children than the set holds by now
os.close(w)
for k in kids:
    os.waitpid(k, 0)
touch("parent-end")
PY

opened() { # NAME: openat events of fl-parent for $TAP_TMP/NAME
	grep -F "\"processName\":\"fl-parent\"" "$TAP_TMP/out.json" | grep -cF "$TAP_TMP/$1\""
}

TRACEE_FOLLOW_MAX=x start_tracee -e openat --scope comm=fl-root --scope follow -o json:/dev/null
stop_tracee
[ "$RC" -ne 0 ]
ok $? "TRACEE_FOLLOW_MAX=x is refused"
like "$ERR" "TRACEE_FOLLOW_MAX=x: give a number" "with a line naming it and the fix"

TRACEE_FOLLOW_MAX=$MAX start_tracee -e openat --scope comm=fl-root --scope follow \
	-o "json:$TAP_TMP/out.json"
is "$READY" 1 "tracee attached, follow set of $MAX"
"$TAP_TMP/fl-root" "$TAP_TMP/family.py" "$TAP_TMP" "$NR"
sleep 1
stop_tracee
is "$RC" 0 "clean exit"
is "$(opened parent-before)" 1 "the followed parent is in scope"
is "$(opened parent-after)" 1 "still in scope with $NR live children (set of $MAX)"
is "$(opened parent-end)" 1 "and after they exit"
# The parent and the first MAX-1 children fill the set.
in=0
i=0
while [ "$i" -lt $((MAX - 1)) ]; do
	grep -F '"processName":"fl-child"' "$TAP_TMP/out.json" | grep -qF "$TAP_TMP/child-$i\"" &&
		in=$((in + 1))
	i=$((i + 1))
done
is "$in" $((MAX - 1)) "the first $((MAX - 1)) children, in the set first, stay in scope"
full=$(summary_field full)
diag "follow set full: $full"
[ "${full:-0}" -ge $((NR - MAX)) ]
ok $? "the children the set could not take are counted ($full >= $((NR - MAX)))"
done_testing

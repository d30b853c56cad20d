#!/bin/sh
# proctree_select.sh - the process tree knows every process whatever the
# selection (root, real eBPF).
#
# tracee runs with -e ptrace alone.  Started after it:
#   - a process (python3, under a name of the test's) that forks a child;
#     the child calls ptrace(PTRACE_TRACEME) and exits at once, never having
#     run an exec: nothing of it is left in /proc when its event is read,
#     its executable is its parent's;
#   - sig-actions traceme: a fresh program that calls ptrace and exits.
# Each ptrace event must name the real executable, the parent (host pid)
# and a start time within the run; the lifecycle events that taught the
# tree are not written out (not selected).

. "$top_srcdir/tests/tap.sh"

: "${TRACEE_PKGLIBDIR:=$top_builddir/dist}"
export TRACEE_PKGLIBDIR
need_bpf
command -v python3 >/dev/null 2>&1 || skip_all "python3 is missing (it forks the child and reads the JSON)"
ACT="$top_builddir/tests/integration/sig-actions"
[ -x "$ACT" ] || skip_all "sig-actions is not built ($ACT)"

tap_tmpdir
D=$(cd "$TAP_TMP" && pwd -P)
. "$top_srcdir/tests/integration/tagged_run.sh"

cp "$ACT" "$D/pt-fresh"
# the interpreter itself, not a wrapper (pyenv's shim is a script)
PY=$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))')

start run -e ptrace
ok $? "tracee starts with -e ptrace"
T0=$(date +%s%N)
# the parent waits for the child, then says both pids
"$PY" -c '
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
pid = os.fork()
if pid == 0:
    libc.ptrace(0, 0, None, None)	# PTRACE_TRACEME
    os._exit(0)
os.waitpid(pid, 0)
print(os.getpid(), pid)
' >"$D/py.pids"
ok $? "a fresh process forks a child that ptraces and exits at once"
"$D/pt-fresh" pt-fresh traceme
ok $? "a fresh program ptraces and exits"
T1=$(date +%s%N)
echo $$ "$(cat "$D/py.pids")" >"$D/pids"
stop
is "$?" 0 "tracee exits 0 on SIGINT"

python3 - "$D/run.json" "$PY" "$D/pt-fresh" "$T0" "$T1" $(cat "$D/pids") >"$D/checks" 2>&1 <<'EOF'
import json, sys
path, py, fresh = sys.argv[1:4]
t0, t1, shell, parent, child = (int(x) for x in sys.argv[4:9])
ev = [json.loads(l) for l in open(path)]
def check(cond, what):
    print(("ok " if cond else "not ok ") + what)
names = sorted(set(e["eventName"] for e in ev))
check(names == ["ptrace"], "only ptrace events are written: %s" % names)
def one(pid):
    return [e for e in ev if e["hostProcessId"] == pid]
c = one(child)
check(len(c) >= 1, "the child's ptrace is there")
if c:
    e = c[0]
    print("# child: %s" % {k: e.get(k) for k in ("executable", "hostParentProcessId",
          "threadStartTime", "processName", "parentEntityId")})
    check(e["executable"]["path"] == py, "the child's executable is its parent's %s" % py)
    check(e["hostParentProcessId"] == parent, "the child's parent is the python process")
    check(t0 <= e["threadStartTime"] <= t1, "the child's start time is within the run")
    check(e.get("parentEntityId", 0) != 0, "the child's parent entity is known")
f = [e for e in ev if e["processName"] == "pt-fresh"]
check(len(f) >= 1, "the fresh program's ptrace is there")
if f:
    e = f[0]
    check(e["executable"]["path"] == fresh, "its executable: %s" % e["executable"])
    check(e["hostParentProcessId"] == shell, "its parent is the test's shell")
    check(t0 <= e["threadStartTime"] <= t1, "its start time is within the run")
EOF
relay "$D/checks"
done_testing

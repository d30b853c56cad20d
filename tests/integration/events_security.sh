#!/bin/sh
# events_security.sh - the security and lifecycle events, for real (root).
#
# tracee runs with every event of bpf/tracee.bpf.c's derived and raw
# tracepoint programs selected; tests/integration/sec-actions performs one
# behaviour per event class (opens through hostile names, a path of
# PATH_MAX bytes and a longer one, sockets of three families, W+X memory,
# writes at offset 0, setgid, unshare, a rename, a signal, a cgroup); the
# JSON events are then checked argument by argument against what the
# actions did (inodes, fds, addresses, ports, namespace inodes).
# Everything created lives in a private /tmp directory or is removed
# (the cgroup) before the end.

. "$top_srcdir/tests/tap.sh"

# the CO-RE object of this build tree, unless told otherwise
: "${TRACEE_PKGLIBDIR:=$top_builddir/dist}"
export TRACEE_PKGLIBDIR
need_bpf
ACT="$top_builddir/tests/integration/sec-actions"
[ -x "$ACT" ] || skip_all "sec-actions is not built ($ACT)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is missing (it reads the JSON)"

tap_tmpdir
D=$(cd "$TAP_TMP" && pwd -P)

EVENTS=security_file_open,security_bprm_check,security_socket_connect,security_socket_bind
EVENTS=$EVENTS,security_socket_listen,security_socket_accept,mem_prot_alert,magic_write
EVENTS=$EVENTS,commit_creds,switch_task_ns,cgroup_mkdir,cgroup_rmdir,task_rename
EVENTS=$EVENTS,signal_generate,signal_deliver

CG=
for c in /sys/fs/cgroup/unified /sys/fs/cgroup/pids /sys/fs/cgroup; do
	if [ -w "$c" ] && grep -q " $c cgroup" /proc/mounts; then
		CG=$c/tracee-sec-$$
		break
	fi
done

TPID=
cleanup() {
	[ -n "$TPID" ] && kill -INT "$TPID" 2>/dev/null
	[ -n "$CG" ] && rmdir "$CG" 2>/dev/null
	rm -rf "$TAP_TMP"
}
trap cleanup EXIT

"$TRACEE" -e "$EVENTS" -o "json:$D/out.json" -o option:exec-env --pidfile "$D/pid" 2>"$D/err" &
TPID=$!
i=0
while [ ! -s "$D/pid" ] && kill -0 "$TPID" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ ! -s "$D/pid" ]; then
	diag "$(cat "$D/err")"
	ok 1 "tracee starts with every security event selected"
	done_testing
fi
ok 0 "tracee starts with every security event selected"

# Hostile names: a quote, a backslash, a newline, invalid UTF-8.
mkdir "$D/h"
Q='q"uote'
B='back\slash'
N=$(printf 'new\nline')
U=$(printf 'bad\377\376utf8')
for n in "$Q" "$B" "$N" "$U"; do
	: >"$D/h/$n"
done
# ln: relative opens of a symlink give the target's path
ln -s "h/$Q" "$D/link"
PORT=$((20000 + $$ % 20000))

{
	for n in "$Q" "$B" "$N" "$U"; do
		"$ACT" open "$D/h" "$n" >/dev/null
	done
	"$ACT" openat "$D" "h/$B" >/dev/null
	"$ACT" open "$D" link >/dev/null
	: >"$D/three"
	"$ACT" opens "$D" three
	mkdir "$D/deep" "$D/deeper"
	"$ACT" deep "$D/deep" 4095 >"$D/deep.txt"
	"$ACT" deep "$D/deeper" 5000 >"$D/deeper.txt"
	"$ACT" inet "$PORT" >"$D/inet.txt"
	"$ACT" inet6 "$((PORT + 1))" >"$D/inet6.txt" 2>"$D/inet6.err" || echo none >"$D/inet6.txt"
	"$ACT" unix "$D/sock" >"$D/unix.txt"
	"$ACT" mmap-wx >"$D/mmap.txt"
	"$ACT" mprotect >"$D/mprotect.txt"
	"$ACT" magic "$D/magic.bin"
	"$ACT" setgid 4242
	# a set-user-ID program: exec changes the effective uid
	cp "$ACT" "$D/suid-actions"
	chown 4243 "$D/suid-actions"
	chmod 4755 "$D/suid-actions"
	"$D/suid-actions" rename suid-ran
	"$ACT" unshare-uts >"$D/uts.txt"
	"$ACT" rename tr-renamed
	"$ACT" signal
	if [ -n "$CG" ]; then
		"$ACT" cgroup "$CG"
	fi
} 2>"$D/actions.err"
ok $? "the actions ran"
[ -s "$D/actions.err" ] && diag "$(cat "$D/actions.err")"

sleep 0.5
kill -INT "$TPID"
wait "$TPID"
ok $? "tracee exits 0 on SIGINT"
TPID=

export D ACT PORT CG Q B N U
python3 - >"$D/results" <<'EOF'
import base64, json, os, sys

D = os.environ["D"]
ACT = os.path.realpath(os.environ["ACT"])
PORT = int(os.environ["PORT"])
CG = os.environ["CG"]
out = []


def check(cond, desc, why=""):
    out.append(("ok" if cond else "not ok", desc, "" if cond else why))


evs = []
for line in open(os.path.join(D, "out.json"), "rb"):
    try:
        evs.append(json.loads(line))
    except ValueError as e:
        check(False, "every JSON line parses", repr(line[:200]))


def args(e):
    return {a["name"]: a for a in e["args"]}


def val(e, name):
    a = args(e).get(name)
    return a["value"] if a else None


def find(name, pred=lambda e: True):
    return [e for e in evs if e["eventName"] == name and pred(e)]


def kdev(st_dev):
    return (os.major(st_dev) << 20) | os.minor(st_dev)


def shown(b):
    # how tracee's JSON shows a byte string: invalid UTF-8 as U+FFFD
    return b.decode("utf-8", "replace")


# security_file_open: hostile names, relative and dirfd-based opens
for env in ("Q", "B", "N", "U"):
    name = os.environb[env.encode()]
    path = os.path.join(D.encode(), b"h", name)
    st = os.stat(path)
    m = find("security_file_open", lambda e: val(e, "pathname") == shown(path)
             and val(e, "syscall_pathname") == shown(name))
    check(len(m) == 1, "security_file_open: relative open of %r gives the absolute path" % name,
          "%d events" % len(m))
    if m:
        e = m[0]
        check(val(e, "inode") == st.st_ino and val(e, "dev") == kdev(st.st_dev),
              "security_file_open %r: inode and dev" % name,
              "inode %s dev %s, want %s %s" % (val(e, "inode"), val(e, "dev"), st.st_ino, kdev(st.st_dev)))
        check(val(e, "flags") & 3 == 0 and e["syscall"] == "openat" and e["returnValue"] == 0
              and e["processName"] == "sec-actions",
              "security_file_open %r: flags O_RDONLY, syscall openat, context" % name,
              json.dumps(e)[:300])
        ct = val(e, "ctime")
        check(ct == st.st_ctime_ns, "security_file_open %r: ctime in ns" % name, "%s != %s" % (ct, st.st_ctime_ns))

bpath = os.path.join(D, "h", os.environ["B"])
m = find("security_file_open", lambda e: val(e, "pathname") == bpath
         and val(e, "syscall_pathname") == "h/" + os.environ["B"])
check(len(m) == 1, "security_file_open: dirfd-based openat gives the absolute path", "%d" % len(m))
m = find("security_file_open", lambda e: val(e, "syscall_pathname") == "link")
check(len(m) == 1 and val(m[0], "pathname") == os.path.join(D, "h", os.environ["Q"]),
      "security_file_open: a symlink resolves to its target",
      [val(x, "pathname") for x in m])

m = find("security_file_open", lambda e: val(e, "syscall_pathname") == "three"
         and val(e, "pathname") == os.path.join(D, "three"))
calls = sorted(e["syscall"] for e in m)
flags = sorted(val(e, "flags") & 0o1103 for e in m)
check(len(m) == 3 and flags == [0, 0, 0o1101],
      "security_file_open: from open(2), creat(2) and openat2(2) (creat: O_WRONLY|O_CREAT|O_TRUNC)",
      "%s flags %s" % (calls, flags))

deep = open(os.path.join(D, "deep.txt")).read().strip()
# the helper creates the file (O_WRONLY|O_CREAT), then opens it read-only
m = find("security_file_open", lambda e: val(e, "pathname") == deep and val(e, "flags") & 3 == 0)
check(len(deep) == 4095 and len(m) == 1 and not args(m[0])["pathname"].get("truncated"),
      "security_file_open: a 4095-byte path, whole and not marked cut",
      "len %d, %d events" % (len(deep), len(m)))
deeper = open(os.path.join(D, "deeper.txt")).read().strip()
m = find("security_file_open", lambda e: val(e, "pathname") and len(val(e, "pathname")) > 1000
         and deeper.endswith(val(e, "pathname")) and val(e, "pathname") != deeper
         and val(e, "flags") & 3 == 0)
check(len(m) == 1 and args(m[0])["pathname"].get("truncated") is True,
      "security_file_open: a 5000-byte path keeps its tail and is marked truncated",
      "%d events" % len(m))

# security_bprm_check: the helper's own execs
m = find("security_bprm_check", lambda e: val(e, "argv") == [os.environ["ACT"], "rename", "tr-renamed"])
st = os.stat(ACT)
check(len(m) == 1 and val(m[0], "pathname") == ACT and val(m[0], "inode") == st.st_ino
      and val(m[0], "dev") == kdev(st.st_dev) and isinstance(val(m[0], "envp"), list),
      "security_bprm_check: resolved pathname, inode, dev, argv, envp",
      json.dumps(m[0]["args"])[:400] if m else "none")

# sockets
def sock_checks(fam, txt, addrcheck, label):
    f = open(os.path.join(D, txt)).read().split()
    if f == ["none"]:
        check(True, "security_socket_* %s: # SKIP no %s here" % (label, label))
        return
    s, c, a = map(int, f)
    pid = [e for e in find("security_socket_bind") if addrcheck(val(e, "local_addr"))]
    check(len(pid) == 1 and val(pid[0], "sockfd") == s,
          "security_socket_bind %s: sockfd and local_addr" % label, [x["args"] for x in pid])
    if not pid:
        return
    hp = pid[0]["hostProcessId"]
    lis = find("security_socket_listen", lambda e: e["hostProcessId"] == hp)
    check(len(lis) == 1 and val(lis[0], "sockfd") == s and val(lis[0], "backlog") == 7
          and addrcheck(val(lis[0], "local_addr")),
          "security_socket_listen %s: sockfd, backlog, local_addr from the socket" % label,
          [x["args"] for x in lis])
    con = find("security_socket_connect", lambda e: e["hostProcessId"] == hp)
    check(len(con) == 1 and val(con[0], "sockfd") == c and val(con[0], "type") == 1
          and addrcheck(val(con[0], "remote_addr")),
          "security_socket_connect %s: sockfd, type SOCK_STREAM, remote_addr" % label,
          [x["args"] for x in con])
    acc = find("security_socket_accept", lambda e: e["hostProcessId"] == hp)
    check(len(acc) == 1 and val(acc[0], "sockfd") == s and addrcheck(val(acc[0], "local_addr"))
          and acc[0]["syscall"] in ("accept", "accept4"),
          "security_socket_accept %s: listening sockfd and its local_addr" % label,
          [x["args"] for x in acc])


sock_checks("inet", "inet.txt", lambda a: a == {"sa_family": "AF_INET", "sin_addr": "127.0.0.1",
                                                 "sin_port": str(PORT)}, "AF_INET")
sock_checks("inet6", "inet6.txt", lambda a: isinstance(a, dict) and a.get("sa_family") == "AF_INET6"
            and a.get("sin6_addr") == "::1" and a.get("sin6_port") == str(PORT + 1), "AF_INET6")
sock_checks("unix", "unix.txt", lambda a: a == {"sa_family": "AF_UNIX", "sun_path": D + "/sock"},
            "AF_UNIX")

# mem_prot_alert
addr = int(open(os.path.join(D, "mmap.txt")).read())
m = find("mem_prot_alert", lambda e: val(e, "addr") == addr)
check(len(m) == 1 and val(m[0], "alert") == 1 and val(m[0], "prot") == 7 and val(m[0], "len") == 4096
      and m[0]["syscall"] == "mmap",
      "mem_prot_alert: mmap of W+X memory (alert 1)", [x["args"] for x in m])
addr = int(open(os.path.join(D, "mprotect.txt")).read())
m = find("mem_prot_alert", lambda e: val(e, "addr") == addr)
alerts = sorted((val(e, "alert"), val(e, "prot"), val(e, "prev_prot")) for e in m)
check((3, 7, 5) in alerts, "mem_prot_alert: executable memory made writable (alert 3, prev_prot R+X)",
      alerts)
check((4, 5, 3) in alerts, "mem_prot_alert: writable memory made executable (alert 4, prev_prot R+W)",
      alerts)

# magic_write
magic = b"\x7f" b"ELF\x02\x01\x01 tracee magic write test bytes"
for suffix, want in (("", magic[:32]), (".p", magic[:16]), (".v", magic[:32])):
    p = os.path.join(D, "magic.bin" + suffix)
    st = os.stat(p)
    m = find("magic_write", lambda e: val(e, "pathname") == p)
    got = base64.b64decode(val(m[0], "bytes")) if len(m) == 1 else None
    check(len(m) == 1 and got == want and val(m[0], "inode") == st.st_ino
          and val(m[0], "dev") == kdev(st.st_dev),
          "magic_write%s: one event, the first bytes at offset 0, inode, dev" % (suffix or " (write)"),
          "%d events, bytes %r" % (len(m), got))

# commit_creds
m = find("commit_creds", lambda e: val(e, "new_gid") == 4242)
check(len(m) == 1 and val(m[0], "old_gid") == 0 and val(m[0], "new_egid") == 4242
      and val(m[0], "new_fsgid") == 4242 and m[0]["syscall"] == "setgid",
      "commit_creds: setgid(4242) old and new gids", [x["args"] for x in m])

m = find("commit_creds", lambda e: val(e, "new_euid") == 4243)
check(len(m) == 1 and val(m[0], "old_euid") == 0 and val(m[0], "new_uid") == 0
      and val(m[0], "new_fsuid") == 4243 and m[0]["syscall"] == "execve",
      "commit_creds: exec of a set-user-ID program (euid 0 -> 4243)", [x["args"] for x in m])

# switch_task_ns
uts = int(open(os.path.join(D, "uts.txt")).read())
m = find("switch_task_ns", lambda e: val(e, "new_uts") == uts)
check(len(m) == 1 and val(m[0], "new_mnt") == 0 and val(m[0], "new_net") == 0
      and val(m[0], "pid") == m[0]["hostThreadId"] and m[0]["syscall"] == "unshare",
      "switch_task_ns: unshare(CLONE_NEWUTS) gives the new uts namespace only",
      [x["args"] for x in m])

# task_rename
m = find("task_rename", lambda e: val(e, "new_name") == "tr-renamed")
check(len(m) == 1 and val(m[0], "old_name") == "sec-actions",
      "task_rename: old and new names", [x["args"] for x in m])

# signals
m = find("signal_generate", lambda e: e["processName"] == "sec-actions" and val(e, "sig") == 10)
check(len(m) >= 1 and val(m[0], "target_pid") == m[0]["hostProcessId"] and val(m[0], "result") == 0,
      "signal_generate: SIGUSR1 to itself", [x["args"] for x in m])
m = find("signal_deliver", lambda e: e["processName"] == "sec-actions" and val(e, "sig") == 10)
check(len(m) >= 1 and val(m[0], "sa_handler") not in (0, None, "0x0"),
      "signal_deliver: SIGUSR1 with its handler", [x["args"] for x in m])

# cgroups
if CG:
    mk = find("cgroup_mkdir", lambda e: e["processName"] == "sec-actions")
    rm = find("cgroup_rmdir", lambda e: e["processName"] == "sec-actions")
    leaf = "/" + os.path.basename(CG)
    check(len(mk) == 1 and val(mk[0], "cgroup_path") == leaf and val(mk[0], "cgroup_id") > 0,
          "cgroup_mkdir: path and id", [x["args"] for x in mk])
    check(len(rm) == 1 and mk and val(rm[0], "cgroup_id") == val(mk[0], "cgroup_id")
          and val(rm[0], "hierarchy_id") == val(mk[0], "hierarchy_id"),
          "cgroup_rmdir: the same cgroup", [x["args"] for x in rm])
else:
    check(True, "cgroup_mkdir/rmdir # SKIP no writable cgroup hierarchy")

for st, desc, why in out:
    print("%s\t%s\t%s" % (st, desc, str(why).replace("\n", " ")[:600]))
EOF
ok $? "the JSON checks ran"
while IFS="$(printf '\t')" read -r st desc why; do
	case "$desc" in
	*"# SKIP"*) skip "${desc#*# SKIP }"; continue ;;
	esac
	if [ "$st" = ok ]; then
		ok 0 "$desc"
	else
		ok 1 "$desc"
		diag "$why"
	fi
done <"$D/results"
done_testing

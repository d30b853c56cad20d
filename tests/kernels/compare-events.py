#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""compare-events.py - compare the fixed workload's events from two kernels.

    compare-events.py [--label-a host] [--label-b vm] A B

A and B are event streams as kt_workload (kt-lib.sh) prints them: a
"#meta S=PID P=PID W=DIR" line, then tracee JSON events, one per line.

Only the workload's own events are compared: processName tk-workload, pid
P or its child, nothing that mentions "stage1" (the launch, whose
environment is the caller's).  Values that must differ between two boots
are dropped (times, CPU, cgroup and namespace ids, inode numbers, entity
ids, container fields); pids become roles (S the launching shell, P the
workload, C its child, "other"); the workload directory becomes @KW@.
Events are paired per process in time order.  Every difference is printed
as one line naming the event and the field.  Exit 0 when the streams
match, 1 when they differ, 2 on unusable input.
"""

import argparse
import json
import sys

DROP_FIELDS = {
    "timestamp", "threadStartTime", "processorId", "cgroupId",
    "mountNamespace", "pidNamespace", "hostName", "containerId",
    "container", "kubernetes", "threadEntityId", "processEntityId",
    "parentEntityId",
}
PID_FIELDS = {
    "processId", "threadId", "parentProcessId", "hostProcessId",
    "hostThreadId", "hostParentProcessId",
}
# Arguments whose values differ between boots by nature.
DROP_ARGS = {"start_time", "dev", "inode", "ctime"}


def is_pid_arg(name):
    return name == "pid" or name.endswith("_pid") or name.endswith("_tid")


class Stream:
    def __init__(self, path, label):
        self.label = label
        self.meta = {}
        self.events = []
        self.errors = []
        with open(path, encoding="utf-8", errors="replace") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\r\n")
                if not line:
                    continue
                if line.startswith("#meta"):
                    for kv in line.split()[1:]:
                        k, _, v = kv.partition("=")
                        self.meta[k] = v
                    continue
                try:
                    self.events.append(json.loads(line))
                except ValueError as e:
                    self.errors.append(f"{label} line {n}: not JSON ({e}): {line[:120]}")
        for k in ("S", "P", "W"):
            if k not in self.meta:
                self.errors.append(f"{label}: no {k}= in the #meta line")

    def select(self):
        """The workload's events, pid roles, normalized and paired by role."""
        p = int(self.meta["P"])
        s = int(self.meta["S"])
        work = self.meta["W"]
        pids = {e.get("processId") for e in self.events
                if e.get("processName") == "tk-workload"}
        children = sorted(x for x in pids if x != p)
        roles = {s: "S", p: "P"}
        if len(children) == 1:
            roles[children[0]] = "C"
        elif children:
            self.errors.append(f"{self.label}: more than one child pid of the workload: {children}")
        # Host-side ids of the same tasks (they equal the ns ids outside containers).
        for e in self.events:
            for ns, host in (("processId", "hostProcessId"), ("threadId", "hostThreadId"),
                             ("parentProcessId", "hostParentProcessId")):
                if e.get(ns) in roles and isinstance(e.get(host), int):
                    roles.setdefault(e[host], roles[e[ns]])

        def mentions_stage1(e):
            return "stage1" in json.dumps(e.get("args", []))

        picked = [e for e in self.events
                  if e.get("processName") == "tk-workload"
                  and roles.get(e.get("processId")) in ("P", "C")
                  and not mentions_stage1(e)]
        picked.sort(key=lambda e: (roles[e["processId"]], e.get("timestamp", 0)))
        out = []
        count = {}
        for e in picked:
            role = roles[e["processId"]]
            count[role] = count.get(role, 0) + 1
            key = f"{role}#{count[role]}"
            out.append((key, e.get("eventName", "?"), self.normalize(e, roles, work)))
        return out

    @staticmethod
    def normalize(e, roles, work):
        def role(v):
            return roles.get(v, "other") if isinstance(v, int) else v

        def path(v):
            if isinstance(v, str):
                return v.replace(work, "@KW@")
            if isinstance(v, list):
                return [path(x) for x in v]
            if isinstance(v, dict):
                return {k: path(x) for k, x in v.items()}
            return v

        flat = {}
        for k, v in e.items():
            if k in DROP_FIELDS:
                continue
            if k in PID_FIELDS:
                flat[k] = role(v)
            elif k == "args":
                for i, a in enumerate(v or []):
                    name = a.get("name", f"#{i}")
                    flat[f"args.{name}.type"] = a.get("type")
                    if name in DROP_ARGS:
                        continue
                    val = a.get("value")
                    flat[f"args.{name}"] = role(val) if is_pid_arg(name) else path(val)
            elif isinstance(v, dict):
                for k2, v2 in v.items():
                    flat[f"{k}.{k2}"] = path(v2)
            else:
                flat[k] = path(v)
        return flat


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--label-a", default="host")
    ap.add_argument("--label-b", default="vm")
    ap.add_argument("a")
    ap.add_argument("b")
    opt = ap.parse_args()

    try:
        a = Stream(opt.a, opt.label_a)
        b = Stream(opt.b, opt.label_b)
    except OSError as e:
        print(f"compare-events: {e}")
        return 2
    if a.errors or b.errors:
        for m in a.errors + b.errors:
            print(m)
        return 2
    ea, eb = a.select(), b.select()
    la, lb = opt.label_a, opt.label_b
    if not ea or not eb:
        print(f"no workload events: {la} has {len(ea)}, {lb} has {len(eb)}")
        return 1

    diffs = []
    seq_a = [f"{k} {n}" for k, n, _ in ea]
    seq_b = [f"{k} {n}" for k, n, _ in eb]
    if seq_a != seq_b:
        diffs.append(f"event sequence differs:\n  {la}: {', '.join(seq_a)}\n  {lb}: {', '.join(seq_b)}")
    # Pair by key (role and rank) where the event names agree.
    db = {k: (n, f) for k, n, f in eb}
    nr_fields = 0
    for k, n, fa in ea:
        if k not in db or db[k][0] != n:
            continue
        fb = db[k][1]
        for field in sorted(set(fa) | set(fb)):
            nr_fields += 1
            va, vb = fa.get(field, "<absent>"), fb.get(field, "<absent>")
            if va != vb:
                diffs.append(f"{k} {n}: {field}: {la} {json.dumps(va)} != {lb} {json.dumps(vb)}")
    if diffs:
        for d in diffs:
            print(d)
        return 1
    print(f"events: {', '.join(seq_a)}")
    print(f"{len(ea)} events, {nr_fields} fields identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())

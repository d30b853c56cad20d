#!/bin/sh
# path_prefilter.sh - security_file_open's pathname prefilter runs in the
# kernel (root).
#
# When every consumer of security_file_open names the paths it wants (the
# output through -e security_file_open.args.pathname=GLOB, signatures
# through paths = {...}), opens of other paths are dropped by the eBPF
# program after its path walk: they count in "filtered in kernel" and never
# reach user space.  A consumer that wants every open (a tracee.on()
# callback) turns the prefilter off.  Prefix, suffix and exact globs are
# each checked against real opens, and so are, among the 128 globs of
# tests/bench/paths128.lua and the built-in signatures' own, a start and an
# end together and a directory anywhere in the path (src/filter/pathdfa.c compiles
# them all into one automaton).

. "$top_srcdir/tests/tap.sh"

: "${TRACEE_PKGLIBDIR:=$top_builddir/dist}"
export TRACEE_PKGLIBDIR
: "${TRACEE_LUA_DIR:=$top_srcdir/lua}"
export TRACEE_LUA_DIR
need_bpf

tap_tmpdir
D=$(cd "$TAP_TMP" && pwd -P)
: >"$D/want-a.txt"
: >"$D/exact.txt"
: >"$D/other.txt"
: >"$D/x.suffix-hit"

. "$top_srcdir/tests/integration/tagged_run.sh"

opens() { # opens FILE N: N real opens of FILE
	n=0
	while [ $n -lt "$2" ]; do
		: <"$1"
		n=$((n + 1))
	done
}

filtered_in_kernel() {
	sed -n 's/.*filtered in kernel \([0-9]*\).*/\1/p' "$D/$1.err" | tail -n 1
}

paths_of() { # paths_of TAG: the security_file_open pathnames in the output
	grep '"eventName":"security_file_open"' "$D/$1.json" |
		sed -n 's/.*"name":"pathname","type":"const char\*","value":"\([^"]*\)".*/\1/p'
}

# 1. The output alone: a prefix and an exact glob.
if start out -v -e security_file_open \
	-e "security_file_open.args.pathname=$D/want*,$D/exact.txt"; then
	opens "$D/want-a.txt" 3
	opens "$D/exact.txt" 2
	opens "$D/other.txt" 50
	stop
	like "$(cat "$D/out.err")" "keeps 2 path pattern" "output filter: two patterns go to the kernel"
	is "$(paths_of out | grep -c "^$D/want-a.txt\$")" 3 "prefix glob: every open of want-a.txt written"
	is "$(paths_of out | grep -c "^$D/exact.txt\$")" 2 "exact glob: every open of exact.txt written"
	is "$(paths_of out | grep -c "^$D/other.txt\$")" 0 "other.txt not written"
	k=$(filtered_in_kernel out)
	[ "${k:-0}" -ge 50 ]
	ok $? "the 50 other opens were dropped in the kernel (filtered in kernel $k)"
else
	ok 1 "tracee started with an output pathname filter"
fi

# 2. A signature with paths= (suffix glob), next to the built-in ones.
cat >"$D/sig.lua" <<'EOF'
tracee.signature {
	id = "TEST-1", name = "suffix_hit", version = "1", severity = 1,
	description = "test: an open of a *.suffix-hit file",
	events = { "security_file_open" },
	paths = { "*.suffix-hit" },
	on_event = function(e)
		if tracee.ends_with(e.args.pathname, ".suffix-hit") then
			tracee.finding { data = { pathname = e.args.pathname } }
		end
	end,
}
EOF
if start sig -v -s "$D/sig.lua"; then
	opens "$D/x.suffix-hit" 2
	opens "$D/other.txt" 50
	stop
	like "$(cat "$D/sig.err")" "pathname prefilter: security_file_open keeps" \
		"signatures' paths= go to the kernel"
	is "$(grep -c '"eventName":"suffix_hit"' "$D/sig.json")" 2 "suffix glob: both opens found"
	k=$(filtered_in_kernel sig)
	[ "${k:-0}" -ge 50 ]
	ok $? "opens no signature wants were dropped in the kernel (filtered in kernel $k)"
else
	ok 1 "tracee started with a signature declaring paths"
fi

# 3. A callback that wants every open: no prefilter.
cat >"$D/all.lua" <<'EOF'
local n = 0
tracee.on("security_file_open", function(e) n = n + 1 end)
EOF
if start all -v -s "$D/all.lua"; then
	opens "$D/other.txt" 20
	stop
	! grep -q "pathname prefilter" "$D/all.err"
	ok $? "a tracee.on() consumer keeps every path"
	is "$(filtered_in_kernel all)" 0 "nothing dropped in the kernel"
else
	ok 1 "tracee started with a catch-all callback"
fi

# 4. Many globs, and the kinds beyond a start or an end: a start and an end
# together (DIR/pre*/end.conf) and a directory anywhere (*/.ssh/*).  The
# test signature reports every path under $D it is given: the near misses
# must not reach it at all.
mkdir -p "$D/pre-a/mid" "$D/x" "$D/home/u/.ssh" "$D/home/u/ssh" "$D/home/u/x.ssh"
for f in pre-a/mid/end.conf pre-a/mid/end.conf2 x/end.conf home/u/.ssh/id_test \
	home/u/ssh/id_test home/u/x.ssh/id_test; do
	: >"$D/$f"
done
cat >"$D/kinds.lua" <<EOF
local dir = "$D/"
tracee.signature {
	id = "TEST-2", name = "kinds_seen", version = "1", severity = 1,
	description = "test: every open under the test's directory that reaches user space",
	events = { "security_file_open" },
	paths = { dir .. "pre*/end.conf", "*/.ssh/*" },
	on_event = function(e)
		if tracee.starts_with(e.args.pathname, dir) then
			tracee.finding { data = { pathname = e.args.pathname } }
		end
	end,
}
EOF
seen() { # seen PATH: findings of kinds_seen for PATH
	grep '"eventName":"kinds_seen"' "$D/kinds.json" | grep -cF "\"$D/$1\""
}
if start kinds -v -s "$top_srcdir/tests/bench/paths128.lua" -s "$D/kinds.lua"; then
	opens "$D/pre-a/mid/end.conf" 3
	opens "$D/home/u/.ssh/id_test" 4
	for f in pre-a/mid/end.conf2 x/end.conf home/u/ssh/id_test home/u/x.ssh/id_test; do
		opens "$D/$f" 50
	done
	stop
	n=$(sed -n 's/.*keeps \([0-9]*\) path pattern.*/\1/p' "$D/kinds.err")
	[ "${n:-0}" -ge 130 ]
	ok $? "$n globs go to the kernel as one automaton: $(grep -o '([0-9]* automaton states[^)]*)' "$D/kinds.err")"
	is "$(seen pre-a/mid/end.conf)" 3 "start and end: every open of pre-a/mid/end.conf reached the signature"
	is "$(seen home/u/.ssh/id_test)" 4 "a directory anywhere: every open of .ssh/id_test reached it"
	is "$(seen pre-a/mid/end.conf2)$(seen x/end.conf)" 00 "start or end alone: dropped (end.conf2, x/end.conf)"
	is "$(seen home/u/ssh/id_test)$(seen home/u/x.ssh/id_test)" 00 \
		"a directory with a near name: dropped (ssh/, x.ssh/)"
	k=$(filtered_in_kernel kinds)
	[ "${k:-0}" -ge 200 ]
	ok $? "the 200 near misses were dropped in the kernel (filtered in kernel $k)"
else
	ok 1 "tracee started with 128 path globs and the new kinds"
fi

done_testing

#!/bin/sh
# fuzz.sh - build the libFuzzer targets (clang -fsanitize=fuzzer,address,
# undefined) and run each for a short while from the committed corpus.
# TAP: one point per target.  `make check` runs it with FUZZ_SECONDS=12
# (7 targets: under 2 minutes with the build); the long run:
#   FUZZ_SECONDS=3600 FUZZ_TARGETS="decode lua" sh tests/fuzz/fuzz.sh
# (from the build tree, with top_srcdir/top_builddir set as make check
# does).  New inputs go to $top_builddir/tests/fuzz/work/<target>/, crashes
# to $top_builddir/tests/fuzz/crash-<target>-*: add a crash, once fixed, to
# tests/fuzz/corpus/<target>/ so it stays fixed.
# Skips (a failure with TRACEE_TEST_STRICT=1) when clang's fuzzer runtime
# is missing: install libclang-rt-14-dev.

. "$top_srcdir/tests/tap.sh"

# Package builds (hardening flags made for gcc, no need to fuzz) turn it off.
[ "${TRACEE_FUZZ:-1}" = 0 ] && skip_all "fuzzing switched off (TRACEE_FUZZ=0)"
FUZZ_CC=${FUZZ_CC:-$(command -v clang-14 || command -v clang)}
FUZZ_SECONDS=${FUZZ_SECONDS:-12}
FUZZ_TARGETS=${FUZZ_TARGETS:-decode events cli scope cgroup jsonread lua}
[ -n "$FUZZ_CC" ] || skip_all "no clang for libFuzzer (install clang-14)"
OUT=$top_builddir/tests/fuzz
mkdir -p "$OUT/obj" "$OUT/work"
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' >"$OUT/probe.c"
"$FUZZ_CC" -fsanitize=fuzzer,address,undefined "$OUT/probe.c" -o "$OUT/probe" 2>"$OUT/probe.err" ||
	skip_all "clang cannot link libFuzzer programs (install libclang-rt-14-dev): $(head -n 1 "$OUT/probe.err")"
rm -f "$OUT/probe" "$OUT/probe.c" "$OUT/probe.err"

PKGS="libbpf libelf zlib"
# Headers by name from every stage of src/ (Makefile.am's SRC_STAGES).
STAGES=
for d in "$top_srcdir"/src "$top_srcdir"/src/*/; do STAGES="$STAGES -iquote ${d%/}"; done
# Sources make generates (containerd's protobuf-c messages) are in the build
# tree, with their headers.
for c in ${TRACEE_CORE_BUILT_SOURCES:-}; do STAGES="$STAGES -iquote $top_builddir/$(dirname "$c")"; done
LUA_PC=$(pkg-config --exists lua5.4 && echo lua5.4 || echo lua-5.4)
CFLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-include $top_builddir/config.h $STAGES -I$top_srcdir/bpf \
	-DPKGLIBDIR=\"/nonexistent\" -DPKGDATADIR=\"/nonexistent\" \
	$(pkg-config --cflags $PKGS $LUA_PC)"
# The core's own sources and libraries, as make builds it (optional clients
# included when configure found them); by hand: every src/*.c and src/*/*.c.
LIBS="${TRACEE_CORE_LIBS:-$(pkg-config --libs $PKGS $LUA_PC) -lm} -lpthread"
CFLAGS="$CFLAGS $(pkg-config --cflags gnutls libcurl json-c libmicrohttpd yaml-0.1 2>/dev/null)"

# The core, built once (rebuilt when a source or header is newer).
objs=
built=0
newest_h=$(ls -t "$top_srcdir"/src/*.h "$top_srcdir"/src/*/*.h "$top_srcdir"/bpf/tracee_abi.h "$top_builddir/config.h" | head -n 1)
if [ -n "${TRACEE_CORE_SOURCES:-}" ]; then
	sources=$(for c in $TRACEE_CORE_SOURCES; do printf '%s/%s\n' "$top_srcdir" "$c"; done
		  for c in ${TRACEE_CORE_BUILT_SOURCES:-}; do printf '%s/%s\n' "$top_builddir" "$c"; done)
else
	sources=$(ls "$top_srcdir"/src/*.c "$top_srcdir"/src/*/*.c)
fi
for c in $sources; do
	# the program's own wiring, not the core the targets exercise
	case $c in */main.c | */buildtree.c) continue ;; esac
	o=$OUT/obj/$(basename "$c" .c).o
	objs="$objs $o"
	if [ ! -f "$o" ] || [ "$c" -nt "$o" ] || [ "$newest_h" -nt "$o" ]; then
		"$FUZZ_CC" $CFLAGS -fsanitize=fuzzer-no-link -c "$c" -o "$o" 2>"$OUT/build.err" || {
			cat "$OUT/build.err" | sed 's/^/# /'
			echo "1..1"
			echo "not ok 1 - the core builds for fuzzing ($(basename "$c"))"
			exit 1
		}
		built=$((built + 1))
	fi
done
diag "core objects: $built rebuilt; $FUZZ_SECONDS s per target"

export TRACEE_LUA_DIR=$top_srcdir/lua
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for t in $FUZZ_TARGETS; do
	src=$top_srcdir/tests/fuzz/fuzz_$t.c
	bin=$OUT/fuzz_$t
	if ! "$FUZZ_CC" $CFLAGS -fsanitize=fuzzer "$src" $objs $LIBS -o "$bin" 2>"$OUT/build.err"; then
		ok 1 "fuzz_$t builds"
		sed 's/^/# /' "$OUT/build.err" | head -n 20
		continue
	fi
	mkdir -p "$OUT/work/$t"
	dict=
	[ -f "$top_srcdir/tests/fuzz/$t.dict" ] && dict=-dict=$top_srcdir/tests/fuzz/$t.dict
	# The Lua target also seeds from the shipped signatures and the unit
	# tests' scripts, read in place rather than copied into the corpus.
	seeds=
	[ "$t" = lua ] && seeds="$top_srcdir/lua/signatures $top_srcdir/tests/unit/lua"
	"$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-close_fd_mask=3 -print_final_stats=1 -artifact_prefix="$OUT/crash-$t-" $dict \
		"$OUT/work/$t" "$top_srcdir/tests/fuzz/corpus/$t" $seeds >"$OUT/fuzz_$t.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/fuzz_$t.log")
	cov=$(grep -o 'cov: [0-9]*' "$OUT/fuzz_$t.log" | tail -n 1)
	ok "$rc" "fuzz_$t: ${runs:-?} inputs in ${FUZZ_SECONDS} s, no crash, leak or hang (${cov:-cov ?})"
	if [ "$rc" -ne 0 ]; then
		grep -A 30 '==ERROR\|runtime error\|SUMMARY\|Test unit written' "$OUT/fuzz_$t.log" |
			head -n 60 | sed 's/^/# /'
	fi
done
done_testing

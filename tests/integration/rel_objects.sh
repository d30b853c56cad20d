#!/bin/sh
# rel_objects.sh - objects that are not tracee's, through TRACEE_BPF_FILE
# (random bytes, truncated and x86 ELF files are select_corrupt.sh's; the
# release check is select_foreign.sh's).  Here: a valid eBPF object of
# another program, with and without a .tracee.meta claiming to be ours, and
# one claiming the running kernel's release that has no tracee maps.  Each:
# exit 1, one clear error line, no output file, and no program left loaded
# (checked by bpftool before and after).

. "$top_srcdir/tests/integration/rel_lib.sh"
command -v bpftool >/dev/null 2>&1 || skip_all "bpftool is missing"
command -v llvm-objcopy >/dev/null 2>&1 || skip_all "llvm-objcopy is missing"
CLANG=${BPF_CLANG:-clang}
command -v "$CLANG" >/dev/null 2>&1 || skip_all "no clang to build a foreign eBPF object"
VERSION=${VERSION:-$("$TRACEE" --version | sed 's/^tracee //')}

# Another program: same section and program names as ours, its own map.
cat >"$TAP_TMP/other.bpf.c" <<'C'
#include <linux/bpf.h>
#define SEC(n) __attribute__((section(n), used))
struct { int (*type)[BPF_MAP_TYPE_ARRAY]; int (*max_entries)[1]; int *key; long *value; }
	counts SEC(".maps");
static long (*map_lookup)(void *, const void *) = (void *)BPF_FUNC_map_lookup_elem;
SEC("raw_tp/sys_enter") int tr_sys_enter(void *ctx)
{
	int k = 0;
	long *v = map_lookup(&counts, &k);
	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}
char _license[] SEC("license") = "GPL";
C
"$CLANG" -target bpf -O2 -g -I/usr/include/$(uname -m)-linux-gnu -c "$TAP_TMP/other.bpf.c" -o "$TAP_TMP/other.o" 2>"$TAP_TMP/cc.err" ||
	skip_all "cannot compile an eBPF object: $(head -n 3 "$TAP_TMP/cc.err")"
chmod 0644 "$TAP_TMP/other.o"
meta() { # IN OUT FLAVOUR RELEASE
	case $(uname -m) in aarch64) _arch=arm64 ;; *) _arch=$(uname -m) ;; esac
	printf 'flavour=%s\0release=%s\0version=%s\0arch=%s\0' "$3" "$4" "$VERSION" "$_arch" \
		>"$TAP_TMP/meta.bin"
	llvm-objcopy --add-section .tracee.meta="$TAP_TMP/meta.bin" "$1" "$2" && chmod 0644 "$2"
}
meta "$TAP_TMP/other.o" "$TAP_TMP/other-core.o" core ""
meta "$TAP_TMP/other.o" "$TAP_TMP/other-kernel.o" kernel "$(uname -r)"

bpf_tr_prog_ids >"$TAP_TMP/before"

refused() { # FILE DESCRIPTION REGEX
	rm -f "$TAP_TMP/out.json"
	TRACEE_BPF_FILE=$1 "$TRACEE" --install-path "$INST" -e openat \
		-o "json:$TAP_TMP/out.json" 2>"$TAP_TMP/err" >/dev/null
	RC=$?
	# Not the line naming the object chosen, nor libbpf's own.
	ERR=$(grep -v '^libbpf: \|^tracee: eBPF object [^ ]* (.* object' "$TAP_TMP/err")
	is "$RC" 1 "$2: exit 1"
	like "$ERR" "$3" "$2: the error says what is wrong"
	is "$(printf '%s\n' "$ERR" | grep -c '^tracee: ')" 1 "$2: one error line"
	[ ! -e "$TAP_TMP/out.json" ]
	ok $? "$2: no output file"
	diag "$ERR"
}

refused "$TAP_TMP/other.o" "another program's object" \
	"other.o: no .tracee.meta section"
refused "$TAP_TMP/other-core.o" "another program's object labelled CO-RE" \
	"other-core.o.*(events|stats|tr_cfg|not a tracee)"
refused "$TAP_TMP/other-kernel.o" "another program's object labelled for this kernel" \
	"other-kernel.o.*(events|stats|tr_cfg|not a tracee)"

# The foreign program is named tr_sys_enter too: none may stay loaded.
is "$(tr_orphans "$TAP_TMP/before")" "" "no tr_* program left loaded"
done_testing

dnl TR_CHECK_BPF_TOOLCHAIN: a clang that really compiles eBPF (found by
dnl compiling a tiny -target bpf program, not by parsing a version), llc,
dnl llvm-strip and bpftool.  Sets BPF_CLANG, LLC, LLVM_STRIP, BPFTOOL,
dnl tr_bpf_clang_ok, tr_llc_ok, tr_clang_version.
AC_DEFUN([TR_CHECK_BPF_TOOLCHAIN], [
	AC_ARG_VAR([BPF_CLANG], [clang used for eBPF objects])
	AC_ARG_VAR([LLC], [llc used for kernel-specific eBPF objects])
	AC_ARG_VAR([LLVM_STRIP], [llvm-strip for eBPF objects])
	AC_ARG_VAR([BPFTOOL], [bpftool])
	AS_IF([test -z "$BPF_CLANG"],
		[AC_PATH_PROGS([BPF_CLANG], [clang clang-19 clang-18 clang-17 clang-16 clang-15 clang-14 clang-13 clang-12], [])])
	AS_IF([test -z "$LLC"],
		[AC_PATH_PROGS([LLC], [llc llc-19 llc-18 llc-17 llc-16 llc-15 llc-14 llc-13 llc-12], [])])
	AS_IF([test -z "$LLVM_STRIP"],
		[AC_PATH_PROGS([LLVM_STRIP], [llvm-strip llvm-strip-19 llvm-strip-18 llvm-strip-17 llvm-strip-16 llvm-strip-15 llvm-strip-14 llvm-strip-13 llvm-strip-12], [])])
	AS_IF([test -z "$BPFTOOL"], [AC_PATH_PROGS([BPFTOOL], [bpftool], [], [$PATH:/usr/sbin:/sbin])])

	tr_bpf_clang_ok=no
	tr_clang_version=
	AS_IF([test -n "$BPF_CLANG"], [
		AC_MSG_CHECKING([whether $BPF_CLANG compiles eBPF with BTF and CO-RE (clang >= 12)])
		cat > conftest.bpf.c <<'TRBPF'
/* __builtin_preserve_type_info with BTF_TYPE_ID arrived with clang 12 */
struct tr_probe { int a; } __attribute__((preserve_access_index));
int tr_fn(struct tr_probe *p)
{
	return __builtin_preserve_field_info(p->a, 2) +
	       __builtin_btf_type_id(*p, 0) +
	       __builtin_preserve_type_info(*p, 0);
}
TRBPF
		AS_IF([$BPF_CLANG -target bpf -O2 -g -c conftest.bpf.c -o conftest.bpf.o >&AS_MESSAGE_LOG_FD 2>&1],
			[tr_bpf_clang_ok=yes
			 tr_clang_version=`$BPF_CLANG --version | $SED -n '1s/.*version \(@<:@0-9.@:>@*\).*/\1/p'`])
		rm -f conftest.bpf.c conftest.bpf.o
		AC_MSG_RESULT([$tr_bpf_clang_ok])
	])
	tr_llc_ok=no
	AS_IF([test -n "$LLC" && $LLC -march=bpf -version >/dev/null 2>&1], [tr_llc_ok=yes])
])

dnl TR_CHECK_KERNEL_HEADERS: kernel headers for the kernel-specific object.
dnl Debian splits them into a build dir (-amd64) and a source dir (-common);
dnl given either, find both.  Sets tr_kheaders, tr_kheaders_src, tr_krelease,
dnl tr_kheaders_ok and tr_kheaders_why, and substitutes KERNEL_HEADERS and
dnl KERNEL_RELEASE as make defaults.
AC_DEFUN([TR_CHECK_KERNEL_HEADERS], [
	tr_kheaders_ok=no
	tr_kheaders=
	tr_kheaders_src=
	tr_krelease=
	tr_kheaders_why="no kernel headers found"
	AS_IF([test "x$cross_compiling" = xyes && test "x$with_kernel_headers" = xauto], [
		dnl The build host's running kernel is not the target's.
		tr_kdir=
		tr_kheaders_why="cross-compiling for $host_cpu: pass --with-kernel-headers=DIR of an $BPF_ARCH kernel"
	], [test "x$with_kernel_headers" = xauto || test "x$with_kernel_headers" = xyes], [
		tr_krelease=`uname -r`
		tr_kdir=/lib/modules/$tr_krelease/build
		tr_kheaders_why="no headers at $tr_kdir (install linux-headers-$tr_krelease, or pass --with-kernel-headers=DIR)"
	], [test "x$with_kernel_headers" = xno], [
		tr_kdir=
		tr_kheaders_why="disabled by --without-kernel-headers"
	], [
		tr_kdir=$with_kernel_headers
		tr_kheaders_why="$tr_kdir is not a kernel headers tree"
	])
	AS_IF([test -n "$tr_kdir" && test -d "$tr_kdir"], [
		AC_MSG_CHECKING([for kernel headers in $tr_kdir])
		tr_found=`$SHELL "$srcdir/bpf/kheaders.sh" "$tr_kdir" 2>&AS_MESSAGE_LOG_FD`
		dnl Headers of another architecture would build an object whose
		dnl register reads are wrong for this one: refuse them here.
		AS_IF([test -n "$tr_found"], [
			eval "$tr_found"
			tr_karch=`$SHELL "$srcdir/bpf/kbuild.sh" --print-arch "$KH_BUILD"`
			AS_IF([test "x$tr_karch" = "x$BPF_ARCH"], [], [
				tr_found=
				tr_kheaders_why="$tr_kdir: headers of an ${tr_karch:-unknown} kernel, not $BPF_ARCH (pass --with-kernel-headers=DIR of an $BPF_ARCH kernel)"
			])
		])
		AS_IF([test -n "$tr_found"], [
			tr_kheaders=$KH_BUILD
			tr_kheaders_src=$KH_SOURCE
			tr_krelease=$KH_RELEASE
			tr_kheaders_ok=yes
		])
		AC_MSG_RESULT([$tr_kheaders_ok])
	])
	AC_SUBST([KERNEL_HEADERS], [$tr_kheaders])
	AC_SUBST([KERNEL_RELEASE], [$tr_krelease])
])

dnl TR_CHECK_BUILD_BTF: BTF on the build host, only reported, and used when
dnl --with-vmlinux-h=generate asks for a vmlinux.h made from it.
AC_DEFUN([TR_CHECK_BUILD_BTF], [
	tr_build_btf=no
	AS_IF([test -r /sys/kernel/btf/vmlinux], [tr_build_btf=yes])
	tr_vmlinux_h="in-tree bpf/vmlinux/$BPF_ARCH/vmlinux.h"
	VMLINUX_H=
	AS_CASE(["$with_vmlinux_h"],
	[no|yes], [],
	[generate], [
		AS_IF([test -z "$BPFTOOL"], [AC_MSG_ERROR([--with-vmlinux-h=generate needs bpftool (install bpftool)])])
		AS_IF([test "x$tr_build_btf" != xyes], [AC_MSG_ERROR([--with-vmlinux-h=generate needs /sys/kernel/btf/vmlinux on the build host (or pass --with-vmlinux-h=FILE)])])
		AS_IF([test "x$cross_compiling" = xyes], [AC_MSG_ERROR([--with-vmlinux-h=generate dumps the build host's BTF, not the $host_cpu target's: pass --with-vmlinux-h=FILE made from the target kernel's BTF, or use the in-tree one])])
		VMLINUX_H=generate
		tr_vmlinux_h="generated from /sys/kernel/btf/vmlinux"
	],
	[
		AS_IF([test -r "$with_vmlinux_h"], [], [AC_MSG_ERROR([--with-vmlinux-h=$with_vmlinux_h: no such readable file])])
		VMLINUX_H=`cd "$(dirname "$with_vmlinux_h")" && pwd`/`basename "$with_vmlinux_h"`
		tr_vmlinux_h=$VMLINUX_H
	])
	AC_SUBST([VMLINUX_H])
])

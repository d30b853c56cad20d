// SPDX-License-Identifier: GPL-2.0
/*
 * test_meta.c - the loader's reader of the ".tracee.meta" ELF section, on
 * ELF images built here byte by byte: good ones, and the corrupt, foreign
 * and truncated ones an attacker or a bad disk can produce.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "../tap.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

static unsigned char img[4096];
static char err[512];

/*
 * ELF64 relocatable: header, the section's bytes, .shstrtab, then three
 * section headers (null, the section, .shstrtab).  Returns the size.
 */
static size_t build(const char *secname, const void *data, size_t len, unsigned int machine)
{
	char shstr[64];
	size_t shstr_len, off, sec_off, str_off, name_off;
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	Elf64_Shdr *sh;

	memset(img, 0, sizeof(img));
	/* "\0.shstrtab\0<secname>\0" */
	shstr[0] = '\0';
	memcpy(shstr + 1, ".shstrtab", 10);
	name_off = 11;
	strcpy(shstr + name_off, secname);
	shstr_len = name_off + strlen(secname) + 1;

	off = sizeof(*eh);
	sec_off = off;
	memcpy(img + off, data, len);
	off += len;
	str_off = off;
	memcpy(img + off, shstr, shstr_len);
	off += shstr_len;
	off = (off + 7) & ~7UL;

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_REL;
	eh->e_machine = machine;
	eh->e_version = EV_CURRENT;
	eh->e_shoff = off;
	eh->e_ehsize = sizeof(*eh);
	eh->e_shentsize = sizeof(Elf64_Shdr);
	eh->e_shnum = 3;
	eh->e_shstrndx = 2;

	sh = (Elf64_Shdr *)(img + off);
	sh[1].sh_name = name_off;
	sh[1].sh_type = SHT_PROGBITS;
	sh[1].sh_offset = sec_off;
	sh[1].sh_size = len;
	sh[1].sh_addralign = 1;
	sh[2].sh_name = 1;
	sh[2].sh_type = SHT_STRTAB;
	sh[2].sh_offset = str_off;
	sh[2].sh_size = shstr_len;
	sh[2].sh_addralign = 1;
	return off + 3 * sizeof(Elf64_Shdr);
}

#define META(s)	s, sizeof(s) - 1	/* keep the NULs inside, drop the literal's own */

static int read_meta(const char *secname, const char *data, size_t len, struct loader_meta *m)
{
	size_t sz = build(secname, data, len, EM_BPF);

	err[0] = '\0';
	return loader_read_meta(img, sz, m, err, sizeof(err));
}

int main(void)
{
	struct loader_meta m;
	char big[300];
	size_t sz;
	int ret;

	ret = read_meta(".tracee.meta", META("flavour=kernel\0release=9.9.9-test\0version=0.1.0\0"),
			&m);
	ok(ret == 0, "a kernel-specific object's meta parses (%s)", err);
	ok(!strcmp(m.flavour, "kernel"), "flavour is kernel");
	ok(!strcmp(m.release, "9.9.9-test"), "release is read");
	ok(!strcmp(m.version, "0.1.0"), "version is read");
	ok(!m.arch[0], "no arch key: arch is empty (the chooser refuses that)");

	ret = read_meta(".tracee.meta", META("flavour=core\0version=1\0arch=arm64\0"), &m);
	ok(ret == 0 && !strcmp(m.arch, "arm64"), "arch is read (%s)", err);
	ret = read_meta(".tracee.meta", META("flavour=core\0version=1\0arch=0123456789abcdef\0"), &m);
	ok(ret == -EINVAL && strstr(err, "arch value is too long"), "an over-long arch is refused (%s)",
	   err);

	ret = read_meta(".tracee.meta", META("flavour=core\0release=\0version=1.2\0"), &m);
	ok(ret == 0 && !strcmp(m.flavour, "core") && !m.release[0] && !strcmp(m.version, "1.2"),
	   "a CO-RE object's meta with an empty release parses (%s)", err);

	ret = read_meta(".tracee.meta", META("flavour=core\0version=1.2"), &m);
	ok(ret == 0 && !strcmp(m.version, "1.2"), "the last string may lack its NUL");

	ret = read_meta(".tracee.meta", META("flavour=core\0future=thing\0version=1\0"), &m);
	ok(ret == 0, "unknown keys from a newer tracee are ignored");

	ret = read_meta(".tracee.meta", META("\0\0flavour=core\0\0version=1\0\0"), &m);
	ok(ret == 0, "empty strings (padding) are skipped");

	ret = read_meta(".other", META("flavour=core\0version=1\0"), &m);
	ok(ret == -ENOENT && strstr(err, "no .tracee.meta"), "no meta section: -ENOENT (%s)", err);

	ret = read_meta(".tracee.meta", META("flavour=weird\0version=1\0"), &m);
	ok(ret == -EINVAL && strstr(err, "weird"), "an unknown flavour is refused (%s)", err);

	ret = read_meta(".tracee.meta", META("flavour=kernel\0version=1\0"), &m);
	ok(ret == -EINVAL && strstr(err, "release"), "a kernel object without a release is refused (%s)",
	   err);

	ret = read_meta(".tracee.meta", META("flavour=kernel\0release=\0version=1\0"), &m);
	ok(ret == -EINVAL, "a kernel object with an empty release is refused");

	ret = read_meta(".tracee.meta", META("flavour=core\0"), &m);
	ok(ret == -EINVAL && strstr(err, "version"), "no version is refused (%s)", err);

	ret = read_meta(".tracee.meta", META("flavour=core\0garbage\0version=1\0"), &m);
	ok(ret == -EINVAL && strstr(err, "key=value"), "a string without '=' is refused (%s)", err);

	memset(big, 'a', sizeof(big));
	memcpy(big, "flavour=core", 12);
	big[12] = '\0';
	memcpy(big + 13, "release=", 8);
	ret = read_meta(".tracee.meta", big, sizeof(big), &m);
	ok(ret == -EINVAL && strstr(err, "too long"), "an over-long value is refused (%s)", err);

	ret = read_meta(".tracee.meta", "", 0, &m);
	ok(ret == -EINVAL, "an empty section is refused");

	/* Not eBPF, not ELF, cut short. */
	sz = build(".tracee.meta", META("flavour=core\0version=1\0"), EM_X86_64);
	ret = loader_read_meta(img, sz, &m, err, sizeof(err));
	ok(ret == -ENOEXEC && strstr(err, "not eBPF"), "an x86 ELF is refused (%s)", err);

	ret = loader_read_meta("garbage that is not an ELF file at all", 38, &m, err, sizeof(err));
	ok(ret == -ENOEXEC && strstr(err, "not an ELF"), "garbage is refused (%s)", err);

	ret = loader_read_meta(NULL, 0, &m, err, sizeof(err));
	ok(ret == -ENOEXEC, "an empty buffer is refused");

	sz = build(".tracee.meta", META("flavour=core\0version=1\0"), EM_BPF);
	ret = loader_read_meta(img, sz - 100, &m, err, sizeof(err));
	ok(ret == -ENOEXEC, "a truncated object (section headers cut) is refused (%s)", err);

	sz = build(".tracee.meta", META("flavour=core\0version=1\0"), EM_BPF);
	((Elf64_Shdr *)(img + ((Elf64_Ehdr *)img)->e_shoff))[1].sh_offset = 1 << 20;
	ret = loader_read_meta(img, sz, &m, err, sizeof(err));
	ok(ret < 0, "a section pointing past the end is refused (%d: %s)", ret, err);

	sz = build(".tracee.meta", META("flavour=core\0version=1\0"), EM_BPF);
	((Elf64_Ehdr *)img)->e_shstrndx = 9;
	ret = loader_read_meta(img, sz, &m, err, sizeof(err));
	ok(ret < 0, "a bad section-name index is refused (%d: %s)", ret, err);

	return done_testing();
}

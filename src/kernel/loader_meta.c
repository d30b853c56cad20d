// SPDX-License-Identifier: GPL-2.0
/*
 * loader_meta.c - read an eBPF object's .tracee.meta section (NUL-separated
 * key=value strings: flavour, release, version, arch), which says what the object
 * is for before anything of it reaches libbpf or the kernel.
 */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <string.h>

#include "log.h"
#include "loader_priv.h"

static int meta_set(char *dst, size_t dstlen, const char *val, size_t len, const char *key,
		    char *err, size_t errlen)
{
	if (len >= dstlen) {
		tr_seterr(err, errlen, "%s %s value is too long", META_SECTION, key);
		return -EINVAL;
	}
	memcpy(dst, val, len);
	dst[len] = '\0';
	return 0;
}

static int meta_parse(const char *p, size_t sz, struct loader_meta *m, char *err, size_t errlen)
{
	const char *end = p + sz;
	bool seen_release = false;
	int ret;

	memset(m, 0, sizeof(*m));
	while (p < end) {
		const char *nul = memchr(p, '\0', end - p);
		size_t len = nul ? (size_t)(nul - p) : (size_t)(end - p);
		const char *eq = memchr(p, '=', len);

		if (len && !eq) {
			tr_seterr(err, errlen, "%s holds '%.*s', not key=value", META_SECTION,
			       (int)(len > 40 ? 40 : len), p);
			return -EINVAL;
		}
		if (len) {
			size_t klen = eq - p, vlen = len - klen - 1;

			ret = 0;
			if (klen == 7 && !memcmp(p, "flavour", 7))
				ret = meta_set(m->flavour, sizeof(m->flavour), eq + 1, vlen, "flavour",
					       err, errlen);
			else if (klen == 7 && !memcmp(p, "release", 7)) {
				ret = meta_set(m->release, sizeof(m->release), eq + 1, vlen, "release",
					       err, errlen);
				seen_release = true;
			} else if (klen == 7 && !memcmp(p, "version", 7))
				ret = meta_set(m->version, sizeof(m->version), eq + 1, vlen, "version",
					       err, errlen);
			else if (klen == 4 && !memcmp(p, "arch", 4))
				ret = meta_set(m->arch, sizeof(m->arch), eq + 1, vlen, "arch", err,
					       errlen);
			/* Unknown keys: written by a newer tracee, harmless. */
			if (ret)
				return ret;
		}
		p += len + 1;
	}
	if (strcmp(m->flavour, "core") && strcmp(m->flavour, "kernel")) {
		tr_seterr(err, errlen, "%s flavour is '%s', not core or kernel", META_SECTION,
		       m->flavour);
		return -EINVAL;
	}
	if (!m->version[0]) {
		tr_seterr(err, errlen, "%s has no version", META_SECTION);
		return -EINVAL;
	}
	if (!strcmp(m->flavour, "kernel") && (!seen_release || !m->release[0])) {
		tr_seterr(err, errlen, "%s: a kernel-specific object without a release", META_SECTION);
		return -EINVAL;
	}
	return 0;
}

int loader_read_meta(const void *buf, size_t sz, struct loader_meta *m, char *err, size_t errlen)
{
	Elf_Scn *scn = NULL;
	GElf_Ehdr ehdr;
	size_t shstrndx;
	Elf *elf;
	int ret = -ENOENT;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		tr_seterr(err, errlen, "libelf: %s", elf_errmsg(-1));
		return -EINVAL;
	}
	if (!buf || sz < 16 || memcmp(buf, ELFMAG, SELFMAG)) {
		tr_seterr(err, errlen, "not an ELF file");
		return -ENOEXEC;
	}
	elf = elf_memory((char *)buf, sz);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &ehdr)) {
		tr_seterr(err, errlen, "not a valid ELF file (%s)", elf_errmsg(-1));
		ret = -ENOEXEC;
		goto out;
	}
	if (ehdr.e_machine != EM_BPF) {
		tr_seterr(err, errlen, "an ELF file for machine %u, not eBPF", (unsigned int)ehdr.e_machine);
		ret = -ENOEXEC;
		goto out;
	}
	if (ehdr.e_shoff > sz || (sz - ehdr.e_shoff) / (ehdr.e_shentsize ? ehdr.e_shentsize : 1) <
				    ehdr.e_shnum) {
		tr_seterr(err, errlen, "truncated: its section headers end past its %zu bytes", sz);
		ret = -ENOEXEC;
		goto out;
	}
	if (elf_getshdrstrndx(elf, &shstrndx)) {
		tr_seterr(err, errlen, "ELF section names unreadable (%s)", elf_errmsg(-1));
		ret = -ENOEXEC;
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		const char *name;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &shdr)) {
			tr_seterr(err, errlen, "ELF section header unreadable (%s)", elf_errmsg(-1));
			ret = -ENOEXEC;
			goto out;
		}
		name = elf_strptr(elf, shstrndx, shdr.sh_name);
		if (!name || strcmp(name, META_SECTION))
			continue;
		if (shdr.sh_type == SHT_NOBITS) {
			tr_seterr(err, errlen, "%s section is empty", META_SECTION);
			ret = -EINVAL;
			goto out;
		}
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf) {
			tr_seterr(err, errlen, "%s section unreadable (%s)", META_SECTION, elf_errmsg(-1));
			ret = -EINVAL;
			goto out;
		}
		ret = meta_parse(data->d_buf, data->d_size, m, err, errlen);
		goto out;
	}
	tr_seterr(err, errlen, "no %s section", META_SECTION);
out:
	elf_end(elf);
	return ret;
}

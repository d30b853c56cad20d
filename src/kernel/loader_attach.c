// SPDX-License-Identifier: GPL-2.0
/*
 * loader_attach.c - attach every program left on, in order, keeping the
 * links for loader_close(); and the one-line report of a failure to open,
 * load or attach, with what to do about it (privileges, lockdown, rebuild).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "log.h"
#include "loader_priv.h"

static const char *lockdown_note(void)
{
	static char note[160];
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/security/lockdown", "re");

	note[0] = '\0';
	if (!f)
		return note;
	if (fgets(buf, sizeof(buf), f) && strstr(buf, "[confidentiality]"))
		snprintf(note, sizeof(note),
			 "; kernel lockdown is in confidentiality mode, which forbids eBPF that reads kernel memory");
	fclose(f);
	return note;
}

void loader_report_failure(const char *stage, const char *path, int err, bool from_env)
{
	char msg[256];

	libbpf_strerror(err, msg, sizeof(msg));
	if (err == -EPERM || (err == -EACCES && geteuid() != 0)) {
		tr_err("%s %s: %s (run as root or grant CAP_BPF and CAP_PERFMON%s)", stage, path, msg,
		       lockdown_note());
	} else if (!strcmp(stage, "open")) {
		tr_err("open %s: %s (the object is corrupt or not a tracee eBPF object; rebuild it%s)",
		       path, msg, from_env ? " or unset TRACEE_BPF_FILE" : "");
	} else {
		tr_err("%s %s: %s (the kernel refused it%s; the object may be corrupt or built for another kernel: rebuild it%s, and run with -v for the kernel's log)",
		       stage, path, msg, lockdown_note(), from_env ? " or unset TRACEE_BPF_FILE" : "");
	}
}

int loader_attach_all(struct tracer *t, bool from_env)
{
	struct bpf_program *prog;
	unsigned int nr = 0;

	bpf_object__for_each_program(prog, t->obj)
		nr++;
	t->links = calloc(nr ? nr : 1, sizeof(*t->links));
	if (!t->links)
		return -ENOMEM;
	bpf_object__for_each_program(prog, t->obj) {
		struct bpf_link *link;
		char stage[128];
		int err;

		if (!bpf_program__autoload(prog))
			continue;
		link = bpf_program__attach(prog);
		if (!link) {
			err = -errno;
			snprintf(stage, sizeof(stage), "attach %s (%s) from", bpf_program__name(prog),
				 bpf_program__section_name(prog));
			loader_report_failure(stage, t->path, err, from_env);
			return err;
		}
		t->links[t->nr_links++] = link;
		tr_verbose(2, "attached %s (%s)", bpf_program__name(prog),
			   bpf_program__section_name(prog));
	}
	return 0;
}

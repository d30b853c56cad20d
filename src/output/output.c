// SPDX-License-Identifier: GPL-2.0
/*
 * output.c - the output object: -o's sinks (table, table-verbose, json,
 * none; stdout or a file; syslog and webhook), their options, opening and
 * reopening their file, handing each event or finding to its renderer
 * (render_json.c, render_table.c, finding.c) and the write path (writer.c),
 * and their counters.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "argfmt.h"
#include "log.h"
#include "output_priv.h"
#include "pathwalk.h"
#include "sink_syslog.h"
#ifdef HAVE_WEBHOOK
#include "sink_webhook.h"
#endif

/* After rendering one event (or finding) at buf[start..]: account, maybe flush. */
static int output_commit(struct output *o, size_t start)
{
	if (!obuf_ok(&o->buf)) {
		/* Out of memory while rendering: drop this event, keep the earlier ones. */
		o->buf.len = start;
		o->buf.oom = false;
		__atomic_fetch_add(&o->failed, 1, __ATOMIC_RELAXED);
		if (first_report(o)) {
			tr_err("output %s: out of memory formatting an event; it is counted as lost",
			       o->spec);
		}
		return -ENOMEM;
	}
	o->pending++;
	if (o->buf.len >= FLUSH_AT)
		return output_flush(o);
	return 0;
}

/*
 * A network sink gets each event as one JSON object (no newline) with the
 * view it came from, and queues its own message; buf is only scratch here.
 */
static int net_commit(struct output *o, const struct tr_event *ev, const struct tr_finding *f)
{
	struct sink_msg m = { .ev = ev, .f = f, .json = o->buf.p };
	int err;

	if (!obuf_ok(&o->buf) || !o->buf.len) {
		o->buf.oom = false;
		o->buf.len = 0;
		__atomic_fetch_add(&o->failed, 1, __ATOMIC_RELAXED);
		return -ENOMEM;
	}
	m.json_len = o->buf.len - 1;	/* without the newline */
	err = o->ops->push(o->net, &m);
	o->buf.len = 0;
	return err;
}

int output_event(struct output *o, const struct tr_event *ev)
{
	size_t start;

	if (!o || !ev || !ev->def || !ev->hdr)
		return -EINVAL;
	if (o->kind == OUT_NONE)
		return 0;
	start = o->buf.len;
	if (o->kind == OUT_JSON || o->kind == OUT_NET) {
		output_render_json(&o->buf, &o->opts, ev);
		obuf_putc(&o->buf, '\n');
	} else {
		render_table(o, ev);
	}
	if (o->kind == OUT_NET)
		return net_commit(o, ev, NULL);
	return output_commit(o, start);
}

void output_stats(const struct output *o, struct output_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (!o)
		return;
	st->spec = o->spec;
	st->written = __atomic_load_n(&o->written, __ATOMIC_RELAXED);
	st->failed = __atomic_load_n(&o->failed, __ATOMIC_RELAXED);
	st->dropped = o->overflow;
	if (o->kind == OUT_NET) {
		struct sink_stats ss = { 0 };

		o->ops->stats(o->net, &ss);
		st->written += ss.sent;
		st->failed += ss.dropped + ss.failed;
		st->dropped += ss.dropped;
		st->depth = ss.depth;
		st->reconnects = ss.reconnects;
	} else {
		st->depth = writer_queued(o);
	}
}

uint64_t output_written(const struct output *o)
{
	struct output_stats st;

	output_stats(o, &st);
	return st.written;
}

uint64_t output_failed(const struct output *o)
{
	struct output_stats st;

	output_stats(o, &st);
	return st.failed;
}

bool output_gone(const struct output *o)
{
	return o && __atomic_load_n(&o->gone, __ATOMIC_ACQUIRE);
}

uint64_t output_overflow(const struct output *o)
{
	struct output_stats st;

	output_stats(o, &st);
	return st.dropped;
}

void output_set_totals(struct output *o, uint64_t lost, uint64_t errors)
{
	if (!o)
		return;
	o->totals_set = true;
	o->total_lost = lost;
	o->total_errors = errors;
}

int output_finding(struct output *o, const struct tr_finding *f)
{
	size_t start;

	if (!o || !f || !f->name || (f->event && (!f->event->def || !f->event->hdr)))
		return -EINVAL;
	if (o->kind == OUT_NONE)
		return 0;
	start = o->buf.len;
	if (o->kind == OUT_JSON || o->kind == OUT_NET)
		render_finding_json(o, f);
	else
		render_finding_table(o, f);
	if (o->kind == OUT_NET)
		return net_commit(o, f->event, f);
	return output_commit(o, start);
}

/*
 * -------------------------------------------------------------------------
 * Setup and teardown
 * -------------------------------------------------------------------------
 */

/* "name=N" with N in [min, max]: 1, or -EINVAL (reported). */
static int opt_count(const char *opt, size_t at, unsigned int min, unsigned int max,
		     unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(opt + at, &end, 10);
	if (!opt[at] || *end || errno || v < min || v > max || opt[at] == '-') {
		tr_err("bad value in -o option:%s (a whole number from %u to %u)", opt, min, max);
		return -EINVAL;
	}
	*out = v;
	return 1;
}

int output_parse_option(struct output_opts *o, const char *spec)
{
	const char *opt = spec + 7;

	if (strncmp(spec, "option:", 7))
		return 0;
	if (!strcmp(opt, "parse-arguments"))
		o->parse_arguments = true;
	else if (!strcmp(opt, "exec-env"))
		o->exec_env = true;
	else if (!strcmp(opt, "exec-hash") || !strcmp(opt, "exec-hash=dev-inode"))
		o->exec_hash = true;
	else if (!strcmp(opt, "umask"))
		o->umask = true;
	else if (!strncmp(opt, "syslog-ca=", 10) && opt[10])
		o->syslog_ca = opt + 10;
	else if (!strncmp(opt, "syslog-cert=", 12) && opt[12])
		o->syslog_cert = opt + 12;
	else if (!strncmp(opt, "syslog-key=", 11) && opt[11])
		o->syslog_key = opt + 11;
	else if (!strncmp(opt, "webhook-timeout=", 16))
		return opt_count(opt, 16, 1, 600, &o->webhook_timeout_s);
	else if (!strncmp(opt, "webhook-batch=", 14))
		return opt_count(opt, 14, 1, 10000, &o->webhook_batch);
	else {
		tr_err("unknown output option '%s' in -o (use option:parse-arguments, option:exec-env, option:exec-hash, option:umask, option:syslog-ca=FILE, option:syslog-cert=FILE, option:syslog-key=FILE, option:webhook-timeout=SECONDS or option:webhook-batch=N)",
		       opt);
		return -EINVAL;
	}
	return 1;
}

/*
 * Remove the file an output created, relative to the directory checked when
 * it was made, and only if the name still is that file (in a directory
 * others can write to it may have been replaced since).
 */
static void unlink_created(int dfd, int fd, const char *path)
{
	const char *base = strrchr(path, '/');
	struct stat mine, now;

	base = base ? base + 1 : path;
	if (dfd >= 0 && !fstat(fd, &mine) && !fstatat(dfd, base, &now, AT_SYMLINK_NOFOLLOW) &&
	    mine.st_dev == now.st_dev && mine.st_ino == now.st_ino)
		unlinkat(dfd, base, 0);
}

/*
 * Open the file an output names, in a directory reached without symlinks
 * others planted (pathwalk.h).  A new file is created 0600, or with
 * option:umask 0666 less the process umask (the kernel applies it).  An
 * existing one is used only when it is not a symlink (never followed), and
 * is either a regular file owned by us with a single link (then truncated),
 * a FIFO owned by us, or a character device (/dev/null); anything else is
 * refused rather than overwritten on someone else's say-so.  On reopen
 * (SIGHUP) an existing file is appended to, never truncated.  When a file
 * was created and dirp is not NULL, *dirp is the checked directory it is
 * in: a cleanup removes it there (unlinkat), never by its path again.
 */
static int open_sink(struct output *o, bool *created, bool reopen, int *dirp)
{
	const char *path = o->path, *base;
	char err[PATH_MAX + 160];
	struct stat st;
	int dfd, fd, fl, fl_add = 0;

	*created = false;
	/* No directory symlink others planted in /tmp and the like is followed. */
	dfd = pathwalk_open_parent(path, &base, err, sizeof(err));
	if (dfd < 0) {
		if (dfd == -ELOOP || dfd == -EISDIR || dfd == -EPERM)
			tr_err("output %s: %s", o->spec, err);
		else
			tr_err("output %s: cannot create %s: %s (choose a file in a writable directory)",
			       o->spec, path, err);
		return -1;
	}
	fd = openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    o->opts.umask ? 0666 : 0600);
	if (fd >= 0) {
		if (dirp)
			*dirp = dfd;
		else
			close(dfd);
		*created = true;
		return fd;
	}
	if (errno != EEXIST) {
		tr_err("output %s: cannot create %s: %s (choose a file in a writable directory)",
		       o->spec, path, strerror(errno));
		close(dfd);
		return -1;
	}
	/* O_NONBLOCK: a FIFO without a reader fails (ENXIO) instead of hanging. */
	fd = openat(dfd, base, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	close(dfd);
	if (fd < 0) {
		if (errno == ELOOP)
			tr_err("output %s: %s is a symbolic link; refusing to follow it (name the target itself or another file)",
			       o->spec, path);
		else if (errno == ENXIO)
			tr_err("output %s: %s is a FIFO nobody reads (start the reader first)",
			       o->spec, path);
		else
			tr_err("output %s: cannot open %s: %s (name a regular file)", o->spec, path,
			       strerror(errno));
		return -1;
	}
	if (fstat(fd, &st))
		goto fail_errno;
	if (S_ISREG(st.st_mode)) {
		if (st.st_uid != geteuid()) {
			tr_err("output %s: %s exists and belongs to uid %u, not to us; refusing to overwrite it (remove it or name another file)",
			       o->spec, path, (unsigned int)st.st_uid);
			goto fail;
		}
		if (st.st_nlink > 1) {
			tr_err("output %s: %s has %lu hard links; refusing to overwrite it (remove it or name another file)",
			       o->spec, path, (unsigned long)st.st_nlink);
			goto fail;
		}
		if (!reopen && ftruncate(fd, 0))
			goto fail_errno;
		if (reopen)
			fl_add = O_APPEND;
	} else if (S_ISFIFO(st.st_mode)) {
		if (st.st_uid != geteuid()) {
			tr_err("output %s: FIFO %s belongs to uid %u, not to us; refusing to send events to it",
			       o->spec, path, (unsigned int)st.st_uid);
			goto fail;
		}
	} else if (!S_ISCHR(st.st_mode)) {
		tr_err("output %s: %s is not a regular file (name a file)", o->spec, path);
		goto fail;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, (fl & ~O_NONBLOCK) | fl_add))
		goto fail_errno;
	return fd;
fail_errno:
	tr_err("output %s: %s: %s", o->spec, path, strerror(errno));
fail:
	close(fd);
	return -1;
}

bool output_is_net(const char *spec)
{
	return !strcmp(spec, "syslog") || !strncmp(spec, "syslog:", 7) ||
	       !strncmp(spec, "webhook:", 8);
}

static struct output *net_new(const char *spec, const struct output_opts *opts)
{
	static const struct output_opts none;
	struct output *o = calloc(1, sizeof(*o));

	if (!o)
		goto nomem;
	o->kind = OUT_NET;
	o->opts = opts ? *opts : none;
	o->fd = -1;
	o->spec = strdup(spec);
	if (!o->spec || obuf_init(&o->buf, 64 * 1024))
		goto nomem;
	if (!strncmp(spec, "syslog", 6)) {
		o->net = sink_syslog_new(spec, &o->opts, &o->ops);
	} else {
#ifdef HAVE_WEBHOOK
		o->net = sink_webhook_new(spec + 8, &o->opts, &o->ops);
#else
		tr_err("output %s: this tracee was built without libcurl (rebuild with libcurl4-openssl-dev for webhooks)",
		       spec);
#endif
	}
	if (!o->net)
		goto fail;	/* reported */
	return o;
nomem:
	tr_err("output %s: out of memory", spec);
fail:
	if (o) {
		obuf_fini(&o->buf);
		free(o->spec);
		free(o);
	}
	errno = EINVAL;
	return NULL;
}

struct output *output_new(const char *spec, const struct output_opts *opts)
{
	static const struct {
		const char *name;
		enum out_kind kind;
	} kinds[] = {
		{ "table", OUT_TABLE }, { "table-verbose", OUT_TABLE_VERBOSE },
		{ "json", OUT_JSON }, { "none", OUT_NONE },
	};
	struct output *o;
	bool created = false;
	int fail = ENOMEM, dfd = -1;
	size_t n;
	unsigned int i;

	if (!spec) {
		errno = EINVAL;
		return NULL;
	}
	argfmt_init();
	if (output_is_net(spec))
		return net_new(spec, opts);
	n = strcspn(spec, ":");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i].name) == n && !strncmp(spec, kinds[i].name, n))
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0])) {
		tr_err("unknown output '%s' (use table, table-verbose, json or none, optionally :FILE)",
		       spec);
		errno = EINVAL;
		return NULL;
	}
	if (spec[n] == ':' && spec[n + 1] == '\0') {
		tr_err("output '%s' names no file (write %.*s:/path/to/file)", spec, (int)n, spec);
		errno = EINVAL;
		return NULL;
	}
	o = calloc(1, sizeof(*o));
	if (!o)
		goto err_nomem;
	o->kind = kinds[i].kind;
	if (opts)
		o->opts = *opts;
	o->fd = STDOUT_FILENO;
	o->hms_sec = -1;
	o->spec = strdup(spec);
	if (!o->spec || obuf_init(&o->buf, o->kind == OUT_NONE ? 64 : OUT_BUF_SZ))
		goto err_free_nomem;
	if (spec[n] == ':') {
		o->path = o->spec + n + 1;
		if (!strcmp(o->path, "-") || !strcmp(o->path, "/dev/stdout")) {
			o->fd = STDOUT_FILENO;
		} else if (!strcmp(o->path, "/dev/stderr")) {
			o->fd = STDERR_FILENO;
		} else if (o->kind != OUT_NONE) {
			o->fd = open_sink(o, &created, false, &dfd);
			if (o->fd < 0)
				goto err_free;	/* reported */
			o->own_fd = true;
		}
	}
	if (o->kind == OUT_TABLE || o->kind == OUT_TABLE_VERBOSE)
		table_header(o);
	if (!obuf_ok(&o->buf))
		goto err_file;
	if (o->opts.writer_thread && o->kind != OUT_NONE) {
		int err = writer_start(o);

		if (err) {
			/* Reported here, with its cause: not an allocation failure. */
			tr_err("output %s: cannot start its writer thread: %s", spec, strerror(-err));
			fail = -err;
			goto err_file;
		}
	}
	if (dfd >= 0)
		close(dfd);
	return o;

err_file:
	if (o->own_fd) {
		/* Leave nothing half set up behind: the file made, in the directory checked. */
		if (created)
			unlink_created(dfd, o->fd, o->path);
		close(o->fd);
	}
	if (dfd >= 0)
		close(dfd);
err_free_nomem:
	obuf_fini(&o->buf);
	free(o->spec);
	free(o);
err_nomem:
	if (fail == ENOMEM)
		tr_err("output %s: out of memory", spec);
	errno = fail;
	return NULL;
err_free:
	obuf_fini(&o->buf);
	free(o->spec);
	free(o);
	errno = EINVAL;
	return NULL;
}

/*
 * The writer thread keeps using o->fd: dup3() puts the new file under the
 * same number in one step, so a write in flight finishes in the old file
 * and the next one goes to the new.  Nothing is lost or written twice.
 */
int output_reopen(struct output *o)
{
	bool created;
	int fd, err = 0;

	if (!o || !o->own_fd || o->fd < 0)
		return 0;
	fd = open_sink(o, &created, true, NULL);
	if (fd < 0)
		return -EIO;	/* reported; the old file keeps the events */
	if (dup3(fd, o->fd, O_CLOEXEC) < 0) {
		err = -errno;
		tr_err("output %s: reopen: %s", o->spec, strerror(errno));
	}
	close(fd);
	if (!err)
		tr_verbose(1, "output %s: reopened %s", o->spec, o->path);
	return err;
}

void output_free(struct output *o)
{
	if (!o)
		return;
	if (o->kind == OUT_NET) {
		o->ops->free(o->net);
		obuf_fini(&o->buf);
		free(o->spec);
		free(o);
		return;
	}
	if (o->kind == OUT_TABLE || o->kind == OUT_TABLE_VERBOSE) {
		struct obuf *b = &o->buf;

		obuf_puts(b, "End of events stream\nStats: {EventCount:");
		/* Accepted for writing; what then fails is LostWrCount. */
		obuf_u64(b, output_written(o) + writer_queued(o) + o->pending);
		obuf_puts(b, " ErrorCount:");
		obuf_u64(b, o->totals_set ? o->total_errors : 0);
		obuf_puts(b, " LostEvCount:");
		obuf_u64(b, o->totals_set ? o->total_lost : 0);
		obuf_puts(b, " LostWrCount:");
		obuf_u64(b, output_failed(o));
		obuf_puts(b, "}\n");
	}
	output_flush(o);
	if (o->w) {
		if (!writer_stop(o)) {
			/* Still blocked in write(): leave it what it uses. */
			tr_err("output %s: its writer is stuck in write() and was left behind",
			       o->spec);
			return;
		}
		writer_free(o->w);
		o->w = NULL;
	}
	if (o->own_fd && o->fd >= 0)
		close(o->fd);
	obuf_fini(&o->buf);
	free(o->spec);
	free(o);
}


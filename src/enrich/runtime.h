/* SPDX-License-Identifier: GPL-2.0 */
/*
 * runtime.h - what the container runtimes say about a container (name,
 * image, digest, pod) and what tracee saw of it (started or not).
 *
 * One registry per tracee process, keyed by the 64-hex container id that
 * container.c finds in a cgroup path.  The reader thread owns the registry:
 * it creates entries on first sight, marks them started and removed, and
 * frees them.  A worker thread asks the runtimes (Docker Engine API, and
 * Podman's Docker-compatible API, over their unix sockets) and writes an
 * entry's answer once; the reader never waits for it:
 *
 *	reader:  runtime_get(id) -> entry (new: question queued, answer NULL)
 *	worker:  queue -> HTTP GET /containers/<id>/json (+ /images/<img>/json)
 *	         -> entry->info filled, state KNOWN (release store)
 *	reader:  runtime_info(entry) -> the answer once KNOWN (acquire load);
 *	         runtime_poll() hands answered entries to a callback (the
 *	         lifecycle events container_create / existing_container).
 *
 * Events of a container before its answer arrives carry its id only; every
 * event after carries the answer.  The question queue is bounded: when it
 * is full the question is asked again on a later event of that container.
 */
#ifndef TRACEE_RUNTIME_H
#define TRACEE_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>

#include "container.h"

#define RUNTIME_MAX_SOCKETS	8
#define RUNTIME_MAX_CAPS	48	/* the kernel has 41 capabilities, and "ALL" */
#define RUNTIME_CAP_LEN		24	/* "CHECKPOINT_RESTORE", the longest, and room */

struct container_info {
	char id[CONTAINER_ID_LEN + 1];
	char runtime[16];		/* "docker", "podman", "containerd"; "" when none answered */
	char name[256];			/* without docker's leading '/' */
	char image[512];		/* as the container was created from: "localhost/x:1" */
	char image_digest[160];		/* "sha256:..." of the image's repo digest, else its id */
	char pod_name[256];		/* the kubelet's labels io.kubernetes.pod.* */
	char pod_namespace[256];
	char pod_uid[64];
	bool pod_sandbox;		/* io.kubernetes.docker.type=podsandbox, or the pause */
	bool privileged;		/* run with every capability and device (--privileged) */
	/*
	 * Capabilities added to the runtime's default set (--cap-add), as the
	 * runtime reports them, upper case without "CAP_": "SYS_ADMIN", "ALL".
	 */
	unsigned int nr_cap_add;
	char cap_add[RUNTIME_MAX_CAPS][RUNTIME_CAP_LEN];
	uint64_t ctime_ns;		/* created (epoch ns), 0 when unknown */
};

/* How the registry learned of a container: the lifecycle event it gets. */
enum runtime_origin {
	RUNTIME_SEEN = 0,		/* an event of one of its processes */
	RUNTIME_EXISTING,		/* running when tracee started */
	RUNTIME_CREATED,		/* its cgroup was made while tracing */
};

struct runtime_socket {
	char runtime[16];		/* "docker", "podman" (the Engine API), "containerd" (gRPC) */
	char path[108];			/* unix socket */
};

struct runtime_opts {
	bool enrich;			/* false: no runtime is asked (--containers enrich=off) */
	struct runtime_socket sockets[RUNTIME_MAX_SOCKETS];
	unsigned int nr_sockets;	/* 0: the defaults (docker, podman) */
	unsigned int timeout_ms;	/* per request; 0: 2000 */
};

struct runtime_entry;
struct tr_event;

/*
 * Set the registry up and start the worker (when o->enrich and tracee was
 * built with the runtime clients).  0 or -errno.
 */
int runtime_init(const struct runtime_opts *o);
void runtime_fini(void);

/* Did this build get libcurl and json-c (configure --with-runtimes)? */
bool runtime_clients_built(void);
/* The clients' process-wide setup and teardown (runtime_init/fini call them). */
int runtime_clients_init(void);
void runtime_clients_fini(void);

/*
 * The entry of container id, made on first sight (origin says how it was
 * met; a question to the runtimes is queued then).  NULL when id is "" or
 * memory ran out.  Reader thread only.
 */
struct runtime_entry *runtime_get(const char *id, enum runtime_origin origin);
/* The entry of id if there is one, without making it. */
struct runtime_entry *runtime_find(const char *id);

/* The runtime's answer, or NULL while there is none (not asked yet, no runtime knows it). */
const struct container_info *runtime_info(struct runtime_entry *e);

/*
 * Has the registry done all it will for e: the answer is in, or every
 * question failed, or enrichment is off.  Reader thread.
 */
bool runtime_settled(struct runtime_entry *e);

/*
 * containerStarted: a process of the container ran an exec in a mount
 * namespace other than that of the first process seen in it (the runtime's,
 * setting it up), i.e. the runtime handed over to the container's own
 * program.  Containers running at start count as started.
 */
bool runtime_started(const struct runtime_entry *e);
void runtime_set_started(struct runtime_entry *e);

/*
 * Its cgroup was removed: returns true the first time (the caller emits
 * container_remove), false after.  The entry goes a few seconds later.
 */
bool runtime_remove(struct runtime_entry *e);

/*
 * The lifecycle events, built here and handed to cb (valid during the call):
 * container_create / existing_container for each container met through its
 * cgroup_mkdir / at start, once its answer arrived (or its questions all
 * failed, or at once when enrichment is off); container_remove after its
 * cgroup_rmdir.  Then drop entries removed long enough ago.  Reader thread,
 * from the main loop.
 */
typedef void (*runtime_event_cb)(void *ctx, struct tr_event *ev);
void runtime_poll(runtime_event_cb cb, void *ctx);

/*
 * Ask one socket about one container, synchronously (the worker's call;
 * also for tests).  0 and info filled; -ENOENT the runtime does not know
 * it; other -errno when the socket cannot be used (absent, refused,
 * timeout, a reply that is not the Engine API's).
 */
int runtime_inspect(const struct runtime_socket *s, const char *id, unsigned int timeout_ms,
		    struct container_info *info);
/* The clients runtime_inspect() picks by s->runtime: the Engine API's, containerd's. */
int runtime_docker_inspect(const struct runtime_socket *s, const char *id, unsigned int timeout_ms,
			   struct container_info *info);
int runtime_containerd_inspect(const struct runtime_socket *s, const char *id,
			       unsigned int timeout_ms, struct container_info *info);

/*
 * Note a capability added to info's container: "CAP_SYS_ADMIN",
 * "sys_admin" and "SYS_ADMIN" all become "SYS_ADMIN"; a name twice, one
 * that is not a capability's spelling, or one beyond RUNTIME_MAX_CAPS is
 * left out.  For the runtime clients.
 */
void runtime_add_cap(struct container_info *info, const char *name);

/*
 * The event path's step, after the process tree filled ev->container_id:
 * ev->container (the answer so far) and ev->container_started (see
 * runtime_started()).
 * Never blocks: a container met for the first time is queued for the worker.
 */
void runtime_enrich(struct tr_event *ev);

struct runtime_stats {
	uint64_t containers;		/* entries now */
	uint64_t asked;			/* questions sent to the worker */
	uint64_t answered;		/* a runtime knew the container */
	uint64_t unknown;		/* no runtime knew it (or none could be reached) */
	uint64_t queue_full;		/* a question waited for a later event */
};

void runtime_stats(struct runtime_stats *st);

#endif /* TRACEE_RUNTIME_H */

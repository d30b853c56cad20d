// SPDX-License-Identifier: GPL-2.0
/*
 * runtime_docker.c - the Docker Engine API client: what dockerd, and
 * Podman through its Docker-compatible service, say about a container.
 *
 * Two requests over the runtime's unix socket (libcurl, json-c):
 *	GET /containers/<id>/json  name, image as created from, image id,
 *	                           labels (the kubelet's io.kubernetes.*),
 *	                           creation time, privileged, added caps
 *	GET /images/<image id>/json  RepoDigests, for the image digest
 * The API is unversioned in the path: every daemon answers it at its own
 * version, and the fields read here are in every version since 1.24.
 *
 * Podman is asked through its compatible API rather than by reading its
 * state (a BoltDB/SQLite file under its storage root whose format changes
 * between releases): the service is what podman supports for other
 * programs, and the same client then serves dockerd.
 *
 * Called from the runtime worker thread only; nothing here touches the
 * event path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runtime.h"

#ifdef HAVE_RUNTIME_CLIENTS
#include <curl/curl.h>
#include <json-c/json.h>

#define REPLY_MAX	(4 * 1024 * 1024)	/* an inspect reply is a few KiB */

struct reply {
	char *p;
	size_t len;
	bool cut;
};

static size_t on_data(char *data, size_t sz, size_t n, void *ctx)
{
	struct reply *r = ctx;
	size_t len = sz * n;
	char *np;

	if (r->len + len > REPLY_MAX) {
		r->cut = true;
		return 0;	/* curl stops with CURLE_WRITE_ERROR */
	}
	np = realloc(r->p, r->len + len + 1);
	if (!np)
		return 0;
	r->p = np;
	memcpy(r->p + r->len, data, len);
	r->len += len;
	r->p[r->len] = '\0';
	return len;
}

/* GET path on the socket: 0 and the parsed body, -ENOENT on 404, else -errno. */
static int get_json(const struct runtime_socket *s, const char *path, unsigned int timeout_ms,
		    json_object **out)
{
	struct reply r = { 0 };
	char url[512];
	long status = 0;
	CURLcode rc;
	CURL *c;
	int ret;

	*out = NULL;
	c = curl_easy_init();
	if (!c)
		return -ENOMEM;
	/* The host part is required by HTTP/1.1 and ignored by the daemons. */
	snprintf(url, sizeof(url), "http://localhost%s", path);
	curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, s->path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);	/* a worker thread: no SIGALRM */
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK) {
		ret = rc == CURLE_OPERATION_TIMEDOUT ? -ETIMEDOUT :
		      rc == CURLE_COULDNT_CONNECT ? -ECONNREFUSED :
		      r.cut ? -EMSGSIZE : -EIO;
		goto out;
	}
	if (status == 404) {
		ret = -ENOENT;
		goto out;
	}
	if (status != 200 || !r.p) {
		ret = -EPROTO;
		goto out;
	}
	*out = json_tokener_parse(r.p);
	ret = *out ? 0 : -EPROTO;
out:
	free(r.p);
	return ret;
}

/* obj.a.b... as a string, or NULL. */
static const char *jstr(json_object *o, const char *k1, const char *k2)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, k1, &v))
		return NULL;
	if (k2 && (!json_object_is_type(v, json_type_object) ||
		   !json_object_object_get_ex(v, k2, &v)))
		return NULL;
	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static void copy(char *dst, size_t sz, const char *src)
{
	snprintf(dst, sz, "%s", src ? src : "");
}

/* RFC 3339 with nanoseconds ("2024-05-01T10:00:00.123456789Z" or "+02:00"): epoch ns, 0 if not. */
static uint64_t parse_time(const char *s)
{
	struct tm tm = { 0 };
	const char *p;
	uint64_t ns = 0, scale = 100000000ULL;
	long off = 0;
	time_t t;

	if (!s)
		return 0;
	p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p)
		return 0;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
			ns += (uint64_t)(*p - '0') * scale;
	if ((*p == '+' || *p == '-') && strlen(p) >= 6)
		off = (*p == '-' ? -1 : 1) * ((p[1] - '0') * 36000L + (p[2] - '0') * 3600L +
					      (p[4] - '0') * 600L + (p[5] - '0') * 60L);
	t = timegm(&tm);
	if (t <= 0)
		return 0;
	return (uint64_t)(t - off) * 1000000000ULL + ns;
}

static void fill_from_labels(json_object *labels, struct container_info *info)
{
	json_object *v;

	if (!labels || !json_object_is_type(labels, json_type_object))
		return;
#define LABEL(key, dst)							\
	do {								\
		if (json_object_object_get_ex(labels, key, &v) &&	\
		    json_object_is_type(v, json_type_string))		\
			copy(dst, sizeof(dst), json_object_get_string(v)); \
	} while (0)
	LABEL("io.kubernetes.pod.name", info->pod_name);
	LABEL("io.kubernetes.pod.namespace", info->pod_namespace);
	LABEL("io.kubernetes.pod.uid", info->pod_uid);
#undef LABEL
	/* dockershim and cri-dockerd mark the pause container so */
	if (json_object_object_get_ex(labels, "io.kubernetes.docker.type", &v) &&
	    json_object_is_type(v, json_type_string))
		info->pod_sandbox = !strcmp(json_object_get_string(v), "podsandbox");
}

/*
 * HostConfig.Privileged and HostConfig.CapAdd.  dockerd gives CapAdd as the
 * user wrote it ("CAP_SYS_ADMIN", "sys_admin", "ALL"); podman 4's
 * compatible API gives what its own default set lacks, without "CAP_"
 * (--cap-add CHOWN, in the default, is not there), and for --privileged
 * an empty CapAdd: Privileged says it all then.
 */
static void fill_privileges(json_object *c, struct container_info *info)
{
	json_object *hc, *v, *caps;
	size_t i, n;

	if (!json_object_object_get_ex(c, "HostConfig", &hc) ||
	    !json_object_is_type(hc, json_type_object))
		return;
	if (json_object_object_get_ex(hc, "Privileged", &v) &&
	    json_object_is_type(v, json_type_boolean))
		info->privileged = json_object_get_boolean(v);
	if (!json_object_object_get_ex(hc, "CapAdd", &caps) ||
	    !json_object_is_type(caps, json_type_array))
		return;
	n = json_object_array_length(caps);
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(caps, i);
		if (json_object_is_type(v, json_type_string))
			runtime_add_cap(info, json_object_get_string(v));
	}
}

int runtime_docker_inspect(const struct runtime_socket *s, const char *id, unsigned int timeout_ms,
			   struct container_info *info)
{
	json_object *c = NULL, *img = NULL, *cfg = NULL, *labels = NULL, *digests;
	const char *image_id, *d;
	char path[256];
	int ret;

	if (strlen(id) != CONTAINER_ID_LEN)
		return -EINVAL;
	snprintf(path, sizeof(path), "/containers/%s/json", id);
	ret = get_json(s, path, timeout_ms, &c);
	if (ret)
		return ret;
	memset(info, 0, sizeof(*info));
	copy(info->id, sizeof(info->id), id);
	copy(info->runtime, sizeof(info->runtime), s->runtime);
	d = jstr(c, "Name", NULL);
	copy(info->name, sizeof(info->name), d && d[0] == '/' ? d + 1 : d);
	copy(info->image, sizeof(info->image), jstr(c, "Config", "Image"));
	image_id = jstr(c, "Image", NULL);
	copy(info->image_digest, sizeof(info->image_digest), image_id);
	info->ctime_ns = parse_time(jstr(c, "Created", NULL));
	if (json_object_object_get_ex(c, "Config", &cfg) &&
	    json_object_object_get_ex(cfg, "Labels", &labels))
		fill_from_labels(labels, info);
	fill_privileges(c, info);

	/* The repo digest names the image across hosts; the id is this host's. */
	if (image_id && strlen(image_id) < 200 && !strchr(image_id, '/')) {
		snprintf(path, sizeof(path), "/images/%s/json", image_id);
		if (!get_json(s, path, timeout_ms, &img) &&
		    json_object_object_get_ex(img, "RepoDigests", &digests) &&
		    json_object_is_type(digests, json_type_array) &&
		    json_object_array_length(digests) > 0) {
			json_object *first = json_object_array_get_idx(digests, 0);
			const char *at = json_object_is_type(first, json_type_string) ?
					 strchr(json_object_get_string(first), '@') : NULL;

			if (at)
				copy(info->image_digest, sizeof(info->image_digest), at + 1);
		}
		json_object_put(img);
	}
	json_object_put(c);
	return 0;
}

bool runtime_clients_built(void)
{
	return true;
}

int runtime_clients_init(void)
{
	/* Once, before the worker starts: curl's global setup is not thread safe. */
	return curl_global_init(CURL_GLOBAL_NOTHING) == CURLE_OK ? 0 : -ENOMEM;
}

void runtime_clients_fini(void)
{
	curl_global_cleanup();
}

#else /* !HAVE_RUNTIME_CLIENTS */

int runtime_docker_inspect(const struct runtime_socket *s, const char *id, unsigned int timeout_ms,
			   struct container_info *info)
{
	return -EOPNOTSUPP;
}

bool runtime_clients_built(void)
{
	return false;
}

int runtime_clients_init(void)
{
	return -EOPNOTSUPP;
}

void runtime_clients_fini(void)
{
}

#endif

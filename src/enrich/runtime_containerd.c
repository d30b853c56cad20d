// SPDX-License-Identifier: GPL-2.0
/*
 * runtime_containerd.c - the containerd client: what containerd (and the
 * CRI plugin in it, the kubelet's runtime) says about a container.
 *
 * containerd speaks gRPC on its unix socket.  The calls go through libcurl
 * (HTTP/2 with prior knowledge, as gRPC over a unix socket is) and the
 * messages through protobuf-c (containerd.proto, the few fields read):
 *	Namespaces/List          every namespace ("k8s.io" for the CRI's,
 *	                         "default" for ctr's, "moby" for dockerd's)
 *	Containers/Get (each ns)  labels, image, creation time, and the OCI
 *	                         spec (JSON): the annotations the CRI plugin
 *	                         fills (io.kubernetes.cri.container-type,
 *	                         -name, sandbox-name / -namespace / -uid), the
 *	                         capabilities and masked paths (privileges)
 *	Images/Get               the image's target: its manifest digest
 * A container id is unique across namespaces only by the runtimes' own
 * choice (64 hex), so the first namespace that knows it answers.
 *
 * Why the API and not the state directory: the bundle's config.json under
 * containerd's state dir does hold the annotations, but neither the image
 * nor its digest (the CRI adds the image name in later releases only), and
 * the state dir's place is the daemon's configuration; the socket is the
 * interface containerd supports for other programs.
 *
 * Called from the runtime worker thread only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "runtime.h"

#ifdef HAVE_CONTAINERD_CLIENT
#include <curl/curl.h>
#include <json-c/json.h>

#include "containerd.pb-c.h"

#define REPLY_MAX	(4 * 1024 * 1024)	/* a container with its spec is some KiB */
#define GRPC_HDR	5			/* compressed flag, u32 big-endian length */
#define MAX_NS		64

enum {
	GRPC_OK = 0,
	GRPC_DEADLINE_EXCEEDED = 4,
	GRPC_NOT_FOUND = 5,
	GRPC_UNAVAILABLE = 14,
};

struct grpc_reply {
	uint8_t *p;
	size_t len;
	bool cut;
	int status;		/* grpc-status, from the headers or the trailers; -1 none */
};

static size_t on_data(char *data, size_t sz, size_t n, void *ctx)
{
	struct grpc_reply *r = ctx;
	size_t len = sz * n;
	uint8_t *np;

	if (r->len + len > REPLY_MAX) {
		r->cut = true;
		return 0;
	}
	np = realloc(r->p, r->len + len);
	if (!np)
		return 0;
	r->p = np;
	memcpy(r->p + r->len, data, len);
	r->len += len;
	return len;
}

/* Headers and, in HTTP/2, the trailers: both come here, grpc-status in one of them. */
static size_t on_header(char *data, size_t sz, size_t n, void *ctx)
{
	static const char key[] = "grpc-status:";
	struct grpc_reply *r = ctx;
	size_t len = sz * n;

	if (len > sizeof(key) - 1 && !strncasecmp(data, key, sizeof(key) - 1)) {
		char num[16] = "";
		size_t k = len - (sizeof(key) - 1);

		memcpy(num, data + sizeof(key) - 1, k < sizeof(num) - 1 ? k : sizeof(num) - 1);
		r->status = atoi(num);
	}
	return len;
}

/*
 * One unary call: req (packed) to method in namespace ns.  0 and the
 * reply's message at *msg (in r->p, the caller frees r->p); -ENOENT for
 * NOT_FOUND; else -errno.
 */
static int grpc_call(const struct runtime_socket *s, const char *ns, const char *method,
		     const uint8_t *req, size_t req_len, unsigned int timeout_ms,
		     struct grpc_reply *r, const uint8_t **msg, size_t *msg_len)
{
	struct curl_slist *hdrs = NULL;
	char url[256], nsh[300];
	uint8_t *body;
	long http = 0;
	CURLcode rc;
	uint32_t n;
	CURL *c;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	body = malloc(GRPC_HDR + req_len);
	c = curl_easy_init();
	if (!body || !c) {
		free(body);
		if (c)
			curl_easy_cleanup(c);
		return -ENOMEM;
	}
	body[0] = 0;
	body[1] = req_len >> 24;
	body[2] = req_len >> 16;
	body[3] = req_len >> 8;
	body[4] = req_len;
	if (req_len)
		memcpy(body + GRPC_HDR, req, req_len);
	snprintf(url, sizeof(url), "http://localhost%s", method);
	snprintf(nsh, sizeof(nsh), "containerd-namespace: %s", ns ? ns : "");
	hdrs = curl_slist_append(hdrs, "content-type: application/grpc");
	hdrs = curl_slist_append(hdrs, "te: trailers");
	if (ns)
		hdrs = curl_slist_append(hdrs, nsh);
	curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, s->path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)(GRPC_HDR + req_len));
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &http);
	curl_easy_cleanup(c);
	curl_slist_free_all(hdrs);
	free(body);
	if (rc != CURLE_OK)
		return rc == CURLE_OPERATION_TIMEDOUT ? -ETIMEDOUT :
		       rc == CURLE_COULDNT_CONNECT ? -ECONNREFUSED :
		       r->cut ? -EMSGSIZE : -EIO;
	if (http != 200 || r->status < 0)
		return -EPROTO;		/* not a gRPC server */
	if (r->status == GRPC_NOT_FOUND)
		return -ENOENT;
	if (r->status == GRPC_DEADLINE_EXCEEDED)
		return -ETIMEDOUT;
	if (r->status == GRPC_UNAVAILABLE)
		return -ECONNREFUSED;
	if (r->status != GRPC_OK)
		return -EPROTO;
	/* One message, uncompressed (none was offered). */
	if (r->len < GRPC_HDR || r->p[0] != 0)
		return -EPROTO;
	n = (uint32_t)r->p[1] << 24 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 8 | r->p[4];
	if (n > r->len - GRPC_HDR)
		return -EPROTO;
	*msg = r->p + GRPC_HDR;
	*msg_len = n;
	return 0;
}

static void copy(char *dst, size_t sz, const char *src)
{
	snprintf(dst, sz, "%s", src ? src : "");
}

static const char *label(const Tracee__Containerd__Container *ct, const char *key)
{
	size_t i;

	for (i = 0; i < ct->n_labels; i++)
		if (ct->labels[i]->key && !strcmp(ct->labels[i]->key, key))
			return ct->labels[i]->value;
	return NULL;
}

static const char *annotation(json_object *ann, const char *key)
{
	json_object *v;

	if (!ann || !json_object_object_get_ex(ann, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* The first of a, b, c that is a non-empty string. */
static const char *first(const char *a, const char *b, const char *c)
{
	if (a && *a)
		return a;
	if (b && *b)
		return b;
	return c && *c ? c : NULL;
}

/* The spec's annotations (the CRI's pod fields), parsed; NULL when there are none. */
static json_object *spec_annotations(const Tracee__Containerd__Container *ct, json_object **spec)
{
	json_tokener *tok;
	json_object *ann;

	*spec = NULL;
	if (!ct->spec || !ct->spec->value.len)
		return NULL;
	tok = json_tokener_new();
	if (!tok)
		return NULL;
	*spec = json_tokener_parse_ex(tok, (const char *)ct->spec->value.data,
				      (int)ct->spec->value.len);
	json_tokener_free(tok);
	if (!*spec || !json_object_object_get_ex(*spec, "annotations", &ann) ||
	    !json_object_is_type(ann, json_type_object))
		return NULL;
	return ann;
}

/* The capabilities containerd's default spec gives (Docker's default set as well). */
static const char *const default_caps[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
	"CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
	"CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
};

static bool empty_array(json_object *lx, const char *key)
{
	json_object *v;

	return !json_object_object_get_ex(lx, key, &v) || !v ||
	       (json_object_is_type(v, json_type_array) && !json_object_array_length(v));
}

/*
 * containerd keeps no "privileged" flag: --privileged (ctr, nerdctl, the
 * CRI) is a spec that masks nothing under /proc (maskedPaths and
 * readonlyPaths empty, where the default spec lists /proc/kcore, /proc/sys,
 * ...) with every capability.  Added capabilities are those of the
 * bounding set beyond the default set.
 */
static void fill_privileges(json_object *spec, struct container_info *info)
{
	json_object *lx, *proc, *caps, *bounding;
	size_t i, j, n;

	if (!spec || !json_object_object_get_ex(spec, "process", &proc) ||
	    !json_object_object_get_ex(proc, "capabilities", &caps) ||
	    !json_object_object_get_ex(caps, "bounding", &bounding) ||
	    !json_object_is_type(bounding, json_type_array))
		return;
	if (json_object_object_get_ex(spec, "linux", &lx) &&
	    json_object_is_type(lx, json_type_object) &&
	    empty_array(lx, "maskedPaths") && empty_array(lx, "readonlyPaths")) {
		info->privileged = true;
		return;		/* as podman says of its own: nothing "added" */
	}
	n = json_object_array_length(bounding);
	for (i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(bounding, i);
		const char *cap = json_object_is_type(v, json_type_string) ?
				  json_object_get_string(v) : NULL;

		if (!cap)
			continue;
		for (j = 0; j < sizeof(default_caps) / sizeof(default_caps[0]); j++)
			if (!strcmp(cap, default_caps[j]))
				break;
		if (j == sizeof(default_caps) / sizeof(default_caps[0]))
			runtime_add_cap(info, cap);
	}
}

static void fill(const Tracee__Containerd__Container *ct, struct container_info *info)
{
	json_object *spec, *ann = spec_annotations(ct, &spec);
	const char *type = annotation(ann, "io.kubernetes.cri.container-type");

	info->pod_sandbox = type && !strcmp(type, "sandbox");
	/* The CRI's annotations, else the kubelet's labels (which the CRI copies). */
	copy(info->pod_name, sizeof(info->pod_name),
	     first(annotation(ann, "io.kubernetes.cri.sandbox-name"),
		   label(ct, "io.kubernetes.pod.name"), NULL));
	copy(info->pod_namespace, sizeof(info->pod_namespace),
	     first(annotation(ann, "io.kubernetes.cri.sandbox-namespace"),
		   label(ct, "io.kubernetes.pod.namespace"), NULL));
	copy(info->pod_uid, sizeof(info->pod_uid),
	     first(annotation(ann, "io.kubernetes.cri.sandbox-uid"),
		   label(ct, "io.kubernetes.pod.uid"), NULL));
	/*
	 * containerd has ids, not names: the CRI's container name (a sandbox
	 * is named after its pod), nerdctl's label, else the id as ctr shows it.
	 */
	copy(info->name, sizeof(info->name),
	     first(annotation(ann, "io.kubernetes.cri.container-name"),
		   label(ct, "io.kubernetes.container.name"),
		   first(info->pod_sandbox ? info->pod_name : NULL, label(ct, "nerdctl/name"),
			 ct->id)));
	copy(info->image, sizeof(info->image),
	     first(annotation(ann, "io.kubernetes.cri.image-name"), ct->image, NULL));
	if (ct->created_at)
		info->ctime_ns = (uint64_t)ct->created_at->seconds * 1000000000ULL +
				 (uint64_t)ct->created_at->nanos;
	fill_privileges(spec, info);
	json_object_put(spec);
}

/* The image's manifest digest (what it is pulled by), into info->image_digest. */
static void fill_digest(const struct runtime_socket *s, const char *ns, unsigned int timeout_ms,
			struct container_info *info)
{
	Tracee__Containerd__GetImageRequest req = TRACEE__CONTAINERD__GET_IMAGE_REQUEST__INIT;
	Tracee__Containerd__GetImageResponse *resp;
	struct grpc_reply r;
	const uint8_t *msg;
	uint8_t buf[600];
	size_t len;

	if (!info->image[0] || strlen(info->image) > 512)
		return;
	req.name = info->image;
	len = tracee__containerd__get_image_request__pack(&req, buf);
	if (!grpc_call(s, ns, "/containerd.services.images.v1.Images/Get", buf, len, timeout_ms,
		       &r, &msg, &len)) {
		resp = tracee__containerd__get_image_response__unpack(NULL, len, msg);
		if (resp && resp->image && resp->image->target && resp->image->target->digest)
			copy(info->image_digest, sizeof(info->image_digest),
			     resp->image->target->digest);
		if (resp)
			tracee__containerd__get_image_response__free_unpacked(resp, NULL);
	}
	free(r.p);
	/* An image removed since: the CRI names containers by image id at times. */
	if (!info->image_digest[0] && !strncmp(info->image, "sha256:", 7))
		copy(info->image_digest, sizeof(info->image_digest), info->image);
}

/* The namespaces, k8s.io first (most containers of a CRI host): count, names in ns. */
static int list_namespaces(const struct runtime_socket *s, unsigned int timeout_ms,
			   char ns[][128], unsigned int max)
{
	Tracee__Containerd__ListNamespacesResponse *resp;
	struct grpc_reply r;
	const uint8_t *msg;
	unsigned int nr = 0;
	size_t i, len;
	int ret;

	ret = grpc_call(s, NULL, "/containerd.services.namespaces.v1.Namespaces/List", NULL, 0,
			timeout_ms, &r, &msg, &len);
	if (ret) {
		free(r.p);
		return ret;
	}
	resp = tracee__containerd__list_namespaces_response__unpack(NULL, len, msg);
	free(r.p);
	if (!resp)
		return -EPROTO;
	for (i = 0; i < resp->n_namespaces && nr < max; i++) {
		const char *name = resp->namespaces[i]->name;

		if (!name || !*name || strlen(name) >= 128)
			continue;
		if (!strcmp(name, "k8s.io") && nr) {
			/* to the front */
			memcpy(ns[nr], ns[0], 128);
			copy(ns[0], 128, name);
		} else {
			copy(ns[nr], 128, name);
		}
		nr++;
	}
	tracee__containerd__list_namespaces_response__free_unpacked(resp, NULL);
	return (int)nr;
}

/* What is left of a question's time (ms); 0 once it is spent. */
static unsigned int left(uint64_t end_ms)
{
	uint64_t now = mono_ms();

	return now >= end_ms ? 0 : (unsigned int)(end_ms - now);
}

/*
 * timeout_ms bounds the whole question (one call per namespace, and two
 * more), as it bounds one request of the Engine API's.
 */
int runtime_containerd_inspect(const struct runtime_socket *s, const char *id,
			       unsigned int timeout_ms, struct container_info *info)
{
	Tracee__Containerd__GetContainerRequest req = TRACEE__CONTAINERD__GET_CONTAINER_REQUEST__INIT;
	Tracee__Containerd__GetContainerResponse *resp;
	static char ns[MAX_NS][128];	/* the worker's only */
	uint64_t end = mono_ms() + timeout_ms;
	uint8_t buf[128];
	int nr, i, ret = -ENOENT;

	if (strlen(id) != CONTAINER_ID_LEN)
		return -EINVAL;
	if (!(curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_HTTP2))
		return -EPROTONOSUPPORT;	/* this libcurl has no HTTP/2: no gRPC */
	nr = list_namespaces(s, timeout_ms, ns, MAX_NS);
	if (nr < 0)
		return nr;
	req.id = (char *)id;
	for (i = 0; i < nr && ret == -ENOENT; i++) {
		size_t len = tracee__containerd__get_container_request__pack(&req, buf);
		unsigned int ms = left(end);	/* never 0 to curl: that is "no timeout" */
		struct grpc_reply r;
		const uint8_t *msg;

		if (!ms)
			return -ETIMEDOUT;
		ret = grpc_call(s, ns[i], "/containerd.services.containers.v1.Containers/Get", buf,
				len, ms, &r, &msg, &len);
		if (!ret) {
			resp = tracee__containerd__get_container_response__unpack(NULL, len, msg);
			if (resp && resp->container) {
				memset(info, 0, sizeof(*info));
				copy(info->id, sizeof(info->id), id);
				copy(info->runtime, sizeof(info->runtime), s->runtime);
				fill(resp->container, info);
			} else {
				ret = -EPROTO;
			}
			if (resp)
				tracee__containerd__get_container_response__free_unpacked(resp, NULL);
		}
		free(r.p);
		ms = left(end);
		if (!ret && ms)
			fill_digest(s, ns[i], ms, info);
	}
	return ret;
}

#else /* !HAVE_CONTAINERD_CLIENT */

int runtime_containerd_inspect(const struct runtime_socket *s, const char *id,
			       unsigned int timeout_ms, struct container_info *info)
{
	return -EOPNOTSUPP;
}

#endif

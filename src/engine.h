/* engine.h - a client for the Docker Engine API and Podman's compatible
 * API (DESIGN.md §6): unix://, tcp:// with TLS client certificates, and
 * ssh:// through an OpenSSH socket forward. Answers are kept verbatim, as
 * JSON text, for the host report.
 *
 * Per host the client asks /_ping and /version (API version negotiation),
 * then /containers/json?all=1 and /info, then every container's inspect and
 * the inspect of every image in use (each as soon as a container names
 * it), several at once over the curl multi interface; a swarm manager
 * (info.Swarm.ControlAvailable) is also asked /services?status=true,
 * /tasks and /nodes, and Podman /libpod/pods/json. The list and /info do
 * not wait for /version: they are asked with the version /_ping's header
 * gives, and asked again in the rare case /version negotiates another.
 * Many hosts are queried at once with a concurrency limit; a host that
 * fails (refused, TLS, bad JSON, timeout, ssh) fails alone.
 *
 * Every answer is capped (ENGINE_ANSWER_MAX) and checked with sqlite's
 * json_valid before it is kept.
 *
 * Ownership: struct engine_answers owns its strings; engine_answers_release
 * frees them. */
#ifndef SLIPWAY_ENGINE_H
#define SLIPWAY_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* The newest and oldest Engine API versions Slipway speaks. The newest is
 * used when the engine offers it; an engine whose minimum is above it
 * (Docker 29 refuses anything below 1.44) is spoken to at its minimum,
 * since the fields Slipway reads are unchanged across these versions. */
#define ENGINE_API_MAX "1.47"
#define ENGINE_API_MIN "1.24"

/* Largest single answer accepted, and the most containers per host. */
#define ENGINE_ANSWER_MAX ((size_t)64 << 20)
#define ENGINE_CONTAINERS_MAX 20000
/* Requests in flight at once for one host (inspects, images). */
#define ENGINE_HOST_PARALLEL 16

/* How to reach one engine. */
struct engine_target {
	const char *name;       /* host name for messages and the report */
	const char *url;        /* unix:///path, tcp://host:port, ssh://[user@]host[:port][/socket] */
	const char *tls_ca;     /* tcp:// only; NULL: from cert_path */
	const char *tls_cert;
	const char *tls_key;
	const char *cert_path;  /* DOCKER_CERT_PATH-style dir: ca.pem cert.pem key.pem;
				   NULL: $DOCKER_CERT_PATH when set */
	long timeout;           /* seconds for the whole host; <= 0: 60 */
};

/* What one engine answered. Every string but kind and api_version is JSON
 * text or NULL. */
struct engine_answers {
	char *kind;             /* "docker" or "podman" */
	char *api_version;      /* negotiated, e.g. "1.41" */
	char *version;          /* /version */
	char *info;             /* /info */
	char *containers;       /* JSON array of container inspect answers */
	char *images;           /* JSON array of image inspect answers (in use) */
	char *services;         /* swarm managers: /services?status=true */
	char *tasks;            /* /tasks */
	char *nodes;            /* /nodes */
	char *pods;             /* Podman: /libpod/pods/json */
	long ncontainers;       /* elements of containers */
};

void engine_answers_release(struct engine_answers *a);

/* Queries one engine completely. On failure *out is untouched and err says
 * "cannot inventory 'NAME' (URL): problem". */
int engine_fetch(struct engine_answers *out, const struct engine_target *t,
		 struct err *err);

/* Called once per target as soon as it is done, in completion order. a is
 * NULL when the host failed (rc < 0, err set). The callee may take the
 * strings out of *a (setting the members to NULL); the rest is freed when
 * it returns. */
typedef void (*engine_done_fn)(void *arg, size_t index,
			       const struct engine_target *t,
			       struct engine_answers *a, int rc,
			       const struct err *err);

/* Queries n engines, at most concurrency (<= 0: 16) at once, each within
 * its own timeout. Fails as a whole only when the client cannot start
 * (curl); every host's outcome goes to done. */
int engine_fetch_many(const struct engine_target *targets, size_t n,
		      int concurrency, engine_done_fn done, void *arg,
		      struct err *err);

/* The API version to use with an engine that reports max (ApiVersion, or
 * the /_ping API-Version header) and min (MinAPIVersion, may be NULL):
 * min(max, ENGINE_API_MAX), raised to min when min is above that. Writes
 * "MAJOR.MINOR" to out. ERR_PARSE when max is not a version, ERR_FAIL when
 * max is older than ENGINE_API_MIN. */
int engine_negotiate(char *out, size_t outsz, const char *max,
		     const char *min, struct err *err);

/* The engine part of a host report (`"engine": {...}` member value, see
 * report.h) built from the answers, appended to out as JSON text:
 * {kind, service_enabled, api_version, version, info, containers, images,
 *  swarm{services, tasks, nodes} (managers), pods (Podman)}.
 * service_enabled: 1, 0, or -1 for unknown (null). */
struct buf;
int engine_report_json(struct buf *out, const struct engine_answers *a,
		       int service_enabled, struct err *err);

#endif

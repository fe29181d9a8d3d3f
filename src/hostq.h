/* hostq.h - the host and container listings (DESIGN.md §9: `slipway
 * hosts`, `slipway containers`), as queries the CLI and the UI share.
 * Every value comes from the host row and the engine's own answers kept
 * in it (inspect JSON, /version, /info), read with sqlite's JSON1.
 *
 * Times are unix seconds (STYLE.md 14); a container that never started
 * has started_at NULL. Booleans are 0/1 in rows and true/false in JSON;
 * unknown is NULL / null. */
#ifndef SLIPWAY_HOSTQ_H
#define SLIPWAY_HOSTQ_H

#include "err.h"
#include "store.h"

struct buf;

/* Columns of hostq_hosts() rows, in order. */
enum hostq_host_col {
	HQ_NAME,
	HQ_OS,
	HQ_KERNEL_RUNNING,
	HQ_KERNEL_INSTALLED,   /* space-separated releases */
	HQ_REBOOT_REQUIRED,    /* 1, 0, NULL */
	HQ_ENGINE_KIND,
	HQ_ENGINE_VERSION,
	HQ_LIVE_RESTORE,       /* 1, 0, NULL */
	HQ_RUNC,               /* /version Components, /info RuncCommit, packages */
	HQ_CONTAINERD,
	HQ_CONTAINERS,
	HQ_LAST_INVENTORY,     /* unix seconds */
	HQ_LAST_ERROR,
	/* From the findings (finding.h; NULL until finding_update() ran):
	 * urgency level, deadline (unix seconds), bundle "reboot, ...",
	 * targets "kernel 6.1.123-1, runc no fix available". */
	HQ_URGENCY,
	HQ_DEADLINE,
	HQ_BUNDLE,
	HQ_TARGETS,
};

/* Columns of hostq_containers() rows, in order (the JSON field names). */
enum hostq_container_col {
	CQ_HOST,
	CQ_ID,
	CQ_NAME,               /* without the leading slash */
	CQ_IMAGE,
	CQ_IMAGE_ID,
	CQ_STATE,              /* the engine's word */
	CQ_RESTART_POLICY,     /* no, always, unless-stopped, on-failure, "" */
	CQ_MAX_RETRIES,
	CQ_AUTO_REMOVE,
	CQ_PRIVILEGED,
	CQ_HOST_PID,
	CQ_HOST_NETWORK,
	CQ_SECCOMP_UNCONFINED,
	CQ_CAP_ADD,            /* JSON array text */
	CQ_MEMORY_LIMIT,       /* bytes, 0 = none */
	CQ_HEALTH,             /* NULL without a health check (Podman says "") */
	CQ_COMPOSE_PROJECT,
	CQ_COMPOSE_SERVICE,
	CQ_SWARM_SERVICE,
	CQ_STARTED_AT,
	CQ_CREATED,
};

/* Starts the host listing (host NULL: every host), ordered by name. Read
 * with store_rows_next(), finish with store_rows_done(). */
int hostq_hosts(struct store *s, struct store_rows *rows, const char *host,
		struct err *err);
/* The same listing as a JSON array of objects, appended to out. */
int hostq_hosts_json(struct store *s, struct buf *out, const char *host,
		     struct err *err);

/* The container listing (host NULL: every host), by host then name. */
int hostq_containers(struct store *s, struct store_rows *rows,
		     const char *host, struct err *err);
int hostq_containers_json(struct store *s, struct buf *out, const char *host,
			  struct err *err);

#endif

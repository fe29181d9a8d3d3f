/* inventory.h - a live inventory (DESIGN.md §6): queries a set of engines
 * through engine.h, builds for each host the host report an engine can
 * give ({"schema": "slipway.host-report/1", "collected_at", "host":
 * {"name"}, "engine": {...}}) and stores it with report_import() and
 * REPORT_ENGINE_ONLY, so the host facts of the last full report (`slipway
 * collect`) are kept. Each host is stored as soon as its engine is done,
 * in its own transaction; a host that fails is reported and leaves what
 * was stored before untouched, with host.last_error set when the host is
 * known. */
#ifndef SLIPWAY_INVENTORY_H
#define SLIPWAY_INVENTORY_H

#include <stddef.h>

#include "engine.h"
#include "err.h"
#include "store.h"

/* The outcome of one host, borrowed for the duration of the callback. */
struct inventory_host {
	const char *name;
	const char *url;
	int rc;                 /* 0, or the ERR_* code of the failure */
	const char *error;      /* one line when rc != 0 */
	const char *kind;       /* "docker", "podman"; NULL on failure */
	const char *version;    /* the engine's Version */
	long containers;
	long long hid;          /* the host's row, 0 on failure */
};

/* Called once per host as it finishes; done counts finished hosts. */
typedef void (*inventory_fn)(void *arg, const struct inventory_host *h,
			     size_t done, size_t total);

/* Runs the inventory of n targets, at most concurrency at once. Returns 0
 * when every host was stored, ERR_FAIL when some failed (each one went
 * to fn), or another ERR_* when the run could not start. */
int inventory_run(struct store *s, const struct engine_target *targets,
		  size_t n, int concurrency, inventory_fn fn, void *arg,
		  struct err *err);

/* Builds the engine-only host report of name from the answers (allocated
 * JSON text in *out, its length in *len). */
int inventory_report(char **out, size_t *len, struct store *s,
		     const char *name, const struct engine_answers *a,
		     struct err *err);

#endif

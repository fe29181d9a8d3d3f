/* feed.h - the contract between Slipway's feed runner and its adapters
 * (one feeds/<format>.c each), and the shared writers adapters store
 * advisories with.
 *
 * A feed run: the runner opens one transaction, calls the format's begin()
 * (a full run removes what the feed stored before), hands every document
 * of the source to parse() (a file, each wanted member of a directory or
 * archive, or an HTTP body), calls finish(), records the run in the feed
 * table and commits. Anything fatal rolls the whole run back, so the
 * previous data stays (STYLE.md 14).
 *
 * Errors: a bad record (wrong type, missing id, unparsable JSON of one
 * member) is not fatal: the adapter calls feed_reject() and goes on; the
 * runner counts and reports it. parse() returns non-zero only when the run
 * cannot go on (the single document of a one-document feed is not JSON,
 * the database fails); the run is then rolled back. Messages name the
 * member and the record ("CVE-2024-26581.json: 'versions' is not an
 * array"); the runner adds the feed and the source. */
#ifndef SLIPWAY_FEED_H
#define SLIPWAY_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "store.h"

struct feed_def;

struct feed_run {
	struct store *store;
	const struct feed_def *def;
	const char *source;     /* URL or path being read, for messages */
	bool full;              /* begin() replaces everything of the feed */
	long documents;         /* documents handed to parse() */
	long records;           /* records stored */
	long rejected;          /* records refused with feed_reject() */
	long skipped;           /* records read but not stored: about no
				   component Slipway plans for, or withdrawn */
	struct err first_reject;
	void *state;            /* the adapter's own, freed by its finish() */
	char *feed_state;       /* feed.state JSON read before the run (may be
				   NULL); an adapter may replace it (free the
				   old, xstrdup the new) and the runner stores
				   it on commit */
};

/* What an incremental online refresh fetches (feed_format.plan). */
struct feed_plan {
	bool full;              /* fetch and read the whole feed instead */
	size_t n;               /* documents to fetch, each one record: */
	char **urls;            /* its URL (allocated), */
	char **ids;             /* the advisory it holds (allocated): an
				   answer 404 or 410 for urls[i] means ids[i]
				   was removed upstream */
};

/* A worker thread of a pipelined run (feed_format.extract): its own store,
 * a private ":memory:" database used only for JSON1 (sqlite connections
 * are never shared between threads), and the format's scratch space for
 * that thread. */
struct feed_worker {
	struct store *store;
	const struct feed_def *def;
	void *state;            /* the format's own, freed by worker_end() */
};

struct feed_format {
	const char *name;       /* "osv", "kernel-cna", ... */
	/* Whether a member of a directory or archive (its path inside it)
	 * is a document of this format. NULL: every member. */
	bool (*want)(const struct feed_run *run, const char *path);
	/* Before the first document. For a full run, remove the feed's
	 * previous rows here (inside the run's transaction). May be NULL. */
	int (*begin)(struct feed_run *run, struct err *err);
	/* One document: path names it (member path or file name), data/len
	 * is its content (not NUL-terminated). */
	int (*parse)(struct feed_run *run, const char *path, const char *data,
		     size_t len, struct err *err);
	/* After the last document; also frees run->state. May be NULL. */
	int (*finish)(struct feed_run *run, struct err *err);
	/* How many rows the feed holds after a run (the feed table's
	 * `records`), for formats that store outside the advisory and
	 * upstream_release tables (kev, epss). May be NULL: the runner then
	 * counts the feed's advisory and upstream_release rows. */
	int (*count)(struct feed_run *run, long long *out, struct err *err);
	/* Incremental online refresh, for sources that publish a list of
	 * what changed next to the whole feed (OSV's modified_id.csv next to
	 * all.zip). Both NULL: every refresh reads the whole feed.
	 *
	 * changes_url(): the change list's URL for the feed URL url (the
	 * configured one, mirror applied), allocated into *out; ERR_NOTFOUND
	 * when that URL has none (not an all.zip), and *out stays NULL.
	 *
	 * plan(): reads the change list (data/len, as fetched) against the
	 * cursor the format keeps in run->feed_state, and fills *out: either
	 * out->full (no cursor yet, or so many changes that the whole feed is
	 * cheaper), or the n records to fetch from their own URLs (built
	 * from url). run has store, def and feed_state only; nothing is
	 * written. On failure (a malformed list) returns ERR_* naming the
	 * list's line, and *out is empty. The caller frees *out with
	 * run_plan_release() (feeds/run.h).
	 *
	 * The runner then downloads those documents and hands them to
	 * parse() in one run with run->full false, removes the advisories
	 * whose document answered 404 or 410 with feed_delete_advisory(),
	 * and commits it all in one transaction; finish() moves the cursor.
	 * Any other failure rolls the run back and the cursor stays. */
	int (*changes_url)(char **out, const char *url, struct err *err);
	int (*plan)(struct feed_run *run, const char *url, const char *data,
		    size_t len, struct feed_plan *out, struct err *err);
	/* A pipelined run (feeds/run.h), for formats of many small records:
	 * parse() split in two, so that worker threads read the next
	 * documents while the main thread writes the earlier ones. All of
	 * extract, store and free_record, or none; parse() stays and does
	 * the same as extract() then store() (unit tests and runs without
	 * threads use it).
	 *
	 * extract(): runs in a worker thread, so it must be thread-safe: it
	 * reads one document (path, data, len as for parse()) with w->store
	 * and w->state only, never the run, and sets *out to a record of the
	 * format's own (plain C, allocated), or NULL when the document
	 * stores nothing. A bad record returns ERR_PARSE with the message
	 * feed_reject() would take ("'CVE-2024-1.json': ..."); so does any
	 * other failure of extract, and the runner rejects that record, in
	 * document order.
	 *
	 * store(): runs in the main thread, inside the run's transaction,
	 * once per record, in document order: writes it with the feed_put_*
	 * writers (or feed_reject()s it). Non-zero fails the run.
	 *
	 * free_record(): frees a record, stored or not (after a failure).
	 * worker_end(): frees w->state when the worker stops; may be NULL. */
	int (*extract)(struct feed_worker *w, const char *path,
		       const char *data, size_t len, void **out,
		       struct err *err);
	int (*store)(struct feed_run *run, void *record, struct err *err);
	void (*free_record)(void *record);
	void (*worker_end)(struct feed_worker *w);
};

/* One row of the default feed table (feeds/feeds.c, DESIGN.md §5). */
struct feed_def {
	const char *name;               /* "osv-go" */
	const struct feed_format *format;
	const char *param;              /* format parameter: OSV ecosystem,
					   releases component, ... */
	const char *url;                /* default URL */
	int64_t max_age;                /* seconds before stale; 0: policy default */
	const char *summary;            /* one line for `slipway feeds` */
};

/* The default feeds, in the order `refresh` runs them (feeds/feeds.c;
 * nothing in feed.c refers to them, so an adapter's unit test links only
 * its own format). */
extern const struct feed_def feed_defs[];
extern const size_t feed_ndefs;
const struct feed_def *feed_def_find(const char *name);

/* Records a rejected record: counts it and keeps the first message.
 * Returns 0 so adapters can `return feed_reject(...)` from a record loop. */
int feed_reject(struct feed_run *run, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* An advisory as an adapter hands it over; unset fields are NULL, -1 for
 * times, a negative score for no CVSS. */
struct feed_advisory {
	const char *id;
	const char *aliases_json;   /* JSON array of strings, or NULL */
	const char *summary;
	const char *severity;       /* critical/high/medium/low/none or NULL */
	double cvss_score;          /* < 0: none */
	const char *cvss_vector;
	int64_t published, modified, withdrawn;
	const char *digest;         /* changes when the record changes; NULL:
				       the modified time stands for it */
};

/* Stores an advisory of this feed, replacing one with the same id (its
 * ranges and aliases go with it). *aid is its row id for feed_put_range. */
int feed_put_advisory(struct feed_run *run, long long *aid,
		      const struct feed_advisory *adv, struct err *err);

/* One flattened affected interval (see the affected table in
 * src/store_schema.h for the meaning of each field). */
struct feed_range {
	const char *component;      /* kernel runc containerd docker podman other */
	const char *ecosystem;      /* upstream, debian:12, ubuntu:22.04, ... */
	const char *package;
	const char *scheme;         /* dpkg rpm semver kernel */
	const char *introduced;     /* NULL or "0": from the start */
	const char *fixed;
	const char *last_affected;
	const char *limit;
	const char *severity;       /* the ecosystem's own rating, or NULL */
};
int feed_put_range(struct feed_run *run, long long aid,
		   const struct feed_range *range, struct err *err);
/* The same rows as n feed_put_range() calls, in fewer statements (for
 * adapters that store many ranges per advisory). */
int feed_put_ranges(struct feed_run *run, long long aid,
		    const struct feed_range *ranges, size_t n, struct err *err);

/* Records that a distro builds binary package `binary` from `source`. */
int feed_put_binary_source(struct feed_run *run, const char *ecosystem,
			   const char *binary, const char *source,
			   struct err *err);

/* Removes one advisory of this feed (rejected or withdrawn upstream). */
int feed_delete_advisory(struct feed_run *run, const char *id, struct err *err);
/* Removes every advisory of this feed (a full run's begin()). */
int feed_delete_all(struct feed_run *run, struct err *err);

/* The component Slipway plans for, from a package or module name:
 * "linux"/"Kernel" -> kernel, runc/runc-app/opencontainers/runc -> runc,
 * containerd/containerd.io -> containerd, docker.io/docker-ce/moby ->
 * docker, podman -> podman, anything else -> NULL (not ours). */
const char *feed_component_of(const char *package);

#endif

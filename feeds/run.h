/* run.h - the feed runner: one feed run from its sources to a committed
 * transaction, and the bookkeeping of the `feed` table.
 *
 * A source is a file, a directory (walked recursively in sorted order;
 * entries whose name starts with '.' and symbolic links are skipped), an
 * archive (zip, tar, tar.gz, tar.xz, tar.bz2, tar.zst; told by content, not
 * by name), or a single compressed file (.gz, .xz, .bz2, .zst). Members of
 * directories and archives go through the format's want(); a file named
 * directly, and the one document of a compressed file, always go to
 * parse(). Archive members with an absolute path or a `..` component fail
 * the run (an archive that tries to climb out of itself is not a feed).
 * Sizes and counts are capped (struct run_limits).
 *
 * A document may also be given in memory (struct run_source data/len);
 * an incremental run (run_options.incremental) reads only the records that
 * changed, removes those gone upstream (run_options.gone) and keeps the
 * rest of the feed (see feed_format.plan in feed.h).
 *
 * Pipelined runs: when the format splits parse() into extract() and
 * store() (feed.h), the documents this thread reads are copied into a
 * small queue (RUN_PIPE_SLOTS documents, RUN_PIPE_BYTES bytes at most),
 * worker threads extract() them, each with a private ":memory:" store,
 * and this thread store()s the records in document order, inside the
 * run's transaction: the database sees the same writes in the same order
 * as with parse(). A record extract() refuses is rejected in its place.
 *
 * The whole run is one transaction: begin(), every document's parse(),
 * finish(), then the feed row (source, validators, times, records,
 * rejected, state) and the commit. A failure rolls everything back and
 * then, in its own small transaction, records only last_attempt and
 * last_error, so the previous data stays as it was (STYLE.md 14). The
 * format's finish() is called on failure too, before the rollback, so it
 * can free its state; what it writes then is rolled back.
 *
 * A full run that ends with the feed holding no records fails (and rolls
 * back) when it rejected a record ("every record was rejected, the first:
 * ...") or when the feed held records before ("would remove all N records
 * of 'kev'; keeping them"): a truncated file, an empty array or a
 * duplicate key in front of the real one would otherwise replace the
 * feed with nothing and exit 0. No feed Slipway reads is legitimately
 * empty (kev, epss, the OSV ecosystems, the kernel CNA, the tracker and
 * the release lists all only grow, and withdrawn advisories stay listed
 * as withdrawn), so an empty first import still succeeds but emptying a
 * feed never does (should one ever empty upstream, removing its data
 * is a deliberate act on the database, not something a download does). */
#ifndef SLIPWAY_RUN_H
#define SLIPWAY_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "err.h"
#include "feed.h"
#include "store.h"

#define RUN_MEMBER_MAX_DEFAULT ((int64_t)256 << 20)  /* one document */
#define RUN_MEMBERS_MAX_DEFAULT 1000000L            /* entries per source */
#define RUN_TOTAL_MAX_DEFAULT ((int64_t)8 << 30)     /* all documents of a run */
#define RUN_DEPTH_MAX 32                            /* directory nesting */
#define RUN_WORKERS_MAX 4                           /* extract() threads */
#define RUN_PIPE_SLOTS 64                           /* documents queued */
#define RUN_PIPE_BYTES ((size_t)64 << 20)           /* bytes queued */

struct run_limits {
	int64_t member_max;   /* <= 0: RUN_MEMBER_MAX_DEFAULT */
	long members_max;     /* <= 0: RUN_MEMBERS_MAX_DEFAULT */
	int64_t total_max;    /* <= 0: RUN_TOTAL_MAX_DEFAULT */
};

struct run_source {
	const char *path;     /* a file or directory; NULL when fd or data is
				 set */
	int fd;               /* an open regular file (a download), or -1 */
	const char *data;     /* with path NULL and fd -1: one document in
				 memory, len bytes, handed to parse() as it is
				 (one record of an incremental refresh) */
	size_t len;
	const char *name;     /* the name of fd's or data's content for
				 messages and for a single document
				 ("epss_scores-current.csv.gz", "GO-2024-3005.json");
				 NULL: the basename of path */
};

struct run_options {
	const char *source;         /* what feed.source records: URL or paths */
	const char *etag;           /* the download's validators; NULL: none */
	const char *last_modified;
	struct run_limits limits;
	int64_t now;                /* unix seconds; 0: the clock */
	/* An incremental run (feed_format.plan): run->full is false, so
	 * begin() keeps what the feed stored and the sources hold only the
	 * records that changed. */
	bool incremental;
	/* Advisories removed upstream (their record answered 404): deleted
	 * with feed_delete_advisory() in the run, before the sources are
	 * read. Incremental runs only. */
	const char *const *gone;
	size_t ngone;
	/* Called after each document with the document bytes and records
	 * so far; may be NULL. */
	void (*progress)(void *ctx, const struct feed_def *def, int64_t bytes,
			 long records);
	void *progress_ctx;
	/* Worker threads of a pipelined run, for formats that split parse()
	 * into extract() and store() (feed.h): 0 the default (one per online
	 * CPU but one, at least one, at most RUN_WORKERS_MAX), a negative
	 * number none (parse() in this thread). */
	int workers;
};

struct run_result {
	long long records;          /* rows the feed holds after the run */
	long rejected;              /* records refused */
	struct err first_reject;    /* why the first one was refused */
	long documents;             /* documents parsed */
	int64_t bytes;              /* bytes of those documents */
	long added;                 /* advisories that are new, */
	long changed;               /* whose digest changed, */
	long removed;               /* that are gone */
};

/* Runs feed def over the sources in one transaction (see above). On
 * success fills *out. On failure returns the ERR_* code with "'SOURCE':
 * problem" in err, the database holds the previous data, and the feed row
 * records the attempt and the error. */
int run_feed(struct store *s, const struct feed_def *def,
	     const struct run_source *sources, size_t nsources,
	     const struct run_options *opts, struct run_result *out,
	     struct err *err);

/* A download answered 304: records the attempt and the success (no
 * parsing, nothing else written). */
int run_not_modified(struct store *s, const struct feed_def *def, int64_t now,
		     struct err *err);

/* Frees what feed_format.plan() filled in and empties it. Accepts an
 * empty (zeroed) plan. */
void run_plan_release(struct feed_plan *plan);

/* A run failed before it could start (the download failed): rolls back
 * any open transaction and records last_attempt and last_error only. */
int run_record_failure(struct store *s, const struct feed_def *def,
		       const char *message, int64_t now, struct err *err);

/* A feed's settings once the config's [feed NAME] section is applied. */
struct run_config {
	char *url;            /* allocated: the URL to fetch, mirror applied */
	bool allow_http;      /* the configured mirror is http:// */
	bool enabled;
	int64_t max_age;      /* seconds before the feed is stale */
	int64_t max_bytes;    /* 0: the fetcher's default */
	long timeout;         /* seconds; 0: the fetcher's default */
};

/* Resolves def's settings against cfg (which may be NULL: defaults). */
void run_config_of(struct run_config *out, const struct feed_def *def,
		   const struct config *cfg);
void run_config_release(struct run_config *rc);

/* ERR_CONFIG when the config has a [feed NAME] section for a feed that
 * does not exist ("slipway.conf:12: unknown feed 'osv-gp'"). */
int run_config_check(const struct config *cfg, struct err *err);

/* Whether a feed whose last success was at last_success (0: never) is
 * older than max_age at now. */
bool run_is_stale(int64_t last_success, int64_t max_age, int64_t now);

#endif

/* cmd_refresh.c - `slipway refresh [FEED...]`: fetch the feeds of the
 * default table (feeds/feeds.c) as the config adjusts them, each in its
 * own transaction, under the refresh lock, reading only what changed when
 * the format can (feed_format.plan); plus the progress line and result
 * lines that `import` shares. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "fetch.h"
#include "lock.h"
#include "run.h"
#include "xalloc.h"
#include "banned.h"

#define PROGRESS_INTERVAL_MS 100
/* One record of an incremental refresh (OSV records are far below; the
 * feed's max-bytes still caps all of them together). */
#define RECORD_MAX_BYTES ((int64_t)16 << 20)

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void human_bytes(char *out, size_t size, int64_t n)
{
	if (n >= (int64_t)1 << 30)
		snprintf(out, size, "%.1f GiB", (double)n / (1 << 30));
	else if (n >= (int64_t)1 << 20)
		snprintf(out, size, "%.1f MiB", (double)n / (1 << 20));
	else if (n >= 1024)
		snprintf(out, size, "%.1f KiB", (double)n / 1024);
	else
		snprintf(out, size, "%lld B", (long long)n);
}

static void progress_draw(struct feed_progress *p, bool force)
{
	char dl[32], rd[32];
	long long t = now_ms();

	if (!p->on || (!force && p->drawn && t - p->last_ms < PROGRESS_INTERVAL_MS))
		return;
	p->last_ms = t;
	p->drawn = true;
	human_bytes(dl, sizeof(dl), p->downloaded);
	human_bytes(rd, sizeof(rd), p->parsed);
	/* One line, rewritten in place: carriage return, erase to the end. */
	if ((p->parsed || p->records) && p->downloaded)
		fprintf(stderr, "\r\033[K%s: %s fetched, %s read, %ld records",
			p->feed, dl, rd, p->records);
	else if (p->parsed || p->records)
		fprintf(stderr, "\r\033[K%s: %s read, %ld records", p->feed, rd,
			p->records);
	else
		fprintf(stderr, "\r\033[K%s: %s fetched", p->feed, dl);
	fflush(stderr);
}

void feed_progress_download(void *ctx, int64_t bytes)
{
	struct feed_progress *p = ctx;

	p->downloaded = bytes;
	progress_draw(p, false);
}

void feed_progress_parse(void *ctx, const struct feed_def *def, int64_t bytes,
			 long records)
{
	struct feed_progress *p = ctx;

	p->parsed = bytes;
	p->records = records;
	progress_draw(p, false);
}

void feed_progress_clear(struct feed_progress *p)
{
	if (p->on && p->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	p->drawn = false;
	p->downloaded = p->parsed = 0;
	p->records = 0;
}

void feed_print_result(const char *feed, const struct run_result *res)
{
	printf("%s: %lld record%s", feed, res->records, res->records == 1 ? "" : "s");
	if (res->added || res->changed || res->removed)
		printf(", %ld new, %ld changed, %ld removed advisories",
		       res->added, res->changed, res->removed);
	if (res->rejected)
		printf(", %ld rejected", res->rejected);
	putchar('\n');
	if (res->rejected)
		fprintf(stderr, "slipway: feed '%s': %ld record%s rejected, the first: %s\n",
			feed, res->rejected, res->rejected == 1 ? "" : "s",
			res->first_reject.msg);
}

/* The validators of the last successful run, when it read the same URL:
 * a different URL is a different document. */
static int validators(struct store *s, const char *feed, const char *url,
		      char **etag, char **last_modified, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	int rc;

	*etag = *last_modified = NULL;
	rc = store_query(s, &rows, err,
			 "SELECT etag, last_modified FROM feed"
			 " WHERE name = ? AND source = ? AND last_success IS NOT NULL",
			 "ss", feed, url);
	if (rc)
		return rc;
	rc = store_rows_next(&rows);
	if (rc > 0) {
		if (store_rows_text(&rows, 0))
			*etag = xstrdup(store_rows_text(&rows, 0));
		if (store_rows_text(&rows, 1))
			*last_modified = xstrdup(store_rows_text(&rows, 1));
		rc = 0;
	}
	store_rows_done(&rows);
	return rc < 0 ? rc : 0;
}

/* The name of a download for messages and single documents: the last
 * path component of the URL, without the query. */
static char *download_name(const char *url)
{
	const char *p = strstr(url, "://");
	const char *end, *slash;

	p = p ? p + 3 : url;
	end = p + strcspn(p, "?#");
	slash = NULL;
	for (const char *q = p; q < end; q++)
		if (*q == '/')
			slash = q;
	if (!slash || slash + 1 >= end)
		return xstrdup("download");
	return xstrndup(slash + 1, (size_t)(end - slash - 1));
}

struct tally {
	int updated, not_modified, failed;
	long added, changed, removed;
};

/* The records of an incremental refresh, downloaded one after the other
 * into one unlinked spool file before the run's transaction opens: the
 * database is not held while the network is slow, and one file instead of
 * one per record keeps descriptors few (a plan may list thousands). */
struct spool {
	int fd;
	int64_t size;
	struct run_source *docs;   /* data set once the spool is mapped */
	size_t *offsets;           /* where each document starts in it */
	size_t ndocs, alloc, offsets_alloc;
	char **gone;               /* ids whose record answered 404/410 */
	size_t ngone, gone_alloc;
};

static int spool_open(struct spool *sp, const char *url, struct err *err)
{
	const char *dir = getenv("TMPDIR");
	struct buf path;

	memset(sp, 0, sizeof(*sp));
	sp->fd = -1;
	if (!dir || !*dir)
		dir = "/tmp";
	buf_init(&path, 4096);
	if (buf_addf(&path, "%s/slipway-records-XXXXXX", dir)) {
		buf_release(&path);
		return err_set(err, ERR_IO, "cannot fetch '%s': TMPDIR is too long", url);
	}
	sp->fd = mkstemp(path.ptr);
	if (sp->fd < 0) {
		err_set(err, ERR_IO, "cannot fetch '%s': cannot create a file in '%s': %s",
			url, dir, strerror(errno));
		buf_release(&path);
		return ERR_IO;
	}
	unlink(path.ptr);
	buf_release(&path);
	return 0;
}

static void spool_release(struct spool *sp)
{
	size_t i;

	if (sp->fd >= 0)
		close(sp->fd);
	for (i = 0; i < sp->ndocs; i++)
		free((char *)sp->docs[i].name);
	for (i = 0; i < sp->ngone; i++)
		free(sp->gone[i]);
	free(sp->docs);
	free(sp->offsets);
	free(sp->gone);
	memset(sp, 0, sizeof(*sp));
	sp->fd = -1;
}

/* Appends the body of one download to the spool as a document. */
static int spool_add(struct spool *sp, const struct fetch_result *res,
		     const char *id, const char *url, struct err *err)
{
	char block[65536];
	int64_t done = 0;
	struct buf name;

	if (lseek(res->fd, 0, SEEK_SET) < 0)
		return err_set(err, ERR_IO, "cannot read '%s': %s", url, strerror(errno));
	while (done < res->size) {
		ssize_t n = read(res->fd, block, sizeof(block));
		ssize_t w = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return err_set(err, ERR_IO, "cannot read '%s': %s", url,
				       n < 0 ? strerror(errno) : "short body");
		while (w < n) {
			ssize_t k = write(sp->fd, block + w, (size_t)(n - w));

			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				return err_set(err, ERR_IO, "cannot keep '%s': %s", url,
					       strerror(errno));
			w += k;
		}
		done += n;
	}
	XGROW(sp->docs, sp->alloc, sp->ndocs + 1);
	XGROW(sp->offsets, sp->offsets_alloc, sp->ndocs + 1);
	sp->offsets[sp->ndocs] = (size_t)sp->size;
	buf_init(&name, 4096);
	buf_addf(&name, "%s.json", id);
	sp->docs[sp->ndocs] = (struct run_source){
		.fd = -1,
		.len = (size_t)res->size,
		.name = buf_detach(&name, NULL),
	};
	sp->ndocs++;
	sp->size += res->size;
	return 0;
}

/* Progress of many downloads as one count of bytes. */
struct sum_progress {
	struct feed_progress *p;
	int64_t base;
};

static void sum_progress_download(void *ctx, int64_t bytes)
{
	struct sum_progress *sp = ctx;

	feed_progress_download(sp->p, sp->base + bytes);
}

enum { CHANGES_DONE = 1, CHANGES_FULL = 2 };

/* Downloads the plan's records into sp, sequentially, within the feed's
 * byte cap. A 404 or 410 means the record is gone upstream. */
static int fetch_records(struct spool *sp, const struct feed_plan *plan,
			 const struct run_config *rc_, struct feed_progress *progress,
			 int64_t used, struct err *err)
{
	int64_t cap = rc_->max_bytes > 0 ? rc_->max_bytes : FETCH_MAX_BYTES_DEFAULT;
	struct sum_progress sum = { .p = progress, .base = used };
	size_t i;
	int rc;

	for (i = 0; i < plan->n; i++) {
		struct fetch_result res = FETCH_RESULT_INIT;
		struct fetch_request req = {
			.url = plan->urls[i],
			.allow_http = rc_->allow_http,
			.timeout = rc_->timeout,
			.missing_ok = true,
			.progress = sum_progress_download,
			.progress_ctx = &sum,
		};

		if (cap - sum.base <= 0)
			return err_set(err, ERR_LIMIT,
				       "cannot fetch '%s': the feed's records exceed %lld bytes (max-bytes)",
				       plan->urls[i], (long long)cap);
		req.max_bytes = cap - sum.base < RECORD_MAX_BYTES ? cap - sum.base
								  : RECORD_MAX_BYTES;
		rc = fetch_get(&res, &req, err);
		if (rc == ERR_LIMIT && req.max_bytes < RECORD_MAX_BYTES)
			/* Over what was left of the feed's cap, not the
			 * record's own: say which limit it was. */
			return err_set(err, ERR_LIMIT,
				       "cannot fetch '%s': the feed's records exceed %lld bytes (max-bytes)",
				       plan->urls[i], (long long)cap);
		if (rc)
			return rc;
		if (res.status == 404 || res.status == 410) {
			XGROW(sp->gone, sp->gone_alloc, sp->ngone + 1);
			sp->gone[sp->ngone++] = xstrdup(plan->ids[i]);
		} else if (res.not_modified) {
			/* Nothing was asked conditionally: a server that
			 * says 304 anyway gave no record. */
			rc = err_set(err, ERR_NET, "cannot fetch '%s': HTTP 304 without a condition",
				     plan->urls[i]);
		} else {
			rc = spool_add(sp, &res, plan->ids[i], plan->urls[i], err);
			sum.base += res.size;
		}
		fetch_result_release(&res);
		if (rc)
			return rc;
	}
	return 0;
}

/* The change-list path of a refresh (feed_format.changes_url and plan):
 * a conditional GET of the list; 304 -> not modified; else the format's
 * plan: the whole feed (CHANGES_FULL, *list keeps the list's validators
 * for the full run to record), or the changed records, fetched and run
 * incrementally (CHANGES_DONE). A list the server does not have (404)
 * gives CHANGES_FULL with *list empty. Failures are recorded in the feed
 * row and returned as ERR_* with err set. */
static int refresh_changes(struct store *s, const struct feed_def *def,
			   const struct run_config *rc_, const char *changes,
			   struct feed_progress *progress, struct fetch_result *list,
			   struct tally *t, struct err *err)
{
	struct fetch_request req = { 0 };
	struct feed_plan plan = { 0 };
	struct spool sp = { .fd = -1 };
	struct run_options opts = { 0 };
	struct run_result out = { 0 };
	struct feed_run tmp = { 0 };
	char *etag = NULL, *lm = NULL, *state = NULL, *map = NULL, *docs = NULL;
	const char *data = "";
	size_t i;
	int rc;

	rc = validators(s, def->name, changes, &etag, &lm, err);
	if (rc)
		goto fail;
	req.url = changes;
	req.allow_http = rc_->allow_http;
	req.timeout = rc_->timeout;
	req.max_bytes = rc_->max_bytes;
	req.etag = etag;
	req.last_modified = lm;
	req.missing_ok = true;
	req.progress = feed_progress_download;
	req.progress_ctx = progress;
	progress_draw(progress, true);
	rc = fetch_get(list, &req, err);
	if (rc)
		goto fail;
	if (list->status == 404 || list->status == 410) {
		/* A mirror of all.zip alone: read it whole. */
		fetch_result_release(list);
		*list = (struct fetch_result)FETCH_RESULT_INIT;
		rc = CHANGES_FULL;
		goto out;
	}
	if (list->not_modified) {
		feed_progress_clear(progress);
		rc = run_not_modified(s, def, 0, err);
		if (rc)
			goto out;
		printf("%s: not modified\n", def->name);
		t->not_modified++;
		rc = CHANGES_DONE;
		goto out;
	}
	if (list->size > 0) {
		map = mmap(NULL, (size_t)list->size, PROT_READ, MAP_PRIVATE, list->fd, 0);
		if (map == MAP_FAILED) {
			map = NULL;
			rc = err_set(err, ERR_IO, "cannot read '%s': %s", changes, strerror(errno));
			goto fail;
		}
		data = map;
	}
	rc = store_query_text(s, &state, err, "SELECT state FROM feed WHERE name = ?",
			      "s", def->name);
	if (rc && rc != ERR_NOTFOUND)
		goto fail;
	tmp.store = s;
	tmp.def = def;
	tmp.source = changes;
	tmp.feed_state = state;
	rc = def->format->plan(&tmp, rc_->url, data, (size_t)list->size, &plan, err);
	if (rc) {
		if (!strstr(err->msg, changes))
			err_prefix(err, "'%s'", changes);
		goto fail;
	}
	if (map) {
		munmap(map, (size_t)list->size);
		map = NULL;
	}
	if (plan.full) {
		rc = CHANGES_FULL;
		goto out;
	}
	rc = spool_open(&sp, changes, err);
	if (!rc)
		rc = fetch_records(&sp, &plan, rc_, progress, list->size, err);
	if (rc)
		goto fail;
	if (sp.size > 0) {
		char *p = mmap(NULL, (size_t)sp.size, PROT_READ, MAP_PRIVATE, sp.fd, 0);

		if (p == MAP_FAILED) {
			rc = err_set(err, ERR_IO, "cannot read the records of '%s': %s",
				     changes, strerror(errno));
			goto fail;
		}
		for (i = 0; i < sp.ndocs; i++)
			sp.docs[i].data = p + sp.offsets[i];
		docs = p;
	} else {
		for (i = 0; i < sp.ndocs; i++)
			sp.docs[i].data = "";
	}
	opts.source = changes;
	opts.etag = list->etag;
	opts.last_modified = list->last_modified;
	opts.incremental = true;
	opts.gone = (const char *const *)sp.gone;
	opts.ngone = sp.ngone;
	opts.progress = feed_progress_parse;
	opts.progress_ctx = progress;
	/* run_feed records its own failure. */
	rc = run_feed(s, def, sp.docs, sp.ndocs, &opts, &out, err);
	feed_progress_clear(progress);
	if (rc)
		goto out;
	feed_print_result(def->name, &out);
	t->updated++;
	t->added += out.added;
	t->changed += out.changed;
	t->removed += out.removed;
	rc = CHANGES_DONE;
	goto out;
fail:
	run_record_failure(s, def, err->msg, 0, &(struct err){ 0 });
out:
	if (map)
		munmap(map, (size_t)list->size);
	if (docs)
		munmap(docs, (size_t)sp.size);
	spool_release(&sp);
	run_plan_release(&plan);
	free(state);
	free(etag);
	free(lm);
	return rc;
}

static int refresh_one(struct cli *cli, struct store *s, const struct feed_def *def,
		       const struct run_config *rc_, struct tally *t)
{
	struct feed_progress progress = { .on = cli->progress, .feed = def->name };
	struct fetch_result res = FETCH_RESULT_INIT, list = FETCH_RESULT_INIT;
	struct fetch_request req = { 0 };
	struct run_options opts = { 0 };
	struct run_result out = { 0 };
	struct run_source src = { .fd = -1 };
	struct err err;
	char *etag = NULL, *lm = NULL, *name = NULL, *changes = NULL;
	bool have_list;
	int rc;

	err_clear(&err);
	if (def->format->changes_url && def->format->plan &&
	    def->format->changes_url(&changes, rc_->url, &err) == 0) {
		rc = refresh_changes(s, def, rc_, changes, &progress, &list, t, &err);
		if (rc == CHANGES_DONE) {
			rc = 0;
			goto out;
		}
		if (rc < 0)
			goto fail;
	}
	err_clear(&err);
	have_list = list.status >= 200 && list.status <= 299;
	rc = validators(s, def->name, rc_->url, &etag, &lm, &err);
	if (rc)
		goto fail;
	req.url = rc_->url;
	req.allow_http = rc_->allow_http;
	req.timeout = rc_->timeout;
	req.max_bytes = rc_->max_bytes;
	req.etag = etag;
	req.last_modified = lm;
	req.progress = feed_progress_download;
	req.progress_ctx = &progress;
	progress_draw(&progress, true);
	rc = fetch_get(&res, &req, &err);
	if (rc) {
		run_record_failure(s, def, err.msg, 0, &(struct err){ 0 });
		goto fail;
	}
	if (res.not_modified) {
		feed_progress_clear(&progress);
		rc = run_not_modified(s, def, 0, &err);
		if (rc)
			goto fail;
		printf("%s: not modified\n", def->name);
		t->not_modified++;
		goto out;
	}
	name = download_name(rc_->url);
	src.path = NULL;
	src.fd = res.fd;
	src.name = name;
	/* When the change list sent us here, its validators are the ones
	 * the next refresh asks with. */
	opts.source = have_list ? changes : rc_->url;
	opts.etag = have_list ? list.etag : res.etag;
	opts.last_modified = have_list ? list.last_modified : res.last_modified;
	opts.progress = feed_progress_parse;
	opts.progress_ctx = &progress;
	rc = run_feed(s, def, &src, 1, &opts, &out, &err);
	feed_progress_clear(&progress);
	if (rc)
		goto fail;
	feed_print_result(def->name, &out);
	t->updated++;
	t->added += out.added;
	t->changed += out.changed;
	t->removed += out.removed;
	goto out;
fail:
	feed_progress_clear(&progress);
	fprintf(stderr, "slipway: feed '%s': %s\n", def->name,
		err.msg[0] ? err.msg : err_code_str(rc));
	t->failed++;
out:
	fetch_result_release(&res);
	fetch_result_release(&list);
	free(changes);
	free(etag);
	free(lm);
	free(name);
	return rc;
}

/* Feeds older than allowed after the run; prints one line for each. */
static int count_stale(struct store *s, const struct feed_def *const *defs,
		       const struct run_config *cfgs, size_t n)
{
	int64_t now = (int64_t)time(NULL);
	int stale = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		long long last = 0;
		struct err err;

		if (store_query_int(s, &last, &err,
				    "SELECT coalesce(last_success, 0) FROM feed WHERE name = ?",
				    "s", defs[i]->name))
			last = 0;
		if (!run_is_stale(last, cfgs[i].max_age, now))
			continue;
		stale++;
		if (last > 0)
			fprintf(stderr,
				"slipway: feed '%s' is stale: last success %lld hours ago, allowed %lld\n",
				defs[i]->name, (long long)(now - last) / 3600,
				(long long)cfgs[i].max_age / 3600);
		else
			fprintf(stderr, "slipway: feed '%s' is stale: never loaded\n",
				defs[i]->name);
	}
	return stale;
}

int cmd_refresh(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ NULL, 0, NULL, 0 },
	};
	const struct feed_def **defs = NULL;
	struct run_config *cfgs = NULL;
	struct config *cfg;
	struct store *s;
	struct lock *lock = NULL;
	struct tally t = { 0 };
	struct err err;
	char *lock_path = NULL;
	size_t n = 0, i, j;
	int c, rc = EXIT_OK, stale;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		return cli_usage_error("refresh", "unknown option");
	err_clear(&err);
	defs = xcalloc(feed_ndefs + 1, sizeof(*defs));
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		const struct feed_def *def = feed_def_find(argv[i]);

		if (!def) {
			free(defs);
			return cli_usage_error("refresh", "unknown feed '%s'", argv[i]);
		}
		for (j = 0; j < n && defs[j] != def; j++)
			;
		if (j == n)
			defs[n++] = def;
	}
	if (cli_config(cli, &cfg, &err) || run_config_check(cfg, &err) ||
	    cli_store(cli, &s, &err)) {
		free(defs);
		return cli_error(&err);
	}
	cfgs = xcalloc(feed_ndefs + 1, sizeof(*cfgs));
	if (n == 0) {
		/* No names: every feed the config leaves enabled. */
		for (i = 0; i < feed_ndefs; i++) {
			run_config_of(&cfgs[n], &feed_defs[i], cfg);
			if (cfgs[n].enabled)
				defs[n++] = &feed_defs[i];
			else
				run_config_release(&cfgs[n]);
		}
	} else {
		for (i = 0; i < n; i++)
			run_config_of(&cfgs[i], defs[i], cfg);
	}
	lock_path = lock_path_for(store_path(s));
	if (lock_path && lock_acquire(&lock, lock_path, "refresh",
				      LOCK_WAIT_MS_DEFAULT, &err)) {
		rc = cli_error(&err);
		goto out;
	}
	for (i = 0; i < n; i++)
		refresh_one(cli, s, defs[i], &cfgs[i], &t);
	printf("refresh: %d updated, %d not modified, %d failed; "
	       "%ld new, %ld changed, %ld removed advisories\n",
	       t.updated, t.not_modified, t.failed, t.added, t.changed, t.removed);
	stale = count_stale(s, defs, cfgs, n);
	/* A stale feed is the graver news: it means failures (or no runs)
	 * have lasted past what the policy allows. */
	rc = stale ? EXIT_STALE : t.failed ? EXIT_FAIL : EXIT_OK;
out:
	lock_release(lock);
	free(lock_path);
	for (i = 0; i < n; i++)
		run_config_release(&cfgs[i]);
	free(cfgs);
	free(defs);
	return rc;
}

/* store.c - the sqlite connection, statement cache, transactions and
 * migrations (STYLE.md 11-15). */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "store_schema.h"
#include "version.h"
#include "xalloc.h"
#include "banned.h"

/* How long a writer waits for another writer's transaction. A refresh is
 * one transaction (feeds/run.h), and a full kernel CNA or OSV import holds
 * it for tens of seconds on a slow disk; 10 s made a concurrent
 * `inventory --import` or `findings` fail with "database is locked".
 * Readers are not affected: in WAL mode they never wait for a writer. */
#define STORE_BUSY_TIMEOUT_MS 60000

struct cached_stmt {
	unsigned long hash;
	sqlite3_stmt *stmt;
};

/* Slots of the statement cache's front by the caller's SQL pointer. */
#define STORE_RECENT 64

struct store {
	sqlite3 *db;
	char *path;
	struct cached_stmt *cache;   /* open addressing, cache_size slots */
	size_t cache_size;
	size_t cache_used;
	/* In front of the cache: the statement last used for a given SQL
	 * pointer (direct mapped; borrowed from cache). */
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} recent[STORE_RECENT];
	bool told_wait;              /* "waiting for the refresh" was printed */
};

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* On a terminal, says once who holds the database: the holder of the
 * refresh lock (src/lock.h, DB + ".lock", "PID START WHAT"), when it is
 * held by another process. */
static void tell_wait(struct store *s)
{
	char path[4096], text[128], job[32] = "";
	long long pid = 0, start = 0;
	ssize_t n;
	int fd, i;

	s->told_wait = true;
	if (!isatty(STDERR_FILENO) ||
	    snprintf(path, sizeof(path), "%s.lock", s->path) >= (int)sizeof(path))
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	/* Held when a shared lock cannot be had. */
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		close(fd);
		return;
	}
	n = pread(fd, text, sizeof(text) - 1, 0);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	if (sscanf(text, "%lld %lld %31s", &pid, &start, job) < 2 || pid <= 0 ||
	    pid == (long long)getpid())
		return;
	for (i = 0; job[i]; i++)
		if (job[i] < 'a' || job[i] > 'z')
			job[0] = '\0';
	fprintf(stderr, "slipway: waiting for the %s (pid %lld) to finish\n",
		job[0] ? job : "refresh", pid);
}

/* sqlite's busy handler: waits with growing sleeps up to
 * STORE_BUSY_TIMEOUT_MS in all, telling a terminal user after a second
 * why nothing happens. 0 gives up (SQLITE_BUSY). */
static int busy_wait(void *arg, int count)
{
	static const int delays[] = { 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 };
	const int ndelays = (int)(sizeof(delays) / sizeof(delays[0]));
	struct store *s = arg;
	long waited = 0, delay;
	int i;

	for (i = 0; i < count && i < ndelays; i++)
		waited += delays[i];
	if (count > ndelays)
		waited += (long)(count - ndelays) * delays[ndelays - 1];
	if (waited >= STORE_BUSY_TIMEOUT_MS)
		return 0;
	if (waited >= 1000 && !s->told_wait)
		tell_wait(s);
	delay = count < ndelays ? delays[count] : delays[ndelays - 1];
	if (delay > STORE_BUSY_TIMEOUT_MS - waited)
		delay = STORE_BUSY_TIMEOUT_MS - waited;
	sleep_ms(delay);
	return 1;
}

static const struct store_migration *migrations = store_migrations;
static size_t nmigrations = sizeof(store_migrations) / sizeof(store_migrations[0]);

const char *store_library_version(void)
{
	return sqlite3_libversion();
}

int store_schema_version(void)
{
	return (int)(sizeof(store_migrations) / sizeof(store_migrations[0]));
}

void store_set_migrations_for_test(const struct store_migration *m, size_t n)
{
	if (m) {
		migrations = m;
		nmigrations = n;
	} else {
		migrations = store_migrations;
		nmigrations = sizeof(store_migrations) / sizeof(store_migrations[0]);
	}
}

static int db_error(struct store *s, struct err *err, const char *what)
{
	return err_set(err, ERR_STORE, "%s '%s': %s", what, s->path,
		       sqlite3_errmsg(s->db));
}

/* FNV-1a over the SQL text: statements are cached by what they say. */
static unsigned long sql_hash(const char *sql)
{
	unsigned long h = 2166136261UL;

	for (; *sql; sql++)
		h = (h ^ (unsigned char)*sql) * 16777619UL;
	return h;
}

static void cache_insert(struct store *s, unsigned long hash, sqlite3_stmt *stmt)
{
	size_t i;

	if ((s->cache_used + 1) * 2 > s->cache_size) {
		struct cached_stmt *old = s->cache;
		size_t oldsize = s->cache_size;

		s->cache_size = oldsize ? oldsize * 2 : 64;
		s->cache = xcalloc(s->cache_size, sizeof(*s->cache));
		s->cache_used = 0;
		for (i = 0; i < oldsize; i++)
			if (old[i].stmt)
				cache_insert(s, old[i].hash, old[i].stmt);
		free(old);
	}
	for (i = hash & (s->cache_size - 1); s->cache[i].stmt;
	     i = (i + 1) & (s->cache_size - 1))
		;
	s->cache[i].hash = hash;
	s->cache[i].stmt = stmt;
	s->cache_used++;
}

/* Returns the cached statement for sql, preparing it on first use.
 *
 * Callers pass constant SQL text, so the same text usually comes at the
 * same address: a front table by pointer finds it without hashing the
 * whole text (a kernel-cna record runs a dozen statements of up to 2 KB,
 * and hashing them byte by byte cost more than some of the statements).
 * The text is still compared, so a buffer reused for other SQL at the
 * same address is never mistaken for it. */
static sqlite3_stmt *stmt_get(struct store *s, struct err *err, const char *sql)
{
	size_t slot = (size_t)(((uintptr_t)sql >> 4) ^ ((uintptr_t)sql >> 10)) %
		      STORE_RECENT;
	unsigned long hash;
	sqlite3_stmt *stmt;
	size_t i;

	if (s->recent[slot].sql == sql &&
	    !strcmp(sqlite3_sql(s->recent[slot].stmt), sql))
		return s->recent[slot].stmt;
	hash = sql_hash(sql);
	if (s->cache_size) {
		for (i = hash & (s->cache_size - 1); s->cache[i].stmt;
		     i = (i + 1) & (s->cache_size - 1))
			if (s->cache[i].hash == hash &&
			    !strcmp(sqlite3_sql(s->cache[i].stmt), sql)) {
				s->recent[slot].sql = sql;
				s->recent[slot].stmt = s->cache[i].stmt;
				return s->cache[i].stmt;
			}
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &stmt, NULL) != SQLITE_OK) {
		db_error(s, err, "cannot prepare a statement for");
		return NULL;
	}
	if (!stmt) {
		err_set(err, ERR_STORE, "empty statement for '%s'", s->path);
		return NULL;
	}
	cache_insert(s, hash, stmt);
	s->recent[slot].sql = sql;
	s->recent[slot].stmt = stmt;
	return stmt;
}

static int bind_values(struct store *s, struct err *err, sqlite3_stmt *stmt,
		       const char *types, va_list ap)
{
	int i, rc = SQLITE_OK;

	for (i = 0; types && types[i]; i++) {
		int idx = i + 1;
		const char *p;
		size_t len;

		switch (types[i]) {
		case 's':
			p = va_arg(ap, const char *);
			rc = p ? sqlite3_bind_text(stmt, idx, p, -1, SQLITE_STATIC)
			       : sqlite3_bind_null(stmt, idx);
			break;
		case 'b':
			p = va_arg(ap, const char *);
			len = va_arg(ap, size_t);
			rc = p ? sqlite3_bind_text64(stmt, idx, p, len,
						     SQLITE_STATIC, SQLITE_UTF8)
			       : sqlite3_bind_null(stmt, idx);
			break;
		case 'i':
			rc = sqlite3_bind_int64(stmt, idx, va_arg(ap, long long));
			break;
		case 'd':
			rc = sqlite3_bind_double(stmt, idx, va_arg(ap, double));
			break;
		case 'n':
			rc = sqlite3_bind_null(stmt, idx);
			break;
		default:
			/* A programmer error: the type string is a constant. */
			abort();
		}
		if (rc != SQLITE_OK) {
			db_error(s, err, "cannot bind a value in");
			sqlite3_reset(stmt);
			sqlite3_clear_bindings(stmt);
			return ERR_STORE;
		}
	}
	return 0;
}

static void stmt_done(sqlite3_stmt *stmt)
{
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}

static int store_vexec(struct store *s, struct err *err, const char *sql,
		       const char *types, va_list ap)
{
	sqlite3_stmt *stmt = stmt_get(s, err, sql);
	int rc;

	if (!stmt)
		return ERR_STORE;
	if (bind_values(s, err, stmt, types, ap))
		return ERR_STORE;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		db_error(s, err, "cannot write to");
		stmt_done(stmt);
		return ERR_STORE;
	}
	stmt_done(stmt);
	return sqlite3_changes(s->db);
}

int store_exec(struct store *s, struct err *err, const char *sql,
	       const char *types, ...)
{
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = store_vexec(s, err, sql, types, ap);
	va_end(ap);
	return rc;
}

int store_exec_script(struct store *s, struct err *err, const char *sql)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(s, err, "cannot run a script on");
	return 0;
}

static int store_vquery(struct store *s, struct store_rows *rows,
			struct err *err, const char *sql, const char *types,
			va_list ap)
{
	sqlite3_stmt *stmt = stmt_get(s, err, sql);

	rows->store = s;
	rows->err = err;
	rows->stmt = NULL;
	rows->status = ERR_STORE;
	if (!stmt)
		return ERR_STORE;
	if (bind_values(s, err, stmt, types, ap))
		return ERR_STORE;
	rows->stmt = stmt;
	rows->status = 0;
	return 0;
}

int store_query(struct store *s, struct store_rows *rows, struct err *err,
		const char *sql, const char *types, ...)
{
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = store_vquery(s, rows, err, sql, types, ap);
	va_end(ap);
	return rc;
}

int store_rows_next(struct store_rows *rows)
{
	int rc;

	if (rows->status)
		return rows->status < 0 ? rows->status : 0;
	rc = sqlite3_step(rows->stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		rows->status = 1;
		return 0;
	}
	rows->status = db_error(rows->store, rows->err, "cannot read from");
	return rows->status;
}

const char *store_rows_text(struct store_rows *rows, int col)
{
	return (const char *)sqlite3_column_text(rows->stmt, col);
}

size_t store_rows_bytes(struct store_rows *rows, int col)
{
	return (size_t)sqlite3_column_bytes(rows->stmt, col);
}

long long store_rows_int(struct store_rows *rows, int col)
{
	return sqlite3_column_int64(rows->stmt, col);
}

double store_rows_double(struct store_rows *rows, int col)
{
	return sqlite3_column_double(rows->stmt, col);
}

bool store_rows_null(struct store_rows *rows, int col)
{
	return sqlite3_column_type(rows->stmt, col) == SQLITE_NULL;
}

int store_rows_columns(struct store_rows *rows)
{
	return sqlite3_column_count(rows->stmt);
}

const char *store_rows_name(struct store_rows *rows, int col)
{
	return sqlite3_column_name(rows->stmt, col);
}

void store_rows_done(struct store_rows *rows)
{
	if (rows->stmt)
		stmt_done(rows->stmt);
	rows->stmt = NULL;
	rows->status = 1;
}

int store_query_int(struct store *s, long long *out, struct err *err,
		    const char *sql, const char *types, ...)
{
	struct store_rows rows = STORE_ROWS_INIT;
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = store_vquery(s, &rows, err, sql, types, ap);
	va_end(ap);
	if (rc)
		return rc;
	rc = store_rows_next(&rows);
	if (rc == 1) {
		*out = store_rows_int(&rows, 0);
		rc = 0;
	} else if (rc == 0) {
		rc = err_set(err, ERR_NOTFOUND, "no row in '%s'", s->path);
	}
	store_rows_done(&rows);
	return rc;
}

int store_query_text(struct store *s, char **out, struct err *err,
		     const char *sql, const char *types, ...)
{
	struct store_rows rows = STORE_ROWS_INIT;
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = store_vquery(s, &rows, err, sql, types, ap);
	va_end(ap);
	if (rc)
		return rc;
	rc = store_rows_next(&rows);
	if (rc == 1) {
		const char *t = store_rows_text(&rows, 0);

		*out = t ? xstrdup(t) : NULL;
		rc = 0;
	} else if (rc == 0) {
		rc = err_set(err, ERR_NOTFOUND, "no row in '%s'", s->path);
	}
	store_rows_done(&rows);
	return rc;
}

long long store_last_rowid(struct store *s)
{
	return sqlite3_last_insert_rowid(s->db);
}

int store_begin(struct store *s, struct err *err)
{
	if (store_exec(s, err, "BEGIN IMMEDIATE", NULL) < 0)
		return err_prefix(err, "cannot start a transaction");
	return 0;
}

int store_commit(struct store *s, struct err *err)
{
	if (store_exec(s, err, "COMMIT", NULL) < 0) {
		store_rollback(s);
		return err_prefix(err, "cannot commit");
	}
	return 0;
}

void store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

bool store_in_transaction(const struct store *s)
{
	return !sqlite3_get_autocommit(s->db);
}

/* SQL functions over the version module, so that range checks run inside
 * queries: version_cmp(scheme, a, b) and
 * version_affects(scheme, introduced, fixed, last_affected, limit, v). */
static bool scheme_arg(sqlite3_context *ctx, sqlite3_value *v,
		       enum version_scheme *out)
{
	const char *name = (const char *)sqlite3_value_text(v);

	if (!name || version_scheme_parse(out, name)) {
		sqlite3_result_error(ctx, "unknown version scheme", -1);
		return false;
	}
	return true;
}

static void sql_version_cmp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	enum version_scheme scheme;
	const char *a, *b;

	if (!scheme_arg(ctx, argv[0], &scheme))
		return;
	a = (const char *)sqlite3_value_text(argv[1]);
	b = (const char *)sqlite3_value_text(argv[2]);
	if (!a || !b) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_int(ctx, version_cmp(scheme, a, b));
}

static void sql_version_affects(sqlite3_context *ctx, int argc,
				sqlite3_value **argv)
{
	enum version_scheme scheme;
	const char *v;

	if (!scheme_arg(ctx, argv[0], &scheme))
		return;
	v = (const char *)sqlite3_value_text(argv[5]);
	if (!v) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_int(ctx, version_interval_affects(scheme,
		(const char *)sqlite3_value_text(argv[1]),
		(const char *)sqlite3_value_text(argv[2]),
		(const char *)sqlite3_value_text(argv[3]),
		(const char *)sqlite3_value_text(argv[4]), v));
}

static int register_functions(struct store *s, struct err *err)
{
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;

	if (sqlite3_create_function(s->db, "version_cmp", 3, flags, NULL,
				    sql_version_cmp, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(s->db, "version_affects", 6, flags, NULL,
				    sql_version_affects, NULL, NULL) != SQLITE_OK)
		return db_error(s, err, "cannot register functions on");
	return 0;
}

static int migrate(struct store *s, struct err *err)
{
	long long have;
	size_t v;

	if (store_query_int(s, &have, err, "PRAGMA user_version", NULL))
		return ERR_STORE;
	if (have > (long long)nmigrations)
		return err_set(err, ERR_NEWER_DB,
			       "database '%s' has schema version %lld but this slipway knows only up to %zu; use a newer slipway",
			       s->path, have, nmigrations);
	for (v = (size_t)have; v < nmigrations; v++) {
		char pragma[64];

		if (store_begin(s, err))
			return ERR_STORE;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %zu", v + 1);
		if (store_exec_script(s, err, migrations[v].sql) ||
		    store_exec_script(s, err, pragma)) {
			store_rollback(s);
			return err_prefix(err, "migration %zu (%s) failed",
					  v + 1, migrations[v].name);
		}
		if (store_commit(s, err))
			return ERR_STORE;
	}
	return 0;
}

/* Creates the directory of path (and its parents) 0700 when missing. */
static int make_parent_dirs(const char *path, struct err *err)
{
	char *dir = xstrdup(path);
	char *p;
	int rc = 0;

	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST) {
			rc = err_set(err, ERR_IO, "cannot create directory '%s': %s",
				     dir, strerror(errno));
			break;
		}
		*p = '/';
	}
	free(dir);
	return rc;
}

/* Creates the database file 0600 before sqlite does, so it is never
 * readable by others even for a moment. */
static int make_private_file(const char *path, struct err *err)
{
	int fd;

	if (!strcmp(path, ":memory:") || !access(path, F_OK))
		return 0;
	if (make_parent_dirs(path, err))
		return ERR_IO;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EEXIST)
		return err_set(err, ERR_IO, "cannot create database '%s': %s",
			       path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return 0;
}

/* Process-wide sqlite settings, made once before the first connection
 * (sqlite3_config() is refused after sqlite3_initialize()). Memory
 * statistics off: with them on, every allocation of every connection
 * takes one global mutex, and the worker threads of a feed run or a
 * report import, each with a connection of its own, queued on it (the
 * kernel CNA ingest spent some 10% of its time in that lock). Slipway
 * never reads those statistics or sets a soft heap limit. */
static pthread_once_t sqlite_setup_once = PTHREAD_ONCE_INIT;

static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
}

/* store_open(), or with schema false store_open_scratch(). */
static int open_store(struct store **out, const char *path, bool schema,
		      struct err *err)
{
	struct store *s;
	int rc = ERR_STORE;

	pthread_once(&sqlite_setup_once, sqlite_setup);
	if (make_private_file(path, err))
		return ERR_IO;
	s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	/* NOMUTEX: a struct store is used by one thread at a time
	 * (store.h), so sqlite's per-connection mutex is only cost: in a
	 * feed run the locks around every column and bind call were some 10%
	 * of a pipelined worker's time. */
	if (sqlite3_open_v2(path, &s->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		if (!s->db) {
			err_set(err, ERR_STORE, "cannot open database '%s': out of memory", path);
			goto fail;
		}
		db_error(s, err, "cannot open database");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_handler(s->db, busy_wait, s);
	/* The WAL file stays when the last connection closes (after its
	 * checkpoint, so the database file alone is complete; cut back to
	 * 4 MB by journal_size_limit below): removing and creating it
	 * again, with the directory synced, cost every command that writes
	 * about 1 ms on disk (an inventory of one engine takes 30 ms). */
	{
		int persist = 1;

		sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
	}
	/* WAL lets the UI read while a timer refresh writes; synchronous
	 * NORMAL is safe against a crashed or killed process in WAL mode.
	 * trusted_schema stays on: the schema's CHECKs and generated columns
	 * use JSON1, which sqlite 3.40 does not mark innocuous, and the file
	 * is Slipway's own (0600). The first statement also tells a
	 * non-database file apart. */
	if (sqlite3_exec(s->db,
			 "PRAGMA foreign_keys = ON;"
			 "PRAGMA journal_mode = WAL;"
			 "PRAGMA journal_size_limit = 4194304;"
			 "PRAGMA synchronous = NORMAL;", NULL, NULL, NULL) != SQLITE_OK) {
		db_error(s, err, "cannot open database");
		goto fail;
	}
	if (register_functions(s, err))
		goto fail;
	rc = schema ? migrate(s, err) : 0;
	if (rc)
		goto fail;
	*out = s;
	return 0;
fail:
	store_close(s);
	return rc ? rc : ERR_STORE;
}

int store_open(struct store **out, const char *path, struct err *err)
{
	return open_store(out, path, true, err);
}

int store_open_scratch(struct store **out, struct err *err)
{
	return open_store(out, ":memory:", false, err);
}

const char *store_path(const struct store *s)
{
	return s->path;
}

void store_close(struct store *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->cache_size; i++)
		if (s->cache[i].stmt)
			sqlite3_finalize(s->cache[i].stmt);
	free(s->cache);
	if (s->db)
		sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int store_check_integrity(struct store *s, struct err *err)
{
	char *res = NULL;
	int rc;

	rc = store_query_text(s, &res, err, "PRAGMA integrity_check", NULL);
	if (!rc && (!res || strcmp(res, "ok")))
		rc = err_set(err, ERR_STORE, "database '%s' is damaged: %s",
			     s->path, res ? res : "no answer");
	free(res);
	return rc;
}

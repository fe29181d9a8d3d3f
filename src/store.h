/* store.h - Slipway's database: one sqlite file holding feeds, advisories,
 * hosts, containers and findings (DESIGN.md §4).
 *
 * Only src/store*.c talk to sqlite (STYLE.md 11-15). Other modules run SQL
 * through this small interface: statements are given as constant SQL text,
 * prepared once and cached by their text, values are always bound through a
 * type string, never spliced into SQL. JSON documents (feeds, engine
 * answers) are bound as text and mapped with sqlite's JSON1 functions.
 *
 * Bind type letters, one per '?' in order:
 *   's'  const char *        NUL-terminated text (NULL binds SQL NULL)
 *   'b'  const char *, size_t  text of a given length (ptr may hold NULs);
 *                            NULL binds SQL NULL
 *   'i'  long long           integer
 *   'd'  double              real
 *   'n'  (no argument)       NULL
 *
 * Ownership: a struct store owns its connection and its statement cache;
 * rows returned by store_query() are borrowed until the next call on the
 * same struct store_rows.
 *
 * Threads: a struct store is used by one thread at a time (its sqlite
 * connection has no mutex of its own); a thread that needs sqlite opens a
 * store of its own (":memory:" for JSON1 work). */
#ifndef SLIPWAY_STORE_H
#define SLIPWAY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct store;

/* The version of the sqlite library in use. */
const char *store_library_version(void);

/* The schema version this binary writes (PRAGMA user_version). */
int store_schema_version(void);

/* Opens or creates the database at path (":memory:" for tests), creating
 * its directory 0700 and the file 0600 when missing, enables WAL, foreign
 * keys and a busy timeout (a writer waits up to 60 s for another writer,
 * saying on a terminal after a second which refresh it waits for; readers
 * never wait in WAL mode), and runs pending migrations, each in its own
 * transaction. A database whose user_version is newer than this binary is
 * refused with ERR_NEWER_DB. */
int store_open(struct store **out, const char *path, struct err *err);

/* A private ":memory:" database without Slipway's schema, with its SQL
 * functions: for work that only maps JSON (a thread's JSON1, an engine
 * client's checks). Creating the schema cost some 6 M instructions, a
 * tenth of a whole inventory of one engine. */
int store_open_scratch(struct store **out, struct err *err);
/* Finalises every cached statement and closes. Accepts NULL. */
void store_close(struct store *s);
/* The path the store was opened with. */
const char *store_path(const struct store *s);

/* Transactions. store_begin() starts an IMMEDIATE transaction (so two
 * writers queue on the busy timeout instead of failing half-way). They do
 * not nest: a feed run, an import and a plan are each one transaction. */
int store_begin(struct store *s, struct err *err);
int store_commit(struct store *s, struct err *err);
/* Rolls back if a transaction is open; never fails. */
void store_rollback(struct store *s);
bool store_in_transaction(const struct store *s);

/* Runs a statement to completion with bound values. Returns the number of
 * rows it changed (>= 0) or a negative ERR_* code. */
int store_exec(struct store *s, struct err *err, const char *sql,
	       const char *types, ...);

/* Runs several statements of fixed SQL text with no parameters (schema
 * work, pragmas). Not cached. */
int store_exec_script(struct store *s, struct err *err, const char *sql);

/* A result set being read. Declare with STORE_ROWS_INIT. */
struct store_rows {
	struct store *store;
	void *stmt;   /* opaque: the cached prepared statement */
	struct err *err;
	int status;   /* 0 running, 1 done, <0 error */
};
#define STORE_ROWS_INIT { 0 }

/* Starts a query; read rows with store_rows_next(), then always call
 * store_rows_done(). */
int store_query(struct store *s, struct store_rows *rows, struct err *err,
		const char *sql, const char *types, ...);
/* 1 when a row is ready, 0 at the end, negative on error. */
int store_rows_next(struct store_rows *rows);
/* Column accessors for the current row. Text is borrowed until the next
 * call of store_rows_next()/store_rows_done(); NULL for SQL NULL. */
const char *store_rows_text(struct store_rows *rows, int col);
size_t store_rows_bytes(struct store_rows *rows, int col);
long long store_rows_int(struct store_rows *rows, int col);
double store_rows_double(struct store_rows *rows, int col);
bool store_rows_null(struct store_rows *rows, int col);
int store_rows_columns(struct store_rows *rows);
const char *store_rows_name(struct store_rows *rows, int col);
/* Resets the statement for the next use. Accepts a never-started rows. */
void store_rows_done(struct store_rows *rows);

/* One query that yields a single integer (count, id); ERR_NOTFOUND when it
 * yields no row. */
int store_query_int(struct store *s, long long *out, struct err *err,
		    const char *sql, const char *types, ...);
/* One query that yields a single text value, copied into an allocated
 * string the caller frees (*out is NULL for SQL NULL); ERR_NOTFOUND when it
 * yields no row. */
int store_query_text(struct store *s, char **out, struct err *err,
		     const char *sql, const char *types, ...);

/* The rowid of the last insert on this connection. */
long long store_last_rowid(struct store *s);

/* Runs PRAGMA integrity_check; 0 when it says "ok". */
int store_check_integrity(struct store *s, struct err *err);

/* Test hook: migrations beyond the built-in ones, used to check that a
 * failing migration leaves the previous schema. NULL restores the real
 * list. Not for production use. */
struct store_migration {
	const char *name;
	const char *sql;
};
void store_set_migrations_for_test(const struct store_migration *m, size_t n);

#endif

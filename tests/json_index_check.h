/* json_index_check.h - the structural index of src/jsoncheck.h held up
 * against sqlite's JSON1, for the tests (test_jsoncheck.c over real
 * feed files, fuzz_json_index.c over anything): whatever the index
 * accepts, sqlite must accept too and see the same values, in the same
 * order, of the same types, under the same names, and a string the index
 * would take as written (no backslash) must be exactly what sqlite
 * decodes. Test code only: included, not linked. */
#ifndef SLIPWAY_JSON_INDEX_CHECK_H
#define SLIPWAY_JSON_INDEX_CHECK_H

#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "jsoncheck.h"

/* json_tree's type for an index node type. */
static const char *json_index_check_type(char t)
{
	switch (t) {
	case '{': return "object";
	case '[': return "array";
	case '"': return "text";
	case 't': return "true";
	case 'f': return "false";
	case 'n': return "null";
	default:  return NULL; /* '0': integer or real */
	}
}

/* NULL when ix (of text/len) agrees with sqlite, else what differs, in
 * why/size. */
static const char *json_index_check(sqlite3 *db, const struct json_index *ix,
				    const char *text, size_t len, char *why,
				    size_t size)
{
	sqlite3_stmt *st = NULL;
	const char *bad = NULL;
	size_t k = 0;
	int rc = SQLITE_DONE;

	if (sqlite3_prepare_v2(db, "SELECT type, key, atom FROM json_tree(?1)"
			       " WHERE json_valid(?1)", -1, &st, NULL) != SQLITE_OK) {
		snprintf(why, size, "prepare: %s", sqlite3_errmsg(db));
		return why;
	}
	sqlite3_bind_text(st, 1, text, (int)len, SQLITE_STATIC);
	while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const struct json_node *v;
		const char *type = (const char *)sqlite3_column_text(st, 0);
		const char *want;

		if (k >= ix->n) {
			snprintf(why, size, "sqlite has more than %zu values", ix->n);
			bad = why;
			break;
		}
		v = &ix->node[k];
		want = json_index_check_type(v->type);
		if (want ? strcmp(type, want)
			 : strcmp(type, "integer") && strcmp(type, "real")) {
			snprintf(why, size, "value %zu: index '%c', sqlite %s", k,
				 v->type, type);
			bad = why;
		} else if (v->name_len && !memchr(text + v->name, '\\', v->name_len) &&
			   ((size_t)sqlite3_column_bytes(st, 1) != v->name_len ||
			    memcmp(sqlite3_column_text(st, 1), text + v->name,
				   v->name_len))) {
			snprintf(why, size, "value %zu: names differ", k);
			bad = why;
		} else if (v->type == '"' &&
			   !memchr(text + v->start, '\\', v->end - v->start)) {
			const unsigned char *atom = sqlite3_column_text(st, 2);
			size_t n = (size_t)sqlite3_column_bytes(st, 2);

			if (n != v->end - v->start - 2 ||
			    memcmp(atom, text + v->start + 1, n)) {
				snprintf(why, size, "value %zu: strings differ", k);
				bad = why;
			}
		}
		k++;
	}
	if (!bad && rc != SQLITE_DONE) {
		snprintf(why, size, "sqlite: %s", sqlite3_errmsg(db));
		bad = why;
	}
	if (!bad && k != ix->n) {
		snprintf(why, size, "sqlite has %zu values, the index %zu%s", k,
			 ix->n, k ? "" : " (sqlite says it is not JSON)");
		bad = why;
	}
	sqlite3_finalize(st);
	return bad;
}

#endif

/* jsoncheck.h - a syntax pre-check of untrusted JSON text before it is
 * bound to sqlite's JSON1 functions.
 *
 * Why: sqlite 3.40 (Debian 12's libsqlite3) accepts an object whose key is
 * itself an object or array ending in a string, such as
 * {"a":[{{"":""}:1}]}: json_valid() says 1, and a later json_type() or
 * json_extract() with a path into that object reads the key as a string
 * and crashes the process (found by tests/fuzz/fuzz_kev.c; the parser
 * checks the type of the last node added, which for a container key is
 * its last leaf). RFC 8259 §4 says an object's names are strings, so any
 * document failing this check is not JSON and is refused before sqlite
 * sees it. This is not a JSON parser: values, numbers and escapes are
 * still validated by sqlite's json_valid(). */
#ifndef SLIPWAY_JSONCHECK_H
#define SLIPWAY_JSONCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deepest nesting accepted (sqlite's own JSON_MAX_DEPTH is 2000). */
#define JSONCHECK_MAX_DEPTH 2000

/* Whether every object member name in text/len (not NUL-terminated) is a
 * string, brackets balance, and nesting stays within JSONCHECK_MAX_DEPTH.
 * Strings are skipped with their escapes; brackets inside strings do not
 * count. Text
 * that is not JSON in other ways may still pass (sqlite's json_valid()
 * decides that); text that fails is never valid JSON. */
bool jsoncheck_keys(const char *text, size_t len);

/* jsoncheck_keys() and, in the same pass, no object naming a member
 * twice. RFC 8259 §4 says names "SHOULD be unique" and leaves what a
 * reader does with repeats open; sqlite's json_extract() takes the first,
 * so {"vulnerabilities": [], "vulnerabilities": [...]} reads as an empty
 * feed. Feeds are refused instead. Names are compared as written, escapes
 * and all: "a" and "\u0061" are not caught as the same name (sqlite
 * 3.40's path lookup compares names as written too, so such a repeat
 * does not hide the member a feed reads). Memory: one small entry per
 * name of the objects still open, freed before returning.
 * NULL when the text passes, else the problem ("not valid JSON", "an
 * object name is repeated: 'NAME'" with the name cut to 64 bytes) in
 * why/size. */
const char *jsoncheck_feed(const char *text, size_t len, char *why, size_t size);


/* The structural index of a JSON text (jsoncheck_index): where each value
 * lies, what kind it is and how values nest, so that an adapter can find
 * the few values it maps in a large document without handing the whole
 * document to JSON1. The index decodes nothing: strings keep their
 * escapes and numbers their digits. A string without a backslash is its
 * own value (the bytes between its quotes); feeds/kernel_cna.c takes
 * such strings as written and has sqlite decode the rest, bound as one
 * small array of the original bytes (tests/json_index_check.h checks the
 * index against sqlite's JSON1 on every JSON file of tests/data, and
 * tests/fuzz/fuzz_json_index.c on anything).
 *
 * Nodes are in document order, a container before its children; node 0 is
 * the root. */
struct json_node {
	uint32_t start;    /* the value's first byte */
	uint32_t end;      /* one past its last byte */
	uint32_t name;     /* a member's name, between its quotes, as written */
	uint32_t name_len;
	uint32_t next;     /* the next sibling; 0: none */
	uint32_t count;    /* a container's children */
	char type;         /* '{' '[' '"' 'n' 't' 'f', or '0' for a number */
};

struct json_index {
	struct json_node *node;
	size_t n, alloc;
	void *scratch;     /* the repeat check's names, kept for the next text */
};

#define JSON_INDEX_INIT { NULL, 0, 0, NULL }

/* Indexes text/len (at most JSON_INDEX_MAX bytes) into ix, replacing what
 * it held. Stricter than jsoncheck_feed(): the whole text must be one
 * JSON value by RFC 8259's grammar (§2-§7: literals, numbers, strings
 * with their escapes and no control characters, nothing after the value),
 * besides string names, no repeated name (compared as written) and at
 * most JSONCHECK_MAX_DEPTH levels. UTF-8 is not checked here (the feed
 * runner checks every document). NULL when the text passes, else the
 * problem as jsoncheck_feed() words it, in why/size. */
#define JSON_INDEX_MAX ((size_t)UINT32_MAX - 1)
const char *jsoncheck_index(struct json_index *ix, const char *text, size_t len,
			    char *why, size_t size);

void json_index_release(struct json_index *ix);

/* The member of object node obj whose name is written exactly as name
 * (no escapes compared: the way sqlite 3.40's path lookup finds it), or
 * 0 when there is none or obj is not an object. */
uint32_t json_index_member(const struct json_index *ix, const char *text,
			   uint32_t obj, const char *name);

/* Whether node k is the string written exactly as s (quotes excluded). */
bool json_index_is(const struct json_index *ix, const char *text, uint32_t k,
		   const char *s);

#endif

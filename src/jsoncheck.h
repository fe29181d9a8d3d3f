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

#endif

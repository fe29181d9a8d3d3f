/* jsoncheck.c - the object-name pre-check of jsoncheck.h (RFC 8259 §4:
 * "An object structure is represented as a pair of curly brackets
 * surrounding zero or more name/value pairs ... A name is a string."). */
#include "jsoncheck.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#include "banned.h"

/* One bit per nesting level: set for an object, clear for an array. */
#define STACK_WORDS ((JSONCHECK_MAX_DEPTH + 63) / 64)

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The offset after the string starting at text[i] (a '"'), or len when it
 * is not closed. */
static size_t skip_string(const char *text, size_t len, size_t i)
{
	for (i++; i < len; i++) {
		if (text[i] == '\\')
			i++;
		else if (text[i] == '"')
			return i + 1;
	}
	return len;
}

/* The names of the objects still open (a stack: an object's names follow
 * those of the object holding it), for the repeat check. */
struct name {
	uint64_t hash;          /* FNV-1a of the bytes between the quotes */
	size_t off, len;
};

struct names {
	struct name *v;
	size_t n, alloc;
	size_t start[JSONCHECK_MAX_DEPTH];  /* first name of each open object */
	const char *repeated;   /* a name found twice, */
	size_t repeated_len;
};

static uint64_t fnv1a(const char *p, size_t n)
{
	uint64_t h = UINT64_C(14695981039346656037);
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * UINT64_C(1099511628211);
	return h;
}

static int cmp_name(const void *a, const void *b)
{
	const struct name *x = a, *y = b;

	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

/* Whether the names from nm->start[level] on are all different; pops
 * them. Few names are compared pairwise, many sorted by hash first. */
static bool names_unique(struct names *nm, const char *text, size_t level)
{
	struct name *v;
	size_t n = nm->n - nm->start[level], i, j;
	bool ok = true;

	/* An object without names ("{}") repeats none; v may still be NULL,
	 * and NULL + 0 is undefined. */
	if (!n)
		return true;
	v = nm->v + nm->start[level];

	if (n <= 8) {
		for (i = 0; ok && i < n; i++)
			for (j = i + 1; ok && j < n; j++)
				if (v[i].hash == v[j].hash && v[i].len == v[j].len &&
				    !memcmp(text + v[i].off, text + v[j].off, v[i].len))
					ok = false;
	} else {
		qsort(v, n, sizeof(*v), cmp_name);
		for (i = 0; ok && i + 1 < n; i++)
			/* Equal hashes are next to each other; compare
			 * the bytes of every pair of them. */
			for (j = i + 1; ok && j < n && v[j].hash == v[i].hash; j++)
				if (v[i].len == v[j].len &&
				    !memcmp(text + v[i].off, text + v[j].off, v[i].len))
					ok = false;
	}
	if (!ok) { /* both loops stepped i once past the pair */
		nm->repeated = text + v[i - 1].off;
		nm->repeated_len = v[i - 1].len;
	}
	nm->n = nm->start[level];
	return ok;
}

/* The scan of jsoncheck_keys(); with nm, also the repeat check. */
static bool scan(const char *text, size_t len, struct names *nm)
{
	uint64_t objects[STACK_WORDS];
	size_t depth = 0, i = 0;
	/* A name must come next: after '{' or after ',' in an object. */
	bool want_name = false, after_open = false;

	while (i < len) {
		char c = text[i];

		if (is_space(c)) {
			i++;
			continue;
		}
		if (want_name) {
			/* '}' only right after '{': "{}" is an empty object. */
			if (c == '"') {
				size_t end = skip_string(text, len, i);

				want_name = false;
				if (nm && end >= i + 2) {
					struct name *e;

					if (nm->n == nm->alloc) {
						nm->alloc = nm->alloc ? 2 * nm->alloc : 64;
						nm->v = xreallocarray(nm->v, nm->alloc,
								      sizeof(*nm->v));
					}
					e = &nm->v[nm->n++];
					e->off = i + 1;
					e->len = end - i - 2;
					e->hash = fnv1a(text + e->off, e->len);
				}
				i = end;
				continue;
			}
			if (!(c == '}' && after_open))
				return false;
			want_name = false;
		}
		after_open = false;
		switch (c) {
		case '"':
			i = skip_string(text, len, i);
			continue;
		case '{':
		case '[':
			if (depth == JSONCHECK_MAX_DEPTH)
				return false;
			if (c == '{') {
				objects[depth / 64] |= (uint64_t)1 << (depth % 64);
				if (nm)
					nm->start[depth] = nm->n;
			} else
				objects[depth / 64] &= ~((uint64_t)1 << (depth % 64));
			depth++;
			want_name = after_open = c == '{';
			break;
		case '}':
		case ']':
			if (depth == 0)
				return false;
			depth--;
			if (((objects[depth / 64] >> (depth % 64)) & 1) != (c == '}'))
				return false;
			if (c == '}' && nm && !names_unique(nm, text, depth))
				return false;
			break;
		case ',':
			want_name = depth > 0 &&
				    ((objects[(depth - 1) / 64] >> ((depth - 1) % 64)) & 1);
			break;
		default:
			break;
		}
		i++;
	}
	return !want_name && depth == 0;
}

bool jsoncheck_keys(const char *text, size_t len)
{
	return scan(text, len, NULL);
}

const char *jsoncheck_feed(const char *text, size_t len, char *why, size_t size)
{
	/* Not zeroed: start[] is written as objects open (16 KB a call). */
	struct names *nm = xmalloc(sizeof(*nm));
	bool ok;

	nm->v = NULL;
	nm->n = nm->alloc = 0;
	nm->repeated = NULL;
	nm->repeated_len = 0;
	ok = scan(text, len, nm);

	if (ok)
		why = NULL;
	else if (nm->repeated)
		snprintf(why, size, "an object name is repeated: '%.*s'",
			 (int)(nm->repeated_len > 64 ? 64 : nm->repeated_len),
			 nm->repeated);
	else
		snprintf(why, size, "not valid JSON");
	free(nm->v);
	free(nm);
	return why;
}

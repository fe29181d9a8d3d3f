/* jsoncheck.c - the checks and the structural index of jsoncheck.h
 * (RFC 8259; §4:
 * "An object structure is represented as a pair of curly brackets
 * surrounding zero or more name/value pairs ... A name is a string."). */
#include "jsoncheck.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
	uint64_t hash;          /* name_hash() of the bytes between the quotes */
	size_t off, len;
};

struct names {
	struct name *v;
	size_t n, alloc;
	size_t start[JSONCHECK_MAX_DEPTH];  /* first name of each open object */
	const char *repeated;   /* a name found twice, */
	size_t repeated_len;
};

/* The repeat check's hash of a name, eight bytes at a step (names are
 * short: "version", "lessThanOrEqual"). */
static uint64_t name_hash(const char *p, size_t n)
{
	uint64_t h = UINT64_C(14695981039346656037) ^ n, w;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * UINT64_C(1099511628211);
		h ^= h >> 29;
	}
	if (n) {
		w = 0;
		memcpy(&w, p, n);
		h = (h ^ w) * UINT64_C(1099511628211);
	}
	return h ^ (h >> 32);
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
					e->hash = name_hash(text + e->off, e->len);
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

/* The structural index (jsoncheck.h): one pass, validating the grammar
 * strictly as it goes. Most bytes of a pretty-printed feed record are
 * indentation and string contents, so both are skipped eight bytes at a
 * time. */

#define ONES  UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* Whether any byte of w is zero (exact as a yes/no; which byte is not
 * told). */
static inline uint64_t has_zero(uint64_t w)
{
	return (w - ONES) & ~w & HIGHS;
}

/* Whether any byte of w is below n (n <= 128). */
static inline uint64_t has_less(uint64_t w, unsigned n)
{
	return (w - ONES * n) & ~w & HIGHS;
}

/* Sixteen bytes at a time where SSE2 is there (every x86-64): a
 * bit mask of the bytes that end a run of spaces, or a string's plain
 * characters. Elsewhere the eight-byte words above do it. */
#if defined(__SSE2__)
#define WIDE 16

static inline unsigned not_space16(const char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

	return (unsigned)_mm_movemask_epi8(
		       _mm_cmpeq_epi8(v, _mm_set1_epi8(' '))) ^ 0xffffu;
}

/* '"', '\\' and the control characters below 0x20. */
static inline unsigned string_stop16(const char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i q = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
	__m128i b = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
	/* unsigned v < 0x20: max(v, 0x1f) == 0x1f */
	__m128i c = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)),
				   _mm_set1_epi8(0x1f));

	return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(q, b), c));
}
#endif

static size_t skip_space(const char *text, size_t len, size_t i)
{
	/* Most calls (after a name, before a comma) find no space. */
	if (i < len && (unsigned char)text[i] > ' ')
		return i;
	for (;;) {
#ifdef WIDE
		while (i + WIDE <= len) {
			unsigned m = not_space16(text + i);

			if (m) {
				i += (size_t)__builtin_ctz(m);
				goto other;
			}
			i += WIDE;
		}
#endif
		while (i + 8 <= len) {
			uint64_t w;

			memcpy(&w, text + i, 8);
			w ^= ONES * ' ';
			if (w) {
				/* Little-endian: the first byte that is not a
				 * space is the lowest non-zero one. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				i += (size_t)__builtin_ctzll(w) / 8;
#else
				while (text[i] == ' ')
					i++;
#endif
				break;
			}
			i += 8;
		}
#ifdef WIDE
other:
#endif
		if (i < len && (text[i] == ' ' || text[i] == '\n' ||
				text[i] == '\r' || text[i] == '\t')) {
			i++;
			continue;
		}
		return i;
	}
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* The offset after the string starting at text[i] (a '"'), or 0 when it
 * is not a JSON string (RFC 8259 §7: no unescaped control character, only
 * the escapes listed there). */
static size_t strict_string(const char *text, size_t len, size_t i)
{
	for (i++;;) {
#ifdef WIDE
		while (i + WIDE <= len) {
			unsigned m = string_stop16(text + i);

			if (m) {
				i += (size_t)__builtin_ctz(m);
				goto stop;
			}
			i += WIDE;
		}
#endif
		while (i + 8 <= len) {
			uint64_t w, hit;

			memcpy(&w, text + i, 8);
			hit = has_zero(w ^ (ONES * '"')) |
			      has_zero(w ^ (ONES * '\\')) | has_less(w, 0x20);
			if (hit) {
				/* The lowest bit set marks the first byte
				 * that matched: a false mark can only follow
				 * a true one (the borrow runs upwards). */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				i += (size_t)__builtin_ctzll(hit) / 8;
#endif
				break;
			}
			i += 8;
		}
#ifdef WIDE
stop:
#endif
		if (i >= len)
			return 0;
		switch (text[i]) {
		case '"':
			return i + 1;
		case '\\':
			if (i + 1 >= len)
				return 0;
			switch (text[i + 1]) {
			case '"': case '\\': case '/': case 'b': case 'f':
			case 'n': case 'r': case 't':
				i += 2;
				break;
			case 'u':
				if (len - i < 6 || !is_hex(text[i + 2]) ||
				    !is_hex(text[i + 3]) || !is_hex(text[i + 4]) ||
				    !is_hex(text[i + 5]))
					return 0;
				i += 6;
				break;
			default:
				return 0;
			}
			break;
		default:
			if ((unsigned char)text[i] < 0x20)
				return 0;
			i++;
		}
	}
}

static size_t digits(const char *text, size_t len, size_t i)
{
	while (i < len && text[i] >= '0' && text[i] <= '9')
		i++;
	return i;
}

/* The offset after the number starting at text[i], or 0 (RFC 8259 §6:
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?). */
static size_t strict_number(const char *text, size_t len, size_t i)
{
	size_t j;

	if (text[i] == '-')
		i++;
	if (i >= len)
		return 0;
	if (text[i] == '0')
		i++;
	else if (text[i] >= '1' && text[i] <= '9')
		i = digits(text, len, i + 1);
	else
		return 0;
	if (i < len && text[i] == '.') {
		j = digits(text, len, i + 1);
		if (j == i + 1)
			return 0;
		i = j;
	}
	if (i < len && (text[i] == 'e' || text[i] == 'E')) {
		i++;
		if (i < len && (text[i] == '+' || text[i] == '-'))
			i++;
		j = digits(text, len, i);
		if (j == i)
			return 0;
		i = j;
	}
	return i;
}

struct open_container {
	uint32_t node;
	uint32_t last;     /* its last child so far; 0: none */
	bool object;
};

static struct json_node *index_add(struct json_index *ix, uint32_t *at)
{
	if (ix->n == ix->alloc) {
		ix->alloc = ix->alloc ? 2 * ix->alloc : 256;
		ix->node = xreallocarray(ix->node, ix->alloc, sizeof(*ix->node));
	}
	*at = (uint32_t)ix->n;
	return &ix->node[ix->n++];
}

/* Notes a member name text[i..end) (end after the closing quote) for the
 * repeat check of the object at level. */
static void note_name(struct names *nm, const char *text, size_t i, size_t end)
{
	struct name *e;

	if (nm->n == nm->alloc) {
		nm->alloc = nm->alloc ? 2 * nm->alloc : 64;
		nm->v = xreallocarray(nm->v, nm->alloc, sizeof(*nm->v));
	}
	e = &nm->v[nm->n++];
	e->off = i + 1;
	e->len = end - i - 2;
	e->hash = name_hash(text + e->off, e->len);
}

static bool index_scan(struct json_index *ix, struct names *nm,
		       const char *text, size_t len)
{
	/* 2000 levels of 12 bytes: on the stack of any thread. */
	struct open_container open[JSONCHECK_MAX_DEPTH];
	size_t depth = 0, i = skip_space(text, len, 0), end;
	uint32_t name = 0, name_len = 0, at;
	struct json_node *v;

	for (;;) {
		/* A value starts at i; name/name_len name it in an object. */
		if (i >= len)
			return false;
		v = index_add(ix, &at);
		v->start = (uint32_t)i;
		v->name = name;
		v->name_len = name_len;
		v->next = 0;
		v->count = 0;
		name = name_len = 0;
		if (depth) {
			struct open_container *p = &open[depth - 1];

			if (p->last)
				ix->node[p->last].next = at;
			p->last = at;
			ix->node[p->node].count++;
		}
		switch (text[i]) {
		case '{':
		case '[':
			if (depth == JSONCHECK_MAX_DEPTH)
				return false;
			v->type = text[i];
			open[depth] = (struct open_container){ at, 0, text[i] == '{' };
			if (text[i] == '{')
				nm->start[depth] = nm->n;
			depth++;
			i = skip_space(text, len, i + 1);
			if (i < len && text[i] == (open[depth - 1].object ? '}' : ']'))
				goto close;
			if (!open[depth - 1].object)
				continue;
			goto member;
		case '"':
			v->type = '"';
			i = strict_string(text, len, i);
			if (!i)
				return false;
			break;
		case 't':
		case 'f':
		case 'n': {
			const char *word = text[i] == 't' ? "true"
					   : text[i] == 'f' ? "false" : "null";
			size_t n = strlen(word);

			if (len - i < n || memcmp(text + i, word, n))
				return false;
			v->type = text[i];
			i += n;
			break;
		}
		default:
			v->type = '0';
			i = strict_number(text, len, i);
			if (!i)
				return false;
			break;
		}
		ix->node[at].end = (uint32_t)i;
after:
		/* A value ended at i. */
		i = skip_space(text, len, i);
		if (!depth)
			return i == len;
		if (i >= len)
			return false;
		if (text[i] == ',') {
			i = skip_space(text, len, i + 1);
			if (!open[depth - 1].object)
				continue;
			goto member;
		}
		if (text[i] != (open[depth - 1].object ? '}' : ']'))
			return false;
close:
		/* text[i] closes the innermost container. */
		depth--;
		ix->node[open[depth].node].end = (uint32_t)(i + 1);
		if (open[depth].object && !names_unique(nm, text, depth))
			return false;
		i++;
		goto after;
member:
		/* An object member's name starts at i. */
		if (i >= len || text[i] != '"')
			return false;
		end = strict_string(text, len, i);
		if (!end)
			return false;
		note_name(nm, text, i, end);
		name = (uint32_t)(i + 1);
		name_len = (uint32_t)(end - i - 2);
		i = skip_space(text, len, end);
		if (i >= len || text[i] != ':')
			return false;
		i = skip_space(text, len, i + 1);
	}
}

const char *jsoncheck_index(struct json_index *ix, const char *text, size_t len,
			    char *why, size_t size)
{
	struct names *nm = ix->scratch;
	bool ok;

	if (!nm) {
		nm = xmalloc(sizeof(*nm));
		nm->v = NULL;
		nm->alloc = 0;
		ix->scratch = nm;
	}
	nm->n = 0;
	nm->repeated = NULL;
	nm->repeated_len = 0;
	ix->n = 0;
	ok = len <= JSON_INDEX_MAX && index_scan(ix, nm, text, len);
	if (ok)
		return NULL;
	if (nm->repeated)
		snprintf(why, size, "an object name is repeated: '%.*s'",
			 (int)(nm->repeated_len > 64 ? 64 : nm->repeated_len),
			 nm->repeated);
	else
		snprintf(why, size, "not valid JSON");
	ix->n = 0;
	return why;
}

void json_index_release(struct json_index *ix)
{
	struct names *nm = ix->scratch;

	if (nm)
		free(nm->v);
	free(nm);
	free(ix->node);
	*ix = (struct json_index)JSON_INDEX_INIT;
}

uint32_t json_index_member(const struct json_index *ix, const char *text,
			   uint32_t obj, const char *name)
{
	size_t n = strlen(name);
	uint32_t k;

	if (obj >= ix->n || ix->node[obj].type != '{' || !ix->node[obj].count)
		return 0;
	for (k = obj + 1; k; k = ix->node[k].next)
		if (ix->node[k].name_len == n &&
		    !memcmp(text + ix->node[k].name, name, n))
			return k;
	return 0;
}

bool json_index_is(const struct json_index *ix, const char *text, uint32_t k,
		   const char *s)
{
	size_t n = strlen(s);

	return k < ix->n && ix->node[k].type == '"' &&
	       ix->node[k].end - ix->node[k].start == n + 2 &&
	       !memcmp(text + ix->node[k].start + 1, s, n);
}

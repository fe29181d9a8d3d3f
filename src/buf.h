/* buf.h - a growable byte buffer with a hard maximum (curl's dynbuf).
 *
 * Every string Slipway builds from input goes through a buf so that no
 * input can make it grow without bound: an append that would pass `max`
 * fails with ERR_LIMIT and leaves the buffer as it was. The content is
 * always NUL-terminated (ptr is "" for an empty buffer, never NULL), so
 * ptr can be used as a C string when the content has no NUL bytes. */
#ifndef SLIPWAY_BUF_H
#define SLIPWAY_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *ptr;   /* owned; "" (static) until the first append */
	size_t len;  /* bytes used, not counting the terminating NUL */
	size_t cap;  /* bytes allocated, 0 while ptr is the static "" */
	size_t max;  /* most bytes the content may hold */
};

#define BUF_MAX_DEFAULT ((size_t)64 << 20)

/* Prepares an embedded buffer that may hold at most max bytes. */
void buf_init(struct buf *b, size_t max);
/* Frees the content; the buffer is empty and may be used again. */
void buf_release(struct buf *b);
/* Empties the buffer, keeping its allocation. */
void buf_reset(struct buf *b);
/* Hands the content to the caller (free() it) and empties the buffer.
 * Never returns NULL. */
char *buf_detach(struct buf *b, size_t *len);

/* Appends; each returns 0 or ERR_LIMIT, leaving the buffer unchanged on
 * failure. */
int buf_add(struct buf *b, const void *data, size_t len);
int buf_addstr(struct buf *b, const char *s);
int buf_addch(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Shortens the content to len bytes (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);

#endif

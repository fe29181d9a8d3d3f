/* xalloc.h - allocation that never returns NULL.
 *
 * Out of memory is not an input error Slipway can recover from, so these
 * abort with a message (tmux, git). Size multiplications are checked for
 * overflow. Free with plain free(). */
#ifndef SLIPWAY_XALLOC_H
#define SLIPWAY_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grows *array (of *alloc elements of size elem) so it holds at least
 * need elements, by doubling. */
void xgrow(void **array, size_t *alloc, size_t need, size_t elem);
#define XGROW(arr, alloc, need) \
	xgrow((void **)&(arr), &(alloc), (need), sizeof(*(arr)))

#endif

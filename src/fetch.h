/* fetch.h - Slipway's one HTTP(S) fetcher: a conditional GET of a feed
 * into a temporary file, hardened as curl's libcurl-security document and
 * STYLE.md 22 ask.
 *
 * Rules every download follows: HTTPS only (plain HTTP only when the
 * caller says the URL was configured as http:// for a mirror), the same for
 * redirects, at most 5 redirects, 15 s to connect, a total timeout, an
 * abort below 1 KB/s for 60 s, a byte cap enforced while receiving, TLS
 * peer and host verification always on, proxies from the environment
 * (http_proxy, https_proxy, no_proxy, as libcurl reads them), and a
 * User-Agent naming Slipway and its version. Timeouts, connection failures
 * and 5xx answers are tried again after 1 s and 2 s (3 tries in all);
 * 4xx answers are final.
 *
 * The body goes into an unlinked temporary file in $TMPDIR (or /tmp), not
 * memory: feeds reach hundreds of megabytes (OSV Debian all.zip, the
 * kernel CNA tarball), a file is paged by the kernel instead of growing a
 * heap buffer by doubling (twice the size at the peak), and the runner
 * maps it exactly like a file given to `slipway import`. */
#ifndef SLIPWAY_FETCH_H
#define SLIPWAY_FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

#define FETCH_MAX_BYTES_DEFAULT ((int64_t)512 << 20)
#define FETCH_TIMEOUT_DEFAULT 600L     /* seconds, whole transfer */
#define FETCH_TRIES 3

struct fetch_request {
	const char *url;
	bool allow_http;          /* the configured URL or mirror is http:// */
	long timeout;             /* seconds; <= 0: FETCH_TIMEOUT_DEFAULT */
	int64_t max_bytes;        /* <= 0: FETCH_MAX_BYTES_DEFAULT */
	const char *etag;         /* sent as If-None-Match; NULL: none */
	const char *last_modified;/* sent as If-Modified-Since; NULL: none */
	bool missing_ok;          /* a final 404 or 410 is an answer, not a
				     failure: fetch_get() returns 0 with
				     out->status 404/410 and no body (fd -1) */
	/* Called as body bytes arrive (total so far); may be NULL. */
	void (*progress)(void *ctx, int64_t bytes);
	void *progress_ctx;
};

struct fetch_result {
	long status;              /* the final HTTP status: 200, 304, (with
				     missing_ok) 404 or 410 */
	bool not_modified;        /* 304: the validators still hold */
	int fd;                   /* the body (200), read from offset 0; -1
				     when there is none (304) */
	int64_t size;             /* bytes in fd */
	char *etag;               /* the answer's validators, or NULL */
	char *last_modified;
	int tries;                /* attempts made */
};

/* Fetches req->url. On success (200 or 304) fills *out, which the caller
 * releases with fetch_result_release(); on failure returns ERR_NET (or
 * ERR_LIMIT for a body over the cap, ERR_USAGE for a URL whose scheme is
 * not allowed, ERR_IO when the temporary file fails) with "cannot fetch
 * 'URL': reason" in err, and *out holds nothing to release. */
int fetch_get(struct fetch_result *out, const struct fetch_request *req,
	      struct err *err);

#define FETCH_RESULT_INIT { .fd = -1 }

/* Closes the body and frees the validators. Accepts FETCH_RESULT_INIT. */
void fetch_result_release(struct fetch_result *res);

/* The URL to fetch for a feed whose default is url when the config names
 * a mirror: the mirror (a base URL, "http://mirror.lan/feeds") followed by
 * url's path and query. NULL mirror: a copy of url. Allocated. */
char *fetch_mirror_url(const char *url, const char *mirror);

/* The User-Agent every request sends. */
const char *fetch_user_agent(void);

#endif

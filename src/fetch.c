/* fetch.c - the hardened libcurl GET of fetch.h: conditional requests,
 * retries with backoff, a byte cap while receiving, the body in an
 * unlinked temporary file. */
#include "fetch.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "slipway-config.h"

#include "buf.h"
#include "xalloc.h"
#include "banned.h"

#define FETCH_CONNECT_TIMEOUT 15L
#define FETCH_MAX_REDIRS 5L
#define FETCH_LOW_SPEED_LIMIT 1024L   /* bytes per second ... */
#define FETCH_LOW_SPEED_TIME 60L      /* ... for this many seconds */
#define FETCH_HEADER_MAX 1024         /* longest validator we keep */

struct transfer {
	const struct fetch_request *req;
	int fd;
	int64_t max_bytes;
	int64_t size;          /* body bytes written */
	bool over_cap;
	bool write_failed;
	int write_errno;
	long status;           /* of the response being received */
	char *etag;
	char *last_modified;
};

const char *fetch_user_agent(void)
{
	return "slipway/" SLIPWAY_VERSION " (+https://github.com/slipway)";
}

static void global_init(void)
{
	static bool done;

	/* Slipway is single-threaded where it fetches; once is enough. */
	if (!done) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		done = true;
	}
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* "Name: value\r\n" -> value when the name matches, trimmed, else NULL. */
static char *header_value(const char *line, size_t n, const char *name)
{
	size_t len = strlen(name);
	const char *v;
	size_t vn;

	if (n <= len || strncasecmp(line, name, len) || line[len] != ':')
		return NULL;
	v = line + len + 1;
	vn = n - len - 1;
	while (vn && (*v == ' ' || *v == '\t')) {
		v++;
		vn--;
	}
	while (vn && (v[vn - 1] == '\r' || v[vn - 1] == '\n' || v[vn - 1] == ' '))
		vn--;
	if (!vn || vn > FETCH_HEADER_MAX || memchr(v, '\0', vn))
		return NULL;
	return xstrndup(v, vn);
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *userdata)
{
	struct transfer *t = userdata;
	size_t n = size * nmemb;
	char *v;

	/* A new status line starts a new response (after a redirect or a
	 * 100 Continue): validators of the previous one do not apply. */
	if (n > 5 && !strncmp(line, "HTTP/", 5)) {
		const char *sp = memchr(line, ' ', n);

		free(t->etag);
		free(t->last_modified);
		t->etag = t->last_modified = NULL;
		t->status = 0;
		if (sp && (size_t)(sp - line) + 4 <= n && isdigit((unsigned char)sp[1]) &&
		    isdigit((unsigned char)sp[2]) && isdigit((unsigned char)sp[3]))
			t->status = (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
		return n;
	}
	if ((v = header_value(line, n, "ETag"))) {
		free(t->etag);
		t->etag = v;
	} else if ((v = header_value(line, n, "Last-Modified"))) {
		free(t->last_modified);
		t->last_modified = v;
	}
	return n;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct transfer *t = userdata;
	size_t n = size * nmemb, done = 0;

	/* Error pages and redirect bodies are not the feed. */
	if (t->status < 200 || t->status > 299)
		return n;
	if ((int64_t)n > t->max_bytes - t->size) {
		t->over_cap = true;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	while (done < n) {
		ssize_t w = write(t->fd, data + done, n - done);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			t->write_failed = true;
			t->write_errno = errno;
			return 0;
		}
		done += (size_t)w;
	}
	t->size += (int64_t)n;
	if (t->req->progress)
		t->req->progress(t->req->progress_ctx, t->size);
	return n;
}

static int temp_file(struct err *err, const char *url)
{
	const char *dir = getenv("TMPDIR");
	struct buf path;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	buf_init(&path, 4096);
	if (buf_addf(&path, "%s/slipway-fetch-XXXXXX", dir)) {
		buf_release(&path);
		return err_set(err, ERR_IO, "cannot fetch '%s': TMPDIR is too long", url);
	}
	fd = mkstemp(path.ptr);
	if (fd < 0) {
		err_set(err, ERR_IO, "cannot fetch '%s': cannot create a file in '%s': %s",
			url, dir, strerror(errno));
		buf_release(&path);
		return ERR_IO;
	}
	/* Nobody else needs its name; it goes away with the descriptor. */
	unlink(path.ptr);
	buf_release(&path);
	return fd;
}

static bool transient(CURLcode code)
{
	switch (code) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return true;
	default:
		return false;
	}
}

/* Sets the options of STYLE.md 22 on a fresh handle. */
static int setup(CURL *h, struct transfer *t, struct curl_slist **headers,
		 char *errbuf, struct err *err)
{
	const struct fetch_request *req = t->req;
	const char *protocols = req->allow_http ? "http,https" : "https";
	long timeout = req->timeout > 0 ? req->timeout : FETCH_TIMEOUT_DEFAULT;
	struct buf line;
	CURLcode c = CURLE_OK;

#define SET(opt, val) \
	do { if (c == CURLE_OK) c = curl_easy_setopt(h, opt, val); } while (0)
	SET(CURLOPT_URL, req->url);
	SET(CURLOPT_PROTOCOLS_STR, protocols);
	SET(CURLOPT_REDIR_PROTOCOLS_STR, protocols);
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_MAXREDIRS, FETCH_MAX_REDIRS);
	SET(CURLOPT_CONNECTTIMEOUT, FETCH_CONNECT_TIMEOUT);
	SET(CURLOPT_TIMEOUT, timeout);
	SET(CURLOPT_LOW_SPEED_LIMIT, FETCH_LOW_SPEED_LIMIT);
	SET(CURLOPT_LOW_SPEED_TIME, FETCH_LOW_SPEED_TIME);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)t->max_bytes);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	SET(CURLOPT_USERAGENT, fetch_user_agent());
	SET(CURLOPT_ACCEPT_ENCODING, "");
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_ERRORBUFFER, errbuf);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, t);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, t);
#undef SET
	if (c != CURLE_OK)
		return err_set(err, ERR_NET, "cannot fetch '%s': %s", req->url,
			       curl_easy_strerror(c));
	buf_init(&line, 2 * FETCH_HEADER_MAX);
	if (req->etag && *req->etag && strlen(req->etag) <= FETCH_HEADER_MAX &&
	    !strpbrk(req->etag, "\r\n") &&
	    !buf_addf(&line, "If-None-Match: %s", req->etag))
		*headers = curl_slist_append(*headers, line.ptr);
	buf_reset(&line);
	if (req->last_modified && *req->last_modified &&
	    strlen(req->last_modified) <= FETCH_HEADER_MAX &&
	    !strpbrk(req->last_modified, "\r\n") &&
	    !buf_addf(&line, "If-Modified-Since: %s", req->last_modified))
		*headers = curl_slist_append(*headers, line.ptr);
	buf_release(&line);
	if (*headers && curl_easy_setopt(h, CURLOPT_HTTPHEADER, *headers) != CURLE_OK)
		return err_set(err, ERR_NET, "cannot fetch '%s': cannot set headers", req->url);
	return 0;
}

/* The reason a failed attempt gives, lowercase as messages are. */
static void describe(struct buf *out, CURLcode code, const char *errbuf)
{
	const char *text = errbuf[0] ? errbuf : curl_easy_strerror(code);

	buf_reset(out);
	if (buf_addstr(out, text))
		return;
	if (out->len && isupper((unsigned char)out->ptr[0]))
		out->ptr[0] = (char)tolower((unsigned char)out->ptr[0]);
}

int fetch_get(struct fetch_result *out, const struct fetch_request *req,
	      struct err *err)
{
	struct transfer t = { 0 };
	struct buf reason;
	long delay = 1000;
	int rc = ERR_NET, tries = 0;
	bool again = true;

	if (!req->url || (strncmp(req->url, "https://", 8) &&
			  !(req->allow_http && !strncmp(req->url, "http://", 7))))
		return err_set(err, ERR_USAGE,
			       "cannot fetch '%s': only https:// URLs are allowed%s",
			       req->url ? req->url : "", req->allow_http ? " (or http://)" : "");
	global_init();
	t.req = req;
	t.max_bytes = req->max_bytes > 0 ? req->max_bytes : FETCH_MAX_BYTES_DEFAULT;
	t.fd = temp_file(err, req->url);
	if (t.fd < 0)
		return ERR_IO;
	buf_init(&reason, 1024);
	while (again && tries < FETCH_TRIES) {
		char errbuf[CURL_ERROR_SIZE] = "";
		struct curl_slist *headers = NULL;
		CURL *h = curl_easy_init();
		CURLcode code;
		long status = 0;

		again = false;
		if (tries++ > 0) {
			sleep_ms(delay);
			delay *= 2;
		}
		if (ftruncate(t.fd, 0) || lseek(t.fd, 0, SEEK_SET) < 0) {
			rc = err_set(err, ERR_IO, "cannot fetch '%s': %s", req->url,
				     strerror(errno));
			curl_easy_cleanup(h);
			break;
		}
		t.size = 0;
		t.status = 0;
		if (!h) {
			rc = err_set(err, ERR_NET, "cannot fetch '%s': cannot start libcurl",
				     req->url);
			break;
		}
		rc = setup(h, &t, &headers, errbuf, err);
		if (rc == 0) {
			code = curl_easy_perform(h);
			curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
			if (t.over_cap || code == CURLE_FILESIZE_EXCEEDED) {
				rc = err_set(err, ERR_LIMIT,
					     "cannot fetch '%s': larger than the limit of %lld bytes (max-bytes)",
					     req->url, (long long)t.max_bytes);
			} else if (t.write_failed) {
				rc = err_set(err, ERR_IO, "cannot fetch '%s': cannot write the body: %s",
					     req->url, strerror(t.write_errno));
			} else if (code != CURLE_OK) {
				describe(&reason, code, errbuf);
				again = transient(code);
				rc = err_set(err, ERR_NET, "cannot fetch '%s': %s", req->url,
					     reason.ptr);
			} else if (status == 304 || (status >= 200 && status <= 299) ||
				   (req->missing_ok && (status == 404 || status == 410))) {
				rc = 0;
			} else {
				again = status >= 500;
				rc = err_set(err, ERR_NET, "cannot fetch '%s': HTTP %ld",
					     req->url, status);
			}
		}
		curl_slist_free_all(headers);
		curl_easy_cleanup(h);
		if (rc == 0) {
			memset(out, 0, sizeof(*out));
			out->status = status;
			out->not_modified = status == 304;
			out->tries = tries;
			out->etag = t.etag;
			out->last_modified = t.last_modified;
			if (out->not_modified || status == 404 || status == 410) {
				close(t.fd);
				out->fd = -1;
			} else {
				out->fd = t.fd;
				out->size = t.size;
			}
			buf_release(&reason);
			return 0;
		}
	}
	if (tries > 1 && rc == ERR_NET && err) {
		char msg[ERR_MSG_MAX];

		memcpy(msg, err->msg, sizeof(msg));
		err_set(err, rc, "%s (after %d tries)", msg, tries);
	}
	free(t.etag);
	free(t.last_modified);
	close(t.fd);
	buf_release(&reason);
	return rc;
}

void fetch_result_release(struct fetch_result *res)
{
	if (!res)
		return;
	if (res->fd >= 0)
		close(res->fd);
	res->fd = -1;
	free(res->etag);
	free(res->last_modified);
	res->etag = res->last_modified = NULL;
}

char *fetch_mirror_url(const char *url, const char *mirror)
{
	const char *scheme, *path;
	struct buf b;
	size_t mlen;

	if (!mirror || !*mirror)
		return xstrdup(url);
	scheme = strstr(url, "://");
	path = scheme ? strchr(scheme + 3, '/') : NULL;
	if (!path)
		path = "/";
	mlen = strlen(mirror);
	while (mlen && mirror[mlen - 1] == '/')
		mlen--;
	buf_init(&b, 16384);
	if (buf_add(&b, mirror, mlen) || buf_addstr(&b, path)) {
		buf_release(&b);
		return xstrdup(url);
	}
	return buf_detach(&b, NULL);
}

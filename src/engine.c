/* engine.c - the Docker Engine API / Podman compat API client of
 * engine.h: one curl multi handle drives every host of a run, each host a
 * small state machine (ping and version; list and info; inspects, the
 * images they name, swarm and pods). The API is the Docker Engine API as
 * documented in moby's api/swagger.yaml
 * (../shared/samples/engine/docker-api-swagger.yaml);
 * version negotiation follows its "Versioning" section (the client picks a
 * version between the daemon's MinAPIVersion and ApiVersion). JSON is only
 * checked and taken apart with sqlite's JSON1 through a private in-memory
 * store (STYLE.md 15); the engine part of a host report is put together
 * around the checked answers as they are. */
#include "engine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "slipway-config.h"

#include "buf.h"
#include "engine_ssh.h"
#include "store.h"
#include "xalloc.h"
#include "banned.h"

#define DEFAULT_TIMEOUT 60
#define DEFAULT_CONCURRENCY 16
/* Concatenated inspect answers of one host. */
#define HOST_ARRAY_MAX ((size_t)256 << 20)

enum scheme { SCHEME_UNIX, SCHEME_TCP, SCHEME_SSH };

/* What a request is for. */
enum req_kind {
	REQ_PING,
	REQ_VERSION,
	REQ_INFO,
	REQ_LIST,
	REQ_INSPECT,
	REQ_IMAGE,
	REQ_SERVICES,
	REQ_TASKS,
	REQ_NODES,
	REQ_PODS,
};

enum host_state {
	HS_SSH_WAIT,   /* waiting for the ssh forward's local socket */
	HS_PING,
	HS_VERSION,    /* /_ping and /version asked */
	HS_LIST,       /* /containers/json and /info asked */
	HS_DETAILS,    /* list in: inspects and the images they name, pods;
			  /info then swarm */
	HS_DONE,
};

struct req {
	enum req_kind kind;
	size_t idx;            /* REQ_INSPECT / REQ_IMAGE: slot */
	bool spec;             /* asked with the version /_ping told, before
				  /version confirmed it */
	char *path;            /* "/v1.41/containers/ID/json" */
};

struct host;

struct image {
	char *id;
	char *inspect;         /* NULL: gone (404) */
};

struct xfer {
	CURL *easy;
	struct host *h;
	struct req req;
	struct buf body;
	bool too_big;
	char errbuf[CURL_ERROR_SIZE];
};

struct host {
	const struct engine_target *t;
	size_t index;
	enum host_state state;
	bool failed;
	struct err err;

	enum scheme scheme;
	char *sock;            /* unix socket path (the forward's, for ssh) */
	char *base;            /* "http://localhost" or "https://HOST:PORT" */
	char *ca, *cert, *key; /* tcp:// */
	struct engine_ssh *ssh;

	long timeout;          /* seconds */
	long long deadline;    /* monotonic ms */

	char *ping_api;        /* API-Version header of /_ping */
	bool libpod;           /* /_ping had Libpod-Api-Version */
	bool pinged;           /* /_ping is in (asked with /version) */
	char api[16];          /* the version in the paths asked */
	bool api_sure;         /* api is what /version negotiates */
	bool spec_failed;      /* a request on a guessed api failed: */
	struct err spec_err;   /* its error, told if /version confirms api */

	struct engine_answers a;
	bool swarm_manager;

	char **ids;            /* containers to inspect */
	char **inspects;       /* their answers, NULL: gone (404) */
	long *img_of;          /* the image slot each one names, -1: none */
	size_t nids;
	struct image *imgs;    /* images named, in the order first seen */
	size_t nimgs, img_alloc;
	long *img_hash;        /* open addressing: slot in imgs, -1: free */
	size_t hash_size;

	struct req *queue;     /* requests not yet started */
	size_t nqueue, qalloc, qhead;
	int inflight;
	struct xfer **live;    /* transfers in the multi handle */
	size_t nlive, lalloc;
	char *list;            /* /containers/json until /info is in too */
	bool reported;
};

struct run {
	CURLM *multi;
	struct store *json;    /* private :memory: store for JSON1 */
	struct host *hosts;
	size_t n;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void engine_answers_release(struct engine_answers *a)
{
	if (!a)
		return;
	free(a->kind);
	free(a->api_version);
	free(a->version);
	free(a->info);
	free(a->containers);
	free(a->images);
	free(a->services);
	free(a->tasks);
	free(a->nodes);
	free(a->pods);
	memset(a, 0, sizeof(*a));
}

/* ---------------------------------------------------------------- versions */

/* "1.41" -> 1, 41. Returns 0, or -1 when s is not MAJOR.MINOR. */
static int api_parse(const char *s, long *maj, long *min)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*maj = strtol(s, &end, 10);
	if (errno || *end != '.' || end[1] < '0' || end[1] > '9')
		return -1;
	*min = strtol(end + 1, &end, 10);
	if (errno || *end || *maj > 999 || *min > 999)
		return -1;
	return 0;
}

static int api_cmp(long amaj, long amin, long bmaj, long bmin)
{
	if (amaj != bmaj)
		return amaj < bmaj ? -1 : 1;
	if (amin != bmin)
		return amin < bmin ? -1 : 1;
	return 0;
}

int engine_negotiate(char *out, size_t outsz, const char *max,
		     const char *min, struct err *err)
{
	long smaj, smin, lmaj, lmin, kmaj, kmin, cmaj, cmin, omaj, omin;

	if (api_parse(max, &smaj, &smin))
		return err_set(err, ERR_PARSE, "bad API version '%s'",
			       max ? max : "");
	api_parse(ENGINE_API_MAX, &kmaj, &kmin);
	api_parse(ENGINE_API_MIN, &omaj, &omin);
	if (api_cmp(smaj, smin, omaj, omin) < 0)
		return err_set(err, ERR_FAIL,
			       "engine API %ld.%ld is older than %s, the oldest Slipway speaks",
			       smaj, smin, ENGINE_API_MIN);
	cmaj = smaj;
	cmin = smin;
	if (api_cmp(cmaj, cmin, kmaj, kmin) > 0) {
		cmaj = kmaj;
		cmin = kmin;
	}
	/* An engine that no longer speaks our newest version (Docker 29 needs
	 * at least 1.44): speak its oldest; the fields read did not change. */
	if (min && !api_parse(min, &lmaj, &lmin) &&
	    api_cmp(cmaj, cmin, lmaj, lmin) < 0) {
		cmaj = lmaj;
		cmin = lmin;
	}
	snprintf(out, outsz, "%ld.%ld", cmaj, cmin);
	return 0;
}

/* ---------------------------------------------------------------- JSON */

/* "object", "array", ... or NULL when doc is not valid JSON. */
static char *json_kind(struct store *js, const char *doc, size_t len)
{
	char *t = NULL;
	struct err e;

	err_clear(&e);
	if (store_query_text(js, &t, &e,
			     "SELECT CASE WHEN json_valid(?1) THEN json_type(?1) END",
			     "b", doc, len))
		return NULL;
	return t;
}

static char *json_str(struct store *js, const char *doc, const char *path)
{
	char *t = NULL;
	struct err e;

	err_clear(&e);
	if (store_query_text(js, &t, &e, "SELECT json_extract(?, ?)", "ss",
			     doc, path))
		return NULL;
	return t;
}

/* The one-line message of an error answer: Docker's {"message": ...},
 * else the first line of the body. */
static void error_text(struct store *js, const struct buf *body, char *out,
		       size_t outsz)
{
	char *kind = json_kind(js, body->ptr, body->len);
	size_t n;

	out[0] = '\0';
	if (kind && !strcmp(kind, "object")) {
		char *m = json_str(js, body->ptr, "$.message");

		if (m)
			snprintf(out, outsz, "%s", m);
		free(m);
	}
	free(kind);
	if (!out[0]) {
		n = strcspn(body->ptr, "\r\n");
		if (n >= outsz)
			n = outsz - 1;
		memcpy(out, body->ptr, n);
		out[n] = '\0';
	}
}

/* Container and image ids go into URL paths: hex, or sha256:hex. */
static bool id_ok(const char *s)
{
	size_t i;

	if (!s || !*s || strlen(s) > 128)
		return false;
	for (i = 0; s[i]; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || c == ':' || c == '_' ||
		      c == '.' || c == '-'))
			return false;
	}
	return true;
}

/* ---------------------------------------------------------------- hosts */

static int host_fail(struct host *h, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int host_fail(struct host *h, int code, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	if (h->failed)
		return h->err.code;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	h->failed = true;
	h->state = HS_DONE;
	/* A host given as a URL is named once. */
	if (!h->t->name || !strcmp(h->t->name, h->t->url))
		return err_set(&h->err, code, "cannot inventory '%s': %s",
			       h->t->url, msg);
	return err_set(&h->err, code, "cannot inventory '%s' (%s): %s",
		       h->t->name, h->t->url, msg);
}

static void queue_push(struct host *h, enum req_kind kind, size_t idx,
		       const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void queue_push(struct host *h, enum req_kind kind, size_t idx,
		       const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b, 4096);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	XGROW(h->queue, h->qalloc, h->nqueue + 1);
	h->queue[h->nqueue].kind = kind;
	h->queue[h->nqueue].idx = idx;
	h->queue[h->nqueue].spec = kind != REQ_PING && kind != REQ_VERSION &&
				   !h->api_sure;
	h->queue[h->nqueue].path = buf_detach(&b, NULL);
	h->nqueue++;
}

/* /_ping and /version at once: /version needs nothing from /_ping, whose
 * headers only matter when /version lacks ApiVersion (after_version runs
 * when both are in). */
static void queue_ping(struct host *h)
{
	h->state = HS_VERSION;
	queue_push(h, REQ_PING, 0, "/_ping");
	queue_push(h, REQ_VERSION, 0, "/version");
}

static bool readable(const char *path, char *why, size_t whysz)
{
	if (access(path, R_OK)) {
		snprintf(why, whysz, "cannot read '%s': %s", path, strerror(errno));
		return false;
	}
	return true;
}

/* Resolves tls-ca/cert/key, from the cert directory for what is not given,
 * and refuses a key others can read (ssh does the same). */
static int tls_setup(struct host *h)
{
	const struct engine_target *t = h->t;
	const char *dir = t->cert_path;
	char why[ERR_MSG_MAX];
	struct stat st;
	struct buf b;

	if (!dir && !t->tls_ca && !t->tls_cert && !t->tls_key)
		dir = getenv("DOCKER_CERT_PATH");
	buf_init(&b, 4096);
	if (t->tls_ca)
		h->ca = xstrdup(t->tls_ca);
	else if (dir && !buf_addf(&b, "%s/ca.pem", dir))
		h->ca = buf_detach(&b, NULL);
	if (t->tls_cert)
		h->cert = xstrdup(t->tls_cert);
	else if (dir && !buf_addf(&b, "%s/cert.pem", dir))
		h->cert = buf_detach(&b, NULL);
	if (t->tls_key)
		h->key = xstrdup(t->tls_key);
	else if (dir && !buf_addf(&b, "%s/key.pem", dir))
		h->key = buf_detach(&b, NULL);
	buf_release(&b);
	if (!h->ca)
		return host_fail(h, ERR_CONFIG,
				 "tcp:// needs TLS: set tls-ca (and tls-cert, tls-key) or cert-path");
	if (!h->cert != !h->key)
		return host_fail(h, ERR_CONFIG,
				 "tls-cert and tls-key go together");
	if (!readable(h->ca, why, sizeof(why)) ||
	    (h->cert && !readable(h->cert, why, sizeof(why))) ||
	    (h->key && !readable(h->key, why, sizeof(why))))
		return host_fail(h, ERR_CONFIG, "%s", why);
	if (h->key) {
		if (stat(h->key, &st))
			return host_fail(h, ERR_CONFIG, "cannot read '%s': %s",
					 h->key, strerror(errno));
		if (st.st_mode & 077)
			return host_fail(h, ERR_CONFIG,
					 "refusing '%s': readable by others; chmod 600",
					 h->key);
	}
	return 0;
}

/* Splits the target URL; ssh:// starts the forward. */
static int host_setup(struct host *h)
{
	const char *url = h->t->url;
	struct err e;

	if (!url || !*url)
		return host_fail(h, ERR_CONFIG, "no engine URL");
	if (!strncmp(url, "unix://", 7)) {
		h->scheme = SCHEME_UNIX;
		if (url[7] != '/')
			return host_fail(h, ERR_CONFIG,
					 "unix:// needs an absolute path");
		h->sock = xstrdup(url + 7);
		h->base = xstrdup("http://localhost");
		h->state = HS_PING;
		/* libcurl would report a failed unix socket as "localhost
		 * port 80"; say what is wrong with the socket instead. */
		if (access(h->sock, F_OK))
			return host_fail(h, ERR_NET, "no socket at '%s' (is the engine running?)",
					 h->sock);
		if (access(h->sock, R_OK | W_OK))
			return host_fail(h, ERR_NET, "cannot use '%s': %s (root, or a member of "
					 "the socket's group, e.g. docker)", h->sock,
					 strerror(errno));
		return 0;
	}
	if (!strncmp(url, "tcp://", 6)) {
		const char *hp = url + 6;
		size_t n = strcspn(hp, "/?#");
		struct buf b;

		h->scheme = SCHEME_TCP;
		if (!n || hp[n] || hp[0] == '-' || strchr(hp, '@'))
			return host_fail(h, ERR_CONFIG,
					 "tcp:// URL must be tcp://HOST:PORT");
		if (tls_setup(h))
			return h->err.code;
		buf_init(&b, 1024);
		if (buf_addf(&b, "https://%.*s", (int)n, hp))
			return host_fail(h, ERR_CONFIG, "URL too long");
		h->base = buf_detach(&b, NULL);
		h->state = HS_PING;
		return 0;
	}
	if (!strncmp(url, "ssh://", 6)) {
		h->scheme = SCHEME_SSH;
		err_clear(&e);
		if (engine_ssh_start(&h->ssh, url, h->timeout, &e))
			return host_fail(h, e.code, "%s", e.msg);
		h->base = xstrdup("http://localhost");
		h->state = HS_SSH_WAIT;
		return 0;
	}
	return host_fail(h, ERR_CONFIG,
			 "unknown engine URL scheme (unix://, tcp://, ssh://)");
}

/* ---------------------------------------------------------------- requests */

static size_t write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct xfer *x = arg;
	size_t n = size * nmemb;

	if (buf_add(&x->body, ptr, n)) {
		x->too_big = true;
		return 0;
	}
	return n;
}

static void xfer_free(struct xfer *x)
{
	if (!x)
		return;
	if (x->easy)
		curl_easy_cleanup(x->easy);
	buf_release(&x->body);
	free(x->req.path);
	free(x);
}

static int req_start(struct run *r, struct host *h, struct req *rq)
{
	struct xfer *x = xcalloc(1, sizeof(*x));
	long long left = h->deadline - now_ms();
	struct buf url;

	x->h = h;
	x->req = *rq;
	rq->path = NULL;
	buf_init(&x->body, ENGINE_ANSWER_MAX);
	buf_init(&url, 8192);
	if (buf_addf(&url, "%s%s", h->base, x->req.path)) {
		buf_release(&url);
		xfer_free(x);
		return host_fail(h, ERR_LIMIT, "request URL too long");
	}
	if (left < 1)
		left = 1;
	x->easy = curl_easy_init();
	if (!x->easy) {
		buf_release(&url);
		xfer_free(x);
		return host_fail(h, ERR_NET, "cannot start a transfer");
	}
	curl_easy_setopt(x->easy, CURLOPT_URL, url.ptr);
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, (long)left);
	curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)(left < 30000 ? left : 30000));
	curl_easy_setopt(x->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(x->easy, CURLOPT_MAXFILESIZE_LARGE,
			 (curl_off_t)ENGINE_ANSWER_MAX);
	curl_easy_setopt(x->easy, CURLOPT_USERAGENT, "slipway/" SLIPWAY_VERSION);
	if (h->scheme == SCHEME_TCP) {
		curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "https");
		curl_easy_setopt(x->easy, CURLOPT_SSL_VERIFYPEER, 1L);
		curl_easy_setopt(x->easy, CURLOPT_SSL_VERIFYHOST, 2L);
		curl_easy_setopt(x->easy, CURLOPT_CAINFO, h->ca);
		if (h->cert) {
			curl_easy_setopt(x->easy, CURLOPT_SSLCERT, h->cert);
			curl_easy_setopt(x->easy, CURLOPT_SSLKEY, h->key);
		}
	} else {
		curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "http");
		curl_easy_setopt(x->easy, CURLOPT_UNIX_SOCKET_PATH,
				 h->scheme == SCHEME_SSH ? engine_ssh_socket(h->ssh)
							 : h->sock);
	}
	buf_release(&url);
	if (curl_multi_add_handle(r->multi, x->easy) != CURLM_OK) {
		xfer_free(x);
		return host_fail(h, ERR_NET, "cannot start a transfer");
	}
	h->inflight++;
	XGROW(h->live, h->lalloc, h->nlive + 1);
	h->live[h->nlive++] = x;
	return 0;
}

/* Starts queued requests up to the per-host limit; returns how many. */
static int host_pump(struct run *r, struct host *h)
{
	int started = 0;

	while (!h->failed && h->qhead < h->nqueue &&
	       h->inflight < ENGINE_HOST_PARALLEL) {
		if (req_start(r, h, &h->queue[h->qhead++]))
			break;
		started++;
	}
	return started;
}

/* The message for a transfer curl could not complete. */
static void curl_fail(struct host *h, struct xfer *x, CURLcode cc)
{
	const char *detail = x->errbuf[0] ? x->errbuf : curl_easy_strerror(cc);
	const char *p;

	switch (cc) {
	case CURLE_OPERATION_TIMEDOUT:
		host_fail(h, ERR_NET, "no answer within %ld s (GET %s)",
			  h->timeout, x->req.path);
		return;
	case CURLE_PEER_FAILED_VERIFICATION:
		p = strstr(detail, "problem: ");
		host_fail(h, ERR_NET, "TLS: certificate verify failed: %s",
			  p ? p + 9 : detail);
		return;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
		host_fail(h, ERR_NET, "TLS: %s", detail);
		return;
	case CURLE_COULDNT_CONNECT:
		/* On a unix socket libcurl speaks of "localhost port 80":
		 * the socket is there (engine_fetch() checked) but nothing
		 * listens, as after a crashed or stopped engine. */
		if (h->scheme == SCHEME_UNIX) {
			host_fail(h, ERR_NET, "GET %s: nothing listens on '%s'"
				  " (is the engine running?)", x->req.path, h->sock);
			return;
		}
		break;
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		if (x->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
			host_fail(h, ERR_LIMIT,
				  "answer to GET %s is larger than %zu MiB",
				  x->req.path, ENGINE_ANSWER_MAX >> 20);
			return;
		}
		break;
	default:
		break;
	}
	if (h->scheme == SCHEME_SSH && engine_ssh_failed(h->ssh)) {
		host_fail(h, ERR_NET, "ssh: %s", engine_ssh_error(h->ssh));
		return;
	}
	host_fail(h, ERR_NET, "GET %s: %c%s", x->req.path,
		  (detail[0] >= 'A' && detail[0] <= 'Z') ? detail[0] - 'A' + 'a'
							  : detail[0],
		  detail[0] ? detail + 1 : "");
}

/* Takes a validated answer out of the transfer. */
static char *take_json(struct run *r, struct host *h, struct xfer *x,
		       const char *want)
{
	char *kind = json_kind(r->json, x->body.ptr, x->body.len);
	bool ok = kind && (!want || !strcmp(kind, want));

	free(kind);
	if (!ok || memchr(x->body.ptr, '\0', x->body.len)) {
		host_fail(h, ERR_PARSE, "bad JSON in the answer to GET %s%s%s",
			  x->req.path, want ? ": expected an " : "",
			  want ? want : "");
		return NULL;
	}
	return buf_detach(&x->body, NULL);
}

/* Queues the container list and /info with the version in h->api. The
 * list goes first: the inspects wait for it, /info only the end. */
static void queue_lists(struct host *h)
{
	h->state = HS_LIST;
	queue_push(h, REQ_LIST, 0, "/v%s/containers/json?all=1", h->api);
	queue_push(h, REQ_INFO, 0, "/v%s/info", h->api);
}

/* /_ping is in and /version is not. The version the negotiation will
 * settle on is, but for a rare engine, the one /_ping's API-Version header
 * gives: the same daemon answers both, and its minimum cannot lift the
 * result above its own newest. The list and /info are asked with that
 * version at once rather than after /version, which dockerd is slow to
 * answer (it asks containerd and runc for their versions), so the list
 * and then the inspects stop waiting for it. after_version checks the
 * guess and asks again when it was wrong, so what is kept is always what
 * the negotiated version answered. */
static void speculate(struct host *h)
{
	struct err e;

	err_clear(&e);
	if (!h->ping_api ||
	    engine_negotiate(h->api, sizeof(h->api), h->ping_api, NULL, &e))
		return; /* no guess: after_version negotiates and asks */
	queue_lists(h);
}

/* Frees what the list, /info and what followed them brought. */
static void forget_details(struct host *h)
{
	free(h->list);
	h->list = NULL;
	free(h->a.info);
	free(h->a.services);
	free(h->a.tasks);
	free(h->a.nodes);
	free(h->a.pods);
	h->a.info = h->a.services = h->a.tasks = h->a.nodes = h->a.pods = NULL;
	h->swarm_manager = false;
	for (size_t i = 0; i < h->nids; i++) {
		free(h->ids[i]);
		if (h->inspects)
			free(h->inspects[i]);
	}
	free(h->ids);
	free(h->inspects);
	free(h->img_of);
	h->ids = h->inspects = NULL;
	h->img_of = NULL;
	h->nids = 0;
	for (size_t i = 0; i < h->nimgs; i++) {
		free(h->imgs[i].id);
		free(h->imgs[i].inspect);
	}
	free(h->imgs);
	free(h->img_hash);
	h->imgs = NULL;
	h->img_hash = NULL;
	h->nimgs = h->img_alloc = h->hash_size = 0;
}

/* Takes the requests asked with a guessed version out of the multi
 * handle and the queue. */
static void drop_guesses(struct run *r, struct host *h)
{
	size_t i = 0, keep = h->qhead;

	while (i < h->nlive) {
		struct xfer *x = h->live[i];

		if (!x->req.spec) {
			i++;
			continue;
		}
		curl_multi_remove_handle(r->multi, x->easy);
		h->live[i] = h->live[--h->nlive];
		h->inflight--;
		xfer_free(x);
	}
	for (i = h->qhead; i < h->nqueue; i++) {
		if (h->queue[i].spec)
			free(h->queue[i].path);
		else
			h->queue[keep++] = h->queue[i];
	}
	h->nqueue = keep;
}

static void after_version(struct run *r, struct host *h)
{
	char *max = json_str(r->json, h->a.version, "$.ApiVersion");
	char *min = json_str(r->json, h->a.version, "$.MinAPIVersion");
	long long podman = 0, bad = 0;
	char api[sizeof(h->api)];
	struct err e;

	err_clear(&e);
	/* What the findings read from /version (the Components' Name and
	 * Version, src/finding.c) must be text, as report import requires
	 * of the top-level Version (src/report.c version_spec). */
	if (store_query_int(r->json, &bad, &e,
			    "SELECT CASE WHEN coalesce(json_type(?1, '$.Components'), 'null')"
			    "  NOT IN ('array', 'null') THEN 1 ELSE"
			    " (SELECT count(*) FROM json_each(?1, '$.Components')"
			    "  WHERE type <> 'object'"
			    "  OR coalesce(json_type(value, '$.Name'), 'null') NOT IN ('text', 'null')"
			    "  OR coalesce(json_type(value, '$.Version'), 'null') NOT IN ('text', 'null'))"
			    " END",
			    "s", h->a.version) || bad) {
		host_fail(h, ERR_PARSE,
			  "bad answer to GET /version: 'Components' is not a list of"
			  " objects with text 'Name' and 'Version'");
		goto out;
	}
	if (!max && h->ping_api)
		max = xstrdup(h->ping_api);
	if (engine_negotiate(api, sizeof(api), max, min, &e)) {
		host_fail(h, e.code, "%s", e.msg);
		goto out;
	}
	/* Podman names its engine component "Podman Engine"; its /_ping also
	 * carries Libpod-Api-Version. */
	store_query_int(r->json, &podman, &e,
			"SELECT EXISTS (SELECT 1 FROM json_each(?, '$.Components')"
			" WHERE json_extract(value, '$.Name') LIKE 'Podman%')",
			"s", h->a.version);
	h->a.kind = xstrdup(podman || h->libpod ? "podman" : "docker");
	h->a.api_version = xstrdup(api);
	if (h->api[0] && !strcmp(h->api, api)) {
		/* the list and /info asked on /_ping's word were right */
		h->api_sure = true;
		if (h->spec_failed) {
			h->err = h->spec_err;
			h->failed = true;
			h->state = HS_DONE;
		} else if (h->state == HS_DETAILS && !strcmp(h->a.kind, "podman")) {
			queue_push(h, REQ_PODS, 0, "/v4.0.0/libpod/pods/json");
		}
		goto out;
	}
	if (h->api[0]) {
		drop_guesses(r, h);
		forget_details(h);
		h->spec_failed = false;
		err_clear(&h->spec_err);
	}
	memcpy(h->api, api, sizeof(api));
	h->api_sure = true;
	queue_lists(h);
out:
	free(max);
	free(min);
}

/* /info is in: a swarm manager is also asked for its services, tasks and
 * nodes. */
static void after_info(struct run *r, struct host *h)
{
	long long manager = 0;
	struct err e;

	err_clear(&e);
	store_query_int(r->json, &manager, &e,
			"SELECT coalesce(json_extract(?, '$.Swarm.ControlAvailable'), 0) = 1",
			"s", h->a.info);
	h->swarm_manager = manager;
	if (manager) {
		queue_push(h, REQ_SERVICES, 0, "/v%s/services?status=true", h->api);
		queue_push(h, REQ_TASKS, 0, "/v%s/tasks", h->api);
		queue_push(h, REQ_NODES, 0, "/v%s/nodes", h->api);
	}
}

/* The container list is in: queue the inspects (and Podman's pods, once
 * /version told it is Podman) at once, without waiting for /info, which
 * dockerd is slow to answer. */
static void after_list(struct run *r, struct host *h, char *list)
{
	struct store_rows rows = STORE_ROWS_INIT;
	size_t alloc = 0;
	struct err e;
	int rc;

	err_clear(&e);
	if (store_query(r->json, &rows, &e,
			"SELECT json_extract(value, '$.Id'), json_type(value, '$.Id')"
			" FROM json_each(?)",
			"s", list) == 0) {
		while ((rc = store_rows_next(&rows)) == 1) {
			const char *id = store_rows_text(&rows, 0);
			const char *type = store_rows_text(&rows, 1);

			/* An id is a string: a number would read as one. */
			if (!type || strcmp(type, "text") || !id_ok(id)) {
				host_fail(h, ERR_PARSE,
					  "bad container id in the answer to GET /v%s/containers/json",
					  h->api);
				break;
			}
			if (h->nids >= ENGINE_CONTAINERS_MAX) {
				host_fail(h, ERR_LIMIT, "more than %d containers",
					  ENGINE_CONTAINERS_MAX);
				break;
			}
			XGROW(h->ids, alloc, h->nids + 1);
			h->ids[h->nids++] = xstrdup(id);
		}
	}
	store_rows_done(&rows);
	if (h->failed)
		return;
	h->inspects = xcalloc(h->nids ? h->nids : 1, sizeof(char *));
	h->img_of = xcalloc(h->nids ? h->nids : 1, sizeof(long));
	for (size_t i = 0; i < h->nids; i++) {
		h->img_of[i] = -1;
		queue_push(h, REQ_INSPECT, i, "/v%s/containers/%s/json", h->api,
			   h->ids[i]);
	}
	if (h->a.kind && !strcmp(h->a.kind, "podman"))
		queue_push(h, REQ_PODS, 0, "/v4.0.0/libpod/pods/json");
	h->state = HS_DETAILS;
}

/* FNV-1a, for the table of image ids. */
static size_t str_hash(const char *s)
{
	size_t v = 2166136261u;

	for (; *s; s++)
		v = (v ^ (unsigned char)*s) * 16777619u;
	return v;
}

/* The slot of image id, a new one (and its inspect queued) when the host
 * names it first. The open-addressing table of slots keeps a host with
 * thousands of containers and images from comparing every pair. */
static long image_slot(struct host *h, const char *id)
{
	size_t mask, j;

	if (2 * (h->nimgs + 1) > h->hash_size) {
		size_t size = h->hash_size ? 2 * h->hash_size : 64;

		free(h->img_hash);
		h->img_hash = xcalloc(size, sizeof(long));
		h->hash_size = size;
		for (size_t i = 0; i < size; i++)
			h->img_hash[i] = -1;
		for (size_t i = 0; i < h->nimgs; i++) {
			for (j = str_hash(h->imgs[i].id) & (size - 1);
			     h->img_hash[j] >= 0; j = (j + 1) & (size - 1))
				;
			h->img_hash[j] = (long)i;
		}
	}
	mask = h->hash_size - 1;
	for (j = str_hash(id) & mask; h->img_hash[j] >= 0; j = (j + 1) & mask)
		if (!strcmp(h->imgs[h->img_hash[j]].id, id))
			return h->img_hash[j];
	XGROW(h->imgs, h->img_alloc, h->nimgs + 1);
	h->imgs[h->nimgs].id = xstrdup(id);
	h->imgs[h->nimgs].inspect = NULL;
	h->img_hash[j] = (long)h->nimgs;
	queue_push(h, REQ_IMAGE, h->nimgs, "/v%s/images/%s/json", h->api, id);
	/* ahead of the inspects still queued: few containers name an image
	 * first, and its answer should not be the last one waited for */
	if (h->qhead > 0 && h->qhead < h->nqueue - 1) {
		struct req rq = h->queue[--h->nqueue];

		h->queue[--h->qhead] = rq;
	}
	return (long)h->nimgs++;
}

/* One container's inspect is in. It is checked now, while the engine
 * still works on the others, in one pass of sqlite's JSON parser (its
 * cache serves the same text to every function of a statement), and the
 * image it names is asked for at once. The objects the stored columns
 * read paths under (State, HostConfig, Config; report.c CONTAINER_PATHS)
 * must be objects: a string there reads as every path absent. */
static void take_inspect(struct run *r, struct host *h, struct xfer *x)
{
	struct store_rows rows = STORE_ROWS_INIT;
	const char *kind = NULL, *image;
	bool ok, bad = false;
	long slot = -1;
	struct err e;

	err_clear(&e);
	ok = store_query(r->json, &rows, &e,
			 "SELECT CASE WHEN json_valid(?1) THEN json_type(?1) END,"
			 " CASE WHEN json_valid(?1) AND json_type(?1) = 'object' THEN"
			 "  coalesce(json_type(?1, '$.State'), 'null') NOT IN ('object', 'null')"
			 "  OR coalesce(json_type(?1, '$.Config'), 'null') NOT IN ('object', 'null')"
			 "  OR coalesce(json_type(?1, '$.HostConfig'), 'null')"
			 "   NOT IN ('object', 'null') END,"
			 " CASE WHEN json_valid(?1) AND json_type(?1) = 'object' THEN"
			 "  json_extract(?1, '$.Image') END",
			 "b", x->body.ptr, x->body.len) == 0 &&
	     store_rows_next(&rows) == 1 && (kind = store_rows_text(&rows, 0)) &&
	     !strcmp(kind, "object") && !memchr(x->body.ptr, '\0', x->body.len);
	if (ok) {
		bad = store_rows_int(&rows, 1) != 0;
		image = store_rows_text(&rows, 2);
		if (!bad && image && id_ok(image))
			slot = image_slot(h, image);
	}
	store_rows_done(&rows);
	if (!ok) {
		host_fail(h, ERR_PARSE,
			  "bad JSON in the answer to GET %s: expected an object",
			  x->req.path);
		return;
	}
	if (bad) {
		host_fail(h, ERR_PARSE,
			  "bad answer to GET /v%s/containers/ID/json: 'State', 'Config'"
			  " or 'HostConfig' is not an object", h->api);
		return;
	}
	h->img_of[x->req.idx] = slot;
	h->inspects[x->req.idx] = buf_detach(&x->body, NULL);
}

/* Joins validated JSON documents into one array. */
static int join_array(char **out, char *const *docs, size_t n, long *count)
{
	struct buf b;
	bool first = true;

	buf_init(&b, HOST_ARRAY_MAX);
	if (buf_addch(&b, '['))
		goto fail;
	*count = 0;
	for (size_t i = 0; i < n; i++) {
		if (!docs[i])
			continue;
		if ((!first && buf_addch(&b, ',')) || buf_addstr(&b, docs[i]))
			goto fail;
		first = false;
		(*count)++;
	}
	if (buf_addch(&b, ']'))
		goto fail;
	*out = buf_detach(&b, NULL);
	return 0;
fail:
	buf_release(&b);
	return ERR_LIMIT;
}

/* Everything is in: the inspects, in the list's order, and the images, in
 * the order the containers first name them. */
static void host_finish(struct host *h)
{
	char **docs;
	bool *taken;
	size_t n = 0;
	long count;
	int rc;

	if (join_array(&h->a.containers, h->inspects, h->nids,
		       &h->a.ncontainers)) {
		host_fail(h, ERR_LIMIT, "container inspect answers exceed %zu MiB",
			  HOST_ARRAY_MAX >> 20);
		return;
	}
	docs = xcalloc(h->nimgs ? h->nimgs : 1, sizeof(char *));
	taken = xcalloc(h->nimgs ? h->nimgs : 1, sizeof(bool));
	for (size_t i = 0; i < h->nids; i++) {
		long s = h->img_of[i];

		if (!h->inspects[i] || s < 0 || taken[s])
			continue;
		taken[s] = true;
		docs[n++] = h->imgs[s].inspect;
	}
	rc = join_array(&h->a.images, docs, n, &count);
	free(docs);
	free(taken);
	if (rc) {
		host_fail(h, ERR_LIMIT, "image inspect answers exceed %zu MiB",
			  HOST_ARRAY_MAX >> 20);
		return;
	}
	h->state = HS_DONE;
}

/* One transfer finished: its answer is taken. */
static void xfer_take(struct run *r, struct xfer *x, CURLcode cc)
{
	struct host *h = x->h;
	long status = 0;
	char msg[300];

	if (cc != CURLE_OK) {
		curl_fail(h, x, cc);
		return;
	}
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	if (x->req.kind == REQ_PING) {
		struct curl_header *hd;

		/* An old engine without /_ping still answers /version. */
		if (curl_easy_header(x->easy, "Api-Version", 0, CURLH_HEADER, -1,
				     &hd) == CURLHE_OK)
			h->ping_api = xstrdup(hd->value);
		if (curl_easy_header(x->easy, "Libpod-Api-Version", 0,
				     CURLH_HEADER, -1, &hd) == CURLHE_OK)
			h->libpod = true;
		h->pinged = true;
		if (h->a.version)
			after_version(r, h);
		else
			speculate(h);
		return;
	}
	if (status == 404 && (x->req.kind == REQ_INSPECT ||
			      x->req.kind == REQ_IMAGE ||
			      x->req.kind == REQ_PODS))
		return; /* removed since it was listed (a --rm container) */
	if (status < 200 || status > 299) {
		error_text(r->json, &x->body, msg, sizeof(msg));
		host_fail(h, ERR_NET, "GET %s: HTTP %ld%s%s", x->req.path, status,
			  msg[0] ? ": " : "", msg);
		return;
	}
	switch (x->req.kind) {
	case REQ_VERSION:
		if ((h->a.version = take_json(r, h, x, "object")) && h->pinged)
			after_version(r, h);
		break;
	case REQ_INFO:
		if ((h->a.info = take_json(r, h, x, "object")))
			after_info(r, h);
		break;
	case REQ_LIST:
		if ((h->list = take_json(r, h, x, "array")))
			after_list(r, h, h->list);
		break;
	case REQ_INSPECT:
		take_inspect(r, h, x);
		break;
	case REQ_IMAGE:
		h->imgs[x->req.idx].inspect = take_json(r, h, x, "object");
		break;
	case REQ_SERVICES:
		h->a.services = take_json(r, h, x, "array");
		break;
	case REQ_TASKS:
		h->a.tasks = take_json(r, h, x, "array");
		break;
	case REQ_NODES:
		h->a.nodes = take_json(r, h, x, "array");
		break;
	case REQ_PODS:
		h->a.pods = take_json(r, h, x, "array");
		break;
	case REQ_PING:
		break;
	}
}

/* One transfer finished. A request asked on a guessed version that
 * failed fails the host only if /version confirms the guess: then the
 * same request would have failed the same way (after_version). */
static void xfer_done(struct run *r, struct xfer *x, CURLcode cc)
{
	struct host *h = x->h;
	bool guess = x->req.spec && !h->api_sure;
	enum host_state state = h->state;

	h->inflight--;
	if (h->failed)
		return;
	xfer_take(r, x, cc);
	if (guess && h->failed) {
		h->spec_err = h->err;
		h->spec_failed = true;
		h->failed = false;
		err_clear(&h->err);
		h->state = state;
		drop_guesses(r, h);
	}
}

/* Moves a host on when its phase has nothing left in flight. */
static void host_advance(struct host *h)
{
	if (h->failed || h->inflight || h->qhead < h->nqueue || !h->api_sure)
		return;
	if (h->state == HS_DETAILS)
		host_finish(h);
}

static void host_start(struct host *h)
{
	h->timeout = h->t->timeout > 0 ? h->t->timeout : DEFAULT_TIMEOUT;
	h->deadline = now_ms() + h->timeout * 1000;
	if (host_setup(h))
		return;
	if (h->state == HS_PING)
		queue_ping(h);
}

static void host_release(struct host *h)
{
	engine_ssh_stop(h->ssh);
	h->ssh = NULL;
	free(h->sock);
	free(h->base);
	free(h->ca);
	free(h->cert);
	free(h->key);
	free(h->ping_api);
	free(h->live);
	forget_details(h);
	for (size_t i = h->qhead; i < h->nqueue; i++)
		free(h->queue[i].path);
	free(h->queue);
	engine_answers_release(&h->a);
}

/* Removes every transfer of a failed host from the multi handle. */
static void host_abort(struct run *r, struct host *h)
{
	while (h->nlive) {
		struct xfer *x = h->live[--h->nlive];

		curl_multi_remove_handle(r->multi, x->easy);
		xfer_free(x);
	}
	h->inflight = 0;
}

static void live_remove(struct host *h, struct xfer *x)
{
	for (size_t i = 0; i < h->nlive; i++)
		if (h->live[i] == x) {
			h->live[i] = h->live[--h->nlive];
			return;
		}
}

int engine_fetch_many(const struct engine_target *targets, size_t n,
		      int concurrency, engine_done_fn done, void *arg,
		      struct err *err)
{
	struct run r = { 0 };
	size_t next = 0, finished = 0;
	int active = 0, rc = -1;

	if (concurrency <= 0)
		concurrency = DEFAULT_CONCURRENCY;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return err_set(err, ERR_NET, "cannot initialise libcurl");
	r.multi = curl_multi_init();
	if (!r.multi) {
		err_set(err, ERR_NET, "cannot initialise libcurl");
		goto out;
	}
	r.hosts = xcalloc(n ? n : 1, sizeof(*r.hosts));
	r.n = n;
	for (size_t i = 0; i < n; i++) {
		r.hosts[i].t = &targets[i];
		r.hosts[i].index = i;
		err_clear(&r.hosts[i].err);
	}
	while (finished < n) {
		bool waiting = false, pinging = false;
		int left, running, started = 0;
		CURLMsg *m;

		while (active < concurrency && next < n) {
			host_start(&r.hosts[next++]);
			active++;
		}
		curl_multi_perform(r.multi, &running);
		while ((m = curl_multi_info_read(r.multi, &left))) {
			struct xfer *x = NULL;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			/* every answer but /_ping's headers is JSON */
			if (x->req.kind != REQ_PING && !r.json &&
			    store_open_scratch(&r.json, err)) {
				rc = err->code;
				goto out;
			}
			curl_multi_remove_handle(r.multi, m->easy_handle);
			live_remove(x->h, x);
			xfer_done(&r, x, m->data.result);
			xfer_free(x);
		}
		for (size_t i = 0; i < next; i++) {
			struct host *h = &r.hosts[i];

			if (h->state == HS_SSH_WAIT && !h->failed) {
				struct err e;
				int s;

				err_clear(&e);
				s = engine_ssh_poll(h->ssh, &e);
				if (s < 0)
					host_fail(h, e.code, "%s", e.msg);
				else if (s == 1) {
					h->state = HS_PING;
					queue_ping(h);
				} else if (now_ms() > h->deadline)
					host_fail(h, ERR_NET,
						  "ssh: no forward within %ld s",
						  h->timeout);
				else
					waiting = true;
			}
			if (h->reported)
				continue;
			host_advance(h);
			started += host_pump(&r, h);
			if (h->failed)
				host_abort(&r, h);
			if (h->state == HS_DONE && !h->inflight) {
				if (done)
					done(arg, i, h->t, h->failed ? NULL : &h->a,
					     h->failed ? h->err.code : 0, &h->err);
				host_release(h);
				h->reported = true;
				finished++;
				active--;
			} else if (h->state == HS_VERSION && !h->pinged) {
				pinging = true;
			}
		}
		if (finished >= n)
			break;
		/* requests just queued are sent by the next perform, now */
		if (started)
			continue;
		/* The JSON store (some 2 ms of schema work) is made while the
		 * engines work on the requests sent, but after /_ping is in,
		 * whose version the list is asked with at once. */
		if (!r.json && !pinging && store_open_scratch(&r.json, err)) {
			rc = err->code;
			goto out;
		}
		curl_multi_poll(r.multi, NULL, 0, waiting ? 20 : 200, NULL);
	}
	rc = 0;
out:
	if (r.multi) {
		for (size_t i = 0; i < r.n; i++)
			if (!r.hosts[i].reported) {
				host_abort(&r, &r.hosts[i]);
				host_release(&r.hosts[i]);
			}
		curl_multi_cleanup(r.multi);
	}
	free(r.hosts);
	store_close(r.json);
	return rc;
}

struct one {
	struct engine_answers *out;
	struct err *err;
	int rc;
};

static void one_done(void *arg, size_t index, const struct engine_target *t,
		     struct engine_answers *a, int rc, const struct err *err)
{
	struct one *o = arg;

	o->rc = rc;
	if (rc) {
		*o->err = *err;
		return;
	}
	*o->out = *a;
	memset(a, 0, sizeof(*a));
}

int engine_fetch(struct engine_answers *out, const struct engine_target *t,
		 struct err *err)
{
	struct one o = { .out = out, .err = err, .rc = ERR_FAIL };
	struct engine_answers tmp = { 0 };

	o.out = &tmp;
	if (engine_fetch_many(t, 1, 1, one_done, &o, err))
		return err->code;
	if (o.rc)
		return o.rc;
	*out = tmp;
	return 0;
}

/* ---------------------------------------------------------------- report */

/* A name Slipway made itself ("docker", "1.41"): JSON text as it is. */
static bool plain_word(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= 'A' && *s <= 'Z') || *s == '.' || *s == '-'))
			return false;
	return true;
}

/* The answers are JSON the client checked (take_json, join_array), so the
 * object is put together around them as they are: a json_object() over
 * them would parse and write every inspect once more. */
int engine_report_json(struct buf *out, const struct engine_answers *a,
		       int service_enabled, struct err *err)
{
	const char *enabled = service_enabled == 1 ? "true"
			      : service_enabled == 0 ? "false" : "null";

	if (!a->kind || !a->version || !a->info)
		return err_set(err, ERR_FAIL, "incomplete engine answers");
	if (!plain_word(a->kind) || (a->api_version && !plain_word(a->api_version)))
		return err_set(err, ERR_FAIL, "bad engine kind or API version");
	if (buf_addf(out, "{\"kind\":\"%s\",\"service_enabled\":%s,\"api_version\":",
		     a->kind, enabled) ||
	    (a->api_version ? buf_addf(out, "\"%s\"", a->api_version)
			    : buf_addstr(out, "null")) ||
	    buf_addstr(out, ",\"version\":") || buf_addstr(out, a->version) ||
	    buf_addstr(out, ",\"info\":") || buf_addstr(out, a->info) ||
	    buf_addstr(out, ",\"containers\":") ||
	    buf_addstr(out, a->containers ? a->containers : "[]") ||
	    buf_addstr(out, ",\"images\":") ||
	    buf_addstr(out, a->images ? a->images : "[]"))
		goto toobig;
	if ((a->services || a->tasks || a->nodes) &&
	    (buf_addstr(out, ",\"swarm\":{\"services\":") ||
	     buf_addstr(out, a->services ? a->services : "[]") ||
	     buf_addstr(out, ",\"tasks\":") ||
	     buf_addstr(out, a->tasks ? a->tasks : "[]") ||
	     buf_addstr(out, ",\"nodes\":") ||
	     buf_addstr(out, a->nodes ? a->nodes : "[]") || buf_addch(out, '}')))
		goto toobig;
	if (a->pods && (buf_addstr(out, ",\"pods\":") || buf_addstr(out, a->pods)))
		goto toobig;
	if (buf_addch(out, '}'))
		goto toobig;
	return 0;
toobig:
	return err_set(err, ERR_LIMIT, "engine report too large");
}

/* test_engine.c - unit tests of the engine client on the real Docker 20.10
 * and Podman 4.3 answers in ../shared/samples/engine (SLIPWAY_SAMPLES):
 * a tiny HTTP server on a unix socket (one thread per connection) serves
 * them, so the real client code runs: negotiation, Podman detection,
 * concurrent inspects, swarm answers, error answers, bad JSON, a body cut
 * short, a stall past the timeout, and several hosts at once where some
 * fail; and the list asked on /_ping's version before /version is in,
 * asked again when /version negotiates another. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "engine.h"
#include "engine_ssh.h"
#include "store.h"

/* ---------------------------------------------------------------- server */

enum how {
	SERVE_JSON,   /* the file as a 200 application/json body */
	SERVE_RAW,    /* the file is a raw HTTP response (curl -i, CR stripped) */
	SERVE_TRUNC,  /* the first 200 bytes of the file as a complete body */
	SERVE_CUT,    /* Content-Length of the whole file, half sent, close */
	SERVE_STALL,  /* read the request, never answer */
	SERVE_HUGE,   /* announces 70 000 000 bytes */
	SERVE_BYID,   /* file names a directory: the .json whose "Id" is in the path */
	SERVE_SLOW,   /* as SERVE_JSON, 300 ms late */
	SERVE_TEXT,   /* file is the JSON body itself */
	SERVE_TEXT_RAW, /* file is the raw HTTP response itself (LF lines) */
};

struct route {
	const char *prefix;   /* matched against the request path */
	enum how how;
	const char *file;     /* relative to the engine's sample directory */
};

struct fake {
	char dir[64];
	char sock[96];
	char root[1024];      /* samples/engine/<engine> */
	const struct route *routes;
	int fd;
	pthread_t thread;
	struct store *js;
	pthread_mutex_t lock;
	bool slow_sent;       /* a SERVE_SLOW answer went out */
	int early;            /* requests under /v1.41/containers/ before that */
};

struct conn {
	struct fake *f;
	int fd;
};

static const char *samples(void)
{
	const char *s = getenv("SLIPWAY_SAMPLES");

	return s ? s : "../shared/samples";
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	struct buf b;
	char chunk[65536];
	size_t n;

	if (!fp)
		return NULL;
	buf_init(&b, (size_t)256 << 20);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		ck_assert_int_eq(buf_add(&b, chunk, n), 0);
	fclose(fp);
	return buf_detach(&b, len);
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void send_head(int fd, int status, const char *reason, size_t len)
{
	char h[512];
	int n = snprintf(h, sizeof(h),
			 "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
			 "Api-Version: 1.41\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n",
			 status, reason, len);

	write_all(fd, h, (size_t)n);
}

/* A raw response file: LF headers become CRLF, Connection: close added. */
static void send_raw(int fd, const char *text, size_t len)
{
	const char *sep = strstr(text, "\n\n");
	struct buf b;
	size_t hl = sep ? (size_t)(sep - text) : len;

	buf_init(&b, (size_t)1 << 20);
	for (size_t i = 0; i < hl; i++) {
		if (text[i] == '\n')
			buf_addch(&b, '\r');
		buf_addch(&b, text[i]);
	}
	buf_addstr(&b, "\r\nConnection: close\r\n\r\n");
	if (sep)
		buf_add(&b, sep + 2, len - hl - 2);
	write_all(fd, b.ptr, b.len);
	buf_release(&b);
}

/* The file under dir whose "Id" is id. */
static char *find_by_id(struct fake *f, const char *dir, const char *id)
{
	char path[2048], *found = NULL;
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", f->root, dir);
	d = opendir(path);
	if (!d)
		return NULL;
	while (!found && (de = readdir(d))) {
		char file[4096], *text, *fid = NULL;
		size_t len;
		struct err e;

		if (!strstr(de->d_name, ".json") || strstr(de->d_name, "history"))
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
		text = slurp(file, &len);
		if (!text)
			continue;
		pthread_mutex_lock(&f->lock);
		if (!store_query_text(f->js, &fid, &e,
				      "SELECT json_extract(?, '$.Id')", "s", text) &&
		    fid && !strcmp(fid, id))
			found = strdup(file);
		pthread_mutex_unlock(&f->lock);
		free(fid);
		free(text);
	}
	closedir(d);
	return found;
}

static void *serve_conn(void *arg)
{
	struct conn *c = arg;
	struct fake *f = c->f;
	char req[8192], path[4096], file[4096];
	size_t got = 0;
	const struct route *r;
	char *text = NULL;
	size_t len = 0;

	while (got < sizeof(req) - 1) {
		ssize_t n = recv(c->fd, req + got, sizeof(req) - 1 - got, 0);

		if (n <= 0)
			goto out;
		got += (size_t)n;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	if (sscanf(req, "GET %4095s ", path) != 1)
		goto out;
	pthread_mutex_lock(&f->lock);
	if (!f->slow_sent && !strncmp(path, "/v1.41/containers/", 18))
		f->early++;
	pthread_mutex_unlock(&f->lock);
	for (r = f->routes; r->prefix; r++)
		if (!strncmp(path, r->prefix, strlen(r->prefix)))
			break;
	if (!r->prefix) {
		const char *nf = "{\"message\":\"page not found\"}\n";

		send_head(c->fd, 404, "Not Found", strlen(nf));
		write_all(c->fd, nf, strlen(nf));
		goto out;
	}
	if (r->how == SERVE_STALL) {
		sleep(30);
		goto out;
	}
	if (r->how == SERVE_HUGE) {
		send_head(c->fd, 200, "OK", 70000000);
		write_all(c->fd, "[", 1);
		goto out;
	}
	if (r->how == SERVE_TEXT || r->how == SERVE_TEXT_RAW) {
		len = strlen(r->file);
		text = strdup(r->file);
	} else if (r->how == SERVE_BYID) {
		char id[256];
		const char *p = path + strlen(r->prefix);
		size_t n = strcspn(p, "/");
		char *found;

		snprintf(id, sizeof(id), "%.*s", (int)n, p);
		found = find_by_id(f, r->file, id);
		if (!found) {
			const char *nf = "{\"message\":\"No such container\"}\n";

			send_head(c->fd, 404, "Not Found", strlen(nf));
			write_all(c->fd, nf, strlen(nf));
			goto out;
		}
		text = slurp(found, &len);
		free(found);
	} else {
		snprintf(file, sizeof(file), "%s/%s", f->root, r->file);
		text = slurp(file, &len);
	}
	if (!text)
		goto out;
	switch (r->how) {
	case SERVE_RAW:
	case SERVE_TEXT_RAW:
		send_raw(c->fd, text, len);
		break;
	case SERVE_SLOW:
		usleep(300000);
		pthread_mutex_lock(&f->lock);
		f->slow_sent = true;
		pthread_mutex_unlock(&f->lock);
		send_head(c->fd, 200, "OK", len);
		write_all(c->fd, text, len);
		break;
	case SERVE_TRUNC:
		if (len > 200)
			len = 200;
		send_head(c->fd, 200, "OK", len);
		write_all(c->fd, text, len);
		break;
	case SERVE_CUT:
		send_head(c->fd, 200, "OK", len);
		write_all(c->fd, text, len / 2);
		break;
	default:
		send_head(c->fd, 200, "OK", len);
		write_all(c->fd, text, len);
		break;
	}
out:
	free(text);
	close(c->fd);
	free(c);
	return NULL;
}

static void *serve(void *arg)
{
	struct fake *f = arg;

	for (;;) {
		int fd = accept(f->fd, NULL, NULL);
		struct conn *c;
		pthread_t t;

		if (fd < 0) {
			if (errno == EINTR)
				continue;
			return NULL;
		}
		c = malloc(sizeof(*c));
		c->f = f;
		c->fd = fd;
		pthread_create(&t, NULL, serve_conn, c);
		pthread_detach(t);
	}
}

/* Starts a fake engine serving engine/<engine> of the samples. */
static struct fake *fake_start(const char *engine, const struct route *routes)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct err e;

	snprintf(f->dir, sizeof(f->dir), "/tmp/slipway-te-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	snprintf(f->sock, sizeof(f->sock), "%s/engine.sock", f->dir);
	snprintf(f->root, sizeof(f->root), "%s/engine/%s", samples(), engine);
	f->routes = routes;
	pthread_mutex_init(&f->lock, NULL);
	ck_assert_int_eq(store_open(&f->js, ":memory:", &e), 0);
	f->fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(f->fd, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", f->sock);
	ck_assert_int_eq(bind(f->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(f->fd, 64), 0);
	ck_assert_int_eq(pthread_create(&f->thread, NULL, serve, f), 0);
	return f;
}

static void fake_url(const struct fake *f, char *out, size_t outsz)
{
	snprintf(out, outsz, "unix://%s", f->sock);
}

/* The test process exits after each test (Check forks), so the server
 * thread is left to die with it; the socket and directory are removed. */
static void fake_stop(struct fake *f)
{
	unlink(f->sock);
	rmdir(f->dir);
}

/* ---------------------------------------------------------------- routes */

static const struct route docker_routes[] = {
	{ "/_ping", SERVE_RAW, "ping.headers.txt" },
	{ "/version", SERVE_JSON, "version.json" },
	{ "/v1.41/info", SERVE_JSON, "info.json" },
	{ "/v1.41/containers/json", SERVE_JSON, "containers-json-all.json" },
	{ "/v1.41/containers/", SERVE_BYID, "containers" },
	{ "/v1.41/images/", SERVE_BYID, "images" },
	{ NULL, 0, NULL },
};

static const struct route podman_routes[] = {
	{ "/_ping", SERVE_RAW, "ping.headers.txt" },
	{ "/version", SERVE_JSON, "version.json" },
	{ "/v1.41/info", SERVE_JSON, "info.json" },
	{ "/v1.41/containers/json", SERVE_JSON, "containers-json-all.json" },
	{ "/v1.41/containers/", SERVE_BYID, "containers" },
	{ "/v1.41/images/", SERVE_BYID, "images" },
	{ "/v4.0.0/libpod/pods/json", SERVE_JSON, "libpod/pods-json.json" },
	{ NULL, 0, NULL },
};

static const struct route swarm_routes[] = {
	{ "/_ping", SERVE_RAW, "ping.headers.txt" },
	{ "/version", SERVE_JSON, "version.json" },
	{ "/v1.41/info", SERVE_JSON, "swarm/info-swarm-active.json" },
	{ "/v1.41/containers/json", SERVE_JSON, "swarm/containers-json-swarm-tasks.json" },
	{ "/v1.41/containers/", SERVE_BYID, "swarm" },
	{ "/v1.41/images/", SERVE_BYID, "images" },
	{ "/v1.41/services", SERVE_JSON, "swarm/services-status.json" },
	{ "/v1.41/tasks", SERVE_JSON, "swarm/tasks.json" },
	{ "/v1.41/nodes", SERVE_JSON, "swarm/nodes.json" },
	{ NULL, 0, NULL },
};

/* ---------------------------------------------------------------- helpers */

static struct store *js;

static void setup(void)
{
	struct err e;

	ck_assert_int_eq(store_open(&js, ":memory:", &e), 0);
}

static void teardown(void)
{
	store_close(js);
	js = NULL;
}

static long long jint(const char *doc, const char *path)
{
	long long v = -999;
	struct err e;

	ck_assert_int_eq(store_query_int(js, &v, &e,
					 "SELECT json_extract(?, ?)", "ss", doc, path), 0);
	return v;
}

static char *jtext(const char *doc, const char *path)
{
	char *v = NULL;
	struct err e;

	ck_assert_int_eq(store_query_text(js, &v, &e,
					  "SELECT json_extract(?, ?)", "ss", doc, path), 0);
	return v;
}

static long long qint(const char *sql, const char *doc)
{
	long long v = -999;
	struct err e;

	ck_assert_msg(store_query_int(js, &v, &e, sql, "s", doc) == 0, "%s", e.msg);
	return v;
}

static long long alen(const char *doc, const char *path)
{
	long long v = -999;
	struct err e;

	ck_assert_int_eq(store_query_int(js, &v, &e,
					 "SELECT json_array_length(?, ?)", "ss", doc, path), 0);
	return v;
}

static void assert_jtext(const char *doc, const char *path, const char *want)
{
	char *v = jtext(doc, path);

	ck_assert_msg(v && !strcmp(v, want), "%s: got '%s', want '%s'", path,
		      v ? v : "(null)", want);
	free(v);
}

static int fetch_one(const struct route *routes, const char *engine,
		     struct engine_answers *a, struct err *e, long timeout)
{
	struct fake *f = fake_start(engine, routes);
	struct engine_target t = { .name = "lab", .timeout = timeout };
	char url[256];
	int rc;

	fake_url(f, url, sizeof(url));
	t.url = url;
	err_clear(e);
	rc = engine_fetch(a, &t, e);
	fake_stop(f);
	return rc;
}

/* ---------------------------------------------------------------- tests */

START_TEST(negotiation_table)
{
	static const struct {
		const char *max, *min, *want;
		int rc;
	} cases[] = {
		{ "1.41", "1.12", "1.41", 0 },  /* Docker 20.10 */
		{ "1.41", "1.24", "1.41", 0 },  /* Podman 4.3 compat API */
		{ "1.52", "1.44", "1.47", 0 },  /* Docker 29: newer than we know */
		{ "1.52", "1.50", "1.50", 0 },  /* minimum above what we know */
		{ "1.47", NULL, "1.47", 0 },    /* only /_ping's header */
		{ "1.11", "1.0", NULL, ERR_FAIL }, /* older than we speak */
		{ "v1.41", NULL, NULL, ERR_PARSE },
		{ "", NULL, NULL, ERR_PARSE },
		{ NULL, NULL, NULL, ERR_PARSE },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[16] = "untouched";
		struct err e;
		int rc;

		err_clear(&e);
		rc = engine_negotiate(out, sizeof(out), cases[i].max, cases[i].min, &e);
		ck_assert_int_eq(rc, cases[i].rc);
		if (!rc)
			ck_assert_str_eq(out, cases[i].want);
		else {
			ck_assert_str_eq(out, "untouched");
			ck_assert_int_gt(strlen(e.msg), 0);
		}
	}
}
END_TEST

START_TEST(docker_full_inventory)
{
	struct engine_answers a = { 0 };
	struct err e;
	struct buf rep;

	ck_assert_msg(fetch_one(docker_routes, "docker", &a, &e, 10) == 0, "%s", e.msg);
	ck_assert_str_eq(a.kind, "docker");
	ck_assert_str_eq(a.api_version, "1.41");
	ck_assert_int_eq(a.ncontainers, 19);
	ck_assert_ptr_null(a.services);
	ck_assert_ptr_null(a.pods);
	buf_init(&rep, BUF_MAX_DEFAULT);
	ck_assert_int_eq(engine_report_json(&rep, &a, 1, &e), 0);
	assert_jtext(rep.ptr, "$.kind", "docker");
	assert_jtext(rep.ptr, "$.api_version", "1.41");
	ck_assert_int_eq(jint(rep.ptr, "$.service_enabled"), 1);
	ck_assert_int_eq(alen(rep.ptr, "$.containers"), 19);
	ck_assert_int_eq(alen(rep.ptr, "$.images"), 1);
	assert_jtext(rep.ptr, "$.images[0].Id",
		     "sha256:312550a1b668cd7654058fa13dd71eb0494c5ebd9b7596f198e94c808a61aaa2");
	ck_assert_int_eq(jint(rep.ptr, "$.info.LiveRestoreEnabled"), 0);
	ck_assert_int_eq(qint("SELECT json_type(?, '$.swarm') IS NULL", rep.ptr), 1);
	/* every inspect is kept whole: the names of the samples are there */
	ck_assert_int_eq(qint("SELECT count(*) FROM json_each(?, '$.containers')"
			      " WHERE json_extract(value, '$.Name') IN"
			      " ('/priv-always', '/autoremove-one', '/shop_worker_run_69246c987e50')",
			      rep.ptr), 3);
	buf_release(&rep);
	engine_answers_release(&a);
}
END_TEST


START_TEST(podman_detected_with_pods)
{
	struct engine_answers a = { 0 };
	struct err e;
	struct buf rep;

	ck_assert_msg(fetch_one(podman_routes, "podman", &a, &e, 10) == 0, "%s", e.msg);
	ck_assert_str_eq(a.kind, "podman");
	/* the compat API's 1.41, not libpod's 4.3.1 of the Components */
	ck_assert_str_eq(a.api_version, "1.41");
	ck_assert_int_eq(a.ncontainers, 15);
	ck_assert_ptr_nonnull(a.pods);
	buf_init(&rep, BUF_MAX_DEFAULT);
	ck_assert_int_eq(engine_report_json(&rep, &a, -1, &e), 0);
	assert_jtext(rep.ptr, "$.kind", "podman");
	ck_assert_int_eq(qint("SELECT json_type(?, '$.service_enabled') = 'null'", rep.ptr), 1);
	assert_jtext(rep.ptr, "$.pods[0].Name", "pm-pod");
	/* the pause image of the pod's infra container is among the images */
	ck_assert_int_eq(alen(rep.ptr, "$.images"), 2);
	ck_assert_int_eq(qint("SELECT count(*) FROM json_each(?, '$.images')"
			      " WHERE json_extract(value, '$.RepoTags[0]') LIKE '%podman-pause%'",
			      rep.ptr), 1);
	/* Podman's empty commits are kept as the engine said them */
	assert_jtext(rep.ptr, "$.info.RuncCommit.ID", "");
	/* the images in the order the containers first name them */
	ck_assert_int_eq(qint("SELECT (SELECT group_concat(json_extract(value, '$.Id'), ' ')"
			      "  FROM json_each(?1, '$.images')) ="
			      " (SELECT group_concat(i, ' ') FROM (SELECT DISTINCT"
			      "  json_extract(value, '$.Image') i FROM json_each(?1, '$.containers')))",
			      rep.ptr), 1);
	buf_release(&rep);
	engine_answers_release(&a);
}
END_TEST

START_TEST(swarm_manager_asks_services_tasks_nodes)
{
	struct engine_answers a = { 0 };
	struct err e;
	struct buf rep;

	ck_assert_msg(fetch_one(swarm_routes, "docker", &a, &e, 10) == 0, "%s", e.msg);
	ck_assert_int_eq(a.ncontainers, 3);
	ck_assert_ptr_nonnull(a.services);
	ck_assert_ptr_nonnull(a.tasks);
	ck_assert_ptr_nonnull(a.nodes);
	buf_init(&rep, BUF_MAX_DEFAULT);
	ck_assert_int_eq(engine_report_json(&rep, &a, 1, &e), 0);
	ck_assert_int_eq(alen(rep.ptr, "$.swarm.services"), 2);
	ck_assert_int_eq(alen(rep.ptr, "$.swarm.nodes"), 1);
	ck_assert_int_eq(qint("SELECT count(*) FROM json_each(?, '$.swarm.services')"
			      " WHERE json_extract(value, '$.ServiceStatus.RunningTasks') > 0",
			      rep.ptr), 2);
	ck_assert_int_eq(qint("SELECT count(*) FROM json_each(?, '$.containers')"
			      " WHERE json_extract(value, '$.Config.Labels.\"com.docker.swarm.service.name\"')"
			      " IN ('api', 'agent')", rep.ptr), 3);
	buf_release(&rep);
	engine_answers_release(&a);
}
END_TEST

/* Each failing answer: which route misbehaves, and what the one line says. */
static const struct route r_too_old[] = {
	{ "/_ping", SERVE_RAW, "ping.headers.txt" },
	{ "/version", SERVE_RAW, "errors/v1.11_version.txt" },
	{ NULL, 0, NULL },
};
static const struct route r_not_found[] = {
	{ "/_ping", SERVE_RAW, "ping.headers.txt" },
	{ "/version", SERVE_RAW, "errors/nope.txt" },
	{ NULL, 0, NULL },
};
static const struct route r_bad_info[] = {
	{ "/_ping", SERVE_RAW, "ping.headers.txt" },
	{ "/version", SERVE_JSON, "version.json" },
	{ "/v1.41/info", SERVE_TRUNC, "info.json" },
	{ "/v1.41/containers/json", SERVE_JSON, "containers-json-all.json" },
	{ NULL, 0, NULL },
};
static const struct route r_cut_list[] = {
	{ "/_ping", SERVE_RAW, "ping.headers.txt" },
	{ "/version", SERVE_JSON, "version.json" },
	{ "/v1.41/info", SERVE_JSON, "info.json" },
	{ "/v1.41/containers/json", SERVE_CUT, "containers-json-all.json" },
	{ NULL, 0, NULL },
};
static const struct route r_stall[] = {
	{ "/_ping", SERVE_RAW, "ping.headers.txt" },
	{ "/version", SERVE_JSON, "version.json" },
	{ "/v1.41/info", SERVE_STALL, "info.json" },
	{ "/v1.41/containers/json", SERVE_JSON, "containers-json-all.json" },
	{ NULL, 0, NULL },
};
static const struct route r_huge[] = {
	{ "/_ping", SERVE_RAW, "ping.headers.txt" },
	{ "/version", SERVE_JSON, "version.json" },
	{ "/v1.41/info", SERVE_JSON, "info.json" },
	{ "/v1.41/containers/json", SERVE_HUGE, "containers-json-all.json" },
	{ NULL, 0, NULL },
};
static const struct route r_version_not_object[] = {
	{ "/_ping", SERVE_RAW, "ping.headers.txt" },
	{ "/version", SERVE_JSON, "containers-json-all.json" },
	{ NULL, 0, NULL },
};

/* An engine newer than Slipway whose minimum is above ENGINE_API_MAX: the
 * list asked on /_ping's word (1.52, so 1.47) is refused, and asked again
 * with the 1.50 /version negotiates. */
#define PING_152 "HTTP/1.1 200 OK\nApi-Version: 1.52\nContent-Type: text/plain\n" \
	"Content-Length: 2\n\nOK"
#define VERSION_152 "{\"Version\": \"29.0.0\", \"ApiVersion\": \"1.52\"," \
	" \"MinAPIVersion\": \"1.50\", \"Components\": [{\"Name\": \"Engine\"," \
	" \"Version\": \"29.0.0\"}]}"
static const struct route r_min_above_ours[] = {
	{ "/_ping", SERVE_TEXT_RAW, PING_152 },
	{ "/version", SERVE_TEXT, VERSION_152 },
	{ "/v1.50/info", SERVE_JSON, "info.json" },
	{ "/v1.50/containers/json", SERVE_JSON, "containers-json-all.json" },
	{ "/v1.50/containers/", SERVE_BYID, "containers" },
	{ "/v1.50/images/", SERVE_BYID, "images" },
	{ NULL, 0, NULL },
};
static const struct route r_min_above_ours_bad_info[] = {
	{ "/_ping", SERVE_TEXT_RAW, PING_152 },
	{ "/version", SERVE_TEXT, VERSION_152 },
	{ "/v1.50/info", SERVE_TRUNC, "info.json" },
	{ "/v1.50/containers/json", SERVE_JSON, "containers-json-all.json" },
	{ "/v1.50/containers/", SERVE_BYID, "containers" },
	{ NULL, 0, NULL },
};
/* /_ping's header and /version disagree: /version wins. */
static const struct route r_ping_disagrees[] = {
	{ "/_ping", SERVE_TEXT_RAW, "HTTP/1.1 200 OK\nApi-Version: 1.40\n"
	  "Content-Length: 2\n\nOK" },
	{ "/version", SERVE_JSON, "version.json" },
	{ "/v1.41/info", SERVE_JSON, "info.json" },
	{ "/v1.41/containers/json", SERVE_JSON, "containers-json-all.json" },
	{ "/v1.41/containers/", SERVE_BYID, "containers" },
	{ "/v1.41/images/", SERVE_BYID, "images" },
	{ NULL, 0, NULL },
};
/* /version 300 ms late: the list and the inspects are asked meanwhile. */
static const struct route r_slow_version[] = {
	{ "/_ping", SERVE_RAW, "ping.headers.txt" },
	{ "/version", SERVE_SLOW, "version.json" },
	{ "/v1.41/info", SERVE_JSON, "info.json" },
	{ "/v1.41/containers/json", SERVE_JSON, "containers-json-all.json" },
	{ "/v1.41/containers/", SERVE_BYID, "containers" },
	{ "/v1.41/images/", SERVE_BYID, "images" },
	{ NULL, 0, NULL },
};
/* Podman's pods are asked once /version says it is Podman, after the
 * list that came first. */
static const struct route r_slow_version_podman[] = {
	{ "/_ping", SERVE_RAW, "ping.headers.txt" },
	{ "/version", SERVE_SLOW, "version.json" },
	{ "/v1.41/info", SERVE_JSON, "info.json" },
	{ "/v1.41/containers/json", SERVE_JSON, "containers-json-all.json" },
	{ "/v1.41/containers/", SERVE_BYID, "containers" },
	{ "/v1.41/images/", SERVE_BYID, "images" },
	{ "/v4.0.0/libpod/pods/json", SERVE_JSON, "libpod/pods-json.json" },
	{ NULL, 0, NULL },
};
/* A failing answer to a request asked on /_ping's version, and /version
 * failing too: /version's failure is told, as when nothing was asked
 * before it. */
static const struct route r_version_fails_late[] = {
	{ "/_ping", SERVE_RAW, "ping.headers.txt" },
	{ "/version", SERVE_SLOW, "containers-json-all.json" },
	{ "/v1.41/info", SERVE_TRUNC, "info.json" },
	{ "/v1.41/containers/json", SERVE_CUT, "containers-json-all.json" },
	{ NULL, 0, NULL },
};

static const struct {
	const struct route *routes;
	const char *engine;
	int code;
	const char *says;
} failures[] = {
	{ r_too_old, "docker", ERR_NET,
	  "GET /version: HTTP 400: client version 1.11 is too old. Minimum supported API version is 1.12" },
	{ r_not_found, "docker", ERR_NET, "GET /version: HTTP 404: page not found" },
	{ r_not_found, "podman", ERR_NET, "GET /version: HTTP 404: Not Found" },
	{ r_bad_info, "docker", ERR_PARSE, "bad JSON in the answer to GET /v1.41/info" },
	{ r_cut_list, "docker", ERR_NET, "GET /v1.41/containers/json?all=1: transfer closed" },
	{ r_stall, "docker", ERR_NET, "no answer within 2 s (GET /v1.41/info)" },
	{ r_huge, "docker", ERR_LIMIT, "answer to GET /v1.41/containers/json?all=1 is larger than 64 MiB" },
	{ r_version_not_object, "docker", ERR_PARSE,
	  "bad JSON in the answer to GET /version: expected an object" },
	{ r_version_fails_late, "docker", ERR_PARSE,
	  "bad JSON in the answer to GET /version: expected an object" },
	{ r_min_above_ours_bad_info, "docker", ERR_PARSE,
	  "bad JSON in the answer to GET /v1.50/info" },
};

START_TEST(failing_answers_fail_the_host_with_one_line)
{
	struct engine_answers a = { 0 };
	struct err e;
	char prefix[512];
	time_t t0 = time(NULL);
	int rc;

	rc = fetch_one(failures[_i].routes, failures[_i].engine, &a, &e, 2);
	ck_assert_int_eq(rc, failures[_i].code);
	ck_assert_int_eq(e.code, failures[_i].code);
	ck_assert_msg(strstr(e.msg, failures[_i].says), "message: %s", e.msg);
	snprintf(prefix, sizeof(prefix), "cannot inventory 'lab' (unix:///tmp/slipway-te-");
	ck_assert_msg(!strncmp(e.msg, prefix, strlen(prefix)), "message: %s", e.msg);
	ck_assert_ptr_null(strchr(e.msg, '\n'));
	ck_assert_ptr_null(a.kind); /* out untouched */
	ck_assert_int_le(time(NULL) - t0, 8);
}
END_TEST

static const struct route r_inspect_gone[] = {
	{ "/_ping", SERVE_RAW, "ping.headers.txt" },
	{ "/version", SERVE_JSON, "version.json" },
	{ "/v1.41/info", SERVE_JSON, "info.json" },
	{ "/v1.41/containers/json", SERVE_JSON, "containers-json-all.json" },
	{ "/v1.41/containers/", SERVE_RAW, "errors/v1.41_containers_doesnotexist_json.txt" },
	{ NULL, 0, NULL },
};

START_TEST(list_asked_on_ping_version_is_asked_again_when_wrong)
{
	struct engine_answers a = { 0 };
	struct err e;

	ck_assert_msg(fetch_one(r_min_above_ours, "docker", &a, &e, 10) == 0, "%s", e.msg);
	ck_assert_str_eq(a.api_version, "1.50");
	ck_assert_int_eq(a.ncontainers, 19);
	ck_assert_int_eq(alen(a.images, "$"), 1);
	ck_assert_ptr_nonnull(a.info);
	engine_answers_release(&a);

	ck_assert_msg(fetch_one(r_ping_disagrees, "docker", &a, &e, 10) == 0, "%s", e.msg);
	ck_assert_str_eq(a.api_version, "1.41");
	ck_assert_int_eq(a.ncontainers, 19);
	engine_answers_release(&a);
}
END_TEST

START_TEST(list_and_inspects_do_not_wait_for_version)
{
	struct fake *f = fake_start("docker", r_slow_version);
	struct engine_target t = { .name = "lab", .timeout = 10 };
	struct engine_answers a = { 0 };
	char url[256];
	struct err e;

	fake_url(f, url, sizeof(url));
	t.url = url;
	err_clear(&e);
	ck_assert_msg(engine_fetch(&a, &t, &e) == 0, "%s", e.msg);
	ck_assert_str_eq(a.api_version, "1.41");
	ck_assert_int_eq(a.ncontainers, 19);
	/* the list and inspects were asked before /version answered (all
	 * 1 + 19 of them on an idle machine; a slow one may not get that far
	 * in 300 ms) */
	pthread_mutex_lock(&f->lock);
	ck_assert_int_ge(f->early, 2);
	ck_assert_int_le(f->early, 1 + 19);
	pthread_mutex_unlock(&f->lock);
	engine_answers_release(&a);
	fake_stop(f);

	ck_assert_msg(fetch_one(r_slow_version_podman, "podman", &a, &e, 10) == 0,
		      "%s", e.msg);
	ck_assert_str_eq(a.kind, "podman");
	ck_assert_int_eq(a.ncontainers, 15);
	ck_assert_ptr_nonnull(a.pods);
	engine_answers_release(&a);
}
END_TEST

START_TEST(container_gone_between_list_and_inspect_is_skipped)
{
	struct engine_answers a = { 0 };
	struct err e;

	ck_assert_msg(fetch_one(r_inspect_gone, "docker", &a, &e, 10) == 0, "%s", e.msg);
	ck_assert_int_eq(a.ncontainers, 0);
	ck_assert_str_eq(a.containers, "[]");
	ck_assert_str_eq(a.images, "[]");
	engine_answers_release(&a);
}
END_TEST

START_TEST(refused_socket_names_host_and_url)
{
	struct engine_target t = { .name = "web-1",
				   .url = "unix:///nonexistent/slipway/docker.sock",
				   .timeout = 5 };
	struct engine_answers a = { 0 };
	struct err e;

	char dir[] = "/tmp/slipway-refused-XXXXXX", path[108], url[160], want[256];
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	err_clear(&e);
	ck_assert_int_eq(engine_fetch(&a, &t, &e), ERR_NET);
	ck_assert_str_eq(e.msg, "cannot inventory 'web-1' (unix:///nonexistent/slipway/docker.sock):"
				" no socket at '/nonexistent/slipway/docker.sock' (is the engine running?)");
	ck_assert_ptr_null(a.kind);

	/* A socket nobody accepts on (bound, not listening): the transfer's
	 * own reason, after the request that failed. */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/docker.sock", dir);
	snprintf(url, sizeof(url), "unix://%s", path);
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	t.url = url;
	err_clear(&e);
	ck_assert_int_eq(engine_fetch(&a, &t, &e), ERR_NET);
	snprintf(want, sizeof(want), "cannot inventory 'web-1' (%s): GET /_ping: ", url);
	ck_assert_msg(!strncmp(e.msg, want, strlen(want)), "%s", e.msg);
	snprintf(want, sizeof(want), "nothing listens on '%s' (is the engine running?)", path);
	ck_assert_msg(strstr(e.msg, want), "%s", e.msg);
	ck_assert_ptr_null(a.kind);
	close(fd);
	snprintf(path, sizeof(path), "%s/docker.sock", dir);
	unlink(path);
	rmdir(dir);
}
END_TEST

struct outcome {
	int rc[4];
	char kind[4][16];
	char msg[4][ERR_MSG_MAX];
	size_t order[4], n;
};

static void record(void *arg, size_t index, const struct engine_target *t,
		   struct engine_answers *a, int rc, const struct err *err)
{
	struct outcome *o = arg;

	o->rc[index] = rc;
	if (a)
		snprintf(o->kind[index], sizeof(o->kind[index]), "%s", a->kind);
	else
		snprintf(o->msg[index], sizeof(o->msg[index]), "%s", err->msg);
	o->order[o->n++] = index;
}

START_TEST(many_hosts_one_failure_does_not_stop_the_others)
{
	struct fake *d = fake_start("docker", docker_routes);
	struct fake *p = fake_start("podman", podman_routes);
	struct fake *st = fake_start("docker", r_stall);
	char u0[256], u1[256], u2[256];
	struct engine_target t[4] = {
		{ .name = "stalls", .timeout = 2 },
		{ .name = "dock", .timeout = 10 },
		{ .name = "gone", .url = "unix:///nonexistent/podman.sock", .timeout = 10 },
		{ .name = "pod", .timeout = 10 },
	};
	struct outcome o = { { 0 } };
	struct err e;

	fake_url(st, u0, sizeof(u0));
	fake_url(d, u1, sizeof(u1));
	fake_url(p, u2, sizeof(u2));
	t[0].url = u0;
	t[1].url = u1;
	t[3].url = u2;
	err_clear(&e);
	ck_assert_int_eq(engine_fetch_many(t, 4, 2, record, &o, &e), 0);
	ck_assert_int_eq(o.n, 4);
	ck_assert_int_eq(o.rc[0], ERR_NET);
	ck_assert_msg(strstr(o.msg[0], "cannot inventory 'stalls'") &&
		      strstr(o.msg[0], "no answer within 2 s"), "%s", o.msg[0]);
	ck_assert_int_eq(o.rc[1], 0);
	ck_assert_str_eq(o.kind[1], "docker");
	ck_assert_int_eq(o.rc[2], ERR_NET);
	ck_assert_msg(strstr(o.msg[2], "cannot inventory 'gone'"), "%s", o.msg[2]);
	ck_assert_int_eq(o.rc[3], 0);
	ck_assert_str_eq(o.kind[3], "podman");
	/* the stalled host did not hold the queue: it finished last */
	ck_assert_int_eq(o.order[3], 0);
	fake_stop(d);
	fake_stop(p);
	fake_stop(st);
}
END_TEST

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
	ck_assert_int_eq(chmod(path, mode), 0);
}

START_TEST(tls_material_checked_before_connecting)
{
	char dir[] = "/tmp/slipway-te-tls-XXXXXX", ca[128], cert[128], key[128];
	struct engine_target t = { .name = "web-1", .url = "tcp://127.0.0.1:1",
				   .timeout = 5 };
	struct engine_answers a = { 0 };
	char want[512];
	struct err e;

	unsetenv("DOCKER_CERT_PATH");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	err_clear(&e);
	ck_assert_int_eq(engine_fetch(&a, &t, &e), ERR_CONFIG);
	ck_assert_str_eq(e.msg, "cannot inventory 'web-1' (tcp://127.0.0.1:1): tcp:// needs TLS:"
			 " set tls-ca (and tls-cert, tls-key) or cert-path");
	snprintf(ca, sizeof(ca), "%s/ca.pem", dir);
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	snprintf(key, sizeof(key), "%s/key.pem", dir);
	write_file(ca, "-----BEGIN CERTIFICATE-----\n", 0644);
	write_file(cert, "-----BEGIN CERTIFICATE-----\n", 0644);
	write_file(key, "-----BEGIN PRIVATE KEY-----\n", 0640);
	t.cert_path = dir;
	ck_assert_int_eq(engine_fetch(&a, &t, &e), ERR_CONFIG);
	snprintf(want, sizeof(want),
		 "cannot inventory 'web-1' (tcp://127.0.0.1:1): refusing '%s': readable by others; chmod 600",
		 key);
	ck_assert_str_eq(e.msg, want);
	/* DOCKER_CERT_PATH is the directory when no host key names one */
	t.cert_path = NULL;
	setenv("DOCKER_CERT_PATH", dir, 1);
	ck_assert_int_eq(engine_fetch(&a, &t, &e), ERR_CONFIG);
	ck_assert_str_eq(e.msg, want);
	unsetenv("DOCKER_CERT_PATH");
	/* with the key private, the (bogus) certificate reaches curl: TLS fails */
	ck_assert_int_eq(chmod(key, 0600), 0);
	t.cert_path = dir;
	ck_assert_int_eq(engine_fetch(&a, &t, &e), ERR_NET);
	ck_assert_ptr_null(a.kind);
	unlink(ca);
	unlink(cert);
	unlink(key);
	rmdir(dir);
}
END_TEST

START_TEST(bad_urls_are_refused)
{
	static const struct {
		const char *url, *says;
	} cases[] = {
		{ "http://127.0.0.1:2375", "unknown engine URL scheme" },
		{ "unix://relative.sock", "unix:// needs an absolute path" },
		{ "tcp://-oops:2376", "tcp:// URL must be tcp://HOST:PORT" },
		{ "tcp://127.0.0.1:2376/path", "tcp:// URL must be tcp://HOST:PORT" },
		{ "ssh://-oProxyCommand=touch%20/tmp/x", "ssh:// URL must be" },
		{ "ssh://host:22x", "ssh:// URL must be" },
		{ "ssh://-l@host", "bad user in ssh:// URL" },
		{ "ssh://ops@host/run/podman sock", "ssh:// URL must be" },
		{ "", "no engine URL" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct engine_target t = { .name = "h", .url = cases[i].url, .timeout = 5 };
		struct engine_answers a = { 0 };
		struct err e;

		err_clear(&e);
		ck_assert_int_eq(engine_fetch(&a, &t, &e), ERR_CONFIG);
		ck_assert_msg(strstr(e.msg, cases[i].says), "%s: %s", cases[i].url, e.msg);
		ck_assert_ptr_null(a.kind);
	}
}
END_TEST

START_TEST(ssh_failure_is_one_line_from_ssh)
{
	struct engine_target t = { .name = "far", .url = "ssh://nobody@127.0.0.1:1",
				   .timeout = 5 };
	struct engine_answers a = { 0 };
	struct err e;
	DIR *d;
	struct dirent *de;

	if (access("/usr/bin/ssh", X_OK))
		return; /* no OpenSSH client: nothing to check here */
	setenv("SLIPWAY_SSH_CONFIG", "/dev/null", 1);
	err_clear(&e);
	ck_assert_int_eq(engine_fetch(&a, &t, &e), ERR_NET);
	ck_assert_msg(strstr(e.msg, "cannot inventory 'far' (ssh://nobody@127.0.0.1:1): ssh: ") &&
		      strstr(e.msg, "port 1"), "%s", e.msg);
	/* the private forward directory is gone */
	d = opendir("/tmp");
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		ck_assert_msg(strncmp(de->d_name, "slipway-ssh-", 12) ||
			      access("/tmp", F_OK), "left behind: %s", de->d_name);
	closedir(d);
}
END_TEST

static Suite *engine_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, negotiation_table);
	tcase_add_test(tc, docker_full_inventory);
	tcase_add_test(tc, podman_detected_with_pods);
	tcase_add_test(tc, swarm_manager_asks_services_tasks_nodes);
	tcase_add_loop_test(tc, failing_answers_fail_the_host_with_one_line, 0,
			    (int)(sizeof(failures) / sizeof(failures[0])));
	tcase_add_test(tc, list_asked_on_ping_version_is_asked_again_when_wrong);
	tcase_add_test(tc, list_and_inspects_do_not_wait_for_version);
	tcase_add_test(tc, container_gone_between_list_and_inspect_is_skipped);
	tcase_add_test(tc, refused_socket_names_host_and_url);
	tcase_add_test(tc, many_hosts_one_failure_does_not_stop_the_others);
	tcase_add_test(tc, tls_material_checked_before_connecting);
	tcase_add_test(tc, bad_urls_are_refused);
	tcase_add_test(tc, ssh_failure_is_one_line_from_ssh);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(engine_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

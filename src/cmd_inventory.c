/* cmd_inventory.c - `slipway inventory [HOST...] [--import FILE...]
 * [--json]`: queries engines (configured [host] sections, engine URLs, or
 * the local socket) and/or imports host report files, storing each host as
 * it comes; prints one line per host. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "inventory.h"
#include "report.h"
#include "xalloc.h"
#include "banned.h"

static const char *const local_sockets[] = {
	"/var/run/docker.sock",
	"/run/podman/podman.sock",
};

struct results {
	struct store *s;
	bool json;
	bool progress;
	bool drawn;
	struct buf out;       /* JSON elements joined by commas */
	size_t nout;
	int failed;
};

/* One JSON element, built by sqlite (STYLE.md 15). */
static void add_json(struct results *r, const char *host, const char *url,
		     const char *file, const char *error, const char *kind,
		     const char *version, long long containers)
{
	char *obj = NULL;
	struct err e;

	err_clear(&e);
	if (store_query_text(r->s, &obj, &e,
			     "SELECT json_object('host', ?1, 'url', ?2, 'file', ?3,"
			     " 'ok', json(CASE WHEN ?4 IS NULL THEN 'true' ELSE 'false' END),"
			     " 'error', ?4, 'engine_kind', ?5, 'engine_version', ?6,"
			     " 'containers', ?7)",
			     "ssssssi", host, url, file, error, kind, version,
			     containers) || !obj) {
		fprintf(stderr, "slipway: %s\n", e.msg);
		r->failed = 1;
		return;
	}
	if (r->nout++)
		buf_addch(&r->out, ',');
	buf_addstr(&r->out, obj);
	free(obj);
}

static void clear_progress(struct results *r)
{
	if (r->drawn) {
		fputs("\r\033[K", stderr);
		r->drawn = false;
	}
}

static void print_host(struct results *r, const char *name, const char *error,
		       const char *kind, const char *version, long long containers)
{
	clear_progress(r);
	if (error) {
		fprintf(stderr, "slipway: %s\n", error);
		return;
	}
	if (!r->json)
		printf("%-24s %-7s %-16s %lld container%s\n", name, kind ? kind : "-",
		       version ? version : "-", containers, containers == 1 ? "" : "s");
}

static void host_done(void *arg, const struct inventory_host *h, size_t done,
		      size_t total)
{
	struct results *r = arg;

	if (h->rc)
		r->failed = 1;
	print_host(r, h->name, h->rc ? h->error : NULL, h->kind, h->version,
		   h->containers);
	if (r->json)
		add_json(r, h->name, h->url, NULL, h->rc ? h->error : NULL, h->kind,
			 h->version, h->containers);
	if (r->progress && done < total) {
		fprintf(stderr, "\r\033[Kinventory: %zu/%zu hosts done", done, total);
		r->drawn = true;
	}
}

/* One imported file, told in file order by report_import_files(). */
static void file_done(void *arg, const struct report_file_result *f)
{
	struct results *r = arg;
	struct store_rows rows = STORE_ROWS_INIT;
	struct err e;

	if (f->rc) {
		r->failed = 1;
		print_host(r, f->path, f->error, NULL, NULL, 0);
		if (r->json)
			add_json(r, NULL, NULL, f->path, f->error, NULL, NULL, 0);
		return;
	}
	err_clear(&e);
	if (store_query(r->s, &rows, &e,
			"SELECT name, engine_kind, engine_version,"
			" (SELECT count(*) FROM container c WHERE c.hid = host.hid)"
			" FROM host WHERE hid = ?", "i", f->hid) == 0 &&
	    store_rows_next(&rows) == 1) {
		print_host(r, store_rows_text(&rows, 0), NULL, store_rows_text(&rows, 1),
			   store_rows_text(&rows, 2), store_rows_int(&rows, 3));
		if (r->json)
			add_json(r, store_rows_text(&rows, 0), NULL, f->path, NULL,
				 store_rows_text(&rows, 1), store_rows_text(&rows, 2),
				 store_rows_int(&rows, 3));
	}
	store_rows_done(&rows);
}

static void target_of_host(struct engine_target *t, const struct config_host *h,
			   const struct config *cfg)
{
	t->name = h->name;
	t->url = h->engine;
	t->tls_ca = h->tls_ca;
	t->tls_cert = h->tls_cert;
	t->tls_key = h->tls_key;
	t->cert_path = h->cert_path;
	t->timeout = (long)cfg->host_timeout;
}

int cmd_inventory(struct cli *cli, int argc, char **argv)
{
	struct results r = { 0 };
	struct engine_target *targets = NULL;
	struct config *cfg = NULL;
	struct store *s = NULL;
	char **files = NULL, *local_name = NULL;
	size_t nt = 0, nf = 0, i;
	bool importing = false, opts_done = false, any_host_arg = false;
	int rc = EXIT_FAIL;
	struct err err;

	err_clear(&err);
	targets = xcalloc((size_t)argc + 1, sizeof(*targets));
	files = xcalloc((size_t)argc + 1, sizeof(*files));
	if (cli_config(cli, &cfg, &err)) {
		rc = cli_error(&err);
		goto out;
	}
	for (i = 1; i < (size_t)argc; i++) {
		const char *a = argv[i];

		if (!opts_done && !strcmp(a, "--")) {
			opts_done = true;
		} else if (!opts_done && !strcmp(a, "--json")) {
			r.json = true;
		} else if (!opts_done && !strcmp(a, "--import")) {
			importing = true;
		} else if (!opts_done && a[0] == '-' && a[1]) {
			rc = cli_usage_error("inventory", "unknown option '%s'", a);
			goto out;
		} else if (importing) {
			files[nf++] = argv[i];
		} else {
			const struct config_host *h = config_host_find(cfg, a);

			any_host_arg = true;
			if (h && !h->engine) {
				rc = cli_usage_error("inventory",
						     "host '%s' has no 'engine' URL; import its reports with --import",
						     a);
				goto out;
			}
			if (h) {
				target_of_host(&targets[nt++], h, cfg);
			} else if (strstr(a, "://")) {
				targets[nt].name = a;
				targets[nt].url = a;
				targets[nt].timeout = (long)cfg->host_timeout;
				nt++;
			} else {
				rc = cli_usage_error("inventory",
						     "'%s' is neither a [host] of the config nor an engine URL",
						     a);
				goto out;
			}
		}
	}
	if (importing && nf == 0) {
		rc = cli_usage_error("inventory", "--import needs at least one FILE");
		goto out;
	}
	if (!any_host_arg && !importing) {
		for (i = 0; i < cfg->nhosts; i++)
			if (cfg->hosts[i].engine)
				target_of_host(&targets[nt++], &cfg->hosts[i], cfg);
		if (nt == 0) {
			/* This machine's engine, named as `slipway collect` names it. */
			static char url[64];
			char host[256];

			for (i = 0; i < sizeof(local_sockets) / sizeof(local_sockets[0]); i++)
				if (access(local_sockets[i], F_OK) == 0)
					break;
			if (i == sizeof(local_sockets) / sizeof(local_sockets[0])) {
				fprintf(stderr,
					"slipway: no [host] with an engine in the config and no local engine socket ('%s', '%s')\n",
					local_sockets[0], local_sockets[1]);
				goto out;
			}
			snprintf(url, sizeof(url), "unix://%s", local_sockets[i]);
			if (gethostname(host, sizeof(host)))
				snprintf(host, sizeof(host), "localhost");
			host[sizeof(host) - 1] = '\0';
			local_name = xstrdup(host);
			targets[0].name = local_name;
			targets[0].url = url;
			targets[0].timeout = (long)cfg->host_timeout;
			nt = 1;
		}
	}
	if (cli_store(cli, &s, &err)) {
		rc = cli_error(&err);
		goto out;
	}
	r.s = s;
	r.progress = cli->progress;
	buf_init(&r.out, BUF_MAX_DEFAULT);
	if (nt) {
		int irc;

		if (r.progress) {
			fprintf(stderr, "inventory: 0/%zu hosts done", nt);
			r.drawn = true;
		}
		irc = inventory_run(s, targets, nt, cfg->concurrency, host_done, &r, &err);
		clear_progress(&r);
		if (irc && irc != ERR_FAIL) {
			rc = cli_error(&err);
			goto out;
		}
	}
	if (nf) {
		int irc = report_import_files(s, files, nf, 0, file_done, &r, &err);

		if (irc && irc != ERR_FAIL) {
			rc = cli_error(&err);
			goto out;
		}
	}
	if (r.json)
		printf("[%s]\n", r.out.ptr);
	rc = r.failed ? EXIT_FAIL : EXIT_OK;
out:
	buf_release(&r.out);
	free(local_name);
	free(targets);
	free(files);
	return rc;
}

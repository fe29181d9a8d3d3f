/* cmd_hosts.c - `slipway hosts [--json]`: every host as last inventoried:
 * OS, running and installed kernels, reboot required, engine, live-restore,
 * runc and containerd versions, containers, last inventory (hostq.h), and
 * from the findings (finding.h) the urgency, deadline, bundle and target
 * versions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "cmd.h"
#include "hostq.h"
#include "banned.h"

static const char *yes_no(struct store_rows *rows, int col)
{
	if (store_rows_null(rows, col))
		return "?";
	return store_rows_int(rows, col) ? "yes" : "no";
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static void when(char *out, size_t outsz, struct store_rows *rows, int col)
{
	time_t t;
	struct tm tm;

	if (store_rows_null(rows, col)) {
		snprintf(out, outsz, "never");
		return;
	}
	t = (time_t)store_rows_int(rows, col);
	gmtime_r(&t, &tm);
	strftime(out, outsz, "%Y-%m-%d %H:%M", &tm);
}

int cmd_hosts(struct cli *cli, int argc, char **argv)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct store *s = NULL;
	bool json = false;
	struct err err;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else
			return cli_usage_error("hosts", "unknown argument '%s'", argv[i]);
	}
	err_clear(&err);
	if (cli_store(cli, &s, &err))
		return cli_error(&err);
	if (cmd_findings_update(cli, s, &err))
		return cli_error(&err);
	if (json) {
		struct buf out;

		buf_init(&out, BUF_MAX_DEFAULT);
		if (hostq_hosts_json(s, &out, NULL, &err)) {
			buf_release(&out);
			return cli_error(&err);
		}
		printf("%s\n", out.ptr);
		buf_release(&out);
		return EXIT_OK;
	}
	if (hostq_hosts(s, &rows, NULL, &err))
		return cli_error(&err);
	printf("%-20s %-28s %-22s %-6s %-24s %-4s %-12s %-12s %5s  %s\n", "HOST", "OS",
	       "KERNEL", "REBOOT", "ENGINE", "LIVE", "RUNC", "CONTAINERD",
	       "CTRS", "INVENTORIED (UTC)");
	while ((rc = store_rows_next(&rows)) == 1) {
		char engine[64], at[32];

		snprintf(engine, sizeof(engine), "%s %s",
			 or_dash(store_rows_text(&rows, HQ_ENGINE_KIND)),
			 store_rows_text(&rows, HQ_ENGINE_VERSION)
				 ? store_rows_text(&rows, HQ_ENGINE_VERSION) : "");
		when(at, sizeof(at), &rows, HQ_LAST_INVENTORY);
		printf("%-20s %-28.28s %-22s %-6s %-24s %-4s %-12s %-12s %5lld  %s\n",
		       store_rows_text(&rows, HQ_NAME),
		       or_dash(store_rows_text(&rows, HQ_OS)),
		       or_dash(store_rows_text(&rows, HQ_KERNEL_RUNNING)),
		       yes_no(&rows, HQ_REBOOT_REQUIRED), engine,
		       yes_no(&rows, HQ_LIVE_RESTORE),
		       or_dash(store_rows_text(&rows, HQ_RUNC)),
		       or_dash(store_rows_text(&rows, HQ_CONTAINERD)),
		       store_rows_int(&rows, HQ_CONTAINERS), at);
		if (store_rows_text(&rows, HQ_KERNEL_INSTALLED))
			printf("%-20s installed kernels: %s\n", "",
			       store_rows_text(&rows, HQ_KERNEL_INSTALLED));
		if (store_rows_text(&rows, HQ_URGENCY)) {
			char due[32] = "no deadline";

			if (!store_rows_null(&rows, HQ_DEADLINE))
				when(due, sizeof(due), &rows, HQ_DEADLINE);
			printf("%-20s urgency %s, due %s; bundle: %s; targets: %s\n", "",
			       store_rows_text(&rows, HQ_URGENCY), due,
			       or_dash(store_rows_text(&rows, HQ_BUNDLE)),
			       or_dash(store_rows_text(&rows, HQ_TARGETS)));
		}
		if (store_rows_text(&rows, HQ_LAST_ERROR))
			printf("%-20s last error: %s\n", "",
			       store_rows_text(&rows, HQ_LAST_ERROR));
	}
	store_rows_done(&rows);
	if (rc < 0)
		return cli_error(&err);
	return EXIT_OK;
}

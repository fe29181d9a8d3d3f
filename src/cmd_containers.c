/* cmd_containers.c - `slipway containers [--host H] [--json]`: every
 * container as its engine's inspect answer states it (hostq.h); --json has
 * every field, the table the ones a sysadmin scans first. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "hostq.h"
#include "banned.h"

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

int cmd_containers(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct store_rows rows = STORE_ROWS_INIT;
	struct store *s = NULL;
	const char *host = NULL;
	bool json = false;
	struct err err;
	int c, rc;

	while ((c = getopt_long(argc, argv, "H:j", longopts, NULL)) != -1) {
		switch (c) {
		case 'H':
			host = optarg;
			break;
		case 'j':
			json = true;
			break;
		default:
			return cli_usage_error("containers", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("containers", "unknown argument '%s'", argv[optind]);
	err_clear(&err);
	if (cli_store(cli, &s, &err))
		return cli_error(&err);
	if (host && cli_known_host(s, host, &err))
		return cli_error(&err);
	if (json) {
		struct buf out;

		buf_init(&out, BUF_MAX_DEFAULT);
		if (hostq_containers_json(s, &out, host, &err)) {
			buf_release(&out);
			return cli_error(&err);
		}
		printf("%s\n", out.ptr);
		buf_release(&out);
		return EXIT_OK;
	}
	if (hostq_containers(s, &rows, host, &err))
		return cli_error(&err);
	printf("%-16s %-28s %-8s %-16s %-10s %-28s %s\n", "HOST", "NAME", "STATE",
	       "RESTART", "HEALTH", "IMAGE", "FLAGS");
	while ((rc = store_rows_next(&rows)) == 1) {
		char restart[32], flags[128] = "";
		const char *policy = store_rows_text(&rows, CQ_RESTART_POLICY);

		if (policy && !strcmp(policy, "on-failure") &&
		    store_rows_int(&rows, CQ_MAX_RETRIES) > 0)
			snprintf(restart, sizeof(restart), "on-failure:%lld",
				 store_rows_int(&rows, CQ_MAX_RETRIES));
		else
			snprintf(restart, sizeof(restart), "%s",
				 policy && *policy ? policy : "\"\"");
		snprintf(flags, sizeof(flags), "%s%s%s%s%s%s%s",
			 store_rows_int(&rows, CQ_AUTO_REMOVE) ? "rm " : "",
			 store_rows_int(&rows, CQ_PRIVILEGED) ? "privileged " : "",
			 store_rows_int(&rows, CQ_HOST_PID) ? "host-pid " : "",
			 store_rows_int(&rows, CQ_HOST_NETWORK) ? "host-net " : "",
			 store_rows_int(&rows, CQ_SECCOMP_UNCONFINED) ? "seccomp=unconfined " : "",
			 strcmp(or_dash(store_rows_text(&rows, CQ_CAP_ADD)), "[]") ? "cap-add " : "",
			 store_rows_int(&rows, CQ_MEMORY_LIMIT) ? "" : "no-mem-limit");
		printf("%-16s %-28s %-8s %-16s %-10s %-28.28s %s\n",
		       store_rows_text(&rows, CQ_HOST),
		       or_dash(store_rows_text(&rows, CQ_NAME)),
		       or_dash(store_rows_text(&rows, CQ_STATE)), restart,
		       or_dash(store_rows_text(&rows, CQ_HEALTH)),
		       or_dash(store_rows_text(&rows, CQ_IMAGE)), flags);
	}
	store_rows_done(&rows);
	if (rc < 0)
		return cli_error(&err);
	return EXIT_OK;
}

/* cmd_tui.c - `slipway tui`: the interactive UI (tui/tui.h) on the
 * configured database; also what a bare `slipway` on a terminal runs. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "tui.h"
#include "uiq.h"
#include "banned.h"

int64_t cmd_tui_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int cmd_tui_options(struct tui_options *opt, const char *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "read-only", no_argument, NULL, 'r' },
		{ "mono", no_argument, NULL, 'm' },
		{ "weeks", required_argument, NULL, 'w' },
		{ "now", required_argument, NULL, 'n' },
		{ "print", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *nc = getenv("NO_COLOR");
	int c;

	/* https://no-color.org: set and not empty */
	opt->mono = nc && *nc;
	opt->weeks = 8;
	opt->timing_path = getenv("SLIPWAY_TUI_TIMING");
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			opt->read_only = true;
			break;
		case 'm':
			opt->mono = true;
			break;
		case 'w': {
			char *end;
			long w = strtol(optarg, &end, 10);

			if (*end || w < 1 || w > 104)
				return cli_usage_error(cmd, "--weeks wants 1 to 104, not '%s'", optarg);
			opt->weeks = (int)w;
			break;
		}
		case 'n':
			if (uiq_parse_time(&opt->now, optarg))
				return cli_usage_error(cmd, "--now wants unix seconds or YYYY-MM-DDTHH:MM:SSZ, not '%s'",
						       optarg);
			break;
		case 'p':
			if (strcmp(cmd, "demo"))
				return cli_usage_error(cmd, "unknown option '--print'");
			opt->print = true;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	return EXIT_OK;
}

int cmd_tui(struct cli *cli, int argc, char **argv)
{
	struct tui_options opt = { 0 };
	struct config *cfg;
	struct store *s;
	struct err err;
	bool busy = false;
	int rc;

	opt.t0_ns = cmd_tui_clock_ns();
	if ((rc = cmd_tui_options(&opt, "tui", argc, argv)))
		return rc;
	if (!opt.now)
		opt.now = uiq_now();
	err_clear(&err);
	if (cli_config(cli, &cfg, &err) || cli_store(cli, &s, &err))
		return cli_error(&err);
	opt.store = s;
	opt.config = cfg;
	/* the findings follow the latest inventory and feeds; recomputed
	 * in the UI's worker so a large fleet opens at once */
	opt.update_findings = true;
	if (tui_run(&opt, &busy, &err))
		return cli_error(&err);
	/* the worker may still read the config until the process exits */
	if (busy)
		cli->config = NULL;
	return EXIT_OK;
}

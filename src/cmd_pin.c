/* cmd_pin.c - `slipway pin HOST --window NAME [--date D] | --after D |
 * --exclude | --clear`: pins a host to a window (one occurrence with
 * --date), postpones it past a date, excludes it from planning, or removes
 * its pins. Pins live in the store (plan.h) and survive re-planning. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "plan.h"
#include "banned.h"

int cmd_pin(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "window", required_argument, NULL, 'w' },
		{ "date", required_argument, NULL, 'D' },
		{ "after", required_argument, NULL, 'a' },
		{ "exclude", no_argument, NULL, 'x' },
		{ "clear", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *window = NULL, *date = NULL, *after = NULL, *host;
	bool exclude = false, clear = false;
	struct config *cfg = NULL;
	struct store *s = NULL;
	struct err err;
	int c, modes, rc, removed = 0, y, m, d;

	err_clear(&err);
	while ((c = getopt_long(argc, argv, "w:D:a:xc", longopts, NULL)) != -1) {
		switch (c) {
		case 'w':
			window = optarg;
			break;
		case 'D':
			date = optarg;
			break;
		case 'a':
			after = optarg;
			break;
		case 'x':
			exclude = true;
			break;
		case 'c':
			clear = true;
			break;
		default:
			return cli_usage_error("pin", "bad option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("pin", optind < argc ? "one HOST only" : "HOST missing");
	host = argv[optind];
	modes = (window != NULL) + (after != NULL) + exclude + clear;
	if (modes != 1)
		return cli_usage_error("pin", "give one of --window, --after, --exclude, --clear");
	if (date && !window)
		return cli_usage_error("pin", "--date goes with --window");
	if ((date && window_parse_date(&y, &m, &d, date)) ||
	    (after && window_parse_date(&y, &m, &d, after)))
		return cli_usage_error("pin", "bad date '%s' (want YYYY-MM-DD)", date ? date : after);
	if (cli_config(cli, &cfg, &err) || cli_store(cli, &s, &err))
		return cli_error(&err);
	if (window && !config_window_find(cfg, window)) {
		fprintf(stderr, "slipway: unknown window '%s'; see [window] sections of the config\n",
			window);
		return EXIT_FAIL;
	}
	/* A host the config names may be pinned before its first inventory. */
	if (!clear && !config_host_find(cfg, host) && cli_known_host(s, host, &err))
		return cli_error(&err);
	if (window)
		rc = plan_pin_window(s, host, window, date, &err);
	else if (after)
		rc = plan_pin_after(s, host, after, &err);
	else if (exclude)
		rc = plan_pin_exclude(s, host, &err);
	else
		rc = plan_pin_clear(s, host, &removed, &err);
	if (rc)
		return cli_error(&err);
	if (window && date)
		printf("pinned '%s' to window '%s' on %s\n", host, window, date);
	else if (window)
		printf("pinned '%s' to window '%s'\n", host, window);
	else if (after)
		printf("postponed '%s' past %s\n", host, after);
	else if (exclude)
		printf("excluded '%s' from planning\n", host);
	else
		printf("removed %d pin%s of '%s'\n", removed, removed == 1 ? "" : "s", host);
	return EXIT_OK;
}

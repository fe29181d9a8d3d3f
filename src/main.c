/* main.c - the slipway executable: global options, then one command from
 * the table in cmd.h. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "slipway-config.h"

#include "cli.h"
#include "cmd.h"
#include "banned.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: slipway [-d DB] [-c CONFIG] [-q] COMMAND [ARGS]\n"
		"\n"
		"Plans kernel, runC, containerd and Docker Engine upgrades for\n"
		"container hosts: what is vulnerable, who goes down, for how long.\n"
		"\n"
		"Options:\n"
		"  -d, --database DB   the database (default: SLIPWAY_DB, the config's\n"
		"                      [slipway] database, /var/lib/slipway/slipway.db\n"
		"                      for root, else ~/.local/share/slipway/slipway.db)\n"
		"  -c, --config FILE   the config (default: SLIPWAY_CONFIG,\n"
		"                      ~/.config/slipway/slipway.conf, /etc/slipway/slipway.conf)\n"
		"  -q, --quiet         no progress output\n"
		"  -h, --help          this help; `slipway COMMAND --help` for a command\n"
		"  -V, --version       the version\n"
		"\n"
		"Commands:\n");
	cli_list_commands(fp);
	fprintf(fp,
		"\n"
		"Exit codes: 0 success, 1 error, 2 usage error, 3 action required\n"
		"(--fail-on), 4 feeds older than allowed.\n");
}

static void cli_release(struct cli *cli)
{
	store_close(cli->store);
	config_free(cli->config);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "database", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli cli = { 0 };
	const struct command *cmd;
	int c, i, rc;

	/* '+': options end at the command name; the command parses the rest. */
	while ((c = getopt_long(argc, argv, "+d:c:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cli.db_opt = optarg;
			break;
		case 'c':
			cli.config_opt = optarg;
			break;
		case 'q':
			cli.quiet = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("slipway %s\n", SLIPWAY_VERSION);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		/* a bare `slipway` on a terminal opens the UI (DESIGN.md §9) */
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
			static char tui_name[] = "tui";
			char *tui_argv[] = { tui_name, NULL };

			optind = 0;
			rc = cmd_tui(&cli, 1, tui_argv);
			cli_release(&cli);
			return rc;
		}
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = cli_command_find(argv[optind]);
	if (!cmd) {
		fprintf(stderr, "slipway: unknown command '%s'; see 'slipway --help'\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	for (i = optind + 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return cli_command_help(cmd->name);
	cli.progress = !cli.quiet && isatty(STDERR_FILENO);
	argc -= optind;
	argv += optind;
	optind = 0; /* glibc: 0 re-initialises getopt for the command */
	rc = cmd->run(&cli, argc, argv);
	cli_release(&cli);
	return rc;
}

/* cmd.h - the commands of the slipway executable (one src/cmd_NAME.c
 * each) and their table rows (STYLE.md 5). cli.c expands CMD_ENTRIES into
 * the command table; `slipway --help` lists them in this order. */
#ifndef SLIPWAY_CMD_H
#define SLIPWAY_CMD_H

#include <stdio.h>

#include "cli.h"

int cmd_version(struct cli *cli, int argc, char **argv);

/* Lists the command table, one "  name  summary" line each. */
void cli_list_commands(FILE *fp);

#define CMD_ENTRIES                                                        \
	{ .name = "version", .run = cmd_version,                           \
	  .usage = "version",                                              \
	  .summary = "print the version and the libraries in use",         \
	  .help = NULL },

#endif

/* cli.h - what every command of the slipway executable shares: global
 * options, the lazily opened config and database, and the command table.
 *
 * Commands are `int cmd_NAME(struct cli *cli, int argc, char **argv)`
 * returning the process exit code (DESIGN.md §9: 0 success, 1 runtime
 * error, 2 usage error, 3 action required, 4 feeds stale). argv[0] is the
 * command name; options are parsed with getopt_long. */
#ifndef SLIPWAY_CLI_H
#define SLIPWAY_CLI_H

#include <stdbool.h>

#include "config.h"
#include "err.h"
#include "store.h"

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
	EXIT_ACTION = 3,
	EXIT_STALE = 4,
};

struct cli {
	const char *db_opt;       /* -d, else SLIPWAY_DB */
	const char *config_opt;   /* -c, else SLIPWAY_CONFIG */
	bool quiet;               /* -q: no progress */
	bool progress;            /* stderr is a terminal and not quiet */
	struct config *config;    /* owned, loaded on first use */
	struct store *store;      /* owned, opened on first use */
};

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *usage;        /* "refresh [FEED...]" */
	const char *summary;      /* one line for `slipway --help` */
	const char *help;         /* the options, for `slipway CMD --help` */
};

/* The configuration: -c / SLIPWAY_CONFIG (must exist), else the default
 * path (may be missing). Returns 0 or an ERR_* code with err set. */
int cli_config(struct cli *cli, struct config **out, struct err *err);
/* The database: -d / SLIPWAY_DB, else [slipway] database, else the default
 * location. Opened (and migrated) on first use. */
int cli_store(struct cli *cli, struct store **out, struct err *err);
/* 0 when the store has a host of that name; otherwise ERR_NOTFOUND with
 * "unknown host 'NAME'; see 'slipway hosts'" in err (or another code
 * when the store fails). For commands that take --host. */
int cli_known_host(struct store *s, const char *host, struct err *err);
/* Prints "slipway: MESSAGE" for err on stderr and returns its exit code. */
int cli_error(const struct err *err);
/* Prints "slipway CMD: MESSAGE" and the command's usage line on stderr;
 * returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints the command's usage and help to stdout; returns EXIT_OK. */
int cli_command_help(const char *cmd);
/* The command table entry for name, or NULL. */
const struct command *cli_command_find(const char *name);

#endif

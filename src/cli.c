/* cli.c - shared state of the slipway commands and the command table. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "xalloc.h"
#include "banned.h"

/* Every command Slipway has. Commands appear here only once they work. */
static const struct command commands[] = {
	CMD_ENTRIES
};

const struct command *cli_command_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

void cli_list_commands(FILE *fp)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

int cli_config(struct cli *cli, struct config **out, struct err *err)
{
	const char *path = cli->config_opt;
	char *deflt = NULL;
	int rc;

	if (cli->config) {
		*out = cli->config;
		return 0;
	}
	if (!path || !*path)
		path = getenv("SLIPWAY_CONFIG");
	if (path && *path) {
		rc = config_load(&cli->config, path, true, err);
	} else {
		deflt = config_default_path();
		rc = config_load(&cli->config, deflt, false, err);
		free(deflt);
	}
	if (rc)
		return rc;
	*out = cli->config;
	return 0;
}

int cli_store(struct cli *cli, struct store **out, struct err *err)
{
	struct config *cfg;
	const char *path = cli->db_opt;
	char *deflt = NULL;
	int rc;

	if (cli->store) {
		*out = cli->store;
		return 0;
	}
	if (!path || !*path)
		path = getenv("SLIPWAY_DB");
	if (!path || !*path) {
		rc = cli_config(cli, &cfg, err);
		if (rc)
			return rc;
		path = cfg->database;
	}
	if (!path || !*path)
		path = deflt = config_default_database();
	rc = store_open(&cli->store, path, err);
	free(deflt);
	if (rc)
		return rc;
	*out = cli->store;
	return 0;
}

int cli_known_host(struct store *s, const char *host, struct err *err)
{
	long long n = 0;

	if (store_query_int(s, &n, err, "SELECT count(*) FROM host WHERE name = ?",
			    "s", host))
		return err->code;
	if (!n)
		return err_set(err, ERR_NOTFOUND, "unknown host '%s'; see 'slipway hosts'",
			       host);
	return 0;
}

int cli_error(const struct err *err)
{
	fprintf(stderr, "slipway: %s\n",
		err->msg[0] ? err->msg : err_code_str(err->code));
	return err_exit_code(err->code);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	const struct command *c = cli_command_find(cmd);
	va_list ap;

	fprintf(stderr, "slipway %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (c)
		fprintf(stderr, "usage: slipway %s\n", c->usage);
	return EXIT_USAGE;
}

int cli_command_help(const char *cmd)
{
	const struct command *c = cli_command_find(cmd);

	if (!c)
		return EXIT_USAGE;
	printf("usage: slipway %s\n\n%s\n", c->usage, c->summary);
	if (c->help && *c->help)
		printf("\n%s", c->help);
	return EXIT_OK;
}

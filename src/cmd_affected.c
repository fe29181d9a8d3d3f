/* cmd_affected.c - `slipway affected --component C --version V
 * [--ecosystem E] [--json]`: the advisories that affect one version of a
 * component (the query lives in affected.c; this file only parses options
 * and prints). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "affected.h"
#include "buf.h"
#include "cmd.h"
#include "xalloc.h"
#include "banned.h"

#define SUMMARY_WIDTH 60

/* A number cell of the text table ("-" for none). */
static void cell_double(char *out, size_t size, double v, int decimals)
{
	if (v < 0)
		snprintf(out, size, "-");
	else
		snprintf(out, size, "%.*f", decimals, v);
}

/* The first alias that is not the id itself, for the table. */
static void first_alias(char *out, size_t size, struct store *s,
			const struct affected_item *it)
{
	char *alias = NULL;
	struct err err;

	out[0] = '\0';
	if (!store_query_text(s, &alias, &err,
			      "SELECT value FROM json_each(?) WHERE value <> ?"
			      " ORDER BY value LIKE 'CVE-%' DESC LIMIT 1",
			      "ss", it->aliases, it->id) && alias)
		snprintf(out, size, "%s", alias);
	free(alias);
}

/* Summary cut to one short line (bytes, not breaking a UTF-8 sequence). */
static void short_summary(char *out, size_t size, const char *s)
{
	size_t n = 0, i;

	if (!s) {
		snprintf(out, size, "-");
		return;
	}
	for (i = 0; s[i] && n + 4 < size && i < SUMMARY_WIDTH; i++)
		out[n++] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
	if (s[i]) {
		while (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0x80)
			n--;
		if (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0xc0)
			n--;
		out[n++] = '.';
		out[n++] = '.';
		out[n++] = '.';
	}
	out[n] = '\0';
}

static void print_table(struct store *s, const struct affected_list *list)
{
	enum { ID, ALIAS, KEV, CVSS, EPSS, SEV, FIXED, NCOLS };
	static const char *const head[NCOLS] = {
		"ID", "ALIAS", "KEV", "CVSS", "EPSS", "SEVERITY", "FIXED",
	};
	char (*cells)[NCOLS][96] = NULL;
	size_t width[NCOLS], i, c;

	if (list->n)
		cells = xcalloc(list->n, sizeof(*cells));
	for (c = 0; c < NCOLS; c++)
		width[c] = strlen(head[c]);
	for (i = 0; i < list->n; i++) {
		const struct affected_item *it = &list->items[i];

		snprintf(cells[i][ID], sizeof(cells[i][ID]), "%s", it->id);
		first_alias(cells[i][ALIAS], sizeof(cells[i][ALIAS]), s, it);
		if (!cells[i][ALIAS][0])
			snprintf(cells[i][ALIAS], sizeof(cells[i][ALIAS]), "-");
		snprintf(cells[i][KEV], sizeof(cells[i][KEV]), "%s",
			 it->kev ? "yes" : "-");
		cell_double(cells[i][CVSS], sizeof(cells[i][CVSS]), it->cvss, 1);
		cell_double(cells[i][EPSS], sizeof(cells[i][EPSS]), it->epss, 5);
		snprintf(cells[i][SEV], sizeof(cells[i][SEV]), "%s",
			 it->severity ? it->severity : "-");
		snprintf(cells[i][FIXED], sizeof(cells[i][FIXED]), "%s",
			 it->fixed ? it->fixed : "not fixed");
		for (c = 0; c < NCOLS; c++)
			if (strlen(cells[i][c]) > width[c])
				width[c] = strlen(cells[i][c]);
	}
	for (c = 0; c < NCOLS; c++)
		printf("%-*s  ", (int)width[c], head[c]);
	printf("SUMMARY\n");
	for (i = 0; i < list->n; i++) {
		char sum[SUMMARY_WIDTH + 8];

		for (c = 0; c < NCOLS; c++)
			printf("%-*s  ", (int)width[c], cells[i][c]);
		short_summary(sum, sizeof(sum), list->items[i].summary);
		printf("%s\n", sum);
	}
	free(cells);
}

int cmd_affected(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "component", required_argument, NULL, 'C' },
		{ "version", required_argument, NULL, 'v' },
		{ "ecosystem", required_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct affected_query q = { .ecosystem = "upstream" };
	struct affected_list list = { 0 };
	struct store *store;
	struct err err;
	bool json = false;
	char *out = NULL;
	int c, rc;

	err_clear(&err);
	while ((c = getopt_long(argc, argv, "C:v:e:j", longopts, NULL)) != -1) {
		switch (c) {
		case 'C':
			q.component = optarg;
			break;
		case 'v':
			q.version = optarg;
			break;
		case 'e':
			q.ecosystem = optarg;
			break;
		case 'j':
			json = true;
			break;
		default:
			return cli_usage_error("affected", "unknown option");
		}
	}
	if (optind < argc)
		return cli_usage_error("affected", "unexpected argument '%s'",
				       argv[optind]);
	if (!q.component)
		return cli_usage_error("affected",
				       "--component is required (kernel, runc, containerd, docker)");
	if (!q.version)
		return cli_usage_error("affected", "--version is required");
	if (affected_check(&q, &err))
		return cli_usage_error("affected", "%s", err.msg);
	rc = cli_store(cli, &store, &err);
	if (rc)
		return cli_error(&err);
	if (json) {
		rc = affected_json(&out, store, &q, &err);
		if (rc)
			return cli_error(&err);
		printf("%s\n", out);
		free(out);
		return EXIT_OK;
	}
	rc = affected_find(&list, store, &q, &err);
	if (rc)
		return cli_error(&err);
	print_table(store, &list);
	affected_list_release(&list);
	return EXIT_OK;
}

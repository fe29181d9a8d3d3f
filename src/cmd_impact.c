/* cmd_impact.c - `slipway impact [--host H] [--action A] [--json]`: what
 * the host's bundle of actions (or one action) does to each container
 * (impact.h, DESIGN.md §7), as a table grouped by host or as JSON. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "impact.h"
#include "banned.h"

static void print_table(const struct impact_list *l)
{
	const char *host = NULL;
	int w = 9;

	/* one width for the name column, so hosts line up */
	for (size_t i = 0; i < l->n; i++) {
		int len = (int)strlen(l->v[i].container);

		if (len > w)
			w = len > 64 ? 64 : len;
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct impact_row *row = &l->v[i];
		char action[IMPACT_ACTIONS_TEXT_MAX], outage[32];

		if (!host || strcmp(host, row->host)) {
			impact_actions_format(action, row->actions);
			printf("%s%s (%s): %s%s; boot %llds (%s)\n", host ? "\n" : "",
			       row->host,
			       row->engine == IMPACT_ENGINE_PODMAN ? "podman"
			       : row->engine == IMPACT_ENGINE_DOCKER ? "docker" : "engine unknown",
			       action,
			       !strcmp(row->bundle_source, "default")
				       ? " (no findings yet: run 'slipway findings')" : "",
			       row->boot_seconds, row->boot_source);
			printf("  %-*s %-11s %7s %-4s  %s\n", w, "CONTAINER", "EFFECT",
			       "OUTAGE", "CONF", "REASON");
			host = row->host;
		}
		if (row->r.outage == IMPACT_OUTAGE_UNBOUNDED)
			snprintf(outage, sizeof(outage), "-");
		else
			snprintf(outage, sizeof(outage), "%llds", row->r.outage);
		printf("  %-*s %-11s %7s %-4s  %s\n", w, row->container,
		       impact_effect_name(row->r.effect), outage,
		       row->r.confidence == IMPACT_HIGH ? "high" : "low", row->r.reason);
	}
}

int cmd_impact(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "action", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct impact_list list = { 0 };
	struct config *cfg = NULL;
	struct store *s = NULL;
	const char *host = NULL;
	impact_actions actions = 0;
	bool json = false;
	struct err err;
	int c, rc = EXIT_OK;

	err_clear(&err);
	while ((c = getopt_long(argc, argv, "H:a:j", longopts, NULL)) != -1) {
		switch (c) {
		case 'H':
			host = optarg;
			break;
		case 'a':
			if (impact_actions_parse(&actions, optarg, &err))
				return cli_usage_error("impact", "%s", err.msg);
			break;
		case 'j':
			json = true;
			break;
		default:
			return cli_usage_error("impact", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("impact", "unknown argument '%s'", argv[optind]);
	if (cli_config(cli, &cfg, &err) || cli_store(cli, &s, &err))
		return cli_error(&err);
	/* the hosts' bundles come from the findings: bring them up to date
	 * with the stored advisories and inventory, as `findings` does */
	if (!actions && cmd_findings_update(cli, s, &err))
		return cli_error(&err);
	if (impact_query(&list, s, cfg, host, actions, &err)) {
		if (err.code == ERR_NOTFOUND && host) {
			fprintf(stderr, "slipway: unknown host '%s'; see 'slipway hosts'\n", host);
			impact_list_release(&list);
			return EXIT_FAIL;
		}
		impact_list_release(&list);
		return cli_error(&err);
	}
	if (json) {
		struct buf out;

		buf_init(&out, BUF_MAX_DEFAULT);
		if (impact_list_json(&list, s, &out, &err))
			rc = cli_error(&err);
		else
			printf("%s\n", out.ptr);
		buf_release(&out);
	} else {
		print_table(&list);
	}
	impact_list_release(&list);
	return rc;
}

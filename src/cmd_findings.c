/* cmd_findings.c - `slipway findings [--host H] [--json] [--fail-on S]`:
 * recomputes the findings (finding.h: which feed judged, the fixing
 * version, KEV, EPSS, CVSS, live patches, installed kernels) and lists
 * them; with --fail-on exits 3 when any finding is at or above S. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "cmd.h"
#include "finding.h"
#include "banned.h"

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

/* Runs finding_update_with() with the config's policy; shared with
 * `slipway hosts` (cmd.h). */
int cmd_findings_update(struct cli *cli, struct store *s, struct err *err)
{
	struct finding_options opt = { 0 };
	struct config *cfg = NULL;
	int rc;

	if ((rc = cli_config(cli, &cfg, err)))
		return rc;
	opt.policy = &cfg->policy;
	return finding_update_with(s, &opt, err);
}

static void print_header(void)
{
	printf("%-16s %-20s %-10s %-24s %-24s %-4s %-4s %-8s %-16s %s\n", "HOST",
	       "ADVISORY", "COMPONENT", "INSTALLED", "FIXED", "KEV", "CVSS",
	       "LEVEL", "FEED", "NOTE");
}

static int print_rows(struct store_rows *rows)
{
	int rc;

	print_header();
	while ((rc = store_rows_next(rows)) == 1) {
		char cvss[16], note[160] = "";
		size_t n = 0;

		if (store_rows_null(rows, FC_CVSS))
			snprintf(cvss, sizeof(cvss), "-");
		else
			snprintf(cvss, sizeof(cvss), "%.1f", store_rows_double(rows, FC_CVSS));
		if (store_rows_int(rows, FC_APPROXIMATE))
			n += (size_t)snprintf(note + n, sizeof(note) - n,
					      "approximate (upstream %s) ",
					      store_rows_text(rows, FC_JUDGED));
		if (n < sizeof(note) && store_rows_text(rows, FC_FIXED_BY_INSTALLED))
			n += (size_t)snprintf(note + n, sizeof(note) - n,
					      "fixed by installed %s ",
					      store_rows_text(rows, FC_FIXED_BY_INSTALLED));
		if (n < sizeof(note) && !store_rows_null(rows, FC_COVERED_UNTIL)) {
			time_t t = (time_t)store_rows_int(rows, FC_COVERED_UNTIL);
			char day[32];
			struct tm tm;

			gmtime_r(&t, &tm);
			strftime(day, sizeof(day), "%Y-%m-%d", &tm);
			snprintf(note + n, sizeof(note) - n, "%s until %s",
				 store_rows_int(rows, FC_LIVEPATCHED) ?
					 "live patched" : "live patch expired",
				 day);
		}
		printf("%-16s %-20s %-10s %-24s %-24s %-4s %-4s %-8s %-16s %s\n",
		       store_rows_text(rows, FC_HOST), store_rows_text(rows, FC_ID),
		       store_rows_text(rows, FC_COMPONENT),
		       store_rows_text(rows, FC_INSTALLED),
		       store_rows_text(rows, FC_FIXED) ?
			       store_rows_text(rows, FC_FIXED) : "no fix",
		       store_rows_int(rows, FC_KEV) ? "yes" : "-", cvss,
		       store_rows_text(rows, FC_LEVEL),
		       or_dash(store_rows_text(rows, FC_FEED)), note);
	}
	return rc;
}

int cmd_findings(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "json", no_argument, NULL, 'j' },
		{ "fail-on", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct store_rows rows = STORE_ROWS_INIT;
	struct store *s = NULL;
	const char *host = NULL, *fail_on = NULL;
	int threshold = 0;
	bool json = false;
	struct err err;
	int c, rc;

	err_clear(&err);
	while ((c = getopt_long(argc, argv, "H:jf:", longopts, NULL)) != -1) {
		switch (c) {
		case 'H':
			host = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'f':
			if (finding_threshold_parse(&threshold, optarg, &err))
				return cli_usage_error("findings", "%s", err.msg);
			fail_on = optarg;
			break;
		default:
			return cli_usage_error("findings", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("findings", "unknown argument '%s'", argv[optind]);
	if (cli_store(cli, &s, &err))
		return cli_error(&err);
	if (host && cli_known_host(s, host, &err))
		return cli_error(&err);
	if (cmd_findings_update(cli, s, &err))
		return cli_error(&err);
	if (json) {
		struct buf out;

		buf_init(&out, BUF_MAX_DEFAULT);
		if (finding_list_json(s, &out, host, &err)) {
			buf_release(&out);
			return cli_error(&err);
		}
		printf("%s\n", out.ptr);
		buf_release(&out);
	} else {
		if (finding_list(s, &rows, host, &err))
			return cli_error(&err);
		rc = print_rows(&rows);
		store_rows_done(&rows);
		if (rc < 0)
			return cli_error(&err);
	}
	if (threshold) {
		long long n = 0;

		if (finding_count_at_or_above(s, &n, host, threshold, &err))
			return cli_error(&err);
		if (n > 0) {
			fprintf(stderr, "slipway: %lld finding%s at or above '%s'\n", n,
				n == 1 ? "" : "s", fail_on);
			return EXIT_ACTION;
		}
	}
	return EXIT_OK;
}

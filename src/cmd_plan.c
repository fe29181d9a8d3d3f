/* cmd_plan.c - `slipway plan [--start DATE|DATETIME] [--weeks N]
 * [--format F] [-o PATH]`: recomputes the findings, loads the planner's
 * input from the store and the config (plan_load), plans (plan_run) and
 * writes the plan as text or JSON (plan.h) or through export.h for csv,
 * md, html, ics and ansible. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "export.h"
#include "plan.h"
#include "banned.h"

#define PLAN_WEEKS_DEFAULT 8
#define PLAN_WEEKS_MAX 104

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* "2026-06-14" (00:00 UTC), "2026-06-14T02:00", "2026-06-14T02:00:30",
 * each optionally ending in Z (UTC either way). */
static int parse_start(int64_t *out, const char *s)
{
	char date[11];
	size_t len = strlen(s);
	int y, m, d, hh = 0, mm = 0, ss = 0;
	int64_t t;
	struct err err;

	if (len && s[len - 1] == 'Z' && len > 10)
		len--;
	if (len != 10 && len != 16 && len != 19)
		return -1;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (window_parse_date(&y, &m, &d, date))
		return -1;
	if (len >= 16) {
		if ((s[10] != 'T' && s[10] != ' ') || s[13] != ':' || !digits(s + 11, 2) ||
		    !digits(s + 14, 2))
			return -1;
		hh = (s[11] - '0') * 10 + s[12] - '0';
		mm = (s[14] - '0') * 10 + s[15] - '0';
	}
	if (len == 19) {
		if (s[16] != ':' || !digits(s + 17, 2))
			return -1;
		ss = (s[17] - '0') * 10 + s[18] - '0';
	}
	if (hh > 23 || mm > 59 || ss > 59)
		return -1;
	if (window_local_to_utc(&t, NULL, y, m, d, hh * 60 + mm, &err))
		return -1;
	*out = t + ss;
	return 0;
}

/* Writes text to path ("-" or NULL: stdout), through a temporary file
 * renamed into place. */
static int write_out(const char *path, const struct buf *b, struct err *err)
{
	char tmp[4096];
	FILE *fp;

	if (!path || !strcmp(path, "-")) {
		fwrite(b->ptr, 1, b->len, stdout);
		return 0;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp))
		return err_set(err, ERR_IO, "cannot write '%s': path too long", path);
	fp = fopen(tmp, "w");
	if (!fp)
		return err_set(err, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
	if (fwrite(b->ptr, 1, b->len, fp) != b->len || fclose(fp)) {
		unlink(tmp);
		return err_set(err, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
	}
	if (rename(tmp, path)) {
		unlink(tmp);
		return err_set(err, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
	}
	return 0;
}

int cmd_plan(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "start", required_argument, NULL, 's' },
		{ "weeks", required_argument, NULL, 'w' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text", *path = NULL;
	struct config *cfg = NULL;
	struct store *s = NULL;
	int64_t start = (int64_t)time(NULL) / 60 * 60;
	int weeks = PLAN_WEEKS_DEFAULT;
	struct plan p;
	struct buf out;
	struct err err;
	int c, rc;

	err_clear(&err);
	while ((c = getopt_long(argc, argv, "s:w:f:o:", longopts, NULL)) != -1) {
		char *end;
		long v;

		switch (c) {
		case 's':
			if (parse_start(&start, optarg))
				return cli_usage_error("plan", "bad --start '%s' (want YYYY-MM-DD "
						       "or YYYY-MM-DDTHH:MM[:SS][Z], UTC)", optarg);
			break;
		case 'w':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || v < 1 || v > PLAN_WEEKS_MAX)
				return cli_usage_error("plan", "bad --weeks '%s' (1 to %d)", optarg,
						       PLAN_WEEKS_MAX);
			weeks = (int)v;
			break;
		case 'f':
			format = optarg;
			break;
		case 'o':
			path = optarg;
			break;
		default:
			return cli_usage_error("plan", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("plan", "unknown argument '%s'", argv[optind]);
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "csv") &&
	    strcmp(format, "md") && strcmp(format, "html") && strcmp(format, "ics") &&
	    strcmp(format, "ansible"))
		return cli_usage_error("plan", "unknown format '%s' (text, json, csv, md, "
				       "html, ics, ansible)", format);
	if (cli_config(cli, &cfg, &err) || cli_store(cli, &s, &err) ||
	    cmd_findings_update(cli, s, &err))
		return cli_error(&err);
	plan_init(&p);
	buf_init(&out, BUF_MAX_DEFAULT);
	rc = plan_load(&p, s, cfg, start, weeks, &err);
	if (!rc)
		rc = plan_run(&p, &err);
	if (!rc && !strcmp(format, "text"))
		rc = plan_write_text(&p, &out, &err);
	else if (!rc && !strcmp(format, "json"))
		rc = plan_write_json(&p, s, &out, &err) || buf_addch(&out, '\n');
	else if (!rc)
		rc = export_write(&p, format, path, &err);
	if (!rc && (!strcmp(format, "text") || !strcmp(format, "json")))
		rc = write_out(path, &out, &err);
	buf_release(&out);
	plan_release(&p);
	if (rc)
		return err.code ? cli_error(&err) : EXIT_FAIL;
	return EXIT_OK;
}

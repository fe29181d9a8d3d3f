/* test_config.c - unit tests of slipway.conf parsing: a table of bad
 * configs with their exact messages, the example of DESIGN.md §9, the
 * defaults, durations, host patterns and loading files. */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "err.h"
#include "xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define DAY	      ((int64_t)86400)

/* Failure must leave *out alone: it starts pointing here. */
static struct config sentinel;

/* A window every row that needs one can start with (4 lines). */
#define WINDOW_W                                                               \
	"[window w]\nrrule = FREQ=WEEKLY;BYDAY=SU\nstart = 02:00\nduration = " \
	"4h\n"

static const struct bad_case {
	const char *text;
	size_t len; /* 0: strlen(text) */
	const char *msg;
} bad_cases[] = {
	/* structure */
	{ "[windw sunday]\nrrule = FREQ=DAILY\n", 0,
	  "slipway.conf:1: unknown section [windw sunday]" },
	{ "; top\n\n[Window x]\n", 0,
	  "slipway.conf:3: unknown section [Window x]" },
	{ "max-down = 5\n[slipway]\n", 0,
	  "slipway.conf:1: key 'max-down' before any [section]" },
	{ "[window]\nrrule = FREQ=DAILY\n", 0,
	  "slipway.conf:1: section [window] needs a name, as in [window "
	  "NAME]" },
	{ "[host]\n", 0,
	  "slipway.conf:1: section [host] needs a name, as in [host NAME]" },
	{ "[policy strict]\nsoak = 5m\n", 0,
	  "slipway.conf:1: section [policy] takes no name" },
	{ "[]\n", 0, "slipway.conf:1: empty section header []" },
	{ "[slipway]\n[window w\n", 0,
	  "slipway.conf:2: missing ']' in section header" },
	{ "[policy] soak = 5m\n", 0,
	  "slipway.conf:1: unexpected text after section header" },
	{ "[policy]\nsoak 5m\n", 0,
	  "slipway.conf:2: expected 'key = value' or [section]" },
	{ "[policy]\n= 5m\n", 0,
	  "slipway.conf:2: missing key name in [policy]" },
	{ "[policy]\nsoak = 5m\n  [slipway]\n", 0,
	  "slipway.conf:3: indented section header" },
	{ "[policy]\nsoak = 5m\n  boot-time = 3m\n", 0,
	  "slipway.conf:3: unexpected indented line (only a list may continue "
	  "on the next line)" },
	{ "[policy]\n  soak = 5m\n", 0,
	  "slipway.conf:2: unexpected indented line (only a list may continue "
	  "on the next line)" },
	{ WINDOW_W "hosts = web-*\n  max-down = 2\n", 0,
	  "slipway.conf:6: bad host pattern 'max-down = 2' for 'hosts' in "
	  "[window w] (use glob patterns such as web-*)" },
	{ "[policy]\nsoak = 5m\x00\n", 20,
	  "slipway.conf:2: line contains a NUL byte" },
	{ "[window w]\n[window v]\n[window w]\n", 0,
	  "slipway.conf:1: [window w] needs 'rrule'" },
	{ WINDOW_W "[host a]\n[window w]\n", 0,
	  "slipway.conf:6: duplicate section [window w] (first at line 1)" },
	{ "[policy]\n[slipway]\n[policy]\n", 0,
	  "slipway.conf:3: duplicate section [policy] (first at line 1)" },
	{ "[policy]\nsoak = 5m\nboot-time = 2m\nsoak = 10m\n", 0,
	  "slipway.conf:4: duplicate key 'soak' in [policy] (first at line "
	  "2)" },
	{ WINDOW_W "durration = 4h\n", 0,
	  "slipway.conf:5: unknown key 'durration' in [window w]" },
	{ "[policy]\nstale-images = sha256:abc, bad\"quote\n", 0,
	  "slipway.conf:2: bad image 'bad\"quote' for 'stale-images' in [policy] "
	  "(use image references or digests such as sha256:... or "
	  "repo@sha256:...)" },
	{ "[policy]\nsoak = 4x\nsoak = 1x\n", 0,
	  "slipway.conf:2: bad duration '4x' for 'soak' in [policy] (use 30s, "
	  "15m, 4h or 7d)" },

	/* [slipway] */
	{ "[slipway]\nmax-down = 0\n", 0,
	  "slipway.conf:2: bad number '0' for 'max-down' in [slipway] (must be "
	  "at least 1)" },
	{ "[slipway]\nmax-down = -3\n", 0,
	  "slipway.conf:2: bad number '-3' for 'max-down' in [slipway] (use a "
	  "whole number)" },
	{ "[slipway]\nmax-down = 5 # five\n", 0,
	  "slipway.conf:2: bad number '5 # five' for 'max-down' in [slipway] "
	  "(use a whole number)" },
	{ "[slipway]\nmax-down = 99999999999\n", 0,
	  "slipway.conf:2: bad number '99999999999' for 'max-down' in "
	  "[slipway] (must be from 1 to 2147483647)" },
	{ "[slipway]\nconcurrency = 2000\n", 0,
	  "slipway.conf:2: bad number '2000' for 'concurrency' in [slipway] "
	  "(must be from 1 to 1024)" },
	{ "[slipway]\nhost-timeout = 0\n", 0,
	  "slipway.conf:2: bad duration '0' for 'host-timeout' in [slipway] "
	  "(must be more than 0)" },
	{ "[slipway]\ndatabase =\n", 0,
	  "slipway.conf:2: missing value for 'database' in [slipway]" },
	{ "[slipway]\ndatabase = ; nothing\n", 0,
	  "slipway.conf:2: missing value for 'database' in [slipway]" },

	/* [policy] */
	{ "[policy]\ndeadline-kev = 1.5h\n", 0,
	  "slipway.conf:2: bad duration '1.5h' for 'deadline-kev' in [policy] "
	  "(use 30s, 15m, 4h or 7d)" },
	{ "[policy]\ndeadline-high = 0d\n", 0,
	  "slipway.conf:2: bad duration '0d' for 'deadline-high' in [policy] "
	  "(must be more than 0)" },
	{ "[policy]\nfeed-max-age = 2 d\n", 0,
	  "slipway.conf:2: bad duration '2 d' for 'feed-max-age' in [policy] "
	  "(use 30s, 15m, 4h or 7d)" },

	/* [window] */
	{ "[window sunday]\nstart = 02:00\nduration = 4h\n", 0,
	  "slipway.conf:1: [window sunday] needs 'rrule'" },
	{ "[slipway]\n\n[window s]\nrrule = FREQ=DAILY\nduration = 4h\n"
	  "[policy]\n",
	  0, "slipway.conf:3: [window s] needs 'start'" },
	{ "[window s]\nrrule = FREQ=DAILY\nstart = 02:00\n", 0,
	  "slipway.conf:1: [window s] needs 'duration'" },
	{ "[window w]\nrrule = FREQ=SOMETIMES\n", 0,
	  "slipway.conf:2: bad rrule 'FREQ=SOMETIMES' for 'rrule' in [window "
	  "w] "
	  "(use an iCalendar RRULE such as FREQ=WEEKLY;BYDAY=SU)" },
	{ "[window w]\nrrule = BYDAY=SU\n", 0,
	  "slipway.conf:2: bad rrule 'BYDAY=SU' for 'rrule' in [window w] (use "
	  "an iCalendar RRULE such as FREQ=WEEKLY;BYDAY=SU)" },
	{ "[window w]\nrrule = FREQ=WEEKLY;BYDAY=XX\n", 0,
	  "slipway.conf:2: bad rrule 'FREQ=WEEKLY;BYDAY=XX' for 'rrule' in "
	  "[window w] (use an iCalendar RRULE such as FREQ=WEEKLY;BYDAY=SU)" },
	{ "[window w]\nstart = 24:00\n", 0,
	  "slipway.conf:2: bad time '24:00' for 'start' in [window w] (use "
	  "HH:MM from 00:00 to 23:59)" },
	{ "[window w]\nstart = 2:5\n", 0,
	  "slipway.conf:2: bad time '2:5' for 'start' in [window w] (use HH:MM "
	  "from 00:00 to 23:59)" },
	{ "[window w]\nstart = 7\n", 0,
	  "slipway.conf:2: bad time '7' for 'start' in [window w] (use HH:MM "
	  "from 00:00 to 23:59)" },
	{ "[window w]\nduration = 8d\n", 0,
	  "slipway.conf:2: bad duration '8d' for 'duration' in [window w] "
	  "(must "
	  "be more than 0 and at most 7d)" },
	{ "[window w]\nduration = 0\n", 0,
	  "slipway.conf:2: bad duration '0' for 'duration' in [window w] (must "
	  "be more than 0 and at most 7d)" },
	{ WINDOW_W "timezone = Mars/Olympus\n", 0,
	  "slipway.conf:5: bad time zone 'Mars/Olympus' for 'timezone' in "
	  "[window w] (use an IANA name such as Europe/Berlin)" },
	{ WINDOW_W "timezone = ../../../etc/passwd\n", 0,
	  "slipway.conf:5: bad time zone '../../../etc/passwd' for 'timezone' "
	  "in [window w] (use an IANA name such as Europe/Berlin)" },
	{ WINDOW_W "timezone = /usr/share/zoneinfo/UTC\n", 0,
	  "slipway.conf:5: bad time zone '/usr/share/zoneinfo/UTC' for "
	  "'timezone' in [window w] (use an IANA name such as Europe/Berlin)" },
	{ WINDOW_W "timezone = Europe\n", 0,
	  "slipway.conf:5: bad time zone 'Europe' for 'timezone' in [window w] "
	  "(use an IANA name such as Europe/Berlin)" },
	{ WINDOW_W "except = 2026-12-24, 2026-02-30\n", 0,
	  "slipway.conf:5: bad date '2026-02-30' for 'except' in [window w] "
	  "(use real dates as YYYY-MM-DD)" },
	{ WINDOW_W "except = 2026-1-5\n", 0,
	  "slipway.conf:5: bad date '2026-1-5' for 'except' in [window w] (use "
	  "real dates as YYYY-MM-DD)" },
	{ WINDOW_W "hosts = web-*, db *\n", 0,
	  "slipway.conf:5: bad host pattern 'db *' for 'hosts' in [window w] "
	  "(use glob patterns such as web-*)" },
	{ WINDOW_W "max-down = 0\n", 0,
	  "slipway.conf:5: bad number '0' for 'max-down' in [window w] (must "
	  "be "
	  "at least 1)" },
	{ "[window sunday night]\n", 0,
	  "slipway.conf:1: bad name 'sunday night' in [window sunday night] "
	  "(use letters, digits and - _ . : @)" },

	/* [freeze] */
	{ "[freeze f]\nfrom = 2026-13-01\n", 0,
	  "slipway.conf:2: bad date '2026-13-01' for 'from' in [freeze f] (use "
	  "a real date as YYYY-MM-DD)" },
	{ "[freeze f]\nfrom = 2025-02-29\n", 0,
	  "slipway.conf:2: bad date '2025-02-29' for 'from' in [freeze f] (use "
	  "a real date as YYYY-MM-DD)" },
	{ "[freeze f]\nfrom = 1969-12-31\n", 0,
	  "slipway.conf:2: bad date '1969-12-31' for 'from' in [freeze f] (use "
	  "a real date as YYYY-MM-DD)" },
	{ "[freeze f]\nfrom = 2026-12-20\n\n[slipway]\n", 0,
	  "slipway.conf:1: [freeze f] needs 'to'" },
	{ "[freeze f]\nfrom = 2026-12-20\nto = 2026-01-04\n", 0,
	  "slipway.conf:3: bad date '2026-01-04' for 'to' in [freeze f] (must "
	  "not be before 'from' 2026-12-20)" },

	/* [host] */
	{ "[host web-1]\nengine = http://web-1:2375\n", 0,
	  "slipway.conf:2: bad engine 'http://web-1:2375' for 'engine' in "
	  "[host web-1] (use unix://, tcp:// or ssh://)" },
	{ "[host web-1]\nengine = ssh://\n", 0,
	  "slipway.conf:2: bad engine 'ssh://' for 'engine' in [host web-1] "
	  "(use unix://, tcp:// or ssh://)" },
	{ "[host web-1]\nwindow = sundy\n" WINDOW_W, 0,
	  "slipway.conf:2: unknown window 'sundy' for 'window' in [host "
	  "web-1]" },
	{ "[host h]\nwindow = a b\n", 0,
	  "slipway.conf:2: bad window name 'a b' for 'window' in [host h] (use "
	  "the name of a [window])" },
	{ "[host h]\ntags = db, hot spare\n", 0,
	  "slipway.conf:2: bad tag 'hot spare' for 'tags' in [host h] (use "
	  "words without spaces)" },
	{ "[host h]\nboot-time = 0\n", 0,
	  "slipway.conf:2: bad duration '0' for 'boot-time' in [host h] (must "
	  "be more than 0)" },
	{ "[host web 1]\n", 0,
	  "slipway.conf:1: bad name 'web 1' in [host web 1] (use letters, "
	  "digits and - _ . : @)" },

	/* [group] */
	{ "[group g]\nmin-available = 1\n", 0,
	  "slipway.conf:1: [group g] needs 'containers'" },
	{ "[group g]\ncontainers =\n", 0,
	  "slipway.conf:2: missing value for 'containers' in [group g]" },
	{ "[group g]\ncontainers = web\n", 0,
	  "slipway.conf:2: bad container selector 'web' for 'containers' in "
	  "[group g] (use compose:PROJECT/SERVICE, swarm:NAME or "
	  "label:KEY=VALUE)" },
	{ "[group g]\ncontainers = swarm:a, compose:shop\n", 0,
	  "slipway.conf:2: bad container selector 'compose:shop' for "
	  "'containers' in [group g] (use compose:PROJECT/SERVICE, swarm:NAME "
	  "or label:KEY=VALUE)" },
	{ "[group g]\ncontainers = label:=x\n", 0,
	  "slipway.conf:2: bad container selector 'label:=x' for 'containers' "
	  "in [group g] (use compose:PROJECT/SERVICE, swarm:NAME or "
	  "label:KEY=VALUE)" },
	{ "[group g]\ncontainers = swarm:a\nmin-available = 0\n", 0,
	  "slipway.conf:3: bad number '0' for 'min-available' in [group g] "
	  "(must be at least 1)" },

	/* [feed] */
	{ "[feed OSV_Go]\n", 0,
	  "slipway.conf:1: bad name 'OSV_Go' in [feed OSV_Go] (use lowercase "
	  "letters, digits and -)" },
	{ "[feed osv-go]\nenabled = maybe\n", 0,
	  "slipway.conf:2: bad boolean 'maybe' for 'enabled' in [feed osv-go] "
	  "(use yes or no)" },
	{ "[feed osv-go]\nurl = http://example.org/all.zip\n", 0,
	  "slipway.conf:2: bad url 'http://example.org/all.zip' for 'url' in "
	  "[feed osv-go] (use https://)" },
	{ "[feed osv-go]\nmirror = ftp://mirror.example.org\n", 0,
	  "slipway.conf:2: bad url 'ftp://mirror.example.org' for 'mirror' in "
	  "[feed osv-go] (use https:// or http://)" },
	{ "[feed osv-go]\nmax-bytes = 5T\n", 0,
	  "slipway.conf:2: bad size '5T' for 'max-bytes' in [feed osv-go] (use "
	  "bytes, or k, M or G as in 512k or 100M)" },
	{ "[feed osv-go]\nmax-bytes = 0k\n", 0,
	  "slipway.conf:2: bad size '0k' for 'max-bytes' in [feed osv-go] "
	  "(must be at least 1)" },
	{ "[feed osv-go]\ntimeout = 30x\n", 0,
	  "slipway.conf:2: bad duration '30x' for 'timeout' in [feed osv-go] "
	  "(use 30s, 15m, 4h or 7d)" },
};

START_TEST(bad_config_is_refused)
{
	const struct bad_case *c = &bad_cases[_i];
	struct config *cfg = &sentinel;
	struct err err;
	int rc;

	err_clear(&err);
	rc = config_parse(&cfg, "slipway.conf", c->text,
			  c->len ? c->len : strlen(c->text), &err);
	ck_assert_msg(rc == ERR_CONFIG, "row %d: rc %d", _i, rc);
	ck_assert_int_eq(err.code, ERR_CONFIG);
	ck_assert_str_eq(err.msg, c->msg);
	ck_assert_ptr_eq(cfg, &sentinel);
}
END_TEST

/* Lines longer than libinih's buffer are refused, not split. */
START_TEST(long_line_is_refused)
{
	struct config *cfg = &sentinel;
	struct buf b;
	struct err err;

	buf_init(&b, 4096);
	buf_addstr(&b, "[window w]\nhosts = ");
	while (b.len < 300)
		buf_addstr(&b, "web-*, ");
	buf_addstr(&b, "db-*\n");
	ck_assert_int_eq(config_parse(&cfg, "slipway.conf", b.ptr, b.len, &err),
			 ERR_CONFIG);
	ck_assert_str_eq(err.msg, "slipway.conf:2: line is longer than 198 "
				  "bytes");
	ck_assert_ptr_eq(cfg, &sentinel);
	buf_release(&b);
}
END_TEST

START_TEST(oversized_text_is_refused)
{
	struct config *cfg = &sentinel;
	struct err err;
	char *text = xmalloc(CONFIG_MAX_BYTES + 1);

	memset(text, '\n', CONFIG_MAX_BYTES + 1);
	ck_assert_int_eq(config_parse(&cfg, "big.conf", text,
				      CONFIG_MAX_BYTES + 1, &err),
			 ERR_CONFIG);
	ck_assert_str_eq(err.msg, "config 'big.conf' is larger than 1 MiB");
	ck_assert_ptr_eq(cfg, &sentinel);
	free(text);
}
END_TEST

/* The first of several problems is the one reported. */
START_TEST(first_error_wins)
{
	static const char text[] = "[policy]\n"
				   "soak = 15m\n"
				   "deadline-kev = soon\n"
				   "[windw x]\n"
				   "garbage\n";
	struct config *cfg = &sentinel;
	struct err err;

	ck_assert_int_eq(config_parse(&cfg, "a.conf", text, strlen(text), &err),
			 ERR_CONFIG);
	ck_assert_str_eq(err.msg, "a.conf:3: bad duration 'soon' for "
				  "'deadline-kev' in [policy] (use 30s, 15m, "
				  "4h or 7d)");
	ck_assert_ptr_eq(cfg, &sentinel);
}
END_TEST

static void assert_list(char *const *list, const char *const *want, size_t n)
{
	size_t i;

	ck_assert_ptr_nonnull(list);
	for (i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(list[i]);
		ck_assert_str_eq(list[i], want[i]);
	}
	ck_assert_ptr_null(list[n]);
}

static void assert_default_policy(const struct config_policy *p)
{
	ck_assert_int_eq(p->deadline_kev, 7 * DAY);
	ck_assert_int_eq(p->deadline_critical, 14 * DAY);
	ck_assert_int_eq(p->deadline_high, 30 * DAY);
	ck_assert_int_eq(p->deadline_medium, 90 * DAY);
	ck_assert_int_eq(p->soak, 15 * 60);
	ck_assert_int_eq(p->max_image_age, 30 * DAY);
	ck_assert_int_eq(p->boot_time, 120);
	ck_assert_int_eq(p->feed_max_age, 2 * DAY);
}

static void assert_defaults(const struct config *cfg)
{
	ck_assert_ptr_null(cfg->path);
	ck_assert_ptr_null(cfg->database);
	ck_assert_int_eq(cfg->max_down, 5);
	ck_assert_int_eq(cfg->concurrency, 16);
	ck_assert_int_eq(cfg->host_timeout, 60);
	assert_default_policy(&cfg->policy);
	ck_assert_uint_eq(cfg->nfeeds, 0);
	ck_assert_uint_eq(cfg->nwindows, 0);
	ck_assert_uint_eq(cfg->nfreezes, 0);
	ck_assert_uint_eq(cfg->nhosts, 0);
	ck_assert_uint_eq(cfg->ngroups, 0);
}

START_TEST(defaults)
{
	static const char *const texts[] = {
		"",
		"\n\n",
		"; only a comment\n# and another\n",
		"[slipway]\n",
		"[policy]\n[slipway]\n",
	};
	struct config *cfg = config_new_default();
	struct err err;
	size_t i;

	assert_defaults(cfg);
	config_free(cfg);
	config_free(NULL);
	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		cfg = NULL;
		ck_assert_int_eq(config_parse(&cfg, "d.conf", texts[i],
					      strlen(texts[i]), &err),
				 0);
		assert_defaults(cfg);
		config_free(cfg);
	}
}
END_TEST

/* DESIGN.md §9, verbatim. */
static const char design_example[] =
	"[slipway]\n"
	"database = /var/lib/slipway/slipway.db\n"
	"max-down = 5                      ; hosts down at once, fleet-wide\n"
	"\n"
	"[feed osv-go]                     ; feeds are on by default; a "
	"section "
	"overrides\n"
	"url = https://…/Go/all.zip\n"
	"\n"
	"[policy]\n"
	"deadline-kev = 7d\n"
	"deadline-critical = 14d\n"
	"deadline-high = 30d\n"
	"soak = 15m\n"
	"\n"
	"[window sunday-night]\n"
	"rrule = FREQ=WEEKLY;BYDAY=SU\n"
	"start = 02:00\n"
	"duration = 4h\n"
	"timezone = Europe/Berlin\n"
	"hosts = web-*, db-*\n"
	"max-down = 2\n"
	"\n"
	"[freeze year-end]\n"
	"from = 2026-12-20\n"
	"to = 2027-01-04\n"
	"\n"
	"[host web-1]\n"
	"engine = ssh://ops@web-1.example.net\n"
	"boot-time = 3m\n"
	"\n"
	"[group shop-web]\n"
	"containers = compose:shop/web     ; or swarm:NAME, or "
	"label:KEY=VALUE\n"
	"min-available = 2\n";

START_TEST(design_example_parses)
{
	static const char *const hosts[] = { "web-*", "db-*" };
	static const char *const containers[] = { "compose:shop/web" };
	const struct config_window *w;
	const struct config_feed *f;
	const struct config_host *h;
	struct config *cfg = NULL;
	struct err err;

	err_clear(&err);
	ck_assert_msg(config_parse(&cfg, "slipway.conf", design_example,
				   strlen(design_example), &err) == 0,
		      "%s", err.msg);
	ck_assert_ptr_null(cfg->path);
	ck_assert_str_eq(cfg->database, "/var/lib/slipway/slipway.db");
	ck_assert_int_eq(cfg->max_down, 5);
	ck_assert_int_eq(cfg->concurrency, 16);
	ck_assert_int_eq(cfg->host_timeout, 60);

	ck_assert_uint_eq(cfg->nfeeds, 1);
	f = config_feed_find(cfg, "osv-go");
	ck_assert_ptr_eq(f, &cfg->feeds[0]);
	ck_assert_str_eq(f->name, "osv-go");
	ck_assert_str_eq(f->url, "https://…/Go/all.zip");
	ck_assert_int_eq(f->enabled, -1);
	ck_assert_int_eq(f->max_age, -1);
	ck_assert_int_eq(f->max_bytes, -1);
	ck_assert_int_eq(f->timeout, -1);
	ck_assert_ptr_null(f->mirror);
	ck_assert_int_eq(f->line, 5);
	ck_assert_ptr_null(config_feed_find(cfg, "osv"));

	ck_assert_int_eq(cfg->policy.deadline_kev, 7 * DAY);
	ck_assert_int_eq(cfg->policy.deadline_critical, 14 * DAY);
	ck_assert_int_eq(cfg->policy.deadline_high, 30 * DAY);
	ck_assert_int_eq(cfg->policy.deadline_medium, 90 * DAY);
	ck_assert_int_eq(cfg->policy.soak, 15 * 60);
	ck_assert_int_eq(cfg->policy.max_image_age, 30 * DAY);
	ck_assert_int_eq(cfg->policy.boot_time, 120);
	ck_assert_int_eq(cfg->policy.feed_max_age, 2 * DAY);

	ck_assert_uint_eq(cfg->nwindows, 1);
	w = config_window_find(cfg, "sunday-night");
	ck_assert_ptr_eq(w, &cfg->windows[0]);
	ck_assert_str_eq(w->rrule, "FREQ=WEEKLY;BYDAY=SU");
	ck_assert_int_eq(w->start_minute, 120);
	ck_assert_int_eq(w->duration, 4 * 3600);
	ck_assert_str_eq(w->timezone, "Europe/Berlin");
	assert_list(w->hosts, hosts, 2);
	assert_list(w->except, NULL, 0);
	ck_assert_int_eq(w->max_down, 2);
	ck_assert_int_eq(w->line, 14);

	ck_assert_uint_eq(cfg->nfreezes, 1);
	ck_assert_str_eq(cfg->freezes[0].name, "year-end");
	ck_assert_str_eq(cfg->freezes[0].from, "2026-12-20");
	ck_assert_str_eq(cfg->freezes[0].to, "2027-01-04");
	ck_assert_ptr_null(cfg->freezes[0].timezone);
	ck_assert_int_eq(cfg->freezes[0].line, 22);

	ck_assert_uint_eq(cfg->nhosts, 1);
	h = config_host_find(cfg, "web-1");
	ck_assert_ptr_eq(h, &cfg->hosts[0]);
	ck_assert_str_eq(h->engine, "ssh://ops@web-1.example.net");
	ck_assert_int_eq(h->boot_time, 180);
	ck_assert_ptr_null(h->window);
	ck_assert_ptr_null(h->tls_ca);
	ck_assert_ptr_null(h->tls_cert);
	ck_assert_ptr_null(h->tls_key);
	ck_assert_ptr_null(h->cert_path);
	assert_list(h->tags, NULL, 0);
	ck_assert_int_eq(h->line, 26);
	ck_assert_ptr_null(config_host_find(cfg, "web-2"));

	ck_assert_uint_eq(cfg->ngroups, 1);
	ck_assert_str_eq(cfg->groups[0].name, "shop-web");
	assert_list(cfg->groups[0].containers, containers, 1);
	ck_assert_int_eq(cfg->groups[0].min_available, 2);
	ck_assert_int_eq(cfg->groups[0].line, 30);
	config_free(cfg);
}
END_TEST

/* Every key not in the example, continuation lines, CRLF, a BOM, ':' as
 * separator, and a window named after the host that uses it. */
START_TEST(every_key_parses)
{
	static const char text[] =
		"\xEF\xBB\xBF[slipway]\r\n"
		"concurrency = 1024\r\n"
		"host-timeout = 90\r\n"
		"max-down: 1\r\n"
		"[policy]\n"
		"deadline-medium = 60d\n"
		"soak = 0\n"
		"max-image-age = 4h\n"
		"stale-images = sha256:9f3c2a, local/busybox@sha256:77aa01,\n"
		"  registry.example.net:5000/shop/web:1.4\n"
		"boot-time = 30s\n"
		"feed-max-age = 1d\n"
		"[feed kernel-cna]\n"
		"enabled = off\n"
		"max-age = 12h\n"
		"max-bytes = 512k\n"
		"timeout = 2m\n"
		"mirror = http://mirror.lan/cna\n"
		"[host db-1]\n"
		"engine = unix:///run/docker.sock\n"
		"window = late\n"
		"tls-ca = /etc/ssl/ca.pem\n"
		"tls-cert = /etc/ssl/cert.pem\n"
		"tls-key = /etc/ssl/key.pem\n"
		"cert-path = /etc/docker/certs\n"
		"tags = db, primary,\n"
		"[window late]\n"
		"rrule = FREQ=MONTHLY;BYDAY=1SA\n"
		"start = 2:05\n"
		"duration = 7d\n"
		"timezone = UTC\n"
		"hosts = db-*,\n"
		"  cache-?, \n"
		"; a comment does not end the list\n"
		"\tweb-[0-9]   ; nor does this one\n"
		"except = 2024-02-29,2026-12-24 , 2000-02-29\n"
		"[freeze summer]\n"
		"from = 2026-07-01\n"
		"to = 2026-07-01\n"
		"timezone = America/New_York\n"
		"[group cache]\n"
		"containers = swarm:redis, label:com.example.tier=cache,\n"
		"    compose:shop/db, label:empty=\n";
	static const char *const tags[] = { "db", "primary" };
	static const char *const hosts[] = { "db-*", "cache-?", "web-[0-9]" };
	static const char *const except[] = { "2024-02-29", "2026-12-24",
					      "2000-02-29" };
	static const char *const containers[] = {
		"swarm:redis", "label:com.example.tier=cache",
		"compose:shop/db", "label:empty="
	};
	const struct config_window *w;
	const struct config_host *h;
	const struct config_feed *f;
	struct config *cfg = NULL;
	struct err err;

	err_clear(&err);
	ck_assert_msg(config_parse(&cfg, "x.conf", text, strlen(text), &err) ==
			      0,
		      "%s", err.msg);
	ck_assert_int_eq(cfg->concurrency, 1024);
	ck_assert_int_eq(cfg->host_timeout, 90);
	ck_assert_int_eq(cfg->max_down, 1);
	ck_assert_int_eq(cfg->policy.deadline_kev, 7 * DAY);
	ck_assert_int_eq(cfg->policy.deadline_medium, 60 * DAY);
	ck_assert_int_eq(cfg->policy.soak, 0);
	ck_assert_int_eq(cfg->policy.max_image_age, 4 * 3600);
	ck_assert_str_eq(cfg->policy.stale_images[0], "sha256:9f3c2a");
	ck_assert_str_eq(cfg->policy.stale_images[1], "local/busybox@sha256:77aa01");
	ck_assert_str_eq(cfg->policy.stale_images[2],
			 "registry.example.net:5000/shop/web:1.4");
	ck_assert_ptr_null(cfg->policy.stale_images[3]);
	ck_assert_int_eq(cfg->policy.boot_time, 30);
	ck_assert_int_eq(cfg->policy.feed_max_age, DAY);

	f = config_feed_find(cfg, "kernel-cna");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_null(f->url);
	ck_assert_int_eq(f->enabled, 0);
	ck_assert_int_eq(f->max_age, 12 * 3600);
	ck_assert_int_eq(f->max_bytes, 512 * 1024);
	ck_assert_int_eq(f->timeout, 120);
	ck_assert_str_eq(f->mirror, "http://mirror.lan/cna");
	ck_assert_int_eq(f->line, 13);

	h = config_host_find(cfg, "db-1");
	ck_assert_ptr_nonnull(h);
	ck_assert_str_eq(h->engine, "unix:///run/docker.sock");
	ck_assert_int_eq(h->boot_time, -1);
	ck_assert_str_eq(h->window, "late");
	ck_assert_str_eq(h->tls_ca, "/etc/ssl/ca.pem");
	ck_assert_str_eq(h->tls_cert, "/etc/ssl/cert.pem");
	ck_assert_str_eq(h->tls_key, "/etc/ssl/key.pem");
	ck_assert_str_eq(h->cert_path, "/etc/docker/certs");
	assert_list(h->tags, tags, 2);

	w = config_window_find(cfg, "late");
	ck_assert_ptr_nonnull(w);
	ck_assert_str_eq(w->rrule, "FREQ=MONTHLY;BYDAY=1SA");
	ck_assert_int_eq(w->start_minute, 2 * 60 + 5);
	ck_assert_int_eq(w->duration, 7 * DAY);
	ck_assert_str_eq(w->timezone, "UTC");
	assert_list(w->hosts, hosts, 3);
	assert_list(w->except, except, 3);
	ck_assert_int_eq(w->max_down, -1);
	ck_assert_int_eq(w->line, 27);
	ck_assert_ptr_null(config_window_find(cfg, "db-1"));

	ck_assert_str_eq(cfg->freezes[0].from, "2026-07-01");
	ck_assert_str_eq(cfg->freezes[0].to, "2026-07-01");
	ck_assert_str_eq(cfg->freezes[0].timezone, "America/New_York");

	assert_list(cfg->groups[0].containers, containers, 4);
	ck_assert_int_eq(cfg->groups[0].min_available, -1);
	ck_assert_int_eq(cfg->groups[0].line, 41);
	config_free(cfg);
}
END_TEST

/* The same name in two kinds of section is no duplicate. */
START_TEST(names_are_per_kind)
{
	static const char text[] = WINDOW_W "[host w]\nwindow = w\n"
					    "[group w]\ncontainers = swarm:w\n"
					    "[freeze w]\nfrom = 2026-01-01\n"
					    "to = 2026-01-02\n";
	struct config *cfg = NULL;
	struct err err;

	ck_assert_msg(config_parse(&cfg, "n.conf", text, strlen(text), &err) ==
			      0,
		      "%s", err.msg);
	ck_assert_uint_eq(cfg->nwindows, 1);
	ck_assert_uint_eq(cfg->nhosts, 1);
	ck_assert_uint_eq(cfg->ngroups, 1);
	ck_assert_uint_eq(cfg->nfreezes, 1);
	config_free(cfg);
}
END_TEST

static const struct {
	const char *text;
	int want;
} booleans[] = {
	{ "yes", 1 }, { "true", 1 },  { "on", 1 },  { "1", 1 }, { "YES", 1 },
	{ "no", 0 },  { "false", 0 }, { "off", 0 }, { "0", 0 }, { "Off", 0 },
};

START_TEST(booleans_parse)
{
	struct config *cfg = NULL;
	struct err err;
	struct buf b;

	buf_init(&b, 256);
	buf_addf(&b, "[feed f]\nenabled = %s\n", booleans[_i].text);
	ck_assert_int_eq(config_parse(&cfg, "b.conf", b.ptr, b.len, &err), 0);
	ck_assert_int_eq(cfg->feeds[0].enabled, booleans[_i].want);
	config_free(cfg);
	buf_release(&b);
}
END_TEST

static const struct {
	const char *text;
	int64_t want;
} sizes[] = {
	{ "65536", 65536 },	    { "512k", 512 * 1024 },
	{ "512K", 512 * 1024 },	    { "100M", 100 * 1024 * 1024 },
	{ "2G", (int64_t)2 << 30 },
};

START_TEST(sizes_parse)
{
	struct config *cfg = NULL;
	struct err err;
	struct buf b;

	buf_init(&b, 256);
	buf_addf(&b, "[feed f]\nmax-bytes = %s\n", sizes[_i].text);
	ck_assert_int_eq(config_parse(&cfg, "s.conf", b.ptr, b.len, &err), 0);
	ck_assert_int_eq(cfg->feeds[0].max_bytes, sizes[_i].want);
	config_free(cfg);
	buf_release(&b);
}
END_TEST

static const struct {
	const char *text;
	int rc;
	int64_t want;
} durations[] = {
	{ "30s", 0, 30 },
	{ "15m", 0, 15 * 60 },
	{ "4h", 0, 4 * 3600 },
	{ "7d", 0, 7 * DAY },
	{ "90", 0, 90 },
	{ "0", 0, 0 },
	{ "9223372036854775807", 0, INT64_MAX },
	{ "", ERR_PARSE, 0 },
	{ "-5m", ERR_PARSE, 0 },
	{ "+5m", ERR_PARSE, 0 },
	{ "4x", ERR_PARSE, 0 },
	{ "1.5h", ERR_PARSE, 0 },
	{ "4 h", ERR_PARSE, 0 },
	{ " 4h", ERR_PARSE, 0 },
	{ "4hh", ERR_PARSE, 0 },
	{ "h", ERR_PARSE, 0 },
	{ "1h30m", ERR_PARSE, 0 },
	{ "99999999999999999999d", ERR_PARSE, 0 },
	{ "9223372036854775808", ERR_PARSE, 0 },
	{ "106751991167301d", ERR_PARSE, 0 },
};

START_TEST(durations_parse)
{
	int64_t v = -42;

	ck_assert_int_eq(config_parse_duration(&v, durations[_i].text),
			 durations[_i].rc);
	ck_assert_int_eq(v, durations[_i].rc ? -42 : durations[_i].want);
}
END_TEST

static const struct {
	const char *name;
	bool want;
} matches[] = {
	{ "web-1", true },  { "web-", true },	 { "db-7", true },
	{ "db7", false },   { "cache-a", true }, { "cache-ab", false },
	{ "WEB-1", false }, { "mail", false },	 { "", false },
};

START_TEST(hosts_match_globs)
{
	static char web[] = "web-*", db[] = "db-[0-9]", cache[] = "cache-?";
	char *const patterns[] = { web, db, cache, NULL };
	char *const none[] = { NULL };

	ck_assert(config_host_match(patterns, matches[_i].name) ==
		  matches[_i].want);
	ck_assert(!config_host_match(none, matches[_i].name));
	ck_assert(!config_host_match(NULL, matches[_i].name));
}
END_TEST

/* A list is capped, however many continuation lines it has. */
START_TEST(long_list_is_refused)
{
	struct config *cfg = &sentinel;
	struct err err;
	struct buf b;
	int i;

	buf_init(&b, CONFIG_MAX_BYTES);
	buf_addstr(&b, "[host h]\ntags =\n");
	for (i = 0; i < CONFIG_LIST_MAX; i++)
		buf_addf(&b, "  t%d\n", i);
	cfg = NULL;
	ck_assert_int_eq(config_parse(&cfg, "l.conf", b.ptr, b.len, &err), 0);
	ck_assert_str_eq(cfg->hosts[0].tags[CONFIG_LIST_MAX - 1], "t4095");
	ck_assert_ptr_null(cfg->hosts[0].tags[CONFIG_LIST_MAX]);
	config_free(cfg);

	cfg = &sentinel;
	buf_addstr(&b, "  one-more\n");
	ck_assert_int_eq(config_parse(&cfg, "l.conf", b.ptr, b.len, &err),
			 ERR_CONFIG);
	ck_assert_str_eq(err.msg, "l.conf:4099: too many items for 'tags' in "
				  "[host h] (at most 4096)");
	ck_assert_ptr_eq(cfg, &sentinel);
	buf_release(&b);
}
END_TEST

/* Many sections: duplicates are found through a hash, not a scan. */
START_TEST(many_sections)
{
	struct config *cfg = &sentinel;
	struct err err;
	struct buf b;
	int i;

	buf_init(&b, CONFIG_MAX_BYTES);
	for (i = 0; i < 20000; i++)
		buf_addf(&b, "[host h%d]\nwindow = w\n", i);
	buf_addstr(&b, WINDOW_W);
	ck_assert_int_eq(config_parse(&cfg, "m.conf", b.ptr, b.len, &err), 0);
	ck_assert_uint_eq(cfg->nhosts, 20000);
	ck_assert_str_eq(cfg->hosts[19999].name, "h19999");
	ck_assert_ptr_eq(config_host_find(cfg, "h12345"), &cfg->hosts[12345]);
	config_free(cfg);

	cfg = &sentinel;
	buf_addstr(&b, "[host h777]\n");
	ck_assert_int_eq(config_parse(&cfg, "m.conf", b.ptr, b.len, &err),
			 ERR_CONFIG);
	ck_assert_str_eq(err.msg, "m.conf:40005: duplicate section [host h777] "
				  "(first at line 1555)");
	ck_assert_ptr_eq(cfg, &sentinel);
	buf_release(&b);
}
END_TEST

/* ---- files ---------------------------------------------------------- */

static char tmpdir[] = "/tmp/test-config-XXXXXX";

static void make_tmpdir(void)
{
	/* again from the template when Check does not fork */
	memcpy(tmpdir + sizeof(tmpdir) - 7, "XXXXXX", 6);
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
	struct buf cmd;

	/* test files only; the name came from mkdtemp */
	buf_init(&cmd, 4096);
	buf_addf(&cmd, "%s/slipway.conf", tmpdir);
	unlink(cmd.ptr);
	buf_reset(&cmd);
	buf_addf(&cmd, "%s/xdg/slipway/slipway.conf", tmpdir);
	unlink(cmd.ptr);
	buf_reset(&cmd);
	buf_addf(&cmd, "%s/xdg/slipway", tmpdir);
	rmdir(cmd.ptr);
	buf_reset(&cmd);
	buf_addf(&cmd, "%s/xdg", tmpdir);
	rmdir(cmd.ptr);
	rmdir(tmpdir);
	buf_release(&cmd);
}

/* Writes text to DIR/name with mode; returns the allocated path. */
static char *write_file(const char *name, const char *text, size_t len,
			mode_t mode)
{
	struct buf path;
	FILE *f;

	buf_init(&path, 4096);
	buf_addf(&path, "%s/%s", tmpdir, name);
	f = fopen(path.ptr, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path.ptr, mode), 0);
	return buf_detach(&path, NULL);
}

static char *tmp_path(const char *name)
{
	struct buf path;

	buf_init(&path, 4096);
	buf_addf(&path, "%s/%s", tmpdir, name);
	return buf_detach(&path, NULL);
}

START_TEST(load_missing)
{
	struct config *cfg = NULL;
	struct err err;
	char *path = tmp_path("none.conf");
	char want[ERR_MSG_MAX];

	err_clear(&err);
	ck_assert_int_eq(config_load(&cfg, path, false, &err), 0);
	assert_defaults(cfg);
	ck_assert_int_eq(err.code, ERR_OK);
	config_free(cfg);

	cfg = &sentinel;
	ck_assert_int_eq(config_load(&cfg, path, true, &err), ERR_CONFIG);
	snprintf(want, sizeof(want),
		 "cannot read config '%s': No such file or directory", path);
	ck_assert_str_eq(err.msg, want);
	ck_assert_ptr_eq(cfg, &sentinel);
	free(path);
}
END_TEST

START_TEST(load_good_file)
{
	struct config *cfg = NULL;
	struct err err;
	char *path = write_file("slipway.conf", design_example,
				strlen(design_example), 0640);

	ck_assert_msg(config_load(&cfg, path, true, &err) == 0, "%s", err.msg);
	ck_assert_str_eq(cfg->path, path);
	ck_assert_int_eq(cfg->windows[0].duration, 4 * 3600);
	config_free(cfg);
	free(path);
}
END_TEST

START_TEST(load_bad_file_names_path_and_line)
{
	static const char text[] = "[policy]\n\nsoak = 4x\n";
	struct config *cfg = &sentinel;
	struct err err;
	char *path = write_file("slipway.conf", text, strlen(text), 0600);
	char want[ERR_MSG_MAX];

	ck_assert_int_eq(config_load(&cfg, path, false, &err), ERR_CONFIG);
	snprintf(
		want, sizeof(want),
		"%s:3: bad duration '4x' for 'soak' in [policy] (use 30s, 15m, "
		"4h or 7d)",
		path);
	ck_assert_str_eq(err.msg, want);
	ck_assert_ptr_eq(cfg, &sentinel);
	free(path);
}
END_TEST

START_TEST(load_world_writable_is_refused)
{
	struct config *cfg = &sentinel;
	struct err err;
	char *path = write_file("slipway.conf", "[slipway]\n", 10, 0666);
	char want[ERR_MSG_MAX];

	ck_assert_int_eq(config_load(&cfg, path, false, &err), ERR_CONFIG);
	snprintf(want, sizeof(want),
		 "config '%s' is world-writable; fix with chmod o-w", path);
	ck_assert_str_eq(err.msg, want);
	ck_assert_ptr_eq(cfg, &sentinel);
	free(path);
}
END_TEST

START_TEST(load_unreadable_is_refused)
{
	struct config *cfg = &sentinel;
	struct err err;
	char *path;
	char want[ERR_MSG_MAX];

	/* root reads a mode-000 file anyway */
	if (geteuid() == 0)
		return;
	path = write_file("slipway.conf", "[slipway]\n", 10, 0000);
	ck_assert_int_eq(config_load(&cfg, path, false, &err), ERR_CONFIG);
	snprintf(want, sizeof(want),
		 "cannot read config '%s': Permission denied", path);
	ck_assert_str_eq(err.msg, want);
	ck_assert_ptr_eq(cfg, &sentinel);
	free(path);
}
END_TEST

/* Unreadable in ways that hold for root too. */
START_TEST(load_not_a_file_is_refused)
{
	struct config *cfg = &sentinel;
	struct err err;
	char *file = write_file("slipway.conf", "[slipway]\n", 10, 0600);
	char *below = tmp_path("slipway.conf/x.conf");
	char want[ERR_MSG_MAX];

	ck_assert_int_eq(config_load(&cfg, below, false, &err), ERR_CONFIG);
	snprintf(want, sizeof(want), "cannot read config '%s': Not a directory",
		 below);
	ck_assert_str_eq(err.msg, want);
	ck_assert_ptr_eq(cfg, &sentinel);

	ck_assert_int_eq(config_load(&cfg, tmpdir, false, &err), ERR_CONFIG);
	snprintf(want, sizeof(want), "config '%s' is not a regular file",
		 tmpdir);
	ck_assert_str_eq(err.msg, want);
	ck_assert_ptr_eq(cfg, &sentinel);
	free(below);
	free(file);
}
END_TEST

START_TEST(load_too_big_is_refused)
{
	struct config *cfg = &sentinel;
	struct err err;
	char *text = xmalloc(CONFIG_MAX_BYTES + 1);
	char *path;
	char want[ERR_MSG_MAX];

	memset(text, '\n', CONFIG_MAX_BYTES + 1);
	path = write_file("slipway.conf", text, CONFIG_MAX_BYTES + 1, 0600);
	ck_assert_int_eq(config_load(&cfg, path, false, &err), ERR_CONFIG);
	snprintf(want, sizeof(want), "config '%s' is larger than 1 MiB", path);
	ck_assert_str_eq(err.msg, want);
	ck_assert_ptr_eq(cfg, &sentinel);
	free(path);

	/* exactly 1 MiB is fine */
	path = write_file("slipway.conf", text, CONFIG_MAX_BYTES, 0600);
	cfg = NULL;
	ck_assert_int_eq(config_load(&cfg, path, false, &err), 0);
	config_free(cfg);
	free(path);
	free(text);
}
END_TEST

START_TEST(default_path_prefers_user_file)
{
	char *xdg = tmp_path("xdg");
	char *dir = tmp_path("xdg/slipway");
	char *want = tmp_path("xdg/slipway/slipway.conf");
	char *path;

	ck_assert_int_eq(setenv("XDG_CONFIG_HOME", xdg, 1), 0);
	path = config_default_path();
	ck_assert_str_eq(path, "/etc/slipway/slipway.conf");
	free(path);

	ck_assert_int_eq(mkdir(xdg, 0700), 0);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	free(write_file("xdg/slipway/slipway.conf", "", 0, 0600));
	path = config_default_path();
	ck_assert_str_eq(path, want);
	free(path);

	/* a relative XDG_CONFIG_HOME is ignored (XDG base directory spec) */
	ck_assert_int_eq(setenv("XDG_CONFIG_HOME", "relative", 1), 0);
	ck_assert_int_eq(setenv("HOME", xdg, 1), 0);
	path = config_default_path();
	ck_assert_str_eq(path, "/etc/slipway/slipway.conf");
	free(path);
	free(want);
	free(dir);
	free(xdg);
}
END_TEST

START_TEST(default_database)
{
	char *path;

	ck_assert_int_eq(setenv("XDG_DATA_HOME", "/data", 1), 0);
	ck_assert_int_eq(setenv("HOME", "/home/ops", 1), 0);
	path = config_default_database();
	if (geteuid() == 0) {
		ck_assert_str_eq(path, "/var/lib/slipway/slipway.db");
	} else {
		ck_assert_str_eq(path, "/data/slipway/slipway.db");
		free(path);
		ck_assert_int_eq(unsetenv("XDG_DATA_HOME"), 0);
		path = config_default_database();
		ck_assert_str_eq(path,
				 "/home/ops/.local/share/slipway/slipway.db");
	}
	free(path);
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("bad");

	tcase_add_loop_test(tc, bad_config_is_refused, 0,
			    (int)ARRAY_SIZE(bad_cases));
	tcase_add_test(tc, long_line_is_refused);
	tcase_add_test(tc, oversized_text_is_refused);
	tcase_add_test(tc, first_error_wins);
	suite_add_tcase(s, tc);

	tc = tcase_create("good");
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, design_example_parses);
	tcase_add_test(tc, every_key_parses);
	tcase_add_test(tc, names_are_per_kind);
	tcase_add_loop_test(tc, booleans_parse, 0, (int)ARRAY_SIZE(booleans));
	tcase_add_loop_test(tc, sizes_parse, 0, (int)ARRAY_SIZE(sizes));
	tcase_add_loop_test(tc, durations_parse, 0, (int)ARRAY_SIZE(durations));
	tcase_add_loop_test(tc, hosts_match_globs, 0, (int)ARRAY_SIZE(matches));
	tcase_add_test(tc, long_list_is_refused);
	tcase_add_test(tc, many_sections);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, make_tmpdir, remove_tmpdir);
	tcase_add_test(tc, load_missing);
	tcase_add_test(tc, load_good_file);
	tcase_add_test(tc, load_bad_file_names_path_and_line);
	tcase_add_test(tc, load_world_writable_is_refused);
	tcase_add_test(tc, load_unreadable_is_refused);
	tcase_add_test(tc, load_not_a_file_is_refused);
	tcase_add_test(tc, load_too_big_is_refused);
	tcase_add_test(tc, default_path_prefers_user_file);
	tcase_add_test(tc, default_database);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(config_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

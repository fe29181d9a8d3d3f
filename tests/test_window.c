/* test_window.c - unit tests of window expansion (src/window.c) against
 * hand-worked cases: DST change days in Europe/Berlin and America/New_York
 * (RFC 5545 3.3.5: a repeated local time is its first occurrence, a
 * missing one uses the offset before the gap; durations are real time),
 * nth weekday and day of month rules, `except` dates, freezes cutting a
 * window (in the window's zone and in their own), RFC 3339 output, and bad
 * input. Expected instants were worked out with `date -u -d ... +%s`. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "window.h"

#define H 3600
#define DAYS 86400

struct expanded {
	struct window_occ *occ;
	size_t n;
	struct window_frozen *fr;
	size_t nfr;
};

static struct config_window mkwin(const char *rrule, int start_minute,
				  int64_t duration, const char *tz)
{
	static char *none[] = { NULL };
	struct config_window w = {
		.name = (char *)"w",
		.rrule = (char *)rrule,
		.start_minute = start_minute,
		.duration = duration,
		.timezone = (char *)tz,
		.hosts = none,
		.except = none,
		.max_down = -1,
	};
	return w;
}

static struct expanded expand(const struct config_window *w,
			      const struct config_freeze *fz, size_t nfz,
			      int64_t hs, int64_t he)
{
	struct expanded e = { 0 };
	struct err err;

	err_clear(&err);
	if (window_expand(&e.occ, &e.n, &e.fr, &e.nfr, w, fz, nfz, hs, he, &err))
		ck_abort_msg("window_expand: %s", err.msg);
	return e;
}

static void release(struct expanded *e)
{
	free(e->occ);
	free(e->fr);
}

/* Last Sunday of March 2027 (28th): 02:00 does not exist in Berlin; the
 * window starts at 01:00 UTC (03:00 CEST) and ends 4 real hours later. */
START_TEST(berlin_spring_forward)
{
	struct config_window w = mkwin("FREQ=WEEKLY;BYDAY=SU", 120, 4 * H, "Europe/Berlin");
	struct expanded e = expand(&w, NULL, 0, 1805590800 - DAYS, 1806796800 + DAYS);

	ck_assert_uint_eq(e.n, 3);
	ck_assert_int_eq(e.occ[0].start, 1805590800);      /* 21st 02:00 CET */
	ck_assert_int_eq(e.occ[0].end, 1805590800 + 4 * H);
	ck_assert_int_eq(e.occ[1].start, 1806195600);      /* 28th 01:00 UTC */
	ck_assert_int_eq(e.occ[1].end, 1806210000);        /* 05:00 UTC */
	ck_assert_int_eq(e.occ[1].day, 20270328);
	ck_assert_int_eq(e.occ[2].start, 1806796800);      /* 4 Apr 02:00 CEST */
	ck_assert_int_eq(e.occ[0].ordinal, 0);
	ck_assert_int_eq(e.occ[2].ordinal, 2);
	release(&e);
}
END_TEST

/* Last Sunday of October 2026 (25th): 02:00 happens twice in Berlin; the
 * window takes the first (00:00 UTC, CEST) and lasts 4 real hours, to
 * 04:00 UTC = 05:00 CET. A 01:00 window that day is 23:00 UTC the day
 * before to 03:00 UTC. */
START_TEST(berlin_fall_back)
{
	struct config_window w = mkwin("FREQ=WEEKLY;BYDAY=SU", 120, 4 * H, "Europe/Berlin");
	struct config_window w1 = mkwin("FREQ=WEEKLY;BYDAY=SU", 60, 4 * H, "Europe/Berlin");
	struct expanded e = expand(&w, NULL, 0, 1792281600 - H, 1793494800 + H);
	struct expanded e1 = expand(&w1, NULL, 0, 1792886400 - 6 * H, 1792886400 + DAYS);
	char t[WINDOW_TIME_MAX];

	ck_assert_uint_eq(e.n, 3);
	ck_assert_int_eq(e.occ[0].start, 1792281600);      /* 18th 02:00 CEST */
	ck_assert_int_eq(e.occ[1].start, 1792886400);      /* 25th 00:00 UTC */
	ck_assert_int_eq(e.occ[1].end, 1792900800);        /* 04:00 UTC */
	ck_assert_int_eq(e.occ[2].start, 1793494800);      /* 1 Nov 02:00 CET */
	window_format_time(t, e.occ[1].start, "Europe/Berlin");
	ck_assert_str_eq(t, "2026-10-25T02:00:00+02:00");
	window_format_time(t, e.occ[1].end, "Europe/Berlin");
	ck_assert_str_eq(t, "2026-10-25T05:00:00+01:00");
	ck_assert_uint_eq(e1.n, 1);
	ck_assert_int_eq(e1.occ[0].start, 1792882800);
	ck_assert_int_eq(e1.occ[0].end, 1792882800 + 4 * H);
	release(&e);
	release(&e1);
}
END_TEST

/* America/New_York: second Sunday of March 2027 (14th), 02:00 missing ->
 * 07:00 UTC (03:00 EDT); first Sunday of November 2026 (1st), 01:30
 * twice -> the EDT one, 05:30 UTC, and a 2 h window ends 07:30 UTC =
 * 02:30 EST. */
START_TEST(new_york_dst)
{
	struct config_window spring = mkwin("FREQ=MONTHLY;BYDAY=2SU", 120, 3 * H, "America/New_York");
	struct config_window fall = mkwin("FREQ=MONTHLY;BYDAY=1SU", 90, 2 * H, "America/New_York");
	struct expanded s = expand(&spring, NULL, 0, 1805007600 - 10 * DAYS, 1805007600 + 10 * DAYS);
	struct expanded f = expand(&fall, NULL, 0, 1793511000 - 10 * DAYS, 1793511000 + 10 * DAYS);
	char t[WINDOW_TIME_MAX];

	ck_assert_uint_eq(s.n, 1);
	ck_assert_int_eq(s.occ[0].start, 1805007600);
	ck_assert_int_eq(s.occ[0].end, 1805007600 + 3 * H);
	window_format_time(t, s.occ[0].start, "America/New_York");
	ck_assert_str_eq(t, "2027-03-14T03:00:00-04:00");
	ck_assert_uint_eq(f.n, 1);
	ck_assert_int_eq(f.occ[0].start, 1793511000);
	ck_assert_int_eq(f.occ[0].end, 1793518200);
	window_format_time(t, f.occ[0].end, "America/New_York");
	ck_assert_str_eq(t, "2026-11-01T02:30:00-05:00");
	release(&s);
	release(&f);
}
END_TEST

/* Second Tuesday of each month (UTC, 10:00): 9 June, 14 July, 11 Aug
 * 2026; day of month 15: 15 June, 15 July, 15 Aug. */
START_TEST(nth_weekday_and_month_day)
{
	struct config_window tu = mkwin("FREQ=MONTHLY;BYDAY=2TU", 600, H, NULL);
	struct config_window md = mkwin("FREQ=MONTHLY;BYMONTHDAY=15", 0, H, "UTC");
	struct expanded a = expand(&tu, NULL, 0, 1780963200 - 8 * DAYS, 1786752000 + DAYS);
	struct expanded b = expand(&md, NULL, 0, 1780963200 - 8 * DAYS, 1786752000 + DAYS);

	ck_assert_uint_eq(a.n, 3);
	ck_assert_int_eq(a.occ[0].start, 1780963200 + 10 * H);
	ck_assert_int_eq(a.occ[1].start, 1783987200 + 10 * H);
	ck_assert_int_eq(a.occ[2].start, 1786406400 + 10 * H);
	ck_assert_int_eq(a.occ[2].day, 20260811);
	ck_assert_uint_eq(b.n, 3);
	ck_assert_int_eq(b.occ[0].start, 1781481600);
	ck_assert_int_eq(b.occ[1].start, 1784073600);
	ck_assert_int_eq(b.occ[2].start, 1786752000);
	release(&a);
	release(&b);
}
END_TEST

/* Weekly Thursdays; except 2026-12-24 drops that one only. */
START_TEST(except_dates)
{
	static char *except[] = { (char *)"2026-12-24", NULL };
	struct config_window w = mkwin("FREQ=WEEKLY;BYDAY=TH", 0, 2 * H, "UTC");
	struct expanded e;

	w.except = except;
	e = expand(&w, NULL, 0, 1797465600, 1798675200 + DAYS);
	ck_assert_uint_eq(e.n, 2);
	ck_assert_int_eq(e.occ[0].start, 1797465600);
	ck_assert_int_eq(e.occ[1].start, 1798675200);
	release(&e);
}
END_TEST

/* A daily 22:00-02:00 window and a freeze of 20-21 December: the
 * occurrence of the 19th keeps 22:00-24:00, those of the 20th vanish, the
 * one of the 21st keeps its 00:00-02:00 of the 22nd; the two parts of an
 * occurrence share its ordinal. */
START_TEST(freeze_cuts_window)
{
	struct config_window w = mkwin("FREQ=DAILY", 22 * 60, 4 * H, "UTC");
	struct config_freeze fz = { .name = (char *)"xmas", .from = (char *)"2026-12-20",
				    .to = (char *)"2026-12-21" };
	int64_t d19 = 1797638400;
	struct expanded e = expand(&w, &fz, 1, d19 + 12 * H, d19 + 4 * DAYS);

	ck_assert_uint_eq(e.n, 3);
	ck_assert_int_eq(e.occ[0].start, d19 + 22 * H);
	ck_assert_int_eq(e.occ[0].end, d19 + DAYS);
	ck_assert_int_eq(e.occ[1].start, d19 + 3 * DAYS);      /* 22nd 00:00 */
	ck_assert_int_eq(e.occ[1].end, d19 + 3 * DAYS + 2 * H);
	ck_assert_int_eq(e.occ[1].occ_start, d19 + 2 * DAYS + 22 * H);
	ck_assert_int_eq(e.occ[1].ordinal, 2);
	ck_assert_int_eq(e.occ[2].start, d19 + 3 * DAYS + 22 * H);
	ck_assert_int_eq(e.occ[2].end, d19 + 4 * DAYS);       /* clipped at the horizon */
	ck_assert_uint_eq(e.nfr, 1);
	ck_assert_int_eq(e.fr[0].start, d19 + DAYS);
	ck_assert_int_eq(e.fr[0].end, d19 + 3 * DAYS);
	ck_assert_str_eq(e.fr[0].freeze, "xmas");
	release(&e);
}
END_TEST

/* A freeze is whole days of the window's zone (Berlin: 23:00 UTC) unless
 * it names its own zone. */
START_TEST(freeze_time_zones)
{
	struct config_window w = mkwin("FREQ=DAILY", 0, 24 * H, "Europe/Berlin");
	struct config_freeze fz[2] = {
		{ .name = (char *)"a", .from = (char *)"2026-12-20", .to = (char *)"2026-12-20" },
		{ .name = (char *)"b", .from = (char *)"2026-12-22", .to = (char *)"2026-12-22",
		  .timezone = (char *)"America/New_York" },
	};
	int64_t d19 = 1797638400;
	struct expanded e = expand(&w, fz, 2, d19, d19 + 5 * DAYS);

	ck_assert_uint_eq(e.nfr, 2);
	ck_assert_int_eq(e.fr[0].start, d19 + DAYS - H);       /* 20th 00:00 CET */
	ck_assert_int_eq(e.fr[0].end, d19 + 2 * DAYS - H);
	ck_assert_int_eq(e.fr[1].start, d19 + 3 * DAYS + 5 * H); /* 22nd 00:00 EST */
	ck_assert_int_eq(e.fr[1].end, d19 + 4 * DAYS + 5 * H);
	for (size_t i = 0; i < e.n; i++)
		for (size_t j = 0; j < e.nfr; j++)
			ck_assert(e.occ[i].end <= e.fr[j].start || e.occ[i].start >= e.fr[j].end);
	release(&e);
}
END_TEST

/* The rule is anchored, not started at the horizon: every other Monday
 * gives the same days whichever week the horizon starts. */
START_TEST(anchor_independent_of_horizon)
{
	struct config_window w = mkwin("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", 60, H, "UTC");
	int64_t hs = 1780963200;
	struct expanded a = expand(&w, NULL, 0, hs, hs + 8 * 7 * DAYS);
	struct expanded b = expand(&w, NULL, 0, hs + 7 * DAYS, hs + 8 * 7 * DAYS);
	size_t j = 0;

	ck_assert_uint_eq(a.n, 4);
	for (size_t i = 0; i < a.n; i++) {
		if (a.occ[i].start < hs + 7 * DAYS)
			continue;
		ck_assert_uint_lt(j, b.n);
		ck_assert_int_eq(a.occ[i].start, b.occ[j].start);
		j++;
	}
	ck_assert_uint_eq(j, b.n);
	release(&a);
	release(&b);
}
END_TEST

START_TEST(bad_input)
{
	struct config_window w = mkwin("FREQ=WEEKLY;BYDAY=SU", 0, H, "Mars/Olympus");
	struct window_occ *occ = (struct window_occ *)&w;
	size_t n = 77;
	struct err err;
	static char *except[] = { (char *)"2026-02-30", NULL };
	int y = 0, m = 0, d = 0;

	err_clear(&err);
	ck_assert_int_eq(window_expand(&occ, &n, NULL, NULL, &w, NULL, 0, 0, DAYS, &err), ERR_CONFIG);
	ck_assert_str_eq(err.msg, "window 'w': unknown time zone 'Mars/Olympus'");
	ck_assert_ptr_eq(occ, (struct window_occ *)&w);
	ck_assert_uint_eq(n, 77);
	w = mkwin("FREQ=SOMETIMES", 0, H, NULL);
	ck_assert_int_eq(window_expand(&occ, &n, NULL, NULL, &w, NULL, 0, 0, DAYS, &err), ERR_CONFIG);
	ck_assert_str_eq(err.msg, "window 'w': bad rrule 'FREQ=SOMETIMES'");
	w = mkwin("FREQ=DAILY", 0, H, NULL);
	w.except = except;
	ck_assert_int_eq(window_expand(&occ, &n, NULL, NULL, &w, NULL, 0, 0, DAYS, &err), ERR_CONFIG);
	ck_assert_str_eq(err.msg, "window 'w': bad except date '2026-02-30'");
	ck_assert_int_eq(window_parse_date(&y, &m, &d, "2028-02-29"), 0);
	ck_assert_int_eq(d, 29);
	ck_assert_int_eq(window_parse_date(&y, &m, &d, "2027-02-29"), ERR_PARSE);
	ck_assert_int_eq(window_parse_date(&y, &m, &d, "2027-2-01"), ERR_PARSE);
	ck_assert_int_eq(d, 29);
}
END_TEST

START_TEST(local_day)
{
	/* 2026-10-24 23:00 UTC is the 25th in Berlin, the 24th in New York. */
	ck_assert_int_eq(window_local_day(1792882800, "Europe/Berlin"), 20261025);
	ck_assert_int_eq(window_local_day(1792882800, "America/New_York"), 20261024);
	ck_assert_int_eq(window_local_day(1792882800, NULL), 20261024);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("window");
	TCase *tc = tcase_create("window");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, berlin_spring_forward);
	tcase_add_test(tc, berlin_fall_back);
	tcase_add_test(tc, new_york_dst);
	tcase_add_test(tc, nth_weekday_and_month_day);
	tcase_add_test(tc, except_dates);
	tcase_add_test(tc, freeze_cuts_window);
	tcase_add_test(tc, freeze_time_zones);
	tcase_add_test(tc, anchor_independent_of_horizon);
	tcase_add_test(tc, bad_input);
	tcase_add_test(tc, local_day);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

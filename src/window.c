/* window.c - expands [window] RRULEs (RFC 5545 3.3.10, libical) into UTC
 * spans over the planning horizon, resolving local times by RFC 5545
 * 3.3.5 and cutting [freeze] days out (window.h says every rule). */
#include "window.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "config.h"
#include "xalloc.h"
#include "banned.h"

#define DAY 86400

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* NULL for UTC (no offset to look up), else the zone; *ok false when the
 * zone is unknown. */
static icaltimezone *zone_get(const char *tz, int *ok)
{
	icaltimezone *z;

	*ok = 1;
	if (!tz || !strcmp(tz, "UTC") || !strcmp(tz, "Etc/UTC"))
		return NULL;
	z = icaltimezone_get_builtin_timezone(tz);
	if (!z)
		*ok = 0;
	return z;
}

static int zone_offset(icaltimezone *z, int64_t t)
{
	struct icaltimetype tt;
	int is_dst = 0;

	if (!z)
		return 0;
	tt = icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
	return icaltimezone_get_utc_offset_of_utc_time(z, &tt, &is_dst);
}

/* RFC 5545 3.3.5: a repeated local time is its first occurrence; a
 * nonexistent one is read with the offset before the gap. Transitions are
 * months apart, so the offsets a day before and after bracket any one. */
static int64_t zone_local_to_utc(icaltimezone *z, int64_t local)
{
	int ob, oa;
	int64_t u1, u2;
	int v1, v2;

	if (!z)
		return local;
	ob = zone_offset(z, local - DAY);
	oa = zone_offset(z, local + DAY);
	u1 = local - ob;
	u2 = local - oa;
	v1 = zone_offset(z, u1) == ob;
	v2 = zone_offset(z, u2) == oa;
	if (v1 && v2)
		return u1 < u2 ? u1 : u2;
	if (v1)
		return u1;
	if (v2)
		return u2;
	return u1;
}

int window_local_to_utc(int64_t *out, const char *tz, int y, int m, int d,
			int minute, struct err *err)
{
	icaltimezone *z;
	int ok;

	z = zone_get(tz, &ok);
	if (!ok)
		return err_set(err, ERR_CONFIG, "unknown time zone '%s'", tz);
	*out = zone_local_to_utc(z, days_from_civil(y, m, d) * DAY + (int64_t)minute * 60);
	return 0;
}

int window_utc_offset(int *out, const char *tz, int64_t t, struct err *err)
{
	icaltimezone *z;
	int ok;

	z = zone_get(tz, &ok);
	if (!ok)
		return err_set(err, ERR_CONFIG, "unknown time zone '%s'", tz);
	*out = zone_offset(z, t);
	return 0;
}

void window_format_time(char out[WINDOW_TIME_MAX], int64_t t, const char *tz)
{
	icaltimezone *z;
	int ok, off, y, m, d, aoff;
	int64_t local, days, sec;

	z = zone_get(tz, &ok);
	off = ok ? zone_offset(z, t) : 0;
	local = t + off;
	days = floor_div(local, DAY);
	sec = local - days * DAY;
	civil_from_days(days, &y, &m, &d);
	aoff = off < 0 ? -off : off;
	snprintf(out, WINDOW_TIME_MAX, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
		 y, m, d, (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60),
		 off < 0 ? '-' : '+', aoff / 3600, aoff / 60 % 60);
}

int window_local_day(int64_t t, const char *tz)
{
	icaltimezone *z;
	int ok, y, m, d;

	z = zone_get(tz, &ok);
	civil_from_days(floor_div(t + (ok ? zone_offset(z, t) : 0), DAY), &y, &m, &d);
	return y * 10000 + m * 100 + d;
}

int window_parse_date(int *y, int *m, int *d, const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int yy, mm, dd, lim;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return ERR_PARSE;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return ERR_PARSE;
	yy = atoi(s);
	mm = atoi(s + 5);
	dd = atoi(s + 8);
	if (yy < 1970 || mm < 1 || mm > 12 || dd < 1)
		return ERR_PARSE;
	lim = mdays[mm - 1];
	if (mm == 2 && ((yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0))
		lim = 29;
	if (dd > lim)
		return ERR_PARSE;
	*y = yy;
	*m = mm;
	*d = dd;
	return 0;
}

static int cmp_frozen(const void *a, const void *b)
{
	const struct window_frozen *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return strcmp(x->freeze, y->freeze);
}

static int cmp_occ(const void *a, const void *b)
{
	const struct window_occ *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->ordinal > y->ordinal) - (x->ordinal < y->ordinal);
}

/* The freezes as UTC intervals for a window in zone tz, clipped to the
 * horizon and sorted. */
static int freezes_resolve(struct window_frozen **out, size_t *nout,
			   const struct config_window *w,
			   const struct config_freeze *fz, size_t nfz,
			   int64_t hs, int64_t he, struct err *err)
{
	struct window_frozen *v = NULL;
	size_t n = 0;

	for (size_t i = 0; i < nfz; i++) {
		const char *tz = fz[i].timezone ? fz[i].timezone : w->timezone;
		int fy, fm, fd, ty, tm, td;
		int64_t a, b, tdays;

		if (window_parse_date(&fy, &fm, &fd, fz[i].from) ||
		    window_parse_date(&ty, &tm, &td, fz[i].to)) {
			free(v);
			return err_set(err, ERR_CONFIG, "freeze '%s': bad date", fz[i].name);
		}
		tdays = days_from_civil(ty, tm, td) + 1;
		civil_from_days(tdays, &ty, &tm, &td);
		if (window_local_to_utc(&a, tz, fy, fm, fd, 0, err) ||
		    window_local_to_utc(&b, tz, ty, tm, td, 0, err)) {
			free(v);
			return err_prefix(err, "freeze '%s'", fz[i].name);
		}
		if (a < hs)
			a = hs;
		if (b > he)
			b = he;
		if (a >= b)
			continue;
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n].start = a;
		v[n].end = b;
		v[n].freeze = fz[i].name;
		n++;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_frozen);
	*out = v;
	*nout = n;
	return 0;
}

/* Appends the parts of [a, b) outside every frozen interval. */
static void add_spans(struct window_occ **v, size_t *n, size_t *alloc,
		      const struct window_occ *o, int64_t a, int64_t b,
		      const struct window_frozen *fr, size_t nfr)
{
	for (size_t i = 0; i < nfr && a < b; i++) {
		if (fr[i].end <= a || fr[i].start >= b)
			continue;
		if (fr[i].start > a) {
			XGROW(*v, *alloc, *n + 1);
			(*v)[*n] = *o;
			(*v)[*n].start = a;
			(*v)[*n].end = fr[i].start;
			(*n)++;
		}
		a = fr[i].end;
	}
	if (a < b) {
		XGROW(*v, *alloc, *n + 1);
		(*v)[*n] = *o;
		(*v)[*n].start = a;
		(*v)[*n].end = b;
		(*n)++;
	}
}

int window_expand(struct window_occ **out, size_t *nout,
		  struct window_frozen **frozen, size_t *nfrozen,
		  const struct config_window *w,
		  const struct config_freeze *freezes, size_t nfreezes,
		  int64_t hstart, int64_t hend, struct err *err)
{
	struct icalrecurrencetype rule;
	struct icaltimetype dt, next;
	icalrecur_iterator *it = NULL;
	icaltimezone *z;
	struct window_frozen *fr = NULL;
	struct window_occ *v = NULL;
	int *except = NULL;
	size_t nfr = 0, n = 0, alloc = 0, nexcept = 0;
	int ok, ordinal = 0, rc = ERR_CONFIG;
	long guard = 0;

	z = zone_get(w->timezone, &ok);
	if (!ok) {
		err_set(err, ERR_CONFIG, "window '%s': unknown time zone '%s'",
			w->name, w->timezone);
		goto out;
	}
	if (!w->rrule || w->duration <= 0) {
		err_set(err, ERR_CONFIG, "window '%s': no rrule or duration", w->name);
		goto out;
	}
	rule = icalrecurrencetype_from_string(w->rrule);
	if (rule.freq == ICAL_NO_RECURRENCE) {
		icalerror_clear_errno();
		err_set(err, ERR_CONFIG, "window '%s': bad rrule '%s'", w->name, w->rrule);
		goto out;
	}
	for (size_t i = 0; w->except && w->except[i]; i++) {
		int y, m, d;

		if (window_parse_date(&y, &m, &d, w->except[i])) {
			err_set(err, ERR_CONFIG, "window '%s': bad except date '%s'",
				w->name, w->except[i]);
			goto out;
		}
		except = xreallocarray(except, nexcept + 1, sizeof(*except));
		except[nexcept++] = y * 10000 + m * 100 + d;
	}
	if (freezes_resolve(&fr, &nfr, w, freezes, nfreezes, hstart, hend, err)) {
		err_prefix(err, "window '%s'", w->name);
		goto out;
	}

	/* The fixed anchor (window.h): Monday 1970-01-05 at the start time,
	 * floating (local) time. */
	dt = icaltime_null_time();
	dt.year = 1970;
	dt.month = 1;
	dt.day = 5;
	dt.hour = w->start_minute / 60;
	dt.minute = w->start_minute % 60;
	dt.is_date = 0;
	it = icalrecur_iterator_new(rule, dt);
	if (!it) {
		icalerror_clear_errno();
		err_set(err, ERR_CONFIG, "window '%s': bad rrule '%s'", w->name, w->rrule);
		goto out;
	}
	/* Jump close to the horizon: two days before its first local day,
	 * minus the duration, so an occurrence running at the start is seen.
	 * libical cannot jump with COUNT, which then iterates from 1970. */
	if (rule.count == 0) {
		int64_t from = floor_div(hstart - w->duration, DAY) - 2;
		struct icaltimetype st = dt;
		int y, m, d;

		if (from > days_from_civil(1970, 1, 5)) {
			civil_from_days(from, &y, &m, &d);
			st.year = y;
			st.month = m;
			st.day = d;
			st.hour = 0;
			st.minute = 0;
			if (!icalrecur_iterator_set_start(it, st))
				icalerror_clear_errno();
		}
	}
	for (;;) {
		struct window_occ o;
		int64_t local, u, a, b;
		int day;
		bool skip = false;

		next = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(next))
			break;
		if (++guard > 10L * WINDOW_OCC_MAX) {
			err_set(err, ERR_LIMIT, "window '%s': rrule '%s' yields too many occurrences",
				w->name, w->rrule);
			rc = ERR_LIMIT;
			goto out;
		}
		local = days_from_civil(next.year, next.month, next.day) * DAY +
			next.hour * 3600 + next.minute * 60 + next.second;
		u = zone_local_to_utc(z, local);
		if (u >= hend)
			break;
		if (u + w->duration <= hstart)
			continue;
		day = next.year * 10000 + next.month * 100 + next.day;
		for (size_t i = 0; i < nexcept; i++)
			if (except[i] == day)
				skip = true;
		if (skip)
			continue;
		if ((size_t)ordinal >= WINDOW_OCC_MAX) {
			err_set(err, ERR_LIMIT, "window '%s': more than %d occurrences in the horizon",
				w->name, WINDOW_OCC_MAX);
			rc = ERR_LIMIT;
			goto out;
		}
		o.occ_start = u;
		o.occ_end = u + w->duration;
		o.ordinal = ordinal++;
		o.day = day;
		a = u < hstart ? hstart : u;
		b = o.occ_end > hend ? hend : o.occ_end;
		add_spans(&v, &n, &alloc, &o, a, b, fr, nfr);
	}
	icalerror_clear_errno();
	/* BYHOUR rules and DST can reorder local and UTC times slightly. */
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_occ);
	*out = v;
	*nout = n;
	v = NULL;
	if (frozen) {
		*frozen = fr;
		fr = NULL;
	}
	if (nfrozen)
		*nfrozen = nfr;
	rc = 0;
out:
	if (it)
		icalrecur_iterator_free(it);
	free(v);
	free(fr);
	free(except);
	return rc;
}

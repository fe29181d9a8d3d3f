/* ics-check.c - the calendar consumer of tests/integration/export-consumers.sh:
 * re-reads an .ics written by `slipway plan --format ics` with libical's
 * own parser, the way a calendar program would, and checks what such a
 * program needs (RFC 5545):
 *   - the file parses into one VCALENDAR with VERSION 2.0 and a PRODID, and
 *     libical's parser left no X-LIC-ERROR anywhere;
 *   - every VEVENT has a UID (unique in the file), a DTSTAMP, a DTSTART and
 *     a DTEND after it, and a SUMMARY;
 *   - every TZID parameter names a VTIMEZONE of this same file (a consumer
 *     without Slipway's time zone database must resolve it), and the local
 *     times convert through that VTIMEZONE to real instants.
 * Prints one line per VEVENT, in file order, for the script to compare
 * with the other formats:
 *   UID <TAB> TZID (or "UTC") <TAB> start <TAB> end <TAB> SUMMARY
 * with start and end in unix seconds. Exits 1 with one line on stderr
 * naming the problem. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#define MAX_BYTES ((size_t)64 << 20)
#define MAX_EVENTS 100000

static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0, cap = 0;

	if (!fp)
		return NULL;
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			if (cap > MAX_BYTES + 65536) {
				free(data);
				fclose(fp);
				return NULL;
			}
			data = realloc(data, cap + 1);
			if (!data)
				abort();
		}
		size_t got = fread(data + len, 1, cap - len, fp);

		len += got;
		if (got == 0)
			break;
	}
	fclose(fp);
	data[len] = '\0';
	return data;
}

static int fail(const char *path, const char *what, const char *detail)
{
	fprintf(stderr, "ics-check: '%s': %s%s%s\n", path, what,
		detail ? ": " : "", detail ? detail : "");
	return 1;
}

/* The instant of a DTSTART/DTEND property: UTC values directly, TZID
 * values only through a VTIMEZONE of the calendar itself. */
static int instant(long long *out, const char **tzid_out, icalcomponent *cal,
		   icalproperty *p)
{
	struct icaltimetype t = icalproperty_isa(p) == ICAL_DTSTART_PROPERTY
				? icalproperty_get_dtstart(p) : icalproperty_get_dtend(p);
	icalparameter *tzp = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);

	if (icaltime_is_null_time(t) || icaltime_is_date(t))
		return -1;
	if (tzp) {
		const char *tzid = icalparameter_get_tzid(tzp);
		icaltimezone *zone = tzid ? icalcomponent_get_timezone(cal, tzid) : NULL;

		if (!zone)
			return -2;
		*tzid_out = tzid;
		t.zone = NULL;
		*out = (long long)icaltime_as_timet_with_zone(t, zone);
		return 0;
	}
	if (!icaltime_is_utc(t))
		return -3;   /* floating time: no instant at all */
	*tzid_out = "UTC";
	*out = (long long)icaltime_as_timet_with_zone(t, icaltimezone_get_utc_timezone());
	return 0;
}

int main(int argc, char **argv)
{
	static char *uids[MAX_EVENTS];
	icalcomponent *cal, *ev;
	size_t nuids = 0;
	char *text;
	int rc = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: ics-check FILE.ics\n");
		return 2;
	}
	text = read_file(argv[1]);
	if (!text)
		return fail(argv[1], "cannot read", NULL);
	cal = icalparser_parse_string(text);
	free(text);
	if (!cal)
		return fail(argv[1], "libical cannot parse it", NULL);
	if (icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
		rc = fail(argv[1], "top component is not VCALENDAR", NULL);
		goto out;
	}
	if (icalcomponent_count_errors(cal) > 0) {
		icalproperty *e = icalcomponent_get_first_property(cal, ICAL_XLICERROR_PROPERTY);

		rc = fail(argv[1], "libical reports errors",
			  e ? icalproperty_get_xlicerror(e) : "in a subcomponent");
		goto out;
	}
	{
		icalproperty *v = icalcomponent_get_first_property(cal, ICAL_VERSION_PROPERTY);

		if (!v || strcmp(icalproperty_get_version(v), "2.0")) {
			rc = fail(argv[1], "no VERSION:2.0", NULL);
			goto out;
		}
		if (!icalcomponent_get_first_property(cal, ICAL_PRODID_PROPERTY)) {
			rc = fail(argv[1], "no PRODID", NULL);
			goto out;
		}
	}
	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		icalproperty *ps = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
		icalproperty *pe = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
		const char *uid = icalcomponent_get_uid(ev);
		const char *summary = icalcomponent_get_summary(ev);
		const char *tz1 = NULL, *tz2 = NULL;
		long long start, end;

		if (!uid || !*uid) {
			rc = fail(argv[1], "VEVENT without UID", NULL);
			goto out;
		}
		for (size_t i = 0; i < nuids; i++)
			if (!strcmp(uids[i], uid)) {
				rc = fail(argv[1], "UID twice", uid);
				goto out;
			}
		if (nuids == MAX_EVENTS) {
			rc = fail(argv[1], "too many VEVENTs", NULL);
			goto out;
		}
		uids[nuids++] = strdup(uid);
		if (!icalcomponent_get_first_property(ev, ICAL_DTSTAMP_PROPERTY)) {
			rc = fail(argv[1], "VEVENT without DTSTAMP", uid);
			goto out;
		}
		if (!summary || !*summary) {
			rc = fail(argv[1], "VEVENT without SUMMARY", uid);
			goto out;
		}
		if (!ps || !pe) {
			rc = fail(argv[1], "VEVENT without DTSTART or DTEND", uid);
			goto out;
		}
		int r1 = instant(&start, &tz1, cal, ps), r2 = instant(&end, &tz2, cal, pe);

		if (r1 == -2 || r2 == -2) {
			rc = fail(argv[1], "TZID with no VTIMEZONE in the file", uid);
			goto out;
		}
		if (r1 || r2) {
			rc = fail(argv[1], "DTSTART/DTEND is not a date-time with a zone", uid);
			goto out;
		}
		if (strcmp(tz1, tz2)) {
			rc = fail(argv[1], "DTSTART and DTEND in different zones", uid);
			goto out;
		}
		if (end <= start) {
			rc = fail(argv[1], "DTEND not after DTSTART", uid);
			goto out;
		}
		printf("%s\t%s\t%lld\t%lld\t%s\n", uid, tz1, start, end, summary);
	}
	rc = 0;
out:
	for (size_t i = 0; i < nuids; i++)
		free(uids[i]);
	icalcomponent_free(cal);
	return rc;
}

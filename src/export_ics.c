/* export_ics.c - the plan as an iCalendar file (RFC 5545), built and
 * serialised with libical so folding, escaping and CRLF are right.
 *
 * One VEVENT per host slot (rather than per wave: a calendar then shows
 * who is down when, and a host moved to another wave keeps its event):
 *   UID          16 hex digits of FNV-1a(host, window, occurrence start)
 *                + "@slipway": stable across runs, and the same event is
 *                updated when re-planning moves the host within the same
 *                window occurrence
 *   DTSTAMP      the plan's start (generated_for), so the same plan gives
 *                the same bytes
 *   DTSTART/END  the slot (the host's outage plus the soak), as local
 *                time with TZID = the window's IANA zone; the VTIMEZONE of
 *                each zone used is in the file (libical's zone data, TZID
 *                renamed to the plain IANA name and trimmed to the horizon,
 *                RFC 5545 3.6.5), so a consumer needs no zone database of
 *                its own. Windows in UTC use UTC times ("Z") instead.
 *   SUMMARY      "Patch web-1: reboot, engine-restart"
 *   DESCRIPTION  window and wave, actions, urgency and deadline, how long
 *                the host is down, the containers that go down and those
 *                that will NOT come back by themselves, with the reason.
 * The calendar has METHOD:PUBLISH (RFC 5546). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "export_priv.h"
#include "slipway-config.h"
#include "xalloc.h"
#include "banned.h"

static bool is_utc(const char *tz)
{
	return !tz || !*tz || !strcmp(tz, "UTC");
}

/* The window's zone, or NULL for UTC (and for a zone libical does not
 * know, which window.h treats as UTC as well). */
static icaltimezone *zone_of(const char *tz)
{
	return is_utc(tz) ? NULL : icaltimezone_get_builtin_timezone(tz);
}

/* DTSTART or DTEND of instant t in zone (NULL: UTC). */
static icalproperty *when(icalproperty_kind kind, int64_t t, icaltimezone *zone,
			  const char *tzid)
{
	struct icaltimetype tt;
	icalproperty *p;

	if (!zone) {
		tt = icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
		return kind == ICAL_DTSTART_PROPERTY ? icalproperty_new_dtstart(tt)
						     : icalproperty_new_dtend(tt);
	}
	tt = icaltime_from_timet_with_zone((time_t)t, 0, zone);
	/* written as a local time whose TZID names the VTIMEZONE in the file */
	tt.zone = NULL;
	p = kind == ICAL_DTSTART_PROPERTY ? icalproperty_new_dtstart(tt)
					  : icalproperty_new_dtend(tt);
	icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
	return p;
}

/* The VTIMEZONE of zone under the plain name tzid, trimmed to the
 * horizon (observances before it are dropped, the one in force at its
 * start is kept). */
static icalcomponent *vtimezone(icaltimezone *zone, const char *tzid,
				int64_t hstart, int64_t hend)
{
	icalcomponent *src = icaltimezone_get_component(zone), *vtz;
	icalproperty *p;

	if (!src)
		return NULL;
	vtz = icalcomponent_new_clone(src);
	p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
	if (p)
		icalproperty_set_tzid(p, tzid);
	else
		icalcomponent_add_property(vtz, icalproperty_new_tzid(tzid));
	icaltimezone_truncate_vtimezone(vtz,
		icaltime_from_timet_with_zone((time_t)hstart, 0, icaltimezone_get_utc_timezone()),
		icaltime_from_timet_with_zone((time_t)hend, 0, icaltimezone_get_utc_timezone()),
		1);
	return vtz;
}

/* RFC 5545 3.3.11: TEXT has no control characters but the newlines that
 * libical escapes; names from reports have none, this keeps it so. */
static void clean(struct buf *t)
{
	for (size_t i = 0; i < t->len; i++)
		if (((unsigned char)t->ptr[i] < 0x20 && t->ptr[i] != '\n') || t->ptr[i] == 0x7f)
			t->ptr[i] = ' ';
}

static int description(struct buf *d, const struct plan *plan, const struct plan_slot *sl)
{
	const struct plan_host *h = &plan->in.hosts[sl->host];
	char actions[IMPACT_ACTIONS_TEXT_MAX];
	size_t down, nr;
	int rc = 0;

	export_host_worst(h, &down, &nr);
	plan_actions_text(actions, h->actions);
	rc |= buf_addf(d, "Window %s, wave %d%s\n", plan->in.windows[sl->window].name,
		       sl->wave, sl->late ? " (LATE: after the deadline)" : "");
	rc |= buf_addf(d, "Actions: %s\n", actions);
	rc |= buf_addf(d, "Urgency: %s", h->urgency ? h->urgency : "none");
	if (h->deadline) {
		char dl[WINDOW_TIME_MAX];

		export_time(dl, plan, sl->window, h->deadline);
		rc |= buf_addf(d, ", deadline %s", dl);
	}
	rc |= buf_addstr(d, "\nHost down for ");
	rc |= export_duration(d, sl->down_end - sl->start);
	if (sl->end > sl->down_end) {
		rc |= buf_addstr(d, ", then soak ");
		rc |= export_duration(d, sl->end - sl->down_end);
	}
	rc |= buf_addf(d, "\nContainers going down: %zu\n", down);
	for (size_t i = 0; i < h->ncontainers; i++) {
		const struct plan_container *c = &h->containers[i];

		if (!export_goes_down(c) || export_not_returning(c))
			continue;
		rc |= buf_addf(d, "- %s: %s, ", c->name, impact_effect_name(c->effect));
		rc |= export_duration(d, c->outage);
		rc |= buf_addch(d, '\n');
	}
	if (nr) {
		rc |= buf_addf(d, "WILL NOT COME BACK BY THEMSELVES (start them by hand): %zu\n", nr);
		for (size_t i = 0; i < h->ncontainers; i++) {
			const struct plan_container *c = &h->containers[i];

			if (export_not_returning(c))
				rc |= buf_addf(d, "- %s: %s, %s\n", c->name,
					       impact_effect_name(c->effect),
					       c->reason ? c->reason : "");
		}
	}
	return rc;
}

int export_ics(struct export_out *out, const struct plan *plan, struct err *err)
{
	struct buf *b = export_out_add(out, "");
	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	bool *zone_done = xcalloc(plan->in.nwindows ? plan->in.nwindows : 1, sizeof(bool));
	struct buf text;
	char *ics = NULL;
	int rc = 0;

	buf_init(&text, EXPORT_MAX_BYTES);
	icalcomponent_add_property(cal, icalproperty_new_prodid(
		"-//Slipway//slipway " SLIPWAY_VERSION "//EN"));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));

	/* one VTIMEZONE per zone used, in window order, before the events */
	for (size_t i = 0; i < plan->nslots; i++) {
		size_t w = plan->slots[i].window;
		const char *tz = plan->in.windows[w].timezone;
		icaltimezone *zone = zone_of(tz);
		bool seen = false;

		if (zone_done[w] || !zone)
			continue;
		for (size_t k = 0; k < plan->in.nwindows; k++)
			if (zone_done[k] && !strcmp(plan->in.windows[k].timezone, tz))
				seen = true;
		zone_done[w] = true;
		if (seen)
			continue;
		icalcomponent *vtz = vtimezone(zone, tz, plan->in.start, plan->in.end);

		if (!vtz) {
			rc = err_set(err, ERR_FAIL, "cannot write the ics export: no time zone"
				     " data for '%s'", tz);
			goto out;
		}
		icalcomponent_add_component(cal, vtz);
	}

	for (size_t i = 0; i < plan->nslots; i++) {
		const struct plan_slot *sl = &plan->slots[i];
		const struct plan_host *h = &plan->in.hosts[sl->host];
		const struct plan_window *w = &plan->in.windows[sl->window];
		icaltimezone *zone = zone_of(w->timezone);
		icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
		char occ[24], uid[48], actions[IMPACT_ACTIONS_TEXT_MAX];
		const char *parts[3] = { h->name, w->name, occ };

		snprintf(occ, sizeof(occ), "%lld", (long long)w->occ[sl->occ].occ_start);
		snprintf(uid, sizeof(uid), "%016llx@slipway",
			 (unsigned long long)export_hash(parts, 3));
		plan_actions_text(actions, h->actions);
		icalcomponent_add_property(ev, icalproperty_new_uid(uid));
		icalcomponent_add_property(ev, icalproperty_new_dtstamp(
			icaltime_from_timet_with_zone((time_t)plan->in.start, 0,
						      icaltimezone_get_utc_timezone())));
		icalcomponent_add_property(ev, when(ICAL_DTSTART_PROPERTY, sl->start, zone,
						    w->timezone));
		icalcomponent_add_property(ev, when(ICAL_DTEND_PROPERTY, sl->end, zone,
						    w->timezone));
		buf_reset(&text);
		rc |= buf_addf(&text, "Patch %s: %s", h->name, actions);
		clean(&text);
		icalcomponent_add_property(ev, icalproperty_new_summary(text.ptr));
		buf_reset(&text);
		rc |= description(&text, plan, sl);
		clean(&text);
		icalcomponent_add_property(ev, icalproperty_new_description(text.ptr));
		icalcomponent_add_property(ev, icalproperty_new_categories("maintenance"));
		icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
		icalcomponent_add_component(cal, ev);
		if (rc) {
			rc = export_too_big(err, "ics");
			goto out;
		}
	}
	ics = icalcomponent_as_ical_string_r(cal);
	if (!ics) {
		rc = err_set(err, ERR_FAIL, "cannot write the ics export: libical: %s",
			     icalerror_strerror(icalerrno));
		goto out;
	}
	if (buf_addstr(b, ics))
		rc = export_too_big(err, "ics");
out:
	free(ics);
	buf_release(&text);
	free(zone_done);
	icalcomponent_free(cal);
	return rc;
}

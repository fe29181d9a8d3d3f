/* export.h - the plan (plan.h) written for the tools people use around a
 * maintenance: spreadsheets (csv), change requests (md), a page to look at
 * (html), calendars (ics) and Ansible (a directory). The text and json
 * formats are plan.h's own; `slipway plan --format F` calls export_write()
 * for the others.
 *
 * Formats (one row each in export.c's table):
 *   csv      one row per slot with a header (RFC 4180: CRLF line ends,
 *            fields with a comma, quote, CR or LF quoted, quotes doubled):
 *            host, window, start, end, wave, deadline, actions, urgency,
 *            containers_down, containers_not_returning. Times are RFC 3339
 *            in the window's zone; start..end is the slot (outage + soak).
 *   md       a change-request document (CommonMark with GFM tables):
 *            summary, then per window occurrence its waves with hosts,
 *            actions and the containers that go down, those that will NOT
 *            come back by themselves in bold with a warning sign; then
 *            late and unplaced hosts with the reason, warnings, groups.
 *   html     one self-contained HTML5 page (inline CSS, inline SVG, no
 *            script, no external resource): a timeline with the window
 *            occurrences as bands and a bar per host slot coloured by the
 *            worst effect, then the tables of md. Every text is escaped.
 *   ics      an iCalendar (RFC 5545) file made with libical: one VEVENT per
 *            host slot (a calendar shows who is down when; a wave is the
 *            events sharing a start). UID = a hash of host, window and the
 *            occurrence's start + "@slipway", so re-planning a host within
 *            the same occurrence updates its event instead of adding one.
 *            DTSTART/DTEND carry TZID = the window's IANA zone with the
 *            VTIMEZONE from libical's zone data (trimmed to the horizon)
 *            in the file; UTC windows use UTC times. DTSTAMP is the plan's
 *            start, so the same plan gives the same bytes.
 *   ansible  a directory (created when missing) with inventory.ini (one
 *            group per wave, host vars slipway_reboot and
 *            slipway_<component>_target) and maintenance.yml (one play per
 *            wave, in time order); see export_ansible.c for the tasks.
 *            Host names must be usable inventory names (letters, digits,
 *            '.', '-', '_', not starting with '.' or '-') and package and
 *            container names must be what apt, dnf and the engines accept;
 *            anything else fails the export naming it, since it could
 *            not be run safely. Every plan-derived string in the playbook
 *            is tagged !unsafe so Jinja never evaluates it.
 *
 * Single-file formats write to path, or to stdout when path is NULL or
 * "-"; a file is written next to its final name and renamed into place,
 * so a failed export never leaves a half-written file. ansible needs a
 * directory path. */
#ifndef SLIPWAY_EXPORT_H
#define SLIPWAY_EXPORT_H

#include <stdbool.h>

#include "err.h"

struct plan;

/* Writes plan in format ("csv", "md", "html", "ics", "ansible") to path.
 * ERR_USAGE for an unknown format or a missing directory for ansible,
 * ERR_PARSE for a name the format cannot carry safely, ERR_IO naming the
 * file, ERR_LIMIT when the output passes EXPORT_MAX_BYTES. */
int export_write(const struct plan *plan, const char *format, const char *path,
		 struct err *err);

/* Whether format is one of export_write's; *directory tells whether it
 * writes a directory (may be NULL). */
bool export_has_format(const char *format, bool *directory);

/* The format names, space-separated: "csv md html ics ansible". */
const char *export_format_names(void);

/* The largest output of one file. */
#define EXPORT_MAX_BYTES ((size_t)512 << 20)

#endif

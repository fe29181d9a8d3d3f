/* export_csv.c - the plan as CSV (RFC 4180): a header, then one row per
 * slot in plan order (by start, then host):
 *   host, window, start, end, wave, deadline, actions, urgency,
 *   containers_down, containers_not_returning
 * start, end and deadline are RFC 3339 in the window's zone (deadline
 * empty when the host has none); actions joined with '+'
 * ("reboot+engine-restart"); the container columns list the names of the
 * containers the slot takes down (those not coming back included) and of
 * those that will not come back by themselves, separated by spaces. Lines
 * end in CRLF. A field that starts with = + - @ gets a leading ' so a
 * spreadsheet never runs it as a formula (OWASP CSV injection). */
#include <stdio.h>
#include <string.h>

#include "export_priv.h"
#include "banned.h"

static const char *const header[] = {
	"host", "window", "start", "end", "wave", "deadline", "actions",
	"urgency", "containers_down", "containers_not_returning",
};

/* The names of the host's containers that pass keep(), space-separated. */
static int names(struct buf *cell, const struct plan_host *h,
		 bool (*keep)(const struct plan_container *))
{
	int rc = 0;
	bool first = true;

	for (size_t i = 0; i < h->ncontainers; i++) {
		if (!keep(&h->containers[i]))
			continue;
		if (!first)
			rc |= buf_addch(cell, ' ');
		rc |= buf_addstr(cell, h->containers[i].name);
		first = false;
	}
	return rc;
}

int export_csv(struct export_out *out, const struct plan *plan, struct err *err)
{
	struct buf *b = export_out_add(out, "");
	struct buf cell;
	int rc = 0;

	buf_init(&cell, EXPORT_MAX_BYTES);
	for (size_t i = 0; i < sizeof(header) / sizeof(header[0]); i++)
		rc |= buf_addf(b, "%s%s", i ? "," : "", header[i]);
	rc |= buf_addstr(b, "\r\n");
	for (size_t i = 0; i < plan->nslots && !rc; i++) {
		const struct plan_slot *sl = &plan->slots[i];
		const struct plan_host *h = &plan->in.hosts[sl->host];
		char start[WINDOW_TIME_MAX], end[WINDOW_TIME_MAX];
		char dl[WINDOW_TIME_MAX] = "", actions[IMPACT_ACTIONS_TEXT_MAX];

		export_time(start, plan, sl->window, sl->start);
		export_time(end, plan, sl->window, sl->end);
		if (h->deadline)
			export_time(dl, plan, sl->window, h->deadline);
		impact_actions_format(actions, h->actions);

		rc |= export_esc_csv(b, h->name);
		rc |= buf_addch(b, ',');
		rc |= export_esc_csv(b, plan->in.windows[sl->window].name);
		rc |= buf_addf(b, ",%s,%s,%d,%s,", start, end, sl->wave, dl);
		rc |= export_esc_csv(b, actions);
		rc |= buf_addch(b, ',');
		rc |= export_esc_csv(b, h->urgency ? h->urgency : "");
		rc |= buf_addch(b, ',');
		buf_reset(&cell);
		rc |= names(&cell, h, export_goes_down);
		rc |= export_esc_csv(b, cell.ptr);
		rc |= buf_addch(b, ',');
		buf_reset(&cell);
		rc |= names(&cell, h, export_not_returning);
		rc |= export_esc_csv(b, cell.ptr);
		rc |= buf_addstr(b, "\r\n");
	}
	buf_release(&cell);
	return rc ? export_too_big(err, "csv") : 0;
}

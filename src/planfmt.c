/* planfmt.c - the plan as text for a terminal and as JSON (schema
 * slipway.plan/1, DESIGN.md §9); the JSON is generated with sqlite JSON1
 * (json_object, json_quote) through the store API, so every string is
 * escaped by one tested implementation. */
#include "plan.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "store.h"
#include "xalloc.h"
#include "banned.h"

static int too_large(struct err *err)
{
	return err_set(err, ERR_LIMIT, "plan output too large");
}

static const char *confidence_name(enum impact_confidence c)
{
	return c == IMPACT_HIGH ? "high" : "low";
}

/* Appends the result of a one-value query (a JSON text) to out. */
static int add_json(struct buf *out, char *obj, struct err *err)
{
	int rc = buf_addstr(out, obj ? obj : "null") ? too_large(err) : 0;

	free(obj);
	return rc;
}

static int actions_json(struct buf *out, impact_actions a)
{
	bool first = true;

	if (buf_addch(out, '['))
		return ERR_LIMIT;
	for (int i = 0; i < IMPACT_ACTION_COUNT; i++) {
		if (!(a & IMPACT_BIT(i)))
			continue;
		/* action names are fixed ASCII words: no escaping needed */
		if (buf_addf(out, "%s\"%s\"", first ? "" : ",",
			     impact_action_name((enum impact_action)i)))
			return ERR_LIMIT;
		first = false;
	}
	return buf_addch(out, ']');
}

static int slot_json(const struct plan *p, const struct plan_slot *sl,
		     struct store *s, struct buf *out, struct err *err)
{
	const struct plan_host *h = &p->in.hosts[sl->host];
	const struct plan_window *w = &p->in.windows[sl->window];
	char start[WINDOW_TIME_MAX], end[WINDOW_TIME_MAX], back[WINDOW_TIME_MAX];
	char occ[WINDOW_TIME_MAX], deadline[WINDOW_TIME_MAX];
	struct buf arr, acts;
	char *obj = NULL;
	int rc;

	window_format_time(start, sl->start, w->timezone);
	window_format_time(end, sl->end, w->timezone);
	window_format_time(back, sl->down_end, w->timezone);
	window_format_time(occ, w->occ[sl->occ].occ_start, w->timezone);
	if (h->deadline)
		window_format_time(deadline, h->deadline, w->timezone);
	buf_init(&arr, BUF_MAX_DEFAULT);
	buf_init(&acts, 4096);
	rc = buf_addch(&arr, '[') ? too_large(err) : 0;
	for (size_t c = 0; !rc && c < h->ncontainers; c++) {
		const struct plan_container *pc = &h->containers[c];

		rc = store_query_text(s, &obj, err,
				      "SELECT json_object('id', ?1, 'name', ?2, 'effect', ?3,"
				      " 'outage_seconds', CASE WHEN ?4 < 0 THEN NULL ELSE ?4 END,"
				      " 'confidence', ?5, 'reason', ?6)",
				      "sssiss", pc->id, pc->name, impact_effect_name(pc->effect),
				      pc->outage, confidence_name(pc->confidence), pc->reason);
		if (!rc && c && buf_addch(&arr, ','))
			rc = too_large(err);
		if (!rc)
			rc = add_json(&arr, obj, err);
		else
			free(obj);
		obj = NULL;
	}
	if (!rc && (buf_addch(&arr, ']') || actions_json(&acts, h->actions)))
		rc = too_large(err);
	if (!rc)
		rc = store_query_text(s, &obj, err,
				      "SELECT json_object('host', ?1, 'window', ?2, 'occurrence', ?3,"
				      " 'start', ?4, 'end', ?5, 'down_until', ?6, 'wave', ?7,"
				      " 'deadline', ?8, 'late', json(CASE WHEN ?9 THEN 'true' ELSE 'false' END),"
				      " 'actions', json(?10), 'urgency', ?11, 'outage_seconds', ?12,"
				      " 'containers', json(?13))",
				      "ssssssisissib", h->name, w->name, occ, start, end, back,
				      (long long)sl->wave, h->deadline ? deadline : NULL,
				      (long long)sl->late, acts.ptr, h->urgency,
				      (long long)h->outage, arr.ptr, arr.len);
	if (!rc)
		rc = add_json(out, obj, err);
	buf_release(&arr);
	buf_release(&acts);
	return rc;
}

static int group_json(const struct plan *p, size_t g, struct store *s,
		      struct buf *out, struct err *err)
{
	const struct plan_group *gr = &p->in.groups[g];
	struct buf arr;
	char *obj = NULL;
	int rc;

	buf_init(&arr, BUF_MAX_DEFAULT);
	rc = buf_addch(&arr, '[') ? too_large(err) : 0;
	for (size_t m = 0; !rc && m < gr->nmembers; m++) {
		const struct plan_member *mb = &gr->members[m];
		const struct plan_host *h = &p->in.hosts[mb->host];

		rc = store_query_text(s, &obj, err,
				      "SELECT json_object('host', ?1, 'container', ?2)", "ss",
				      h->name, h->containers[mb->container].name);
		if (!rc && m && buf_addch(&arr, ','))
			rc = too_large(err);
		if (!rc)
			rc = add_json(&arr, obj, err);
		else
			free(obj);
		obj = NULL;
	}
	if (!rc && buf_addch(&arr, ']'))
		rc = too_large(err);
	if (!rc)
		rc = store_query_text(s, &obj, err,
				      "SELECT json_object('name', ?1, 'min_available', ?2,"
				      " 'members', json(?3), 'idle_members', ?6, 'min_up', ?4,"
				      " 'budget_impossible', json(CASE WHEN ?5 THEN 'true' ELSE 'false' END))",
				      "sibiii", gr->name, (long long)gr->min_available, arr.ptr,
				      arr.len, (long long)p->groups[g].min_up,
				      (long long)p->groups[g].impossible, (long long)gr->nidle);
	if (!rc)
		rc = add_json(out, obj, err);
	buf_release(&arr);
	return rc;
}

static int misses_json(const struct plan *p, const struct plan_miss *v, size_t n,
		       struct store *s, struct buf *out, struct err *err)
{
	if (buf_addch(out, '['))
		return too_large(err);
	for (size_t i = 0; i < n; i++) {
		const struct plan_host *h = &p->in.hosts[v[i].host];
		char deadline[WINDOW_TIME_MAX];
		char *obj = NULL;
		int rc;

		if (h->deadline)
			window_format_time(deadline, h->deadline, NULL);
		rc = store_query_text(s, &obj, err,
				      "SELECT json_object('host', ?1, 'reason', ?2, 'deadline', ?3,"
				      " 'urgency', ?4)", "ssss", h->name, v[i].reason,
				      h->deadline ? deadline : NULL, h->urgency);
		if (rc)
			return rc;
		if (i && buf_addch(out, ',')) {
			free(obj);
			return too_large(err);
		}
		rc = add_json(out, obj, err);
		if (rc)
			return rc;
	}
	return buf_addch(out, ']') ? too_large(err) : 0;
}

int plan_write_json(const struct plan *p, struct store *s, struct buf *out,
		    struct err *err)
{
	char a[WINDOW_TIME_MAX], b[WINDOW_TIME_MAX];
	char *q = NULL;
	int rc;

	window_format_time(a, p->in.start, NULL);
	window_format_time(b, p->in.end, NULL);
	if (buf_addf(out, "{\"schema\":\"%s\",\"generated_for\":\"%s\",\"horizon_end\":\"%s\","
		     "\"max_down\":%d,\"soak_seconds\":%" PRId64 ",\"slots\":[",
		     PLAN_SCHEMA, a, b, p->in.max_down, p->in.soak))
		return too_large(err);
	for (size_t i = 0; i < p->nslots; i++) {
		if (i && buf_addch(out, ','))
			return too_large(err);
		rc = slot_json(p, &p->slots[i], s, out, err);
		if (rc)
			return rc;
	}
	if (buf_addstr(out, "],\"groups\":["))
		return too_large(err);
	for (size_t g = 0; g < p->in.ngroups; g++) {
		if (g && buf_addch(out, ','))
			return too_large(err);
		rc = group_json(p, g, s, out, err);
		if (rc)
			return rc;
	}
	if (buf_addstr(out, "],\"unplaced\":"))
		return too_large(err);
	rc = misses_json(p, p->unplaced, p->nunplaced, s, out, err);
	if (!rc && buf_addstr(out, ",\"late\":"))
		rc = too_large(err);
	if (!rc)
		rc = misses_json(p, p->late, p->nlate, s, out, err);
	if (!rc && buf_addstr(out, ",\"warnings\":["))
		rc = too_large(err);
	for (size_t i = 0; !rc && i < p->nwarnings; i++) {
		rc = store_query_text(s, &q, err, "SELECT json_quote(?1)", "s", p->warnings[i]);
		if (!rc && i && buf_addch(out, ','))
			rc = too_large(err);
		if (!rc)
			rc = add_json(out, q, err);
		else
			free(q);
		q = NULL;
	}
	if (rc)
		return rc;
	if (buf_addf(out, "],\"totals\":{\"hosts\":%zu,\"late\":%zu,\"unplaced\":%zu,"
		     "\"container_minutes_down\":%lld,\"service_minutes_down\":%lld}}",
		     p->nslots, p->nlate, p->nunplaced,
		     (p->container_seconds_down + 59) / 60,
		     (p->service_seconds_down + 59) / 60))
		return too_large(err);
	return 0;
}

/* "HH:MM" of t in zone tz. */
static void hhmm(char out[8], int64_t t, const char *tz)
{
	char full[WINDOW_TIME_MAX];

	window_format_time(full, t, tz);
	snprintf(out, 8, "%.5s", full + 11);
}

static const struct plan *text_plan;

static int cmp_text(const void *a, const void *b)
{
	const struct plan_slot *x = *(const struct plan_slot *const *)a;
	const struct plan_slot *y = *(const struct plan_slot *const *)b;
	const struct plan_input *in = &text_plan->in;
	int64_t ox = in->windows[x->window].occ[x->occ].occ_start;
	int64_t oy = in->windows[y->window].occ[y->occ].occ_start;

	if (ox != oy)
		return ox < oy ? -1 : 1;
	if (x->window != y->window)
		return x->window < y->window ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return strcmp(in->hosts[x->host].name, in->hosts[y->host].name);
}

int plan_write_text(const struct plan *p, struct buf *out, struct err *err)
{
	const struct plan_input *in = &p->in;
	const struct plan_slot **v;
	char a[WINDOW_TIME_MAX], b[WINDOW_TIME_MAX];
	int rc = 0;

	window_format_time(a, in->start, NULL);
	window_format_time(b, in->end, NULL);
	if (buf_addf(out, "plan %s .. %s: %zu host%s planned, %zu late, %zu unplaced\n",
		     a, b, p->nslots, p->nslots == 1 ? "" : "s", p->nlate, p->nunplaced))
		return too_large(err);
	v = xcalloc(p->nslots ? p->nslots : 1, sizeof(*v));
	for (size_t i = 0; i < p->nslots; i++)
		v[i] = &p->slots[i];
	text_plan = p;
	if (p->nslots)
		qsort(v, p->nslots, sizeof(*v), cmp_text);
	for (size_t i = 0; i < p->nslots && !rc; i++) {
		const struct plan_slot *sl = v[i], *prev = i ? v[i - 1] : NULL;
		const struct plan_window *w = &in->windows[sl->window];
		const struct plan_host *h = &in->hosts[sl->host];
		char act[IMPACT_ACTIONS_TEXT_MAX], s1[8], s2[8], s3[8], occ[WINDOW_TIME_MAX];
		size_t down = 0, stay = 0;

		for (size_t c = 0; c < h->ncontainers; c++) {
			if (!plan_container_down(&h->containers[c]))
				continue;
			down++;
			stay += h->containers[c].effect == IMPACT_STAYS_DOWN ||
				h->containers[c].effect == IMPACT_REMOVED;
		}
		if (!prev || prev->window != sl->window ||
		    w->occ[prev->occ].ordinal != w->occ[sl->occ].ordinal) {
			window_format_time(occ, w->occ[sl->occ].occ_start, w->timezone);
			rc |= buf_addf(out, "\nwindow %s, %s (%s)\n", w->name, occ, w->timezone);
		}
		if (!prev || prev->window != sl->window || prev->wave != sl->wave ||
		    w->occ[prev->occ].ordinal != w->occ[sl->occ].ordinal) {
			hhmm(s1, sl->start, w->timezone);
			rc |= buf_addf(out, "  wave %d at %s\n", sl->wave, s1);
		}
		plan_actions_text(act, h->actions);
		hhmm(s1, sl->start, w->timezone);
		hhmm(s2, sl->down_end, w->timezone);
		hhmm(s3, sl->end, w->timezone);
		rc |= buf_addf(out, "    %-24s %s-%s (soak to %s)  %-8s  %s; %zu container%s down",
			       h->name, s1, s2, s3, h->urgency ? h->urgency : "-", act, down,
			       down == 1 ? "" : "s");
		if (stay)
			rc |= buf_addf(out, ", %zu NOT coming back by itself", stay);
		rc |= buf_addstr(out, sl->late ? "  LATE\n" : "\n");
	}
	free(v);
	if (rc)
		return too_large(err);
	if (p->nlate && buf_addstr(out, "\nlate:\n"))
		return too_large(err);
	for (size_t i = 0; i < p->nlate; i++)
		if (buf_addf(out, "  %-24s %s\n", in->hosts[p->late[i].host].name, p->late[i].reason))
			return too_large(err);
	if (p->nunplaced && buf_addstr(out, "\nunplaced:\n"))
		return too_large(err);
	for (size_t i = 0; i < p->nunplaced; i++)
		if (buf_addf(out, "  %-24s %s\n", in->hosts[p->unplaced[i].host].name,
			     p->unplaced[i].reason))
			return too_large(err);
	if (p->nwarnings && buf_addstr(out, "\nwarnings:\n"))
		return too_large(err);
	for (size_t i = 0; i < p->nwarnings; i++)
		if (buf_addf(out, "  %s\n", p->warnings[i]))
			return too_large(err);
	if (in->ngroups && buf_addstr(out, "\ngroups (fewest members up / members, min-available):\n"))
		return too_large(err);
	for (size_t g = 0; g < in->ngroups; g++)
		if (buf_addf(out, "  %-32s %d/%zu, min %d%s\n", in->groups[g].name,
			     p->groups[g].min_up, in->groups[g].nmembers + in->groups[g].nidle,
			     in->groups[g].min_available,
			     p->groups[g].impossible ? " (budget impossible)" : ""))
			return too_large(err);
	if (buf_addf(out, "\ntotals: %zu hosts, %lld container-minutes down, "
		     "%lld service-minutes down\n", p->nslots,
		     (p->container_seconds_down + 59) / 60,
		     (p->service_seconds_down + 59) / 60))
		return too_large(err);
	return 0;
}

/* view_advisory.c - one advisory (by CVE or id): its names, KEV entry,
 * every feed's record with its summary, the affected ranges, and the
 * hosts it affects (Enter opens the host). */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uiq.h"
#include "banned.h"

static const struct column text_col = { .title = "", .width = 80, .min = 10 };

#define WRAP 76

/* Adds text wrapped at word boundaries into lines of at most WRAP bytes,
 * indented. */
static void wrapped(struct view *v, const char *in)
{
	char buf[4096], *text = buf;
	size_t k = 0;

	/* newlines and tabs of the record become single spaces */
	for (; *in && k + 1 < sizeof(buf); in++) {
		char c = (unsigned char)*in < 32 ? ' ' : *in;

		if (c == ' ' && (k == 0 || buf[k - 1] == ' '))
			continue;
		buf[k++] = c;
	}
	buf[k] = 0;
	while (*text) {
		size_t n = strlen(text), cut = n;

		if (n > WRAP) {
			cut = WRAP;
			while (cut > 20 && text[cut] != ' ')
				cut--;
			if (text[cut] != ' ')
				cut = WRAP;
		}
		/* keep UTF-8 sequences whole */
		while (cut < n && cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
			cut--;
		view_add_line(v, ROLE_NORMAL, "    %.*s", (int)cut, text);
		text += cut;
		while (*text == ' ')
			text++;
	}
}

struct adv_view {
	struct uiq_advisory_detail d;
	size_t first_host_row;
};

static int advisory_open(struct view *v, struct err *err)
{
	struct adv_view *av = v->priv;
	const struct uiq_advisory_detail *d;
	char when[64], due[64];
	int rc;

	v->cols = &text_col;
	v->ncols = 1;
	v->header = false;
	if (!av) {
		av = calloc(1, sizeof(*av));
		if (!av)
			return err_set(err, ERR_FAIL, "out of memory");
		v->priv = av;
	}
	uiq_advisory_detail_release(&av->d);
	if ((rc = uiq_advisory_detail(&av->d, v->ui->store, v->arg, err)))
		return rc;
	d = &av->d;
	view_add_line(v, d->a.kev ? ROLE_KEV : theme_level_role(d->a.severity), "%s  %s%s%s",
		      d->a.key, *d->a.severity ? d->a.severity : "severity unknown",
		      d->a.kev ? "  KEV" : "", d->a.cvss >= 0 ? "" : "");
	view_add_line(v, ROLE_NORMAL, "  also       %s", *d->aliases ? d->aliases : "-");
	view_add_line(v, ROLE_NORMAL, "  component  %s", d->a.components);
	if (d->a.cvss >= 0)
		view_add_line(v, ROLE_NORMAL, "  CVSS       %.1f", d->a.cvss);
	if (d->a.epss >= 0)
		view_add_line(v, ROLE_NORMAL, "  EPSS       %.5f", d->a.epss);
	if (d->kev_added) {
		ui_format_offset_time(when, sizeof(when), d->kev_added, 0);
		ui_format_offset_time(due, sizeof(due), d->kev_due, 0);
		view_add_line(v, ROLE_KEV, "  KEV        added %.10s, due %.10s: %s", when + 4,
			      due + 4, d->kev_name);
	}
	view_add_line(v, ROLE_NORMAL, "  fixed in   %s", *d->a.fixed ? d->a.fixed : "no fix");
	for (size_t i = 0; i < d->nrecords; i++) {
		const struct uiq_advisory_record *r = &d->records[i];

		view_add_line(v, ROLE_NORMAL, "%s", "");
		view_add_line(v, ROLE_HEADING, "%s: %s%s%s", r->feed, r->id,
			      *r->severity ? "  " : "", r->severity);
		if (*r->vector)
			view_add_line(v, ROLE_DIM, "    %s", r->vector);
		wrapped(v, r->summary);
	}
	view_add_line(v, ROLE_NORMAL, "%s", "");
	view_add_line(v, ROLE_HEADING, "Affected ranges%s",
		      d->nranges == UIQ_RANGES_MAX ? " (first 200)" : "");
	for (size_t i = 0; i < d->nranges; i++)
		view_add_line(v, ROLE_NORMAL, "  %-14s %-10s %-12s %-14s %s", d->ranges[i].feed,
			      d->ranges[i].component, d->ranges[i].ecosystem,
			      d->ranges[i].package, d->ranges[i].text);
	view_add_line(v, ROLE_NORMAL, "%s", "");
	view_add_line(v, ROLE_HEADING, "Hosts affected (%zu)", d->nhosts);
	av->first_host_row = v->nrows;
	for (size_t i = 0; i < d->nhosts; i++) {
		const struct uiq_affected_host *h = &d->hosts[i];

		view_add_line(v, h->livepatched ? ROLE_DIM : ROLE_NORMAL, "  %-16s %-10s %s -> %s  %s%s%s",
			      h->host, h->component, h->installed, *h->fixed ? h->fixed : "no fix",
			      h->feed, h->approximate ? "  approximate" : "",
			      h->livepatched ? "  live-patched" : "");
	}
	return 0;
}

static int advisory_handle(struct view *v, enum action a)
{
	struct adv_view *av = v->priv;
	struct row *r = view_current(v);

	if (a != ACT_ENTER)
		return 0;
	if (r && av && r->ref >= av->first_host_row &&
	    r->ref - av->first_host_row < av->d.nhosts)
		return ui_push(v->ui, &view_host_ops, av->d.hosts[r->ref - av->first_host_row].host);
	return HANDLED;
}

static void advisory_close(struct view *v)
{
	struct adv_view *av = v->priv;

	if (!av)
		return;
	uiq_advisory_detail_release(&av->d);
	free(av);
	v->priv = NULL;
}

const struct view_ops view_advisory_ops = {
	.name = "advisory",
	.id = VIEW_ADVISORY,
	.open = advisory_open,
	.handle = advisory_handle,
	.close = advisory_close,
};

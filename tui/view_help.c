/* view_help.c - the help overlay: every key of the view under it,
 * generated from the key table (tui/keys.c), so the help can never
 * disagree with what the keys do. Keys that change pins are left out
 * with --read-only, as they are refused then. */
#include "ui.h"

#include <stdio.h>
#include <string.h>

#include "banned.h"

static const struct column text_col = { .title = "", .width = 80, .min = 10 };

static const char *const view_names[VIEW_COUNT] = {
	[VIEW_OVERVIEW] = "overview", [VIEW_HOSTS] = "hosts", [VIEW_HOST] = "host",
	[VIEW_ADVISORIES] = "advisories", [VIEW_ADVISORY] = "advisory",
	[VIEW_CONTAINERS] = "containers", [VIEW_PLAN] = "plan", [VIEW_HELP] = "help",
};

static int help_open(struct view *v, struct err *err)
{
	enum view_id below = ui_view_below(v->ui);
	bool ro = v->ui->opt->read_only;

	(void)err;
	v->cols = &text_col;
	v->ncols = 1;
	v->header = false;
	view_add_line(v, ROLE_HEADING, "Keys of the %s view%s", view_names[below],
		      ro ? " (read-only: pin keys are off)" : "");
	for (size_t i = 0; i < key_table_len; i++) {
		const struct key_action *k = &key_table[i];
		char keys[64];
		size_t j, len;

		if (!k->keyname || !k->help || !(k->views & VBIT(below)) || (k->pins && ro))
			continue;
		/* one line per action: its keys joined */
		for (j = 0; j < i; j++)
			if (key_table[j].action == k->action && key_table[j].keyname &&
			    (key_table[j].views & VBIT(below)))
				break;
		if (j < i)
			continue;
		len = (size_t)snprintf(keys, sizeof(keys), "%s", k->keyname);
		for (j = i + 1; j < key_table_len && len < sizeof(keys); j++)
			if (key_table[j].action == k->action && key_table[j].keyname &&
			    (key_table[j].views & VBIT(below)))
				len += (size_t)snprintf(keys + len, sizeof(keys) - len, ", %s",
							key_table[j].keyname);
		view_add_line(v, ROLE_NORMAL, "  %-16s %s", keys, k->help);
	}
	view_add_line(v, ROLE_NORMAL, "%s", "");
	view_add_line(v, ROLE_DIM, "  q or ? closes this help");
	return 0;
}

const struct view_ops view_help_ops = {
	.name = "help",
	.id = VIEW_HELP,
	.open = help_open,
};

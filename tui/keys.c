/* keys.c - every key of the UI in one table (STYLE.md 5, tig's request
 * table): the action it triggers, the views where it works, the line the
 * help overlay shows, and whether it changes pins (hidden and refused with
 * --read-only). The help view is generated from this table. */
#include "ui.h"

#include "banned.h"

#define TABLES (VBIT(VIEW_HOSTS) | VBIT(VIEW_ADVISORIES) | VBIT(VIEW_CONTAINERS))
#define LISTS (VALL & ~VBIT(VIEW_HELP))
#define PINNABLE (VBIT(VIEW_HOSTS) | VBIT(VIEW_HOST) | VBIT(VIEW_PLAN))
#define TAGGABLE (VBIT(VIEW_HOSTS) | VBIT(VIEW_PLAN))
#define DRILL (VBIT(VIEW_HOSTS) | VBIT(VIEW_ADVISORIES) | VBIT(VIEW_CONTAINERS) | \
	       VBIT(VIEW_PLAN) | VBIT(VIEW_HOST) | VBIT(VIEW_ADVISORY) | VBIT(VIEW_OVERVIEW))

#define ESC 27
#define CTRL(c) ((c) & 0x1f)

const struct key_action key_table[] = {
	{ .action = ACT_HELP, .key = '?', .keyname = "?", .help = "help: the keys of this view", .views = VALL },
	{ .action = ACT_VIEW_NEXT, .key = '\t', .keyname = "Tab", .help = "next view", .views = VALL },
	{ .action = ACT_VIEW_PREV, .key = KEY_BTAB, .keyname = "S-Tab", .help = "previous view", .views = VALL },
	{ .action = ACT_VIEW_OVERVIEW, .key = '1', .keyname = "1", .help = "overview", .views = VALL },
	{ .action = ACT_VIEW_HOSTS, .key = '2', .keyname = "2", .help = "hosts", .views = VALL },
	{ .action = ACT_VIEW_ADVISORIES, .key = '3', .keyname = "3", .help = "advisories", .views = VALL },
	{ .action = ACT_VIEW_CONTAINERS, .key = '4', .keyname = "4", .help = "containers", .views = VALL },
	{ .action = ACT_VIEW_PLAN, .key = '5', .keyname = "5", .help = "plan", .views = VALL },
	{ .action = ACT_ENTER, .key = '\n', .keyname = "Enter", .help = "open the host, advisory or window under the cursor", .views = DRILL },
	{ .action = ACT_ENTER, .key = '\r', .keyname = NULL, .views = DRILL },
	{ .action = ACT_ENTER, .key = KEY_ENTER, .keyname = NULL, .views = DRILL },
	{ .action = ACT_BACK, .key = 'q', .keyname = "q", .help = "back (quit from a top view)", .views = VALL },
	{ .action = ACT_BACK, .key = ESC, .keyname = "Esc", .help = "back", .views = VALL },
	{ .action = ACT_QUIT, .key = 'Q', .keyname = "Q", .help = "quit", .views = VALL },
	{ .action = ACT_DOWN, .key = 'j', .keyname = "j", .help = "down", .views = VALL },
	{ .action = ACT_DOWN, .key = KEY_DOWN, .keyname = "Down", .help = "down", .views = VALL },
	{ .action = ACT_UP, .key = 'k', .keyname = "k", .help = "up", .views = VALL },
	{ .action = ACT_UP, .key = KEY_UP, .keyname = "Up", .help = "up", .views = VALL },
	{ .action = ACT_PAGE_DOWN, .key = KEY_NPAGE, .keyname = "PgDn", .help = "page down", .views = VALL },
	{ .action = ACT_PAGE_DOWN, .key = CTRL('f'), .keyname = "C-f", .help = "page down", .views = VALL },
	{ .action = ACT_PAGE_UP, .key = KEY_PPAGE, .keyname = "PgUp", .help = "page up", .views = VALL },
	{ .action = ACT_PAGE_UP, .key = CTRL('b'), .keyname = "C-b", .help = "page up", .views = VALL },
	{ .action = ACT_TOP, .key = 'g', .keyname = "g", .help = "first line", .views = VALL },
	{ .action = ACT_TOP, .key = KEY_HOME, .keyname = "Home", .help = "first line", .views = VALL },
	{ .action = ACT_BOTTOM, .key = 'G', .keyname = "G", .help = "last line", .views = VALL },
	{ .action = ACT_BOTTOM, .key = KEY_END, .keyname = "End", .help = "last line", .views = VALL },
	{ .action = ACT_SEARCH, .key = '/', .keyname = "/", .help = "search", .views = LISTS },
	{ .action = ACT_SEARCH_NEXT, .key = 'n', .keyname = "n", .help = "next match", .views = LISTS },
	{ .action = ACT_SEARCH_PREV, .key = 'N', .keyname = "N", .help = "previous match", .views = LISTS },
	{ .action = ACT_FILTER, .key = 'f', .keyname = "f", .help = "filter: show only lines containing a text", .views = LISTS },
	{ .action = ACT_SORT, .key = 's', .keyname = "s", .help = "sort by the next column", .views = TABLES },
	{ .action = ACT_REVERSE, .key = 'r', .keyname = "r", .help = "reverse the sort", .views = TABLES },
	{ .action = ACT_WONT_RETURN, .key = 'w', .keyname = "w", .help = "only containers that won't come back by themselves", .views = VBIT(VIEW_CONTAINERS) },
	{ .action = ACT_EXPOSED, .key = 'x', .keyname = "x", .help = "only privileged / host namespace / no memory limit", .views = VBIT(VIEW_CONTAINERS) },
	{ .action = ACT_TAG, .key = 't', .keyname = "t", .help = "tag or untag the host", .views = TAGGABLE },
	{ .action = ACT_TAGGED, .key = ';', .keyname = ";", .help = "apply the next pin key to every tagged host", .views = TAGGABLE, .pins = true },
	{ .action = ACT_PIN_NEXT, .key = '>', .keyname = ">", .help = "pin the host to the next window occurrence", .views = PINNABLE, .pins = true },
	{ .action = ACT_PIN_PREV, .key = '<', .keyname = "<", .help = "pin the host to the previous window occurrence", .views = PINNABLE, .pins = true },
	{ .action = ACT_POSTPONE, .key = 'p', .keyname = "p", .help = "postpone the host past a date", .views = PINNABLE, .pins = true },
	{ .action = ACT_EXCLUDE, .key = 'X', .keyname = "X", .help = "exclude the host from the plan", .views = PINNABLE, .pins = true },
	{ .action = ACT_CLEAR, .key = 'c', .keyname = "c", .help = "clear the host's pins", .views = PINNABLE, .pins = true },
	{ .action = ACT_EXPORT, .key = 'e', .keyname = "e", .help = "export the plan (text json csv md html ics ansible)", .views = VALL & ~VBIT(VIEW_HELP) },
	{ .action = ACT_COMMAND, .key = ':', .keyname = ":", .help = "command: export F PATH, pin/postpone/exclude/clear HOST, view V, quit", .views = VALL & ~VBIT(VIEW_HELP) },
	{ .action = ACT_RELOAD, .key = 'R', .keyname = "R", .help = "reload from the database", .views = VALL },
};

const size_t key_table_len = sizeof(key_table) / sizeof(key_table[0]);

enum action keys_lookup(int key, enum view_id v, bool read_only)
{
	for (size_t i = 0; i < key_table_len; i++) {
		const struct key_action *k = &key_table[i];

		if (k->key != key || !(k->views & VBIT(v)))
			continue;
		if (k->pins && read_only)
			return ACT_NONE;
		return k->action;
	}
	return ACT_NONE;
}

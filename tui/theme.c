/* theme.c - colours as semantic roles (STYLE.md 19, htop/tig): one table
 * per theme maps each role to a colour pair and attributes. The colour
 * theme uses the terminal's default background (-1) with foreground
 * colours that read on light and dark backgrounds; the monochrome theme
 * (--mono, NO_COLOR, or a terminal without colours) uses only bold,
 * reverse, underline and dim. */
#include "ui.h"

#include <string.h>

#include "banned.h"

struct role_style {
	short fg, bg;      /* -1: the terminal's default */
	attr_t attr;
};

static const struct role_style colour_theme[ROLE_COUNT] = {
	[ROLE_NORMAL] = { -1, -1, A_NORMAL },
	[ROLE_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_BOLD },
	[ROLE_TAB] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL },
	[ROLE_TAB_ACTIVE] = { COLOR_BLUE, COLOR_WHITE, A_BOLD },
	[ROLE_HEADER] = { -1, -1, A_BOLD | A_UNDERLINE },
	[ROLE_SELECTED] = { -1, -1, A_REVERSE },
	[ROLE_STATUS] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL },
	[ROLE_NOTICE] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD },
	[ROLE_ERROR] = { COLOR_WHITE, COLOR_RED, A_BOLD },
	[ROLE_HEADING] = { COLOR_BLUE, -1, A_BOLD },
	[ROLE_DIM] = { -1, -1, A_DIM },
	[ROLE_TAGGED] = { COLOR_MAGENTA, -1, A_BOLD },
	[ROLE_SEARCH] = { COLOR_BLACK, COLOR_YELLOW, A_NORMAL },
	[ROLE_SEV_CRITICAL] = { COLOR_RED, -1, A_BOLD },
	[ROLE_SEV_HIGH] = { COLOR_RED, -1, A_NORMAL },
	[ROLE_SEV_MEDIUM] = { COLOR_YELLOW, -1, A_NORMAL },
	[ROLE_SEV_LOW] = { COLOR_CYAN, -1, A_NORMAL },
	[ROLE_KEV] = { COLOR_MAGENTA, -1, A_BOLD },
	[ROLE_STALE] = { COLOR_YELLOW, -1, A_BOLD },
	[ROLE_OK] = { COLOR_GREEN, -1, A_NORMAL },
	[ROLE_STAYS_DOWN] = { COLOR_RED, -1, A_BOLD },
	[ROLE_RESTARTS] = { COLOR_YELLOW, -1, A_NORMAL },
	[ROLE_BAR] = { COLOR_CYAN, -1, A_REVERSE },
	[ROLE_LATE] = { COLOR_RED, -1, A_BOLD },
};

static const attr_t mono_theme[ROLE_COUNT] = {
	[ROLE_NORMAL] = A_NORMAL,
	[ROLE_TITLE] = A_REVERSE | A_BOLD,
	[ROLE_TAB] = A_REVERSE,
	[ROLE_TAB_ACTIVE] = A_BOLD | A_UNDERLINE,
	[ROLE_HEADER] = A_BOLD | A_UNDERLINE,
	[ROLE_SELECTED] = A_REVERSE,
	[ROLE_STATUS] = A_REVERSE,
	[ROLE_NOTICE] = A_REVERSE | A_BOLD,
	[ROLE_ERROR] = A_REVERSE | A_BOLD,
	[ROLE_HEADING] = A_BOLD,
	[ROLE_DIM] = A_DIM,
	[ROLE_TAGGED] = A_BOLD,
	[ROLE_SEARCH] = A_UNDERLINE,
	[ROLE_SEV_CRITICAL] = A_BOLD | A_UNDERLINE,
	[ROLE_SEV_HIGH] = A_BOLD,
	[ROLE_SEV_MEDIUM] = A_NORMAL,
	[ROLE_SEV_LOW] = A_DIM,
	[ROLE_KEV] = A_BOLD | A_UNDERLINE,
	[ROLE_STALE] = A_BOLD | A_UNDERLINE,
	[ROLE_OK] = A_NORMAL,
	[ROLE_STAYS_DOWN] = A_BOLD | A_UNDERLINE,
	[ROLE_RESTARTS] = A_NORMAL,
	[ROLE_BAR] = A_REVERSE,
	[ROLE_LATE] = A_BOLD | A_UNDERLINE,
};

static attr_t role_attr[ROLE_COUNT];

void theme_init(bool mono)
{
	if (!mono && has_colors() && start_color() == OK) {
		use_default_colors();
		for (int r = 0; r < ROLE_COUNT; r++) {
			const struct role_style *st = &colour_theme[r];

			if (st->fg == -1 && st->bg == -1) {
				role_attr[r] = st->attr;
				continue;
			}
			init_pair((short)(r + 1), st->fg, st->bg);
			role_attr[r] = COLOR_PAIR(r + 1) | st->attr;
		}
		return;
	}
	memcpy(role_attr, mono_theme, sizeof(role_attr));
}

attr_t theme_attr(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_attr[r] : A_NORMAL;
}

enum role theme_level_role(const char *level)
{
	if (!level)
		return ROLE_NORMAL;
	if (!strcmp(level, "critical"))
		return ROLE_SEV_CRITICAL;
	if (!strcmp(level, "high"))
		return ROLE_SEV_HIGH;
	if (!strcmp(level, "medium"))
		return ROLE_SEV_MEDIUM;
	if (!strcmp(level, "low"))
		return ROLE_SEV_LOW;
	if (!strcmp(level, "KEV"))
		return ROLE_KEV;
	return ROLE_NORMAL;
}

enum role theme_effect_role(const char *effect)
{
	if (!effect)
		return ROLE_NORMAL;
	if (!strcmp(effect, "stays-down") || !strcmp(effect, "removed"))
		return ROLE_STAYS_DOWN;
	if (!strcmp(effect, "restarts") || !strcmp(effect, "recreated") ||
	    !strcmp(effect, "rescheduled"))
		return ROLE_RESTARTS;
	if (!strcmp(effect, "unaffected"))
		return ROLE_OK;
	return ROLE_NORMAL;
}

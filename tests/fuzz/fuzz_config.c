/* fuzz_config.c - libFuzzer target of the config file reader
 * (src/config.c, slipway.conf: the INI of DESIGN.md §9 read with
 * libinih): one input is one file's text for config_parse(). A config it
 * accepts then goes where the program takes it: every feed's settings are
 * resolved against it (run_config_of(): URL, mirror, caps) and its
 * [feed NAME] sections checked (run_config_check()). Also feeds the first
 * line to config_parse_duration(). Seeds: tests/fuzz/corpus/config/, the
 * configs of DESIGN.md §9 and of the unit and integration tests. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "run.h"
#include "xalloc.h"

#include "banned.h"

static void check_config(const struct config *cfg)
{
	struct run_config rc;
	struct err err;
	size_t i;

	for (i = 0; i < cfg->nwindows; i++)
		if (cfg->windows[i].duration <= 0 || !cfg->windows[i].name ||
		    !cfg->windows[i].hosts || !cfg->windows[i].except)
			fuzz_fail("window %zu accepted incomplete", i);
	for (i = 0; i < cfg->nfeeds; i++)
		if (!cfg->feeds[i].name)
			fuzz_fail("feed section %zu without a name", i);
	for (i = 0; i < cfg->nhosts; i++)
		if (!cfg->hosts[i].name || !cfg->hosts[i].tags)
			fuzz_fail("host %zu accepted incomplete", i);
	for (i = 0; i < cfg->ngroups; i++)
		if (!cfg->groups[i].name || !cfg->groups[i].containers)
			fuzz_fail("group %zu accepted incomplete", i);
	err_clear(&err);
	fuzz_check_error("run_config_check()", run_config_check(cfg, &err), &err);
	for (i = 0; i < feed_ndefs; i++) {
		run_config_of(&rc, &feed_defs[i], cfg);
		if (!rc.url)
			fuzz_fail("feed '%s' has no URL", feed_defs[i].name);
		if (strncmp(rc.url, "https://", 8) && !rc.allow_http)
			fuzz_fail("feed '%s' would be fetched from '%s'",
				  feed_defs[i].name, rc.url);
		run_config_release(&rc);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *cfg = NULL;
	struct err err;
	size_t line;
	char *first;
	int64_t secs;
	int rc;

	err_clear(&err);
	rc = config_parse(&cfg, "slipway.conf", (const char *)data, size, &err);
	fuzz_check_error("config_parse()", rc, &err);
	if (rc == 0) {
		if (!cfg)
			fuzz_fail("config_parse() succeeded without a config");
		check_config(cfg);
		config_free(cfg);
	} else if (cfg) {
		fuzz_fail("config_parse() failed but set *out");
	}
	for (line = 0; line < size && data[line] != '\n'; line++)
		;
	first = xstrndup((const char *)data, line);
	if (config_parse_duration(&secs, first) == 0 && secs < 0)
		fuzz_fail("duration '%s' read as %lld seconds", first, (long long)secs);
	free(first);
	return 0;
}

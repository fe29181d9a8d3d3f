/* fuzz_osv.c - libFuzzer target of the `osv` feed adapter (feeds/osv.c,
 * OSV schema 1.x records, https://ossf.github.io/osv-schema/): one input
 * is one record handed to the format's begin/parse/finish on a :memory:
 * store, rolled back after each input (harness.c). The feed it is read
 * for (osv-go, osv-linux, osv-debian, ...) follows the first "ecosystem"
 * value in the input, so each ecosystem's mapping and version scheme is
 * reached from its own seeds (tests/fuzz/corpus/osv/, from
 * tests/data/feeds/osv/). */
#include "fuzz.h"

#include <string.h>

#include "banned.h"

static const struct {
	const char *prefix;     /* start of the OSV ecosystem string */
	const char *feed;
} feeds[] = {
	{ "Linux", "osv-linux" },
	{ "Debian", "osv-debian" },
	{ "Ubuntu", "osv-ubuntu" },
	{ "Red Hat", "osv-redhat" },
	{ "AlmaLinux", "osv-almalinux" },
	{ "Rocky Linux", "osv-rocky" },
	{ "Go", "osv-go" },
};

static const char *feed_of(const uint8_t *data, size_t size)
{
	size_t at = fuzz_find(data, size, "\"ecosystem\""), i, n;

	if (at == size)
		return "osv-go";
	for (at += strlen("\"ecosystem\""); at < size && strchr(" \t\r\n:", data[at]) &&
	     data[at]; at++)
		;
	if (at < size && data[at] == '"')
		at++;
	for (i = 0; i < sizeof(feeds) / sizeof(feeds[0]); i++) {
		n = strlen(feeds[i].prefix);
		if (size - at >= n && !memcmp(data + at, feeds[i].prefix, n))
			return feeds[i].feed;
	}
	return "osv-go";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *name = feed_of(data, size);
	const struct feed_def *def = feed_def_find(name);

	if (!def)
		fuzz_fail("no feed '%s' in the feed table", name);
	fuzz_feed_document(def, "GO-2024-2491.json", data, size);
	return 0;
}

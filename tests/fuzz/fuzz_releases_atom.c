/* fuzz_releases_atom.c - libFuzzer target of the `releases-atom` feed
 * adapter (feeds/releases_atom.c, GitHub's releases.atom, RFC 4287 read
 * with libxml2): one input is one document handed to the format's
 * begin/parse/finish on a :memory: store, rolled back after each input
 * (harness.c). The feed (releases-runc, -moby, -containerd) follows the
 * repository the input names, so each component's tag format is reached
 * from its own seeds (tests/fuzz/corpus/releases-atom/, from
 * tests/data/feeds/releases-atom/). */
#include "fuzz.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *name = "releases-runc";
	const struct feed_def *def;

	if (fuzz_find(data, size, "moby") < size)
		name = "releases-moby";
	else if (fuzz_find(data, size, "containerd") < size)
		name = "releases-containerd";
	def = feed_def_find(name);
	if (!def)
		fuzz_fail("no feed '%s' in the feed table", name);
	fuzz_feed_document(def, "releases.atom", data, size);
	return 0;
}

/* fuzz_debian_tracker.c - libFuzzer target of the `debian-tracker` feed adapter
 * (feeds/debian_tracker.c, the security-tracker.debian.org JSON):
 * one input is one document handed to the format's begin/parse/finish on a
 * :memory: store, rolled back after each input (harness.c). Seeds:
 * tests/fuzz/corpus/debian-tracker/, from tests/data/feeds/debian-tracker/. */
#include "fuzz.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct feed_def *def;

	if (!def && !(def = feed_def_find("debian-tracker")))
		fuzz_fail("no feed 'debian-tracker' in the feed table");
	fuzz_feed_document(def, "json", data, size);
	return 0;
}

/* fuzz_epss.c - libFuzzer target of the `epss` feed adapter (feeds/epss.c, FIRST's EPSS
 * CSV):
 * one input is one document handed to the format's begin/parse/finish on a
 * :memory: store, rolled back after each input (harness.c). Seeds:
 * tests/fuzz/corpus/epss/, from tests/data/feeds/epss/. */
#include "fuzz.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct feed_def *def;

	if (!def && !(def = feed_def_find("epss")))
		fuzz_fail("no feed 'epss' in the feed table");
	fuzz_feed_document(def, "epss_scores-current.csv", data, size);
	return 0;
}

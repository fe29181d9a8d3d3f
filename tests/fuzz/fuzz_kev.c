/* fuzz_kev.c - libFuzzer target of the `kev` feed adapter (feeds/kev.c, the CISA KEV
 * catalog JSON):
 * one input is one document handed to the format's begin/parse/finish on a
 * :memory: store, rolled back after each input (harness.c). Seeds:
 * tests/fuzz/corpus/kev/, from tests/data/feeds/kev/. */
#include "fuzz.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct feed_def *def;

	if (!def && !(def = feed_def_find("kev")))
		fuzz_fail("no feed 'kev' in the feed table");
	fuzz_feed_document(def, "known_exploited_vulnerabilities.json", data, size);
	return 0;
}

/* fuzz_kernel_releases.c - libFuzzer target of the `kernel-releases` feed adapter
 * (feeds/kernel_releases.c, kernel.org's releases.json):
 * one input is one document handed to the format's begin/parse/finish on a
 * :memory: store, rolled back after each input (harness.c). Seeds:
 * tests/fuzz/corpus/kernel-releases/, from tests/data/feeds/kernel-releases/. */
#include "fuzz.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct feed_def *def;

	if (!def && !(def = feed_def_find("kernel-releases")))
		fuzz_fail("no feed 'kernel-releases' in the feed table");
	fuzz_feed_document(def, "releases.json", data, size);
	return 0;
}

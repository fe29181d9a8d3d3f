/* fuzz_kernel_cna.c - libFuzzer target of the `kernel-cna` feed adapter
 * (feeds/kernel_cna.c, the CVE JSON 5 records of vulns.git):
 * one input is one document handed to the format's begin/parse/finish on a
 * :memory: store, rolled back after each input (harness.c). Seeds:
 * tests/fuzz/corpus/kernel-cna/, from tests/data/feeds/kernel-cna/ and kernel-cna-bad/. */
#include "fuzz.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct feed_def *def;

	if (!def && !(def = feed_def_find("kernel-cna")))
		fuzz_fail("no feed 'kernel-cna' in the feed table");
	fuzz_feed_document(def, "cve/published/2024/fuzz.json", data, size);
	return 0;
}

/* fuzz_json_index.c - libFuzzer target of the structural index of
 * src/jsoncheck.h (jsoncheck_index), which decides for the kernel-cna
 * adapter what JSON is and which strings it takes as written: any input
 * the index accepts must be JSON to sqlite's JSON1 as well, with the
 * same values, types and names and the same plain strings
 * (tests/json_index_check.h), and must pass jsoncheck_feed(). Seeds:
 * tests/fuzz/corpus/json-index/. */
#include "fuzz.h"

#include <sqlite3.h>

#include "jsoncheck.h"
#include "../json_index_check.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static sqlite3 *db;
	static struct json_index ix = JSON_INDEX_INIT;
	const char *text = (const char *)data;
	char why[160], diff[200];

	if (!db && sqlite3_open(":memory:", &db) != SQLITE_OK)
		fuzz_fail("cannot open a :memory: database");
	if (jsoncheck_index(&ix, text, size, why, sizeof(why)))
		return 0;
	if (jsoncheck_feed(text, size, why, sizeof(why)))
		fuzz_fail("the index accepts what jsoncheck_feed refuses: %s", why);
	if (json_index_check(db, &ix, text, size, diff, sizeof(diff)))
		fuzz_fail("the index and sqlite disagree: %s", diff);
	return 0;
}

/* fuzz_report.c - libFuzzer target of the host report importer
 * (src/report.c, `slipway.host-report/1`, DESIGN.md §6): one input is one
 * report file for report_import() on the process's :memory: store. A
 * report it accepts is imported again as a live engine inventory
 * (REPORT_ENGINE_ONLY, which merges with the host's stored facts), then
 * the hosts are deleted so every input starts from an empty fleet. An
 * import must never leave a transaction open, and a refused report must
 * leave no host behind. Seeds: tests/fuzz/corpus/report/, the reports of
 * tests/data/reports/. */
#include "fuzz.h"

#include "report.h"

#include "banned.h"

static long long hosts(struct store *s)
{
	long long n = -1;
	struct err err;

	if (store_query_int(s, &n, &err, "SELECT count(*) FROM host", NULL))
		fuzz_fail("cannot count hosts: %s", err.msg);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *s = fuzz_store();
	struct err err;
	long long hid = -1;
	int rc;

	err_clear(&err);
	rc = report_import(s, "fuzz/report.json", (const char *)data, size, 0, NULL,
			   &hid, &err);
	fuzz_check_error("report_import()", rc, &err);
	if (store_in_transaction(s))
		fuzz_fail("report_import() left a transaction open");
	if (rc && hosts(s) != 0)
		fuzz_fail("a refused report left a host behind: %s", err.msg);
	if (rc == 0) {
		if (hid <= 0)
			fuzz_fail("report imported without a host id");
		err_clear(&err);
		rc = report_import(s, "fuzz/report.json", (const char *)data, size,
				   REPORT_ENGINE_ONLY, NULL, &hid, &err);
		fuzz_check_error("report_import(REPORT_ENGINE_ONLY)", rc, &err);
		if (store_in_transaction(s))
			fuzz_fail("report_import() left a transaction open");
	}
	if (store_exec(s, &err, "DELETE FROM host", NULL) < 0)
		fuzz_fail("cannot delete the hosts: %s", err.msg);
	return 0;
}

/* fuzz_engine.c - libFuzzer target of the engine answers (src/engine.c,
 * Docker Engine API / Podman compat API answers, as kept for the host
 * report, DESIGN.md §6), through the public path they take: the answers
 * are put together into a report's engine part (engine_report_json()),
 * the API version is negotiated from /version's ApiVersion and
 * MinAPIVersion as the client does (engine_negotiate()), and the report
 * built around them is imported (report_import(), live-inventory mode as
 * `slipway inventory HOST` does, then as a full report), which validates
 * every member the importer reads.
 *
 * Input: the answers separated by NUL bytes, in this order: /version,
 * /info, the containers' inspect answers (a JSON array), the images'
 * inspect answers (array), then, optionally, /services, /tasks, /nodes
 * and Podman's /libpod/pods/json. The kind is "podman" when /version
 * names Podman. Seeds: tests/fuzz/corpus/engine/, the engine answers kept
 * in tests/data/reports/ and the inspect answers of tests/data/engine/. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "engine.h"
#include "report.h"
#include "xalloc.h"

#include "banned.h"

#define NPARTS 8

static void negotiate(struct store *s, const char *version)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct err err;
	char api[32];

	if (store_query(s, &rows, &err,
			"SELECT CASE WHEN json_valid(?1) AND json_type(?1) = 'object' THEN"
			" json_extract(?1, '$.ApiVersion') END,"
			" CASE WHEN json_valid(?1) AND json_type(?1) = 'object' THEN"
			" json_extract(?1, '$.MinAPIVersion') END",
			"s", version))
		fuzz_fail("cannot read /version: %s", err.msg);
	if (store_rows_next(&rows) > 0 && store_rows_text(&rows, 0)) {
		char *max = xstrdup(store_rows_text(&rows, 0));
		char *min = store_rows_text(&rows, 1) ? xstrdup(store_rows_text(&rows, 1)) : NULL;
		int rc;

		store_rows_done(&rows);
		err_clear(&err);
		rc = engine_negotiate(api, sizeof(api), max, min, &err);
		fuzz_check_error("engine_negotiate()", rc, &err);
		if (rc == 0 && !memchr(api, '\0', sizeof(api)))
			fuzz_fail("negotiated API version is not terminated");
		free(max);
		free(min);
		return;
	}
	store_rows_done(&rows);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *s = fuzz_store();
	struct engine_answers a;
	char *part[NPARTS] = { 0 };
	struct buf report;
	struct err err;
	size_t start = 0, i, n = 0;
	long long hid;
	int rc;

	while (n < NPARTS && start <= size) {
		const uint8_t *nul = start < size ? memchr(data + start, '\0', size - start) : NULL;
		size_t end = nul ? (size_t)(nul - data) : size;

		part[n++] = xstrndup((const char *)data + start, end - start);
		if (!nul)
			break;
		start = end + 1;
	}
	memset(&a, 0, sizeof(a));
	a.version = part[0];
	a.info = part[1];
	a.containers = part[2];
	a.images = part[3];
	a.services = part[4];
	a.tasks = part[5];
	a.nodes = part[6];
	a.pods = part[7];
	a.kind = (char *)(a.version && strstr(a.version, "Podman") ? "podman" : "docker");
	a.api_version = (char *)"1.41";
	if (a.version)
		negotiate(s, a.version);

	buf_init(&report, (size_t)256 << 20);
	buf_addstr(&report, "{\"schema\":\"" REPORT_SCHEMA "\","
		   "\"collected_at\":\"2026-11-23T17:20:00Z\","
		   "\"host\":{\"name\":\"fuzz-engine\"},\"engine\":");
	err_clear(&err);
	rc = engine_report_json(&report, &a, (int)(size % 3) - 1, &err);
	fuzz_check_error("engine_report_json()", rc, &err);
	if (rc == 0) {
		buf_addch(&report, '}');
		err_clear(&err);
		rc = report_import(s, "fuzz/engine.json", report.ptr, report.len,
				   REPORT_ENGINE_ONLY, NULL, &hid, &err);
		fuzz_check_error("report_import(REPORT_ENGINE_ONLY)", rc, &err);
		err_clear(&err);
		rc = report_import(s, "fuzz/engine.json", report.ptr, report.len, 0,
				   NULL, &hid, &err);
		fuzz_check_error("report_import()", rc, &err);
		if (store_in_transaction(s))
			fuzz_fail("report_import() left a transaction open");
		if (store_exec(s, &err, "DELETE FROM host", NULL) < 0)
			fuzz_fail("cannot delete the hosts: %s", err.msg);
	}
	buf_release(&report);
	for (i = 0; i < n; i++)
		free(part[i]);
	return 0;
}

/* test_fetch.c - unit tests of the fetcher's rules that need no server:
 * schemes other than https:// refused (http:// only when allowed for a
 * configured mirror), connection failures tried three times, mirror URLs,
 * the User-Agent. The HTTP behaviour itself (304, 5xx retries, 404 without
 * retry, the byte cap) is checked against a real nginx by
 * tests/integration/feeds-nginx.sh. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "slipway-config.h"

#include "fetch.h"

static int get(const char *url, bool allow_http, struct err *err)
{
	struct fetch_request req = { .url = url, .allow_http = allow_http, .timeout = 5 };
	struct fetch_result res = FETCH_RESULT_INIT;
	int rc;

	err_clear(err);
	rc = fetch_get(&res, &req, err);
	fetch_result_release(&res);
	return rc;
}

START_TEST(only_https_unless_allowed)
{
	static const struct {
		const char *url;
		bool allow_http;
	} refused[] = {
		{ "http://127.0.0.1:1/feed.json", false },
		{ "file:///etc/passwd", false },
		{ "file:///etc/passwd", true },
		{ "ftp://example.invalid/all.zip", true },
		{ "HTTPS-ish://x", true },
		{ "", true },
	};
	struct err err;
	size_t i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		ck_assert_int_eq(get(refused[i].url, refused[i].allow_http, &err), ERR_USAGE);
		ck_assert_msg(strstr(err.msg, "only https:// URLs are allowed"),
			      "%s: %s", refused[i].url, err.msg);
	}
}
END_TEST

START_TEST(connection_refused_is_tried_three_times)
{
	struct err err;

	/* Port 1 on loopback: nothing listens, the connect fails at once. */
	ck_assert_int_eq(get("http://127.0.0.1:1/feed.json", true, &err), ERR_NET);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot fetch 'http://127.0.0.1:1/feed.json'"));
	ck_assert_ptr_nonnull(strstr(err.msg, "(after 3 tries)"));
	ck_assert_ptr_null(strchr(err.msg, '\n'));
}
END_TEST

START_TEST(mirror_replaces_scheme_and_host)
{
	static const struct {
		const char *url, *mirror, *want;
	} cases[] = {
		{ "https://www.cisa.gov/sites/default/files/feeds/kev.json",
		  "http://127.0.0.1:8080", "http://127.0.0.1:8080/sites/default/files/feeds/kev.json" },
		{ "https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip",
		  "https://mirror.lan/osv/", "https://mirror.lan/osv/Go/all.zip" },
		{ "https://www.kernel.org/releases.json?x=1", "https://m.lan",
		  "https://m.lan/releases.json?x=1" },
		{ "https://www.kernel.org/releases.json", NULL,
		  "https://www.kernel.org/releases.json" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = fetch_mirror_url(cases[i].url, cases[i].mirror);

		ck_assert_str_eq(got, cases[i].want);
		free(got);
	}
}
END_TEST

START_TEST(user_agent_names_slipway)
{
	ck_assert_str_eq(fetch_user_agent(),
			 "slipway/" SLIPWAY_VERSION " (+https://github.com/slipway)");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fetch");
	TCase *tc = tcase_create("fetch");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, only_https_unless_allowed);
	tcase_add_test(tc, connection_refused_is_tried_three_times);
	tcase_add_test(tc, mirror_replaces_scheme_and_host);
	tcase_add_test(tc, user_agent_names_slipway);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

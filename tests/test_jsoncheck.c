/* test_jsoncheck.c - unit tests of the object-name pre-check
 * (src/jsoncheck.c): real JSON passes, object names that are not strings
 * (which crash sqlite 3.40's JSON1, found by tests/fuzz/fuzz_kev.c) and
 * nesting past the cap are refused, brackets inside strings are text. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsoncheck.h"
#include "xalloc.h"

static const struct {
	const char *text;
	bool ok;
} cases[] = {
	{ "{}", true },
	{ "[]", true },
	{ "{ \"a\" : [1, {\"b\": null}], \"c\": \"}{,[\" }", true },
	{ "{\"k\\\"{\": {\"x\": [\"\\\\\", {}]}}", true },
	{ "[{}, {\"a\": 1}, []]", true },
	{ "\"just a string\"", true },
	{ "{\"vulnerabilities\":[{{\"\":\"\",\"\":\"\",\"\":[\"\"]}:[]}]}", false },
	{ "{[\"a\"]: 1}", false },
	{ "{\"a\": 1, {\"b\": \"c\"}: 2}", false },
	{ "{\"a\": 1, 2: 3}", false },
	{ "{1: 2}", false },
	{ "{\"a\": 1,}", false },
	{ "{\"a\": [1}", false },
	{ "[1]]", false },
	{ "{", false },
};

START_TEST(names_must_be_strings)
{
	ck_assert_msg(jsoncheck_keys(cases[_i].text, strlen(cases[_i].text)) == cases[_i].ok,
		      "%s", cases[_i].text);
}
END_TEST

START_TEST(depth_is_capped)
{
	size_t n = JSONCHECK_MAX_DEPTH + 1, i;
	char *deep = xmalloc(2 * n);

	for (i = 0; i < n; i++) {
		deep[i] = '[';
		deep[2 * n - 1 - i] = ']';
	}
	ck_assert(!jsoncheck_keys(deep, 2 * n));
	/* One level less is accepted. */
	ck_assert(jsoncheck_keys(deep + 1, 2 * n - 2));
	free(deep);
}
END_TEST

/* The length is respected: text after len is never read. */
START_TEST(length_is_respected)
{
	ck_assert(jsoncheck_keys("{\"a\":1}{[", 7));
	ck_assert(!jsoncheck_keys("{\"a\":1}", 6));
}
END_TEST

/* jsoncheck_feed(): a name repeated in one object is refused with the
 * name; the same name in different objects, nested or not, is not. */
static const struct {
	const char *text;
	const char *why;      /* NULL: accepted */
} feed_cases[] = {
	{ "{\"vulnerabilities\": [], \"count\": 1}", NULL },
	{ "{\"a\": {\"a\": 1}, \"b\": {\"a\": 2}}", NULL },
	{ "[{\"id\": 1}, {\"id\": 2}]", NULL },
	{ "{\"k\": 1, \"k\\\"\": 2}", NULL },
	{ "{\"vulnerabilities\": [], \"count\": 0, \"vulnerabilities\": [1]}",
	  "an object name is repeated: 'vulnerabilities'" },
	{ "{\"x\": {\"v\": 1, \"w\": 2, \"v\": 3}}", "an object name is repeated: 'v'" },
	{ "{\"\": 1, \"\": 2}", "an object name is repeated: ''" },
	{ "{\"a\": [1}", "not valid JSON" },
};

START_TEST(repeated_names_are_refused)
{
	char why[160];
	const char *got = jsoncheck_feed(feed_cases[_i].text, strlen(feed_cases[_i].text),
					 why, sizeof(why));

	if (!feed_cases[_i].why)
		ck_assert_msg(!got, "%s: %s", feed_cases[_i].text, got);
	else
		ck_assert_msg(got && !strcmp(got, feed_cases[_i].why), "%s: %s",
			      feed_cases[_i].text, got ? got : "(accepted)");
}
END_TEST

/* An object of many names goes through the sorted check: one repeat
 * among 5000 names is found, 5000 different names pass. */
START_TEST(many_names)
{
	struct buf b;
	char why[160];
	int i;

	buf_init(&b, 1 << 20);
	ck_assert(!buf_addch(&b, '{'));
	for (i = 0; i < 5000; i++)
		ck_assert(!buf_addf(&b, "%s\"pkg-%d\": {\"pkg-%d\": 1}", i ? "," : "", i, i));
	ck_assert(!buf_addch(&b, '}'));
	ck_assert_msg(!jsoncheck_feed(b.ptr, b.len, why, sizeof(why)), "%s", why);
	b.len--;
	ck_assert(!buf_addstr(&b, ",\"pkg-4711\": 2}"));
	ck_assert(jsoncheck_feed(b.ptr, b.len, why, sizeof(why)));
	ck_assert_str_eq(why, "an object name is repeated: 'pkg-4711'");
	buf_release(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jsoncheck");
	TCase *tc = tcase_create("jsoncheck");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, names_must_be_strings, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, depth_is_capped);
	tcase_add_test(tc, length_is_respected);
	tcase_add_loop_test(tc, repeated_names_are_refused, 0,
			    sizeof(feed_cases) / sizeof(feed_cases[0]));
	tcase_add_test(tc, many_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

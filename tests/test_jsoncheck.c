/* test_jsoncheck.c - unit tests of the object-name pre-check
 * (src/jsoncheck.c): real JSON passes, object names that are not strings
 * (which crash sqlite 3.40's JSON1, found by tests/fuzz/fuzz_kev.c) and
 * nesting past the cap are refused, brackets inside strings are text;
 * and of the structural index (jsoncheck_index): RFC 8259's grammar
 * exactly, the nodes of a document as they lie, and agreement with
 * sqlite's JSON1 on every JSON file of tests/data. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "buf.h"
#include "jsoncheck.h"
#include "json_index_check.h"
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


/* jsoncheck_index(): the grammar of RFC 8259, and sqlite agrees with
 * every text it accepts. */
static const struct {
	const char *text;
	bool ok;
} grammar[] = {
	{ "  [ ]  ", true },
	{ "{\"a\": [1, -0, 0.5, -1.25e+3, 2E-2, 10e5], \"b\": {}}", true },
	{ "[true, false, null]", true },
	{ "\"\\u00e9\\/\\b\\f\\n\\r\\t\\\\\\\"\"", true },
	{ "\"\xc3\xa9 plain\"", true },
	{ "-0", true },
	{ "", false },
	{ "   ", false },
	{ "01", false },
	{ "1.", false },
	{ ".5", false },
	{ "-", false },
	{ "+1", false },
	{ "1e", false },
	{ "1e+", false },
	{ "[tru]", false },
	{ "[nul]", false },
	{ "[True]", false },
	{ "\"\\x\"", false },
	{ "\"\\u12g4\"", false },
	{ "\"\\u12\"", false },
	{ "\"tab\there\"", false },
	{ "\"open", false },
	{ "[1,]", false },
	{ "[,1]", false },
	{ "{\"a\"}", false },
	{ "{\"a\":}", false },
	{ "{\"a\" 1}", false },
	{ "{\"a\":1 \"b\":2}", false },
	{ "1 2", false },
	{ "[] []", false },
	{ "{\"a\":1,\"a\":2}", false },
	{ "{1:2}", false },
	{ "[1]]", false },
	{ "[\"a\" \"b\"]", false },
};

START_TEST(index_grammar)
{
	struct json_index ix = JSON_INDEX_INIT;
	const char *text = grammar[_i].text;
	char why[160], diff[200];
	const char *got = jsoncheck_index(&ix, text, strlen(text), why, sizeof(why));
	sqlite3 *db;

	ck_assert_msg(!got == grammar[_i].ok, "'%s': %s", text,
		      got ? got : "accepted");
	if (!got) {
		ck_assert(sqlite3_open(":memory:", &db) == SQLITE_OK);
		ck_assert_msg(!json_index_check(db, &ix, text, strlen(text), diff,
						sizeof(diff)),
			      "'%s': %s", text, diff);
		sqlite3_close(db);
	}
	json_index_release(&ix);
}
END_TEST

/* The nodes of a small document, as they lie. */
START_TEST(index_nodes)
{
	static const char text[] =
		"{\"a\": [1, {\"b\": null}], \"c\": \"x\\\"y\", \"d\": true}";
	struct json_index ix = JSON_INDEX_INIT;
	char why[160];
	uint32_t a, c;

	ck_assert(!jsoncheck_index(&ix, text, strlen(text), why, sizeof(why)));
	ck_assert_uint_eq(ix.n, 7);
	ck_assert_int_eq(ix.node[0].type, '{');
	ck_assert_uint_eq(ix.node[0].count, 3);
	ck_assert_uint_eq(ix.node[0].end, strlen(text));
	a = json_index_member(&ix, text, 0, "a");
	ck_assert_uint_eq(a, 1);
	ck_assert_int_eq(ix.node[a].type, '[');
	ck_assert_uint_eq(ix.node[a].count, 2);
	ck_assert_int_eq(text[ix.node[a].start], '[');
	ck_assert_int_eq(text[ix.node[a].end - 1], ']');
	ck_assert_int_eq(ix.node[a + 1].type, '0');
	ck_assert_uint_eq(ix.node[a + 1].next, a + 2);
	ck_assert_uint_eq(json_index_member(&ix, text, a + 2, "b"), a + 3);
	ck_assert_int_eq(ix.node[a + 3].type, 'n');
	/* "b" is not a member of the root; names are compared as written */
	ck_assert_uint_eq(json_index_member(&ix, text, 0, "b"), 0);
	ck_assert_uint_eq(json_index_member(&ix, text, a, "b"), 0);
	c = json_index_member(&ix, text, 0, "c");
	ck_assert_uint_eq(c, 5);
	ck_assert_uint_eq(ix.node[a].next, c);
	ck_assert(json_index_is(&ix, text, c, "x\\\"y"));
	ck_assert(!json_index_is(&ix, text, c, "x\"y"));
	ck_assert_int_eq(ix.node[json_index_member(&ix, text, 0, "d")].type, 't');
	ck_assert_uint_eq(ix.node[6].next, 0);
	/* reused for another text */
	ck_assert(!jsoncheck_index(&ix, "[]", 2, why, sizeof(why)));
	ck_assert_uint_eq(ix.n, 1);
	ck_assert(jsoncheck_index(&ix, "[", 1, why, sizeof(why)));
	ck_assert_str_eq(why, "not valid JSON");
	ck_assert(jsoncheck_index(&ix, "{\"v\":1,\"v\":2}", 13, why, sizeof(why)));
	ck_assert_str_eq(why, "an object name is repeated: 'v'");
	json_index_release(&ix);
}
END_TEST

/* Every .json file under dir (recursively) that sqlite and jsoncheck_feed
 * take as JSON is accepted by the index, and the two agree on it; what
 * the index accepts sqlite accepts. Counts the files checked. */
static void check_tree(sqlite3 *db, struct json_index *ix, const char *dir,
		       int *files, int *accepted)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	ck_assert_msg(d != NULL, "cannot read '%s'", dir);
	while ((de = readdir(d))) {
		char path[4096], why[160], diff[200];
		size_t n = strlen(de->d_name);
		struct stat st;
		char *text;
		FILE *f;
		int valid;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		ck_assert(lstat(path, &st) == 0);
		if (S_ISDIR(st.st_mode)) {
			check_tree(db, ix, path, files, accepted);
			continue;
		}
		if (!S_ISREG(st.st_mode) || n < 5 || strcmp(de->d_name + n - 5, ".json"))
			continue;
		text = xmalloc((size_t)st.st_size + 1);
		f = fopen(path, "rb");
		ck_assert(f != NULL);
		ck_assert(fread(text, 1, (size_t)st.st_size, f) == (size_t)st.st_size);
		fclose(f);
		n = (size_t)st.st_size;
		(*files)++;
		{
			sqlite3_stmt *q;

			ck_assert(sqlite3_prepare_v2(db, "SELECT json_valid(?1)", -1,
						     &q, NULL) == SQLITE_OK);
			sqlite3_bind_text(q, 1, text, (int)n, SQLITE_STATIC);
			ck_assert(sqlite3_step(q) == SQLITE_ROW);
			valid = sqlite3_column_int(q, 0) &&
				!memchr(text, '\0', n) &&
				!jsoncheck_feed(text, n, why, sizeof(why));
			sqlite3_finalize(q);
		}
		if (!jsoncheck_index(ix, text, n, why, sizeof(why))) {
			(*accepted)++;
			ck_assert_msg(!json_index_check(db, ix, text, n, diff, sizeof(diff)),
				      "%s: %s", path, diff);
		} else {
			ck_assert_msg(!valid, "%s: sqlite takes it, the index: %s",
				      path, why);
		}
		free(text);
	}
	closedir(d);
}

START_TEST(index_agrees_with_sqlite_on_test_data)
{
	const char *root = getenv("SLIPWAY_SOURCE_ROOT");
	struct json_index ix = JSON_INDEX_INIT;
	int files = 0, accepted = 0;
	char dir[4096];
	sqlite3 *db;

	ck_assert_msg(root != NULL, "SLIPWAY_SOURCE_ROOT is not set");
	snprintf(dir, sizeof(dir), "%s/tests/data", root);
	ck_assert(sqlite3_open(":memory:", &db) == SQLITE_OK);
	check_tree(db, &ix, dir, &files, &accepted);
	/* the 300 kernel records alone, and the other feeds' fixtures */
	ck_assert_msg(files > 400 && accepted > 350, "%d files, %d accepted",
		      files, accepted);
	sqlite3_close(db);
	json_index_release(&ix);
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
	tcase_add_loop_test(tc, index_grammar, 0, sizeof(grammar) / sizeof(grammar[0]));
	tcase_add_test(tc, index_nodes);
	tcase_add_test(tc, index_agrees_with_sqlite_on_test_data);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

/* test_err.c - unit tests of the error record, the bounded buffer and the
 * allocation helpers. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "testlib.h"
#include "xalloc.h"

START_TEST(err_set_formats_one_line)
{
	struct err err;
	int rc;

	err_clear(&err);
	ck_assert_int_eq(err.code, ERR_OK);
	rc = err_set(&err, ERR_PARSE, "cannot parse '%s': line %d", "a\nb\tc", 3);
	ck_assert_int_eq(rc, ERR_PARSE);
	ck_assert_str_eq(err.msg, "cannot parse 'a b c': line 3");
}
END_TEST

START_TEST(err_set_truncates_long_messages)
{
	struct err err;
	char big[2000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	err_set(&err, ERR_LIMIT, "%s", big);
	ck_assert_uint_eq(strlen(err.msg), ERR_MSG_MAX - 1);
}
END_TEST

START_TEST(err_prefix_keeps_code)
{
	struct err err;

	err_set(&err, ERR_PARSE, "bad 'affected'");
	ck_assert_int_eq(err_prefix(&err, "cannot parse '%s'", "osv-go/all.zip"), ERR_PARSE);
	ck_assert_str_eq(err.msg, "cannot parse 'osv-go/all.zip': bad 'affected'");
}
END_TEST

static const struct {
	int code;
	int exit;
} exit_codes[] = {
	{ ERR_OK, 0 },      { ERR_FAIL, 1 },  { ERR_USAGE, 2 },
	{ ERR_PARSE, 1 },   { ERR_STORE, 1 }, { ERR_NEWER_DB, 1 },
	{ ERR_ACTION, 3 },  { ERR_STALE, 4 }, { -999, 1 },
};

START_TEST(err_exit_codes)
{
	ck_assert_int_eq(err_exit_code(exit_codes[_i].code), exit_codes[_i].exit);
	ck_assert_ptr_nonnull(err_code_str(exit_codes[_i].code));
}
END_TEST

START_TEST(err_null_is_allowed)
{
	ck_assert_int_eq(err_set(NULL, ERR_IO, "x"), ERR_IO);
	err_clear(NULL);
}
END_TEST

START_TEST(buf_empty_is_string)
{
	struct buf b;

	buf_init(&b, 16);
	ck_assert_str_eq(b.ptr, "");
	ck_assert_uint_eq(b.len, 0);
	buf_release(&b);
	buf_release(&b);
}
END_TEST

START_TEST(buf_appends_and_formats)
{
	struct buf b;

	buf_init(&b, 1024);
	ck_assert_int_eq(buf_addstr(&b, "kernel "), 0);
	ck_assert_int_eq(buf_addf(&b, "%d.%d.%d", 6, 1, 76), 0);
	ck_assert_int_eq(buf_addch(&b, '!'), 0);
	ck_assert_str_eq(b.ptr, "kernel 6.1.76!");
	ck_assert_uint_eq(b.len, 14);
	buf_truncate(&b, 6);
	ck_assert_str_eq(b.ptr, "kernel");
	buf_reset(&b);
	ck_assert_str_eq(b.ptr, "");
	buf_release(&b);
}
END_TEST

START_TEST(buf_refuses_past_max_and_keeps_content)
{
	struct buf b;

	buf_init(&b, 8);
	ck_assert_int_eq(buf_addstr(&b, "12345678"), 0);
	ck_assert_int_eq(buf_addch(&b, '9'), ERR_LIMIT);
	ck_assert_int_eq(buf_addf(&b, "%s", "x"), ERR_LIMIT);
	ck_assert_int_eq(buf_add(&b, "x", SIZE_MAX), ERR_LIMIT);
	ck_assert_str_eq(b.ptr, "12345678");
	ck_assert_uint_eq(b.len, 8);
	buf_release(&b);
}
END_TEST

START_TEST(buf_grows_across_many_appends)
{
	struct buf b;
	size_t i;

	buf_init(&b, 1 << 20);
	for (i = 0; i < 100000; i++)
		ck_assert_int_eq(buf_addch(&b, (char)('a' + i % 26)), 0);
	ck_assert_uint_eq(b.len, 100000);
	ck_assert_int_eq(b.ptr[99999], 'a' + 99999 % 26);
	ck_assert_int_eq(b.ptr[100000], '\0');
	buf_release(&b);
}
END_TEST

START_TEST(buf_detach_hands_over)
{
	struct buf b;
	size_t len;
	char *s;

	buf_init(&b, 64);
	s = buf_detach(&b, &len);
	ck_assert_str_eq(s, "");
	ck_assert_uint_eq(len, 0);
	free(s);
	buf_addstr(&b, "runc");
	s = buf_detach(&b, &len);
	ck_assert_str_eq(s, "runc");
	ck_assert_uint_eq(len, 4);
	ck_assert_str_eq(b.ptr, "");
	free(s);
}
END_TEST

START_TEST(xalloc_helpers)
{
	int *arr = NULL;
	size_t alloc = 0;
	char *s;

	XGROW(arr, alloc, 100);
	ck_assert_uint_ge(alloc, 100);
	arr[99] = 7;
	XGROW(arr, alloc, 10);
	ck_assert_int_eq(arr[99], 7);
	free(arr);
	s = xstrndup("containerd", 6);
	ck_assert_str_eq(s, "contai");
	free(s);
	s = xstrndup("ab", 10);
	ck_assert_str_eq(s, "ab");
	free(s);
}
END_TEST

static Suite *err_suite(void)
{
	Suite *s = suite_create("err");
	TCase *tc = tcase_create("err");

	tcase_add_test(tc, err_set_formats_one_line);
	tcase_add_test(tc, err_set_truncates_long_messages);
	tcase_add_test(tc, err_prefix_keeps_code);
	tcase_add_loop_test(tc, err_exit_codes, 0,
			    sizeof(exit_codes) / sizeof(exit_codes[0]));
	tcase_add_test(tc, err_null_is_allowed);
	suite_add_tcase(s, tc);
	tc = tcase_create("buf");
	tcase_add_test(tc, buf_empty_is_string);
	tcase_add_test(tc, buf_appends_and_formats);
	tcase_add_test(tc, buf_refuses_past_max_and_keeps_content);
	tcase_add_test(tc, buf_grows_across_many_appends);
	tcase_add_test(tc, buf_detach_hands_over);
	tcase_add_test(tc, xalloc_helpers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return testlib_run(err_suite());
}

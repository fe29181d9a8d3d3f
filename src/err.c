/* err.c - the error record: formatting and code tables. */
#include "err.h"

#include <stdio.h>
#include <string.h>

#include "banned.h"

void err_clear(struct err *err)
{
	if (!err)
		return;
	err->code = ERR_OK;
	err->msg[0] = '\0';
}

static void one_line(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

int err_setv(struct err *err, int code, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	one_line(err->msg);
	return code;
}

int err_set(struct err *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_setv(err, code, fmt, ap);
	va_end(ap);
	return code;
}

int err_prefix(struct err *err, const char *fmt, ...)
{
	char old[ERR_MSG_MAX];
	size_t used, rest;
	va_list ap;
	int n;

	if (!err)
		return ERR_FAIL;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	used = n < 0 ? 0 : (size_t)n;
	if (used > sizeof(err->msg) - 1)
		used = sizeof(err->msg) - 1;
	/* Append ": " and the old message, as much as fits. */
	rest = strlen(old);
	if (used + 2 + rest > sizeof(err->msg) - 1)
		rest = used + 2 < sizeof(err->msg) - 1 ? sizeof(err->msg) - 1 - used - 2 : 0;
	if (used + 2 <= sizeof(err->msg) - 1) {
		memcpy(err->msg + used, ": ", 2);
		memcpy(err->msg + used + 2, old, rest);
		err->msg[used + 2 + rest] = '\0';
	}
	one_line(err->msg);
	return err->code;
}

int err_exit_code(int code)
{
	switch (code) {
#define ERR_EXIT(name, value, exit, desc) \
	case name:                        \
		return exit;
		ERR_CODES(ERR_EXIT)
#undef ERR_EXIT
	}
	return 1;
}

const char *err_code_str(int code)
{
	switch (code) {
#define ERR_DESC(name, value, exit, desc) \
	case name:                        \
		return desc;
		ERR_CODES(ERR_DESC)
#undef ERR_DESC
	}
	return "unknown error";
}

/* err.h - error codes and the caller-owned error record of every fallible
 * function in Slipway.
 *
 * Convention (libgit2): a fallible function returns int, 0 on success and a
 * negative ERR_* code on failure, and fills a caller-owned struct err with a
 * one-line message. Core code never prints; the caller decides. */
#ifndef SLIPWAY_ERR_H
#define SLIPWAY_ERR_H

#include <stdarg.h>
#include <stddef.h>

/* X(name, value, exit code, description) */
#define ERR_CODES(X)                                                   \
	X(ERR_OK, 0, 0, "success")                                         \
	X(ERR_FAIL, -1, 1, "failure")                                      \
	X(ERR_USAGE, -2, 2, "usage error")                                 \
	X(ERR_IO, -3, 1, "input/output error")                             \
	X(ERR_PARSE, -4, 1, "malformed input")                             \
	X(ERR_LIMIT, -5, 1, "input exceeds a limit")                       \
	X(ERR_STORE, -6, 1, "database error")                              \
	X(ERR_NEWER_DB, -7, 1, "database is newer than this program")      \
	X(ERR_CONFIG, -8, 1, "configuration error")                        \
	X(ERR_NOTFOUND, -9, 1, "not found")                                \
	X(ERR_NET, -10, 1, "network error")                                \
	X(ERR_LOCKED, -11, 1, "resource is locked")                        \
	X(ERR_STALE, -12, 4, "data older than allowed")                    \
	X(ERR_ACTION, -13, 3, "action required")

enum err_code {
#define ERR_ENUM(name, value, exit, desc) name = value,
	ERR_CODES(ERR_ENUM)
#undef ERR_ENUM
};

#define ERR_MSG_MAX 512

struct err {
	int code;                /* an ERR_* value, ERR_OK when unset */
	char msg[ERR_MSG_MAX];   /* one line, lowercase, no final full stop */
};

/* Clears an error record (code ERR_OK, empty message). */
void err_clear(struct err *err);

/* Records code and a printf-style message; returns code so callers can
 * `return err_set(err, ERR_PARSE, "...")`. err may be NULL. Newlines and
 * control characters in the formatted message are replaced by spaces so a
 * message is always one line, even when it quotes hostile input. */
int err_set(struct err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int err_setv(struct err *err, int code, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Prefixes the current message with "PREFIX: ", keeping the code; used to
 * add the input's name as an error travels outwards. Returns err->code. */
int err_prefix(struct err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The process exit code for an error code (0..4), see DESIGN.md §9. */
int err_exit_code(int code);

/* A short description of an error code ("malformed input"). */
const char *err_code_str(int code);

#endif

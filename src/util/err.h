/*
 * struct fx_err: how a function that can fail tells its caller what went wrong.
 *
 * A failing function returns -1 and fills the struct fx_err passed last; the
 * caller may add context in front (fx_err_prefix) on the way up.  Only main.c
 * and cmd_*.c print an error and turn its code into an exit status.
 * The struct owns no heap memory: it can be copied and needs no release.
 */
#ifndef FX_UTIL_ERR_H
#define FX_UTIL_ERR_H

#include <stdarg.h>

/* Exit statuses of SPEC §2; an fx_err's code is one of these. */
enum fx_exit {
	FX_EXIT_OK = 0,
	FX_EXIT_FAILURE = 1,   /* runtime failure: network, check, HTTP, FAILED */
	FX_EXIT_CHANGES = 2,   /* plan --detailed-exitcode: changes present */
	FX_EXIT_REFUSED = 3,   /* refused by a safety guard */
	FX_EXIT_STALE = 4,     /* stale plan file */
	FX_EXIT_PARTIAL = 5,   /* partial apply */
	FX_EXIT_USAGE = 64,    /* usage error */
	FX_EXIT_MANIFEST = 65, /* manifest error */
	FX_EXIT_INTERRUPTED = 130
};

#define FX_ERR_MSG_MAX 2048

struct fx_err {
	int code;
	char msg[FX_ERR_MSG_MAX];
};

#define FX_ERR_INIT { .code = 0, .msg = "" }

void fx_err_init(struct fx_err *err);
/* Sets code and message; always returns -1 so callers can `return fx_err_set(...)`. */
int fx_err_set(struct fx_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Puts "context: " in front of the message already there; returns -1. */
int fx_err_prefix(struct fx_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif

/*
 * Checks (SPEC §4): findings about a database or a Connect cluster, each with
 * an id, a level, the pool it concerns, observed and expected values, a
 * message and a hint.  struct fx_checks owns its items' strings.  Pure.
 */
#ifndef FX_CHECK_H
#define FX_CHECK_H

#include <stddef.h>

enum fx_check_level { FX_CHECK_INFO = 0, FX_CHECK_WARNING, FX_CHECK_ERROR };

struct fx_check {
	char *id;       /* "mysql.binlog_format" */
	enum fx_check_level level;
	char *scope;    /* "mysql:default", "connect:kafka" */
	char *observed; /* may be NULL */
	char *expected; /* may be NULL */
	char *message;
	char *hint;     /* may be NULL */
};

struct fx_checks {
	struct fx_check *items;
	size_t n;
	size_t alloc;
};

#define FX_CHECKS_INIT { .items = NULL, .n = 0, .alloc = 0 }

/* Adds a check (copies every string; NULL allowed for observed/expected/hint).
 * Returns 0, -1 on OOM. */
int fx_checks_add(struct fx_checks *c, enum fx_check_level level, const char *id,
		  const char *scope, const char *observed, const char *expected, const char *hint,
		  const char *fmt, ...) __attribute__((format(printf, 8, 9)));
/* Moves every item of src to the end of dst; src is left empty. -1 on OOM. */
int fx_checks_move(struct fx_checks *dst, struct fx_checks *src);
/* Stable sort: by scope, then errors before warnings before infos, then id. */
void fx_checks_sort(struct fx_checks *c);
size_t fx_checks_count(const struct fx_checks *c, enum fx_check_level level);
void fx_checks_release(struct fx_checks *c);
const char *fx_check_level_name(enum fx_check_level l);

#endif

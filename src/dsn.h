/*
 * Go MySQL driver DSN parsing (github.com/go-sql-driver/mysql form, as
 * FluxaORM's RegisterMySQL takes it):
 *   [user[:password]@][net[(addr)]]/dbname[?param=value&...]
 * The database separator is the last '/', the user part ends at the last '@'
 * before it, so passwords may hold '@' and ':'.  net is tcp or unix.
 */
#ifndef FX_DSN_H
#define FX_DSN_H

#include "util/err.h"

struct fx_dsn {
	char *user;
	char *password;
	char *net;      /* "tcp" or "unix" */
	char *host;     /* tcp: host (no brackets for IPv6) */
	unsigned port;  /* tcp: port, default 3306 */
	char *socket;   /* unix: socket path */
	char *database; /* may be empty */
	char *params;   /* raw query string, may be NULL */
};

#define FX_DSN_INIT { .user = NULL, .password = NULL, .net = NULL, .host = NULL, .port = 0, \
		      .socket = NULL, .database = NULL, .params = NULL }

/* Fills dsn (owning its strings); on failure dsn is left empty.  Errors never
 * quote the password. */
int fx_dsn_parse(const char *s, struct fx_dsn *dsn, struct fx_err *err);
void fx_dsn_release(struct fx_dsn *dsn);

#endif

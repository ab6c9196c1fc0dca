#include <criterion/criterion.h>
#include <string.h>

#include "dsn.h"

struct dsn_case {
	const char *in;
	const char *user, *password, *host;
	unsigned port;
	const char *socket, *database, *params;
};

static const struct dsn_case good[] = {
	{ "app:secret@tcp(localhost:3306)/test", "app", "secret", "localhost", 3306, NULL, "test", NULL },
	{ "app:p@ss:w@rd@tcp(db:3307)/shop?parseTime=true&loc=UTC", "app", "p@ss:w@rd", "db", 3307, NULL, "shop", "parseTime=true&loc=UTC" },
	{ "root@tcp(127.0.0.1)/x", "root", NULL, "127.0.0.1", 3306, NULL, "x", NULL },
	{ "u:pw@/db", "u", "pw", "127.0.0.1", 3306, NULL, "db", NULL },
	{ "/db", NULL, NULL, "127.0.0.1", 3306, NULL, "db", NULL },
	{ "u:pw@unix(/var/run/mysqld/mysqld.sock)/app", "u", "pw", NULL, 0, "/var/run/mysqld/mysqld.sock", "app", NULL },
	{ "u:pw@tcp([::1]:3310)/v6", "u", "pw", "::1", 3310, NULL, "v6", NULL },
	{ "u:pa/ss@tcp(h:1)/d", "u", "pa/ss", "h", 1, NULL, "d", NULL },
	{ "u:@tcp(h:1)/", "u", "", "h", 1, NULL, "", NULL },
	/* Go driver defaults: no port 3306, no address 127.0.0.1:3306, unix alone /tmp/mysql.sock */
	{ "tcp(db.internal)/d", NULL, NULL, "db.internal", 3306, NULL, "d", NULL },
	{ "u@tcp(h:65535)/d", "u", NULL, "h", 65535, NULL, "d", NULL },
	{ "u:pw@tcp([fe80::1])/d", "u", "pw", "fe80::1", 3306, NULL, "d", NULL },
	{ "u:pw@unix/d", "u", "pw", NULL, 0, "/tmp/mysql.sock", "d", NULL },
	{ "u:pw@tcp/d", "u", "pw", "127.0.0.1", 3306, NULL, "d", NULL },
	{ "u:pw@tcp(h:3307)/d?", "u", "pw", "h", 3307, NULL, "d", "" },
	{ "u:pw@unix(/run/my sql/x.sock)/d?tls=true", "u", "pw", NULL, 0, "/run/my sql/x.sock", "d", "tls=true" },
	{ "a@b:c@tcp(h:2)/d", "a@b", "c", "h", 2, NULL, "d", NULL },
};

static void same(const char *what, const char *want, const char *got)
{
	if (!want)
		cr_expect_null(got, "%s: expected NULL, got '%s'", what, got ? got : "");
	else
		cr_expect(got && !strcmp(want, got), "%s: expected '%s', got '%s'", what, want,
			  got ? got : "(null)");
}

Test(dsn, good_forms)
{
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct fx_dsn d = FX_DSN_INIT;
		struct fx_err err = FX_ERR_INIT;
		const struct dsn_case *c = &good[i];

		cr_assert_eq(fx_dsn_parse(c->in, &d, &err), 0, "%s: %s", c->in, err.msg);
		same("user", c->user, d.user);
		same("password", c->password, d.password);
		same("host", c->host, d.host);
		same("socket", c->socket, d.socket);
		same("database", c->database, d.database);
		same("params", c->params, d.params);
		if (c->host)
			cr_expect_eq(d.port, c->port, "%s: port %u", c->in, d.port);
		fx_dsn_release(&d);
	}
}

static const struct {
	const char *in, *msg;
} bad[] = {
	{ "no-slash", "missing '/'" },
	{ "u:p@tcp(h:99999)/d", "invalid port" },
	{ "u:p@tcp(h:x)/d", "invalid port" },
	{ "u:p@tcp(h/d", "missing ')'" },
	{ "u:p@udp(h:1)/d", "unsupported network 'udp'" },
	{ "u:p@tcp([::1/d", "missing ')'" },
	{ "u:p@tcp(:1)/d", "empty host" },
	{ "u:p@unix()/d", "empty unix socket path" },
	{ "u:p@tcp(h:0)/d", "invalid port" },
	{ "u:p@tcp(h:65536)/d", "invalid port" },
	{ "u:p@tcp(h:)/d", "invalid port" },
	{ "u:p@tcp([::1]x)/d", "unexpected text after ']'" },
	{ "u:p@tcp(h:1)x/d", "expected '/' after ')'" },
	{ "u:p@udp/d", "unsupported network 'udp'" },
	{ "u:p@tcp(h:1)", "missing '/'" },
};

Test(dsn, bad_forms_never_show_password)
{
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fx_dsn d = FX_DSN_INIT;
		struct fx_err err = FX_ERR_INIT;

		cr_assert_eq(fx_dsn_parse(bad[i].in, &d, &err), -1, "%s parsed", bad[i].in);
		cr_expect(strstr(err.msg, bad[i].msg), "%s: '%s' lacks '%s'", bad[i].in, err.msg,
			  bad[i].msg);
		cr_expect_null(strstr(err.msg, ":p@"), "password in '%s'", err.msg);
		cr_expect_eq(err.code, 65);
		fx_dsn_release(&d);
	}
}

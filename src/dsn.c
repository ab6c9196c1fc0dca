#include "dsn.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/str.h"

void fx_dsn_release(struct fx_dsn *d)
{
	free(d->user);
	free(d->password);
	free(d->net);
	free(d->host);
	free(d->socket);
	free(d->database);
	free(d->params);
	memset(d, 0, sizeof(*d));
}

static int dsn_addr(struct fx_dsn *d, const char *addr, size_t n, struct fx_err *err)
{
	const char *colon;
	uint64_t port = 3306;
	char *tmp;

	if (n == 0) {
		d->host = fx_strdup("127.0.0.1");
		d->port = 3306;
		return d->host ? 0 : fx_err_set(err, 1, "out of memory");
	}
	if (addr[0] == '[') {
		const char *rb = memchr(addr, ']', n);

		if (!rb)
			return fx_err_set(err, 65, "dsn: unterminated '[' in address");
		d->host = fx_strndup(addr + 1, (size_t)(rb - addr - 1));
		colon = rb + 1 < addr + n && rb[1] == ':' ? rb + 1 : NULL;
		if (rb + 1 < addr + n && !colon)
			return fx_err_set(err, 65, "dsn: unexpected text after ']' in address");
	} else {
		colon = memchr(addr, ':', n);
		d->host = fx_strndup(addr, colon ? (size_t)(colon - addr) : n);
	}
	if (!d->host)
		return fx_err_set(err, 1, "out of memory");
	if (!*d->host)
		return fx_err_set(err, 65, "dsn: empty host in address");
	if (colon) {
		tmp = fx_strndup(colon + 1, (size_t)(addr + n - colon - 1));
		if (!tmp)
			return fx_err_set(err, 1, "out of memory");
		if (fx_str_to_u64(tmp, 1, 65535, &port) < 0) {
			fx_err_set(err, 65, "dsn: invalid port '%s'", tmp);
			free(tmp);
			return -1;
		}
		free(tmp);
	}
	d->port = (unsigned)port;
	return 0;
}

static int dsn_parse(const char *s, struct fx_dsn *d, struct fx_err *err)
{
	const char *slash, *at = NULL, *p, *q, *net_end;
	size_t i;

	memset(d, 0, sizeof(*d));
	slash = strrchr(s, '/');
	/* A unix socket path holds slashes inside the parentheses: the
	 * database separator is the last '/' after the closing ')'. */
	if (!slash)
		return fx_err_set(err, 65, "dsn: missing '/' before the database name");
	for (i = (size_t)(slash - s); i > 0; i--) {
		if (s[i - 1] == '@') {
			at = s + i - 1;
			break;
		}
	}
	if (at) {
		const char *colon = memchr(s, ':', (size_t)(at - s));

		d->user = fx_strndup(s, colon ? (size_t)(colon - s) : (size_t)(at - s));
		if (colon)
			d->password = fx_strndup(colon + 1, (size_t)(at - colon - 1));
		if (!d->user || (colon && !d->password))
			goto oom;
		p = at + 1;
	} else {
		p = s;
	}
	/* net[(addr)] up to the slash */
	net_end = p;
	while (net_end < slash && *net_end != '(')
		net_end++;
	d->net = fx_strndup(p, (size_t)(net_end - p));
	if (!d->net)
		goto oom;
	if (!*d->net) {
		free(d->net);
		d->net = fx_strdup("tcp");
		if (!d->net)
			goto oom;
	}
	if (net_end < slash) {
		/* The address may hold '/' (unix sockets): find ')' then the '/' after it. */
		q = strchr(net_end, ')');
		if (!q)
			return fx_err_set(err, 65, "dsn: missing ')' after the address");
		slash = strchr(q, '/');
		if (!slash || slash != q + 1)
			return fx_err_set(err, 65, "dsn: expected '/' after ')'");
		if (strcmp(d->net, "tcp") == 0) {
			if (dsn_addr(d, net_end + 1, (size_t)(q - net_end - 1), err) < 0)
				return -1;
		} else if (strcmp(d->net, "unix") == 0) {
			d->socket = fx_strndup(net_end + 1, (size_t)(q - net_end - 1));
			if (!d->socket)
				goto oom;
			if (!*d->socket)
				return fx_err_set(err, 65, "dsn: empty unix socket path");
		} else {
			return fx_err_set(err, 65, "dsn: unsupported network '%s' (tcp or unix)",
					  d->net);
		}
	} else if (strcmp(d->net, "tcp") == 0) {
		if (dsn_addr(d, "", 0, err) < 0)
			return -1;
	} else if (strcmp(d->net, "unix") == 0) {
		d->socket = fx_strdup("/tmp/mysql.sock");
		if (!d->socket)
			goto oom;
	} else {
		return fx_err_set(err, 65, "dsn: unsupported network '%s' (tcp or unix)", d->net);
	}
	q = strchr(slash + 1, '?');
	d->database = fx_strndup(slash + 1, q ? (size_t)(q - slash - 1) : strlen(slash + 1));
	if (!d->database)
		goto oom;
	if (q) {
		d->params = fx_strdup(q + 1);
		if (!d->params)
			goto oom;
	}
	return 0;
oom:
	return fx_err_set(err, 1, "out of memory");
}

int fx_dsn_parse(const char *s, struct fx_dsn *d, struct fx_err *err)
{
	if (dsn_parse(s, d, err) < 0) {
		fx_dsn_release(d);
		return -1;
	}
	return 0;
}

/*
 * libFuzzer target: the SHOW GRANTS parser (mysql_facts.c).  The input is
 * split into lines, as SHOW GRANTS returns them: each line is parsed, the
 * lines together are asked what they give on a database and two tables,
 * and the first line is also tried as a LIKE pattern against the second.
 * The server's grant lines are untrusted bytes: nothing may crash, leak or
 * read out of bounds, and a parsed name always fits its buffer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mysql_facts.h"

#define FUZZ_MAX_LINES 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const tables[] = { "UserEntity", "Order_1" };
	const char *lines[FUZZ_MAX_LINES];
	char *s = malloc(size + 1), *p;
	size_t n = 0, i;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (p = s; n < FUZZ_MAX_LINES;) {
		char *nl = strchr(p, '\n');

		lines[n++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	for (i = 0; i < n; i++) {
		struct fx_mysql_grant g;

		memset(&g, 0, sizeof(g));
		if (fx_mysql_grant_parse(lines[i], &g) == 0 &&
		    (strnlen(g.db, sizeof(g.db)) == sizeof(g.db) ||
		     strnlen(g.table, sizeof(g.table)) == sizeof(g.table) ||
		     (g.privs & ~(unsigned)FX_PRIV_REQUIRED)))
			abort(); /* a name that does not fit, or a privilege bit that does not exist */
	}
	(void)fx_mysql_grants_privs(lines, n, "fluxa", tables, 2);
	(void)fx_mysql_grants_privs(lines, n, NULL, NULL, 0);
	if (n >= 2)
		(void)fx_mysql_like(lines[0], lines[1]);
	free(s);
	return 0;
}

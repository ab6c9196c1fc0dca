#include "desired.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/str.h"

char *fx_desired_regex_escape(const char *s)
{
	struct fx_buf b = FX_BUF_INIT;

	fx_buf_adds(&b, "");
	for (; *s; s++) {
		if (strchr("\\.^$|?*+()[]{}", *s))
			fx_buf_addc(&b, '\\');
		fx_buf_addc(&b, *s);
	}
	return fx_buf_detach(&b);
}

const char *fx_desired_class(enum fx_flavor f)
{
	return f == FX_FLAVOR_MARIADB ? FX_CLASS_MARIADB : FX_CLASS_MYSQL;
}

struct fx_pos fx_desired_key_pos(const struct fx_connector *c, const char *key)
{
	struct fx_pos none = { 0, 0 };
	size_t i;

	for (i = c->mysql->n_connector; i > 0; i--)
		if (!strcmp(c->mysql->connector[i - 1].key, key))
			return c->mysql->connector[i - 1].pos;
	for (i = c->n_defaults; i > 0; i--)
		if (!strcmp(c->defaults[i - 1].key, key))
			return c->defaults[i - 1].pos;
	return none;
}

static void connector_release(struct fx_connector *c)
{
	size_t i;

	free(c->name);
	for (i = 0; i < c->n_tables; i++)
		free(c->tables[i]);
	free(c->tables);
	fx_config_release(&c->config);
}

void fx_desired_release(struct fx_desired *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		connector_release(&d->connectors[i]);
	free(d->connectors);
	d->connectors = NULL;
	d->n = 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_connector(const void *a, const void *b)
{
	const struct fx_connector *x = a, *y = b;
	int c = strcmp(x->kafka->connect_url ? x->kafka->connect_url : "",
		       y->kafka->connect_url ? y->kafka->connect_url : "");

	return c ? c : strcmp(x->name, y->name);
}

/*
 * snapshot_new_tables: what apply and `snapshot` need to request incremental
 * snapshots over Kafka and follow them (SPEC §3).  read.only: watermarks from
 * GTIDs, no signal table and no write grant; MariaDB always has GTIDs, MySQL
 * needs gtid_mode ON (the plan's mysql.snapshot_mode check says so).
 */
static int desired_signal_keys(struct fx_connector *c, const char *bootstrap)
{
	struct fx_config *cfg = &c->config;
	char *sig = fx_desired_signal_topic(c->name), *note = fx_desired_notification_topic(c->name);
	int bad = !sig || !note;

	bad |= fx_config_set(cfg, "signal.enabled.channels", "source,kafka");
	bad |= sig && fx_config_set(cfg, "signal.kafka.topic", sig);
	bad |= fx_config_set(cfg, "signal.kafka.bootstrap.servers", bootstrap);
	bad |= fx_config_set(cfg, "notification.enabled.channels", "sink");
	bad |= note && fx_config_set(cfg, "notification.sink.topic.name", note);
	bad |= fx_config_set(cfg, "read.only", "true");
	free(sig);
	free(note);
	return bad;
}

char *fx_desired_signal_topic(const char *connector)
{
	return fx_asprintf("%s_signal", connector);
}

char *fx_desired_notification_topic(const char *connector)
{
	return fx_asprintf("%s_notifications", connector);
}

/* Fills c's config from its pools and tables (SPEC §3 table, then overrides). */
static int desired_config(struct fx_connector *c, struct fx_err *err)
{
	const struct fx_mysql_pool *mp = c->mysql;
	const struct fx_kafka_pool *kp = c->kafka;
	struct fx_buf tables = FX_BUF_INIT, brokers = FX_BUF_INIT;
	char port[16], sid[16], *s;
	size_t i;
	int bad = 0;
	struct fx_config *cfg = &c->config;

	for (i = 0; i < c->n_tables; i++) {
		char *db = fx_desired_regex_escape(mp->database);
		char *tb = fx_desired_regex_escape(c->tables[i]);

		if (!db || !tb)
			bad = 1;
		else
			fx_buf_addf(&tables, "%s%s\\.%s", i ? "," : "", db, tb);
		free(db);
		free(tb);
	}
	for (i = 0; i < kp->n_brokers; i++)
		fx_buf_addf(&brokers, "%s%s", i ? "," : "", kp->brokers[i]);
	snprintf(port, sizeof(port), "%u", mp->connect_port ? mp->connect_port : mp->port);
	snprintf(sid, sizeof(sid), "%u",
		 fx_manifest_server_id(mp, kp->code, NULL));

	bad |= fx_config_set(cfg, "connector.class", fx_desired_class(c->flavor));
	bad |= fx_config_set(cfg, "database.hostname", mp->connect_host ? mp->connect_host :
				     mp->host ? mp->host : "");
	bad |= fx_config_set(cfg, "database.port", port);
	bad |= fx_config_set(cfg, "database.user", mp->user ? mp->user : "");
	bad |= fx_config_set(cfg, "database.password", mp->password ? mp->password : "");
	bad |= fx_config_set(cfg, "database.server.id", sid);
	bad |= fx_config_set(cfg, "topic.prefix", c->name);
	bad |= fx_config_set(cfg, "database.include.list", mp->database);
	bad |= fx_config_set(cfg, "table.include.list", fx_buf_str(&tables));
	bad |= fx_config_set(cfg, "schema.history.internal.kafka.bootstrap.servers",
			     kp->connect_bootstrap_servers ? kp->connect_bootstrap_servers :
							     fx_buf_str(&brokers));
	s = fx_asprintf("fluxa_%s_schema_history", mp->code);
	bad |= !s || fx_config_set(cfg, "schema.history.internal.kafka.topic", s);
	free(s);
	bad |= fx_config_set(cfg, "include.schema.changes", "false");
	bad |= fx_config_set(cfg, "key.converter", "org.apache.kafka.connect.json.JsonConverter");
	bad |= fx_config_set(cfg, "value.converter", "org.apache.kafka.connect.json.JsonConverter");
	bad |= fx_config_set(cfg, "key.converter.schemas.enable", "false");
	bad |= fx_config_set(cfg, "value.converter.schemas.enable", "false");
	if (mp->snapshot_new_tables)
		bad |= desired_signal_keys(c, kp->connect_bootstrap_servers ?
					      kp->connect_bootstrap_servers : fx_buf_str(&brokers));
	for (i = 0; i < c->n_defaults; i++)
		bad |= fx_config_set(cfg, c->defaults[i].key, c->defaults[i].value);
	for (i = 0; i < mp->n_connector; i++)
		bad |= fx_config_set(cfg, mp->connector[i].key, mp->connector[i].value);
	bad |= !fx_buf_ok(&tables) || !fx_buf_ok(&brokers);
	fx_buf_release(&tables);
	fx_buf_release(&brokers);
	return bad ? fx_err_set(err, 1, "out of memory building connector '%s'", c->name) : 0;
}

int fx_desired_build(const struct fx_manifest *m, const enum fx_flavor *flavors,
		     struct fx_desired *out, struct fx_err *err)
{
	size_t i, nk = m->n_kafka ? m->n_kafka : 1, nm = m->n_mysql ? m->n_mysql : 1;
	/* slot[k * nm + p]: 1 + index of the connector of (kafka pool k, mysql pool p) */
	size_t *slot = fx_calloc(nk * nm, sizeof(*slot));
	size_t *alloc_tables = fx_calloc(m->n_entities ? m->n_entities : 1, sizeof(*alloc_tables));

	out->connectors = fx_calloc(m->n_entities ? m->n_entities : 1, sizeof(*out->connectors));
	out->n = 0;
	if (!out->connectors || !slot || !alloc_tables)
		goto oom;
	for (i = 0; i < m->n_entities; i++) {
		const struct fx_entity *e = &m->entities[i];
		const struct fx_kafka_pool *kp;
		const struct fx_mysql_pool *mp;
		struct fx_connector *c;
		size_t *s, ci;

		if (!e->kafka_pool)
			continue;
		kp = fx_manifest_kafka(m, e->kafka_pool);
		mp = fx_manifest_mysql(m, e->mysql_pool);
		if (!kp || !mp) {
			free(slot);
			free(alloc_tables);
			fx_desired_release(out);
			return fx_err_set(err, 65, "entity '%s': its mysql or kafka pool is not defined; run 'fluxacdc validate'", e->name);
		}
		s = &slot[(size_t)(kp - m->kafka) * nm + (size_t)(mp - m->mysql)];
		if (!*s) {
			c = &out->connectors[out->n++];
			*s = out->n;
			c->kafka = kp;
			c->mysql = mp;
			c->defaults = m->default_connector;
			c->n_defaults = m->n_default_connector;
			c->name = fx_asprintf("fluxa_%s", mp->code);
			c->flavor = mp->flavor;
			if (c->flavor == FX_FLAVOR_AUTO && flavors)
				c->flavor = flavors[mp - m->mysql];
			if (c->flavor == FX_FLAVOR_AUTO)
				c->flavor = FX_FLAVOR_MYSQL;
			if (!c->name)
				goto oom;
		}
		ci = *s - 1;
		c = &out->connectors[ci];
		if (fx_grow(&c->tables, &alloc_tables[ci], c->n_tables + 1, sizeof(*c->tables)) < 0)
			goto oom;
		c->tables[c->n_tables] = fx_strdup(e->table);
		if (!c->tables[c->n_tables])
			goto oom;
		c->n_tables++;
	}
	free(slot);
	free(alloc_tables);
	slot = alloc_tables = NULL;
	for (i = 0; i < out->n; i++) {
		struct fx_connector *c = &out->connectors[i];
		size_t j;

		qsort(c->tables, c->n_tables, sizeof(*c->tables), cmp_str);
		/* one MySQL pool on two Kafka pools would give two connectors of one name */
		for (j = 0; j < i; j++)
			if (!strcmp(out->connectors[j].name, c->name) &&
			    !strcmp(out->connectors[j].kafka->connect_url ? out->connectors[j].kafka->connect_url : "",
				    c->kafka->connect_url ? c->kafka->connect_url : "")) {
				fx_err_set(err, 65,
					   "mysql pool '%s' is captured on kafka pools '%s' and '%s' that share Connect cluster '%s': connector '%s' would be defined twice; capture the pool's entities on one of them",
					   c->mysql->code, out->connectors[j].kafka->code, c->kafka->code,
					   c->kafka->connect_url ? c->kafka->connect_url : "", c->name);
				fx_desired_release(out);
				return -1;
			}
		if (desired_config(c, err) < 0) {
			fx_desired_release(out);
			return -1;
		}
	}
	qsort(out->connectors, out->n, sizeof(*out->connectors), cmp_connector);
	return 0;
oom:
	free(slot);
	free(alloc_tables);
	fx_desired_release(out);
	return fx_err_set(err, 1, "out of memory");
}

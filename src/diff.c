#include "diff.h"
#include "snapshot.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "normalize.h"
#include "secret.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/str.h"

/* Keys whose change makes the stored offsets not fit: Debezium starts over. */
static const char *const resnapshot_keys[] = {
	"topic.prefix", "connector.class", "database.include.list",
};

#define HISTORY_TOPIC_KEY "schema.history.internal.kafka.topic"

int fx_diff_is_managed(const char *name)
{
	return fx_str_has_prefix(name, "fluxa_");
}

static void fp_add(EVP_MD_CTX *md, const char *s)
{
	EVP_DigestUpdate(md, s, strlen(s) + 1); /* with the NUL: unambiguous */
}

static void fp_final(EVP_MD_CTX *md, char out[72])
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	static const char hex[] = "0123456789abcdef";

	EVP_DigestFinal_ex(md, h, &n);
	memcpy(out, "sha256:", 7);
	for (i = 0; i < n && i < 32; i++) {
		out[7 + 2 * i] = hex[h[i] >> 4];
		out[8 + 2 * i] = hex[h[i] & 15];
	}
	out[7 + 2 * i] = '\0';
}

/*
 * A config as its meaning (normalize.h): what Connect adds, keys at their
 * documented default, list order and masking do not move a fingerprint.
 * -1 when out of memory: the caller fails, never hashes a guess.
 */
static int fp_config(EVP_MD_CTX *md, const struct fx_config *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		int skip = 0;
		char *canon = fx_normalize_canon(c->items[i].key, c->items[i].value, &skip);

		if (skip)
			continue;
		if (!canon)
			return -1;
		fp_add(md, c->items[i].key);
		fp_add(md, canon);
		free(canon);
	}
	return 0;
}

int fx_diff_config_fp(const char *salt, const struct fx_config *c, char out[72])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ret;

	if (!md)
		return -1;
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	fp_add(md, salt);
	ret = fp_config(md, c);
	fp_final(md, out);
	EVP_MD_CTX_free(md);
	return ret;
}

static const struct fx_observed_cluster *diff_cluster(const struct fx_observed_cluster *cl,
						      size_t n, const char *url)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cl[i].connect_url && url && !strcmp(cl[i].connect_url, url))
			return &cl[i];
	return NULL;
}

static int diff_add_item(struct fx_change *ch, size_t *alloc, const char *key, enum fx_diff_op op,
			 const char *before, const char *after)
{
	struct fx_diff_item *it;
	int sensitive = fx_secret_key_is_sensitive(key);

	if (fx_grow(&ch->diff, alloc, ch->n_diff + 1, sizeof(*ch->diff)) < 0)
		return -1;
	it = &ch->diff[ch->n_diff];
	memset(it, 0, sizeof(*it));
	it->op = op;
	it->key = fx_strdup(key);
	/* A sensitive value is shown only when it is a config-provider reference. */
	it->sensitive = sensitive && !((!before || fx_secret_display(key, before) == before) &&
				       (!after || fx_secret_display(key, after) == after));
	if (!it->sensitive) {
		it->before = before ? fx_strdup(before) : NULL;
		it->after = after ? fx_strdup(after) : NULL;
	}
	/* not counted in n_diff yet: a failure frees all three here */
	if (!it->key || (!it->sensitive && ((before && !it->before) || (after && !it->after)))) {
		free(it->key);
		free(it->before);
		free(it->after);
		memset(it, 0, sizeof(*it));
		return -1;
	}
	ch->n_diff++;
	return 0;
}

static int diff_add_note(struct fx_change *ch, char *note)
{
	char **grown;

	if (!note)
		return -1;
	grown = fx_realloc(ch->notes, (ch->n_notes + 1) * sizeof(*ch->notes));
	if (!grown) {
		free(note);
		return -1;
	}
	ch->notes = grown;
	ch->notes[ch->n_notes++] = note;
	return 0;
}

/* What happens to the existing rows of tables an update adds (SPEC §4). */
static char *diff_snapshot_note(const struct fx_connector *c, const char *added)
{
	const struct fx_config *cfg = &c->config;
	enum fx_snap_mode mode = fx_snapshot_mode(c->flavor == FX_FLAVOR_MARIADB, NULL,
						  fx_config_get(cfg, "read.only"),
						  fx_config_get(cfg, "signal.data.collection"));
	const char *topic = fx_config_get(cfg, "signal.kafka.topic");
	const char *channels = fx_config_get(cfg, "signal.enabled.channels");

	if (c->mysql->snapshot_new_tables && mode != FX_SNAP_MODE_NONE && topic &&
	    channels && strstr(channels, "kafka"))
		return fx_asprintf("tables added: %s; apply backfills their existing rows with an incremental snapshot (%s mode, signal topic %s) once the connector is RUNNING; --no-snapshot skips it",
				   added, fx_snapshot_mode_name(mode), topic);
	return fx_asprintf("tables added to table.include.list are not snapshotted by Debezium (only new changes are captured): %s; %s",
			   added, c->mysql->snapshot_new_tables ?
			   "the connector config has no Kafka signal channel and no read.only or signal.data.collection (see fluxacdc.yaml(5), SNAPSHOTS): fix the pool's connector: keys, or send an execute-snapshot signal yourself" :
			   "snapshot_new_tables is false: for their existing rows set it to true (apply then backfills them) or send an incremental snapshot signal (execute-snapshot) yourself");
}

static int diff_change_init(struct fx_change *ch, enum fx_action a, const char *name,
			    const char *kafka, const char *mysql, const char *url)
{
	memset(ch, 0, sizeof(*ch));
	ch->action = a;
	ch->connector = fx_strdup(name);
	ch->kafka_pool = kafka ? fx_strdup(kafka) : NULL;
	ch->mysql_pool = mysql ? fx_strdup(mysql) : NULL;
	ch->connect_url = fx_strdup(url ? url : "");
	return ch->connector && (!kafka || ch->kafka_pool) && (!mysql || ch->mysql_pool) &&
	       ch->connect_url ? 0 : -1;
}

/* An observed connector has stored offsets: read, or assumed while unread. */
static int diff_has_offsets(const struct fx_observed_connector *o)
{
	return o->offsets_read ? o->offsets.n > 0 : 1;
}

/* create / update of a desired connector against what is observed (may be NULL). */
static int diff_desired(const struct fx_connector *c, const struct fx_observed_connector *o,
			const char *salt, struct fx_change *ch, int *unchanged)
{
	size_t alloc = 0, i, j, n_changed = 0;
	struct fx_buf keys = FX_BUF_INIT;
	char fp[72];
	enum fx_risk risk = FX_RISK_RESTART;
	int history_changed = 0;

	*unchanged = 0;
	if (diff_change_init(ch, o ? FX_ACTION_UPDATE : FX_ACTION_CREATE, c->name, c->kafka->code,
			     c->mysql->code, c->kafka->connect_url) < 0)
		return -1;
	if (fx_diff_config_fp(salt, &c->config, fp) < 0 ||
	    fx_config_copy(&ch->desired, &c->config) < 0 || !(ch->desired_fp = fx_strdup(fp)) ||
	    fx_diff_key_fps(salt, &c->config, &ch->desired_keys) < 0)
		return -1;
	if (!o) {
		ch->risk = FX_RISK_SAFE;
		for (i = 0; i < c->config.n; i++)
			if (diff_add_item(ch, &alloc, c->config.items[i].key, FX_DIFF_ADD, NULL,
					  c->config.items[i].value) < 0)
				return -1;
		ch->description = fx_asprintf(
			"create connector %s on kafka pool '%s' capturing %zu table%s of mysql pool '%s'",
			c->name, c->kafka->code, c->n_tables, c->n_tables == 1 ? "" : "s",
			c->mysql->code);
		return ch->description ? 0 : -1;
	}
	/* merge walk over two sorted configs, compared by meaning (normalize.h) */
	i = j = 0;
	while (i < c->config.n || j < o->config.n) {
		const struct fx_config_item *d = i < c->config.n ? &c->config.items[i] : NULL;
		const struct fx_config_item *b = j < o->config.n ? &o->config.items[j] : NULL;
		int cmp = !d ? 1 : !b ? -1 : strcmp(d->key, b->key);
		int r = 0;
		const char *key = cmp <= 0 ? d->key : b->key;
		const char *dv = cmp <= 0 ? d->value : NULL, *ov = cmp >= 0 ? b->value : NULL;

		if (cmp <= 0)
			i++;
		if (cmp >= 0)
			j++;
		r = fx_normalize_equal(key, dv, ov);
		if (r < 0) {
			fx_buf_release(&keys);
			return -1;
		}
		if (r)
			continue;
		if (!ov)
			r = diff_add_item(ch, &alloc, key, FX_DIFF_ADD, NULL, dv);
		else if (!dv)
			r = diff_add_item(ch, &alloc, key, FX_DIFF_REMOVE, ov, NULL);
		else
			r = diff_add_item(ch, &alloc, key, FX_DIFF_CHANGE, ov, dv);
		if (r < 0) {
			fx_buf_release(&keys);
			return -1;
		}
		{
			size_t k;

			n_changed++;
			fx_buf_addf(&keys, "%s%s", n_changed > 1 ? ", " : "", key);
			for (k = 0; k < sizeof(resnapshot_keys) / sizeof(resnapshot_keys[0]); k++)
				if (!strcmp(key, resnapshot_keys[k]) && risk < FX_RISK_RESNAPSHOT)
					risk = FX_RISK_RESNAPSHOT;
			if (!strcmp(key, HISTORY_TOPIC_KEY) && diff_has_offsets(o)) {
				history_changed = 1;
				risk = FX_RISK_BREAKING;
			}
		}
	}
	ch->observed_fp = fx_diff_config_fp(salt, &o->config, fp) < 0 ? NULL : fx_strdup(fp);
	if (!ch->observed_fp || fx_diff_key_fps(salt, &o->config, &ch->observed_keys) < 0) {
		fx_buf_release(&keys);
		return -1;
	}
	if (!n_changed) {
		fx_buf_release(&keys);
		*unchanged = 1;
		return 0;
	}
	ch->risk = risk;
	{
		const char *before = fx_config_get(&o->config, "table.include.list");
		const char *after = fx_config_get(&c->config, "table.include.list");
		char *added = NULL;

		if ((after && fx_normalize_list_added(before, after, &added) < 0) ||
		    (added && diff_add_note(ch, diff_snapshot_note(c, added)) < 0)) {
			free(added);
			fx_buf_release(&keys);
			return -1;
		}
		free(added);
	}
	if (history_changed &&
	    diff_add_note(ch, fx_asprintf(
			  "the schema history topic changes from '%s' to '%s' on a connector that has offsets: Debezium would fail at start (\"db history topic is missing\"); keep the old name with connector: {%s: %s} on mysql pool '%s', or apply with --allow-resnapshot to start over",
			  fx_config_get(&o->config, HISTORY_TOPIC_KEY) ? fx_config_get(&o->config, HISTORY_TOPIC_KEY) : "",
			  fx_config_get(&c->config, HISTORY_TOPIC_KEY) ? fx_config_get(&c->config, HISTORY_TOPIC_KEY) : "",
			  HISTORY_TOPIC_KEY,
			  fx_config_get(&o->config, HISTORY_TOPIC_KEY) ? fx_config_get(&o->config, HISTORY_TOPIC_KEY) : "",
			  c->mysql->code)) < 0) {
		fx_buf_release(&keys);
		return -1;
	}
	if (risk == FX_RISK_RESNAPSHOT &&
	    diff_add_note(ch, fx_strdup("this change makes Debezium start over: new topics or schema history, and a new snapshot")) < 0) {
		fx_buf_release(&keys);
		return -1;
	}
	if (!fx_buf_ok(&keys)) { /* a truncated key list must not pass for the real one */
		fx_buf_release(&keys);
		return -1;
	}
	ch->description = fx_asprintf("update connector %s on kafka pool '%s': %zu key%s changed (%s)",
				      c->name, c->kafka->code, n_changed, n_changed == 1 ? "" : "s",
				      fx_buf_str(&keys));
	fx_buf_release(&keys);
	return ch->description ? 0 : -1;
}

static int diff_orphan(const struct fx_observed_cluster *cl, const struct fx_observed_connector *o,
		       const char *salt, struct fx_change *ch)
{
	size_t alloc = 0, i;
	char fp[72];

	if (diff_change_init(ch, FX_ACTION_DELETE, o->name, cl->kafka_pool, NULL, cl->connect_url) < 0)
		return -1;
	ch->risk = FX_RISK_DESTROY;
	for (i = 0; i < o->config.n; i++)
		if (!fx_normalize_ignored_key(o->config.items[i].key) &&
		    diff_add_item(ch, &alloc, o->config.items[i].key, FX_DIFF_REMOVE,
				  o->config.items[i].value, NULL) < 0)
			return -1;
	ch->observed_fp = fx_diff_config_fp(salt, &o->config, fp) < 0 ? NULL : fx_strdup(fp);
	if (!ch->observed_fp || fx_diff_key_fps(salt, &o->config, &ch->observed_keys) < 0)
		return -1;
	ch->description = fx_asprintf("delete connector %s on kafka pool '%s': no entity of the manifest needs it",
				      o->name, cl->kafka_pool ? cl->kafka_pool : cl->connect_url);
	return ch->description && ch->observed_fp ? 0 : -1;
}

/* The connector or one of its tasks is FAILED. */
static int diff_failed(const struct fx_observed_connector *o)
{
	size_t t;

	if (!o)
		return 0;
	if (o->state && !strcmp(o->state, "FAILED"))
		return 1;
	for (t = 0; t < o->n_tasks; t++)
		if (o->tasks[t].state && !strcmp(o->tasks[t].state, "FAILED"))
			return 1;
	return 0;
}

static int cmp_change(const void *a, const void *b)
{
	const struct fx_change *x = a, *y = b;
	/* apply order: deletes, then updates, then creates; by cluster, then name */
	static const int rank[] = { 2, 1, 0 };
	int c = rank[x->action] - rank[y->action];

	if (c)
		return c;
	c = strcmp(x->connect_url, y->connect_url);
	return c ? c : strcmp(x->connector, y->connector);
}

static int cmp_unchanged(const void *a, const void *b)
{
	const struct fx_unchanged *x = a, *y = b;
	int c = strcmp(x->connect_url, y->connect_url);

	return c ? c : strcmp(x->connector, y->connector);
}

static int diff_fingerprints(const struct fx_desired *d, const struct fx_observed_cluster *cl,
			     size_t n_cl, const char *salt, struct fx_plan *out)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	size_t i, j;
	int bad = 0;

	if (!md)
		return -1;
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	fp_add(md, salt);
	for (i = 0; i < d->n; i++) {
		fp_add(md, d->connectors[i].kafka->connect_url ? d->connectors[i].kafka->connect_url : "");
		fp_add(md, d->connectors[i].name);
		bad |= fp_config(md, &d->connectors[i].config);
	}
	fp_final(md, out->desired_fp);
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	fp_add(md, salt);
	for (i = 0; i < n_cl; i++) {
		fp_add(md, cl[i].connect_url ? cl[i].connect_url : "");
		fp_add(md, cl[i].reachable ? "reachable" : "unreachable");
		for (j = 0; j < cl[i].n_connectors; j++) {
			if (!fx_diff_is_managed(cl[i].connectors[j].name))
				continue;
			fp_add(md, cl[i].connectors[j].name);
			bad |= fp_config(md, &cl[i].connectors[j].config);
		}
	}
	fp_final(md, out->observed_fp);
	EVP_MD_CTX_free(md);
	return bad ? -1 : 0;
}

int fx_diff_compute(const struct fx_desired *d, const struct fx_observed_cluster *clusters,
		    size_t n_clusters, const char *salt, struct fx_plan *out, struct fx_err *err)
{
	size_t i, j, alloc_ch = 0, alloc_un = 0;
	int unchanged;

	snprintf(out->salt, sizeof(out->salt), "%s", salt);
	for (i = 0; i < d->n; i++) {
		const struct fx_connector *c = &d->connectors[i];
		const struct fx_observed_cluster *cl = diff_cluster(clusters, n_clusters,
								    c->kafka->connect_url);
		struct fx_change ch;

		if (!cl || !cl->reachable)
			continue;
		if (fx_grow(&out->changes, &alloc_ch, out->n_changes + 1, sizeof(*out->changes)) < 0)
			goto oom;
		if (diff_desired(c, fx_observed_find(cl, c->name), out->salt, &ch, &unchanged) < 0) {
			fx_change_release(&ch);
			goto oom;
		}
		if (!unchanged) {
			out->changes[out->n_changes++] = ch;
			continue;
		}
		if (fx_grow(&out->unchanged, &alloc_un, out->n_unchanged + 1, sizeof(*out->unchanged)) < 0) {
			fx_change_release(&ch);
			goto oom;
		}
		/* the unchanged entry takes over the strings it needs */
		out->unchanged[out->n_unchanged].connector = ch.connector;
		out->unchanged[out->n_unchanged].connect_url = ch.connect_url;
		out->unchanged[out->n_unchanged].observed_fp = ch.observed_fp;
		out->unchanged[out->n_unchanged].observed_keys = ch.observed_keys;
		out->unchanged[out->n_unchanged].desired_fp = ch.desired_fp;
		out->unchanged[out->n_unchanged].desired_keys = ch.desired_keys;
		out->unchanged[out->n_unchanged].failed = diff_failed(fx_observed_find(cl, c->name));
		out->n_unchanged++;
		ch.connector = ch.connect_url = ch.observed_fp = ch.desired_fp = NULL;
		ch.observed_keys = (struct fx_config)FX_CONFIG_INIT;
		ch.desired_keys = (struct fx_config)FX_CONFIG_INIT;
		fx_change_release(&ch);
	}
	for (i = 0; i < n_clusters; i++) {
		const struct fx_observed_cluster *cl = &clusters[i];

		if (!cl->reachable)
			continue;
		for (j = 0; j < cl->n_connectors; j++) {
			const struct fx_observed_connector *o = &cl->connectors[j];
			size_t k;
			int wanted = 0;

			if (!fx_diff_is_managed(o->name))
				continue;
			for (k = 0; k < d->n && !wanted; k++)
				wanted = !strcmp(d->connectors[k].name, o->name) &&
					 d->connectors[k].kafka->connect_url &&
					 !strcmp(d->connectors[k].kafka->connect_url, cl->connect_url);
			if (wanted)
				continue;
			if (fx_grow(&out->changes, &alloc_ch, out->n_changes + 1, sizeof(*out->changes)) < 0)
				goto oom;
			if (diff_orphan(cl, o, out->salt, &out->changes[out->n_changes++]) < 0)
				goto oom;
		}
	}
	/* qsort(NULL, 0, ...) is undefined behaviour (UBSan: nonnull argument) */
	if (out->n_changes > 1)
		qsort(out->changes, out->n_changes, sizeof(*out->changes), cmp_change);
	if (out->n_unchanged > 1)
		qsort(out->unchanged, out->n_unchanged, sizeof(*out->unchanged), cmp_unchanged);
	if (diff_fingerprints(d, clusters, n_clusters, out->salt, out) < 0)
		goto oom;
	return 0;
oom:
	return fx_err_set(err, 1, "out of memory computing the plan");
}

/* One connector of a plan, whether it is a change or unchanged. */
struct drift_entry {
	const char *name, *url, *fp, *desired_fp;
	const struct fx_config *observed_keys, *desired_keys;
};

static size_t drift_count(const struct fx_plan *p)
{
	return p->n_changes + p->n_unchanged;
}

static struct drift_entry drift_at(const struct fx_plan *p, size_t i)
{
	struct drift_entry e;

	if (i < p->n_changes) {
		const struct fx_change *c = &p->changes[i];

		e = (struct drift_entry){ .name = c->connector, .url = c->connect_url,
					  .fp = c->observed_fp, .desired_fp = c->desired_fp,
					  .observed_keys = &c->observed_keys,
					  .desired_keys = &c->desired_keys };
	} else {
		const struct fx_unchanged *u = &p->unchanged[i - p->n_changes];

		e = (struct drift_entry){ .name = u->connector, .url = u->connect_url,
					  .fp = u->observed_fp, .desired_fp = u->desired_fp,
					  .observed_keys = &u->observed_keys,
					  .desired_keys = &u->desired_keys };
	}
	return e;
}

static int drift_find(const struct fx_plan *p, const char *name, const char *url,
		      struct drift_entry *out)
{
	size_t j;

	for (j = 0; j < drift_count(p); j++) {
		*out = drift_at(p, j);
		if (!strcmp(out->name, name) && !strcmp(out->url, url))
			return 1;
	}
	return 0;
}

/*
 * The keys that differ between two sets of per-key fingerprints, described
 * into why.  When only the whole-config fingerprint tells (a secret has no
 * per-key one), the sensitive keys are named.  0 when the per-key
 * fingerprints are missing (a plan file from an older fluxacdc), else 1;
 * -1 when out of memory.
 */
static int drift_keys(const struct fx_config *before, const struct fx_config *after,
		      struct fx_buf *why)
{
	struct fx_diff_key_changes kc = FX_DIFF_KEY_CHANGES_INIT;
	size_t i, n_secret = 0;

	if (!before->n || !after->n)
		return 0;
	if (fx_diff_changed_keys(before, after, &kc) < 0)
		return -1;
	if (kc.n) {
		fx_buf_adds(why, kc.n == 1 ? "key " : "keys ");
		fx_diff_describe_keys(&kc, why);
		fx_diff_key_changes_release(&kc);
		return 1;
	}
	for (i = 0; i < after->n; i++)
		n_secret += fx_secret_key_is_sensitive(after->items[i].key);
	fx_buf_adds(why, n_secret > 1 ? "one of the sensitive keys " : n_secret ? "key " : "");
	for (i = 0; i < after->n; i++)
		if (fx_secret_key_is_sensitive(after->items[i].key))
			fx_buf_addf(why, "%s%s", after->items[i].key,
				    --n_secret ? ", " : " (sensitive, changed)");
	return 1;
}

size_t fx_diff_drift(const struct fx_plan *saved, const struct fx_plan *now, struct fx_buf *why)
{
	size_t n = 0, i, j;
	struct drift_entry e, old;

	if (strcmp(saved->desired_fp, now->desired_fp)) {
		size_t named = 0;

		/* name the connectors (and keys) the manifest now wants otherwise */
		for (i = 0; i < drift_count(now); i++) {
			e = drift_at(now, i);
			if (!e.desired_fp)
				continue;
			if (!drift_find(saved, e.name, e.url, &old)) {
				fx_buf_addf(why, "the manifest (or the environment it reads) changed since the plan: it now wants connector '%s' on %s\n",
					    e.name, e.url);
				named++;
				continue;
			}
			if (!old.desired_fp || !strcmp(old.desired_fp, e.desired_fp))
				continue;
			fx_buf_addf(why, "the manifest (or the environment it reads) changed since the plan: connector '%s' on %s: ",
				    e.name, e.url);
			drift_keys(old.desired_keys, e.desired_keys, why);
			fx_buf_addc(why, '\n');
			named++;
		}
		if (!named)
			fx_buf_addf(why, "the manifest (or the environment it reads) changed since the plan: desired connectors differ\n");
		n += named ? named : 1;
	}
	if (!strcmp(saved->observed_fp, now->observed_fp))
		return n;
	/* name each connector whose observed state moved, and its keys */
	for (i = 0; i < drift_count(now); i++) {
		int found;

		e = drift_at(now, i);
		found = drift_find(saved, e.name, e.url, &old);
		if (found && (!old.fp) == (!e.fp) && (!e.fp || !strcmp(e.fp, old.fp)))
			continue;
		fx_buf_addf(why, "connector '%s' on %s changed since the plan (", e.name, e.url);
		if (!found || (!old.fp && e.fp))
			fx_buf_adds(why, "it now exists");
		else if (!e.fp)
			fx_buf_adds(why, "it is gone");
		else if (drift_keys(old.observed_keys, e.observed_keys, why) <= 0)
			fx_buf_adds(why, "its config differs");
		fx_buf_adds(why, ")\n");
		n++;
	}
	/* connectors the plan knew that are now gone entirely */
	for (j = 0; j < drift_count(saved); j++) {
		old = drift_at(saved, j);
		if (!drift_find(now, old.name, old.url, &e)) {
			fx_buf_addf(why, "connector '%s' on %s changed since the plan (it is gone)\n",
				    old.name, old.url);
			n++;
		}
	}
	if (!n) {
		fx_buf_addf(why, "the live Connect state changed since the plan\n");
		n++;
	}
	return n;
}

int fx_diff_describe_live(const char *salt, const struct fx_config *keys,
			  const struct fx_config *live, struct fx_buf *why)
{
	struct fx_config now = FX_CONFIG_INIT;
	int rc;

	if (fx_diff_key_fps(salt, live, &now) < 0)
		return -1;
	rc = drift_keys(keys, &now, why);
	fx_config_release(&now);
	if (rc < 0)
		return -1;
	if (rc == 0)
		fx_buf_adds(why, "its config differs");
	return 0;
}

int fx_diff_key_fps(const char *salt, const struct fx_config *c, struct fx_config *out)
{
	size_t i;
	char fp[72];

	fx_config_release(out);
	for (i = 0; i < c->n; i++) {
		const char *key = c->items[i].key;
		struct fx_config one = FX_CONFIG_INIT;
		int r, skip = 0;
		char *canon = fx_normalize_canon(key, c->items[i].value, &skip);

		free(canon);
		if (skip) /* not config, or at its documented default: as if absent */
			continue;
		if (!canon)
			return -1;
		if (fx_secret_key_is_sensitive(key)) {
			if (fx_config_set(out, key, "sensitive") < 0)
				return -1;
			continue;
		}
		r = fx_config_set(&one, key, c->items[i].value);
		if (r == 0)
			r = fx_diff_config_fp(salt, &one, fp);
		fx_config_release(&one);
		if (r < 0 || fx_config_set(out, key, fp) < 0)
			return -1;
	}
	return 0;
}

void fx_diff_key_changes_release(struct fx_diff_key_changes *c)
{
	free(c->items);
	c->items = NULL;
	c->n = 0;
}

static int changed_keys_add(struct fx_diff_key_changes *out, size_t *alloc, const char *key,
			    enum fx_diff_op op)
{
	if (!strcmp(key, "name"))
		return 0;
	if (fx_grow(&out->items, alloc, out->n + 1, sizeof(*out->items)) < 0)
		return -1;
	out->items[out->n++] = (struct fx_diff_key_change){
		.key = key, .op = op, .sensitive = fx_secret_key_is_sensitive(key) };
	return 0;
}

int fx_diff_changed_keys(const struct fx_config *before, const struct fx_config *after,
			 struct fx_diff_key_changes *out)
{
	size_t i = 0, j = 0, alloc = 0;
	int r = 0;

	fx_diff_key_changes_release(out);
	while (r == 0 && (i < before->n || j < after->n)) {
		int c = i >= before->n ? 1 : j >= after->n ? -1 :
			strcmp(before->items[i].key, after->items[j].key);

		if (c < 0)
			r = changed_keys_add(out, &alloc, before->items[i++].key, FX_DIFF_REMOVE);
		else if (c > 0)
			r = changed_keys_add(out, &alloc, after->items[j++].key, FX_DIFF_ADD);
		else {
			if (strcmp(before->items[i].value, after->items[j].value))
				r = changed_keys_add(out, &alloc, after->items[j].key, FX_DIFF_CHANGE);
			i++;
			j++;
		}
	}
	if (r < 0)
		fx_diff_key_changes_release(out);
	return r;
}

void fx_diff_describe_keys(const struct fx_diff_key_changes *c, struct fx_buf *out)
{
	static const char *const words[] = { [FX_DIFF_ADD] = "added", [FX_DIFF_CHANGE] = "changed",
					     [FX_DIFF_REMOVE] = "removed" };
	size_t i;

	for (i = 0; i < c->n; i++)
		fx_buf_addf(out, "%s%s (%s%s)", i ? ", " : "", c->items[i].key,
			    c->items[i].sensitive ? "sensitive, " : "", words[c->items[i].op]);
}

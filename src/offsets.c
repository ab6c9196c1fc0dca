#include "offsets.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/alloc.h"

#define OFFSETS_DAY_S 86400

void fx_binlog_offset_release(struct fx_binlog_offset *o)
{
	free(o->server);
	free(o->file);
	free(o->gtids);
	free(o->snapshot);
	*o = (struct fx_binlog_offset)FX_BINLOG_OFFSET_INIT;
}

void fx_offsets_release(struct fx_offsets *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		fx_binlog_offset_release(&o->items[i]);
	free(o->items);
	*o = (struct fx_offsets)FX_OFFSETS_INIT;
}

/* A JSON integer, or a string of digits (converters may stringify). */
static int offsets_u64(json_t *v, uint64_t *out)
{
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		return 0;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;

		if (!*s || !isdigit((unsigned char)*s))
			return -1;
		*out = strtoull(s, &end, 10);
		return *end ? -1 : 0;
	}
	return -1;
}

static int offsets_str(json_t *v, char **out)
{
	if (!v || json_is_null(v))
		return 0;
	if (json_is_string(v))
		*out = fx_strdup(json_string_value(v));
	else if (json_is_true(v))
		*out = fx_strdup("true");
	else if (json_is_false(v))
		*out = fx_strdup("false");
	else
		return 0;
	return *out ? 0 : -1;
}

static int offsets_one(json_t *entry, struct fx_binlog_offset *o, int *skip, struct fx_err *err)
{
	json_t *part = json_object_get(entry, "partition");
	json_t *off = json_object_get(entry, "offset");
	json_t *server = part ? json_object_get(part, "server") : NULL;
	json_t *v;
	uint64_t u;

	*skip = 0;
	if (!json_is_object(entry) || !json_is_object(part))
		return fx_err_set(err, 1, "an offsets entry has no \"partition\" object");
	if (!json_is_string(server)) {
		*skip = 1;
		return 0;
	}
	if (offsets_str(server, &o->server) < 0)
		return fx_err_set(err, 1, "out of memory");
	if (json_is_null(off) || !off)
		return 0;
	if (!json_is_object(off))
		return fx_err_set(err, 1, "offsets of '%s': \"offset\" is not an object", o->server);
	if (offsets_str(json_object_get(off, "file"), &o->file) < 0 ||
	    offsets_str(json_object_get(off, "gtids"), &o->gtids) < 0 ||
	    offsets_str(json_object_get(off, "snapshot"), &o->snapshot) < 0)
		return fx_err_set(err, 1, "out of memory");
	if ((v = json_object_get(off, "pos")) != NULL) {
		if (offsets_u64(v, &o->pos) < 0)
			return fx_err_set(err, 1, "offsets of '%s': \"pos\" is not a position", o->server);
		o->has_pos = 1;
	}
	if ((v = json_object_get(off, "row")) != NULL && offsets_u64(v, &u) == 0)
		o->row = u;
	if ((v = json_object_get(off, "event")) != NULL && offsets_u64(v, &u) == 0)
		o->event = u;
	if ((v = json_object_get(off, "ts_sec")) != NULL && offsets_u64(v, &u) == 0)
		o->ts_sec = (int64_t)u;
	v = json_object_get(off, "snapshot_completed");
	o->snapshot_completed = json_is_true(v) ||
				(json_is_string(v) && !strcmp(json_string_value(v), "true"));
	return 0;
}

int fx_offsets_parse(const char *json, size_t len, struct fx_offsets *out, struct fx_err *err)
{
	json_error_t jerr;
	json_t *root, *arr;
	size_t i;
	int ret = -1;

	fx_offsets_release(out);
	root = json_loadb(json ? json : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return fx_err_set(err, 1, "offsets: not JSON: %s", jerr.text);
	arr = json_object_get(root, "offsets");
	if (!json_is_array(arr)) {
		fx_err_set(err, 1, "offsets: no \"offsets\" array");
		goto cleanup;
	}
	out->items = fx_calloc(json_array_size(arr) ? json_array_size(arr) : 1, sizeof(*out->items));
	if (!out->items) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < json_array_size(arr); i++) {
		struct fx_binlog_offset *o = &out->items[out->n];
		int skip;

		out->n++;
		if (offsets_one(json_array_get(arr, i), o, &skip, err) < 0)
			goto cleanup;
		if (skip)
			fx_binlog_offset_release(&out->items[--out->n]);
	}
	ret = 0;
cleanup:
	json_decref(root);
	if (ret < 0)
		fx_offsets_release(out);
	return ret;
}

const struct fx_binlog_offset *fx_offsets_find(const struct fx_offsets *o, const char *server)
{
	size_t i;

	for (i = 0; server && i < o->n; i++)
		if (o->items[i].server && !strcmp(o->items[i].server, server))
			return &o->items[i];
	return o->n == 1 ? &o->items[0] : NULL;
}

enum fx_offsets_phase fx_offsets_phase(const struct fx_binlog_offset *o)
{
	if (!o || (!o->file && !o->gtids))
		return FX_PHASE_NONE;
	if (o->snapshot && strcmp(o->snapshot, "false") && !o->snapshot_completed)
		return FX_PHASE_SNAPSHOT;
	return FX_PHASE_STREAMING;
}

const char *fx_offsets_phase_name(enum fx_offsets_phase p)
{
	switch (p) {
	case FX_PHASE_SNAPSHOT:
		return "snapshot";
	case FX_PHASE_STREAMING:
		return "streaming";
	default:
		return "none";
	}
}

/* ------------------------------------------------------------ server side */

void fx_binlog_state_release(struct fx_binlog_state *s)
{
	size_t i;

	for (i = 0; i < s->n_files; i++)
		free(s->files[i].name);
	free(s->files);
	free(s->current_file);
	free(s->gtid_mode);
	free(s->gtid_purged);
	free(s->gtid_binlog_state);
	free(s->gtid_list_oldest);
	*s = (struct fx_binlog_state)FX_BINLOG_STATE_INIT;
}

int fx_binlog_state_add_file(struct fx_binlog_state *s, const char *name, uint64_t size)
{
	struct fx_binlog_file *grown = fx_realloc(s->files, (s->n_files + 1) * sizeof(*grown));
	char *copy = fx_strdup(name);

	if (grown)
		s->files = grown;
	if (!grown || !copy) {
		free(copy);
		return -1;
	}
	s->files[s->n_files].name = copy;
	s->files[s->n_files].size = size;
	s->n_files++;
	return 0;
}

static long binlog_index(const struct fx_binlog_state *s, const char *file)
{
	size_t i;

	for (i = 0; file && i < s->n_files; i++)
		if (!strcmp(s->files[i].name, file))
			return (long)i;
	return -1;
}

const char *fx_binlog_verdict_name(enum fx_binlog_verdict v)
{
	switch (v) {
	case FX_BINLOG_OK:
		return "ok";
	case FX_BINLOG_PURGE_SOON:
		return "purge-soon";
	case FX_BINLOG_FILE_PURGED:
		return "file-purged";
	case FX_BINLOG_GTID_PURGED:
		return "gtid-purged";
	default:
		return "unknown";
	}
}

int fx_gtid_mode_permissive(const char *mode)
{
	return mode && (!strcasecmp(mode, "ON_PERMISSIVE") || !strcasecmp(mode, "OFF_PERMISSIVE"));
}

enum fx_binlog_verdict fx_binlog_position_verdict(const struct fx_binlog_state *s,
						  const struct fx_binlog_offset *o,
						  int64_t retention_s, int64_t now, int64_t *purge_at)
{
	long idx;

	if (purge_at)
		*purge_at = 0;
	if (!o || fx_offsets_phase(o) == FX_PHASE_NONE)
		return FX_BINLOG_UNKNOWN;
	if (o->gtids && *o->gtids && s->gtid_mode && !strcasecmp(s->gtid_mode, "ON") &&
	    s->gtid_purged) {
		int in = fx_gtid_set_contains(o->gtids, s->gtid_purged);

		if (in == 0)
			return FX_BINLOG_GTID_PURGED;
		if (in == 1)
			return FX_BINLOG_OK; /* resumes by GTID: the file does not matter */
	}
	if (o->gtids && *o->gtids && !s->gtid_mode && s->gtid_list_oldest) {
		int ok = fx_mariadb_gtid_resumable(o->gtids, s->gtid_list_oldest);

		if (ok == 0)
			return FX_BINLOG_GTID_PURGED;
		if (ok == 1 && (!o->file || binlog_index(s, o->file) < 0))
			return FX_BINLOG_OK; /* resumes by GTID from the oldest file on */
	}
	if (!s->have_files || !s->n_files || !o->file)
		return FX_BINLOG_UNKNOWN;
	idx = binlog_index(s, o->file);
	if (idx < 0)
		return FX_BINLOG_FILE_PURGED;
	/* the current file is never purged; the others go retention after their last write */
	if (retention_s > 0 && o->ts_sec > 0 && s->have_current && s->current_file &&
	    strcmp(s->current_file, o->file)) {
		int64_t at = o->ts_sec + retention_s;

		if (purge_at)
			*purge_at = at;
		if (at - now < OFFSETS_DAY_S)
			return FX_BINLOG_PURGE_SOON;
	}
	return FX_BINLOG_OK;
}

int fx_binlog_lag(const struct fx_binlog_state *s, const struct fx_binlog_offset *o,
		  uint64_t *bytes, unsigned *files)
{
	long from, to, i;
	uint64_t b = 0;

	*bytes = 0;
	*files = 0;
	if (!o || !o->file || !o->has_pos || !s->have_current || !s->current_file)
		return -1;
	if (!strcmp(o->file, s->current_file)) {
		*bytes = s->current_pos > o->pos ? s->current_pos - o->pos : 0;
		return 0;
	}
	from = binlog_index(s, o->file);
	to = binlog_index(s, s->current_file);
	if (to < 0 || (from >= 0 && to < from))
		return -1;
	if (from < 0) { /* purged: at most everything still there */
		for (i = 0; i < to; i++)
			b += s->files[i].size;
		*bytes = b + s->current_pos;
		*files = (unsigned)to + 1;
		return 0;
	}
	b = s->files[from].size > o->pos ? s->files[from].size - o->pos : 0;
	for (i = from + 1; i < to; i++)
		b += s->files[i].size;
	b += s->current_pos;
	*bytes = b;
	*files = (unsigned)(to - from);
	return 0;
}

/* ------------------------------------------------------------ GTID sets */

struct gtid_range {
	char sid[96]; /* uuid, or uuid:tag */
	uint64_t lo, hi;
};

struct gtid_set {
	struct gtid_range *r;
	size_t n;
};

static int gtid_push(struct gtid_set *g, const char *sid, uint64_t lo, uint64_t hi)
{
	struct gtid_range *grown = fx_realloc(g->r, (g->n + 1) * sizeof(*grown));

	if (!grown)
		return -1;
	g->r = grown;
	snprintf(g->r[g->n].sid, sizeof(g->r[g->n].sid), "%s", sid);
	g->r[g->n].lo = lo;
	g->r[g->n].hi = hi;
	g->n++;
	return 0;
}

/* "uuid[:tag]:a-b:c[:tag2:d]" entries separated by ',' -> ranges; -1 when malformed. */
static int gtid_parse(const char *s, struct gtid_set *g)
{
	while (s && *s) {
		char uuid[40], tag[48] = "", sid[96];
		size_t n;
		int intervals = 0;

		s += strspn(s, " \t\r\n,");
		if (!*s)
			break;
		n = strspn(s, "0123456789abcdefABCDEF-");
		if (n < 32 || n >= sizeof(uuid))
			return -1;
		memcpy(uuid, s, n);
		uuid[n] = '\0';
		s += n;
		while (*s == ':') {
			s++;
			if (isdigit((unsigned char)*s)) {
				char *end;
				uint64_t lo = strtoull(s, &end, 10), hi = lo;

				s = end;
				if (*s == '-') {
					hi = strtoull(s + 1, &end, 10);
					if (end == s + 1)
						return -1;
					s = end;
				}
				if (lo == 0 || hi < lo)
					return -1;
				snprintf(sid, sizeof(sid), "%s%s%s", uuid, *tag ? ":" : "", tag);
				if (gtid_push(g, sid, lo, hi) < 0)
					return -1;
				intervals++;
			} else {
				n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
				if (!n || n >= sizeof(tag))
					return -1;
				memcpy(tag, s, n);
				tag[n] = '\0';
				s += n;
			}
		}
		if (!intervals)
			return -1;
		s += strspn(s, " \t\r\n");
		if (*s && *s != ',')
			return -1;
	}
	return 0;
}

/* Is [lo, hi] of sid covered by the union of super's ranges of sid? */
static int gtid_covered(const struct gtid_set *super, const char *sid, uint64_t lo, uint64_t hi)
{
	int progress = 1;

	while (progress) {
		size_t i;

		progress = 0;
		for (i = 0; i < super->n; i++) {
			const struct gtid_range *r = &super->r[i];

			if (strcasecmp(r->sid, sid) || r->lo > lo || r->hi < lo)
				continue;
			if (r->hi >= hi)
				return 1;
			lo = r->hi + 1;
			progress = 1;
		}
	}
	return 0;
}

int fx_gtid_set_contains(const char *super, const char *sub)
{
	struct gtid_set a = { NULL, 0 }, b = { NULL, 0 };
	size_t i;
	int ret = -1;

	if (gtid_parse(super, &a) < 0 || gtid_parse(sub, &b) < 0)
		goto cleanup;
	ret = 1;
	for (i = 0; i < b.n && ret; i++)
		if (!gtid_covered(&a, b.r[i].sid, b.r[i].lo, b.r[i].hi))
			ret = 0;
cleanup:
	free(a.r);
	free(b.r);
	return ret;
}

/* ------------------------------------------------------------ MariaDB GTIDs */

struct mdb_gtid {
	uint64_t domain, server, seq;
};

/* "0-1-37,1-2-5" (brackets and blanks allowed) -> up to max entries; n, or -1. */
static int mdb_parse(const char *s, struct mdb_gtid *out, int max)
{
	int n = 0;

	while (*s) {
		char *end;

		s += strspn(s, " \t\r\n,[]");
		if (!*s)
			break;
		if (n == max || !isdigit((unsigned char)*s))
			return -1;
		out[n].domain = strtoull(s, &end, 10);
		if (*end != '-' || !isdigit((unsigned char)end[1]))
			return -1;
		out[n].server = strtoull(end + 1, &end, 10);
		if (*end != '-' || !isdigit((unsigned char)end[1]))
			return -1;
		out[n].seq = strtoull(end + 1, &end, 10);
		s = end;
		if (*s && !strchr(" \t\r\n,[]", *s))
			return -1;
		n++;
	}
	return n;
}

int fx_mariadb_gtid_resumable(const char *stored, const char *oldest)
{
	struct mdb_gtid a[64], b[64];
	int na = mdb_parse(stored ? stored : "", a, 64), nb = mdb_parse(oldest ? oldest : "", b, 64);
	int i, j;

	if (na < 0 || nb < 0)
		return -1;
	for (j = 0; j < nb; j++) {
		uint64_t best = 0;
		int seen = 0;

		for (i = 0; i < na; i++)
			if (a[i].domain == b[j].domain) {
				seen = 1;
				if (a[i].seq > best)
					best = a[i].seq;
			}
		if (seen && best < b[j].seq)
			return 0;
	}
	return 1;
}

/* ------------------------------------------------------------ offsets topic */

char *fx_offsets_topic_key(const char *connector, const char *server)
{
	json_t *k = json_pack("[s, {s:s}]", connector, "server", server);
	char *s = k ? json_dumps(k, JSON_COMPACT) : NULL, *out;

	json_decref(k);
	out = s ? fx_strdup(s) : NULL;
	free(s);
	return out;
}

/* Kafka's Utils.murmur2, as the Java producer's default partitioner uses it. */
static uint32_t offsets_murmur2(const unsigned char *d, size_t len)
{
	const uint32_t m = 0x5bd1e995u;
	uint32_t h = 0x9747b28cu ^ (uint32_t)len;
	size_t i, n4 = len / 4;

	for (i = 0; i < n4; i++) {
		uint32_t k = (uint32_t)d[4 * i] | (uint32_t)d[4 * i + 1] << 8 |
			     (uint32_t)d[4 * i + 2] << 16 | (uint32_t)d[4 * i + 3] << 24;

		k *= m;
		k ^= k >> 24;
		k *= m;
		h *= m;
		h ^= k;
	}
	switch (len % 4) {
	case 3:
		h ^= (uint32_t)d[(len & ~(size_t)3) + 2] << 16;
		/* fall through */
	case 2:
		h ^= (uint32_t)d[(len & ~(size_t)3) + 1] << 8;
		/* fall through */
	case 1:
		h ^= (uint32_t)d[len & ~(size_t)3];
		h *= m;
	}
	h ^= h >> 13;
	h *= m;
	h ^= h >> 15;
	return h;
}

int fx_kafka_partition(const char *key, size_t len, int partitions)
{
	if (partitions <= 0)
		return -1;
	return (int)((offsets_murmur2((const unsigned char *)key, len) & 0x7fffffffu) %
		     (uint32_t)partitions);
}

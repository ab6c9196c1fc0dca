/* offsets.c: recorded GET /connectors/{n}/offsets answers (tests/fixtures/offsets/),
 * and the binlog decisions as tables: purged or not, soon or not, lag, GTID sets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include "offsets.h"

#define FIX "tests/fixtures/offsets/"

static void parse_fixture(const char *name, struct fx_offsets *o)
{
	char rel[256];
	struct fx_err err = FX_ERR_INIT;
	size_t len;
	char *s;

	snprintf(rel, sizeof(rel), FIX "%s", name);
	s = fx_test_read(fx_test_path(rel), &len);
	cr_assert_not_null(s, "fixture %s", rel);
	cr_assert_eq(fx_offsets_parse(s, len, o, &err), 0, "%s: %s", name, err.msg);
	free(s);
}

Test(offsets, streaming_mariadb)
{
	struct fx_offsets o = FX_OFFSETS_INIT;
	const struct fx_binlog_offset *b;

	parse_fixture("mariadb-3.2-streaming.json", &o);
	cr_assert_eq(o.n, 1);
	b = fx_offsets_find(&o, "fluxa_default");
	cr_assert_not_null(b);
	cr_expect_str_eq(b->server, "fluxa_default");
	cr_expect_str_eq(b->file, "mariadb-bin.000001");
	cr_expect(b->has_pos);
	cr_expect_eq(b->pos, 3953);
	cr_expect_str_eq(b->gtids, "0-1-18");
	cr_expect_eq(b->row, 2);
	cr_expect_eq(b->event, 2);
	cr_expect_gt(b->ts_sec, 1700000000);
	cr_expect_null(b->snapshot);
	cr_expect_eq(fx_offsets_phase(b), FX_PHASE_STREAMING);
	fx_offsets_release(&o);
	fx_offsets_release(&o); /* twice is safe */
}

Test(offsets, snapshot_mariadb)
{
	struct fx_offsets o = FX_OFFSETS_INIT;
	const struct fx_binlog_offset *b;

	parse_fixture("mariadb-3.2-snapshot.json", &o);
	b = fx_offsets_find(&o, "fluxa_snap2");
	cr_assert_not_null(b);
	cr_expect_str_eq(b->snapshot, "INITIAL");
	cr_expect_eq(fx_offsets_phase(b), FX_PHASE_SNAPSHOT);
	cr_expect_str_eq(fx_offsets_phase_name(fx_offsets_phase(b)), "snapshot");
	fx_offsets_release(&o);
}

Test(offsets, shapes)
{
	static const struct {
		const char *json;
		int rc;
		size_t n;
		enum fx_offsets_phase phase;
	} t[] = {
		{ "{\"offsets\":[]}", 0, 0, FX_PHASE_NONE },
		/* Debezium 1.x/2.x: a boolean, and snapshot_completed on the last record */
		{ "{\"offsets\":[{\"partition\":{\"server\":\"a\"},\"offset\":{\"file\":\"b.1\",\"pos\":4,\"snapshot\":true}}]}",
		  0, 1, FX_PHASE_SNAPSHOT },
		{ "{\"offsets\":[{\"partition\":{\"server\":\"a\"},\"offset\":{\"file\":\"b.1\",\"pos\":4,\"snapshot\":true,\"snapshot_completed\":true}}]}",
		  0, 1, FX_PHASE_STREAMING },
		{ "{\"offsets\":[{\"partition\":{\"server\":\"a\"},\"offset\":{\"gtids\":\"0-1-5\"}}]}", 0, 1,
		  FX_PHASE_STREAMING },
		{ "{\"offsets\":[{\"partition\":{\"server\":\"a\"},\"offset\":null}]}", 0, 1, FX_PHASE_NONE },
		/* another connector type's partition: skipped */
		{ "{\"offsets\":[{\"partition\":{\"kafka_topic\":\"t\"},\"offset\":{\"kafka_offset\":3}}]}", 0, 0,
		  FX_PHASE_NONE },
		{ "{\"offsets\":[{\"partition\":{\"server\":\"a\"},\"offset\":{\"file\":\"b.1\",\"pos\":\"x\"}}]}", -1, 0,
		  FX_PHASE_NONE },
		{ "{\"offsets\":{}}", -1, 0, FX_PHASE_NONE },
		{ "{\"error_code\":404,\"message\":\"Connector fluxa_nothere not found\"}", -1, 0, FX_PHASE_NONE },
		{ "[", -1, 0, FX_PHASE_NONE },
		{ "", -1, 0, FX_PHASE_NONE },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fx_offsets o = FX_OFFSETS_INIT;
		struct fx_err err = FX_ERR_INIT;
		int rc = fx_offsets_parse(t[i].json, strlen(t[i].json), &o, &err);

		cr_expect_eq(rc, t[i].rc, "case %zu: rc %d (%s)", i, rc, err.msg);
		cr_expect_eq(o.n, t[i].n, "case %zu: n %zu", i, o.n);
		if (rc == 0)
			cr_expect_eq(fx_offsets_phase(fx_offsets_find(&o, "a")), t[i].phase, "case %zu", i);
		if (rc < 0)
			cr_expect(err.msg[0], "case %zu: no message", i);
		fx_offsets_release(&o);
	}
}

Test(offsets, recorded_404_is_not_offsets)
{
	struct fx_offsets o = FX_OFFSETS_INIT;
	struct fx_err err = FX_ERR_INIT;
	size_t len;
	char *s = fx_test_read(fx_test_path(FIX "error-404.json"), &len);

	cr_assert_not_null(s);
	cr_expect_eq(fx_offsets_parse(s, len, &o, &err), -1);
	free(s);
}

/* ------------------------------------------------------------ decisions */

static void state_files(struct fx_binlog_state *s, const char *cur, uint64_t cur_pos)
{
	cr_assert_eq(fx_binlog_state_add_file(s, "bin.000003", 1000), 0);
	cr_assert_eq(fx_binlog_state_add_file(s, "bin.000004", 2000), 0);
	cr_assert_eq(fx_binlog_state_add_file(s, "bin.000005", 500), 0);
	s->have_files = 1;
	if (cur) {
		s->have_current = 1;
		s->current_file = strdup(cur);
		s->current_pos = cur_pos;
	}
}

Test(offsets, position_verdict)
{
	const int64_t now = 1800000000, day = 86400;
	static const char *const uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
	char purged[128], have_all[128], have_part[128];
	const struct {
		const char *file;
		const char *gtids;
		const char *gtid_mode;
		const char *gtid_purged;
		const char *gtid_list;  /* MariaDB: the oldest binlog's Gtid_list */
		int64_t ts_sec;
		int64_t retention;
		int files_listed;
		enum fx_binlog_verdict want;
	} t[] = {
		{ "bin.000004", NULL, NULL, NULL, NULL, now - 60, 7 * day, 1, FX_BINLOG_OK },
		{ "bin.000002", NULL, NULL, NULL, NULL, now - 60, 7 * day, 1, FX_BINLOG_FILE_PURGED },
		{ "bin.000009", NULL, NULL, NULL, NULL, now - 60, 7 * day, 1, FX_BINLOG_FILE_PURGED },
		{ "bin.000002", NULL, NULL, NULL, NULL, now - 60, 7 * day, 0, FX_BINLOG_UNKNOWN },
		/* 6.5 days old in a 7-day retention: purged within a day */
		{ "bin.000004", NULL, NULL, NULL, NULL, now - 6 * day - day / 2, 7 * day, 1, FX_BINLOG_PURGE_SOON },
		{ "bin.000004", NULL, NULL, NULL, NULL, now - 5 * day, 7 * day, 1, FX_BINLOG_OK },
		{ "bin.000004", NULL, NULL, NULL, NULL, now - 6 * day - day / 2, 0, 1, FX_BINLOG_OK },   /* never expires */
		{ "bin.000004", NULL, NULL, NULL, NULL, now - 6 * day - day / 2, -1, 1, FX_BINLOG_OK },  /* unknown */
		/* the current file is never purged, however old its last event */
		{ "bin.000005", NULL, NULL, NULL, NULL, now - 30 * day, 7 * day, 1, FX_BINLOG_OK },
		/* MariaDB offsets carry GTIDs but resume by file here */
		{ "bin.000002", "0-1-18", NULL, NULL, NULL, now - 60, 7 * day, 1, FX_BINLOG_FILE_PURGED },
		/* MySQL, gtid_mode ON: by GTIDs, the file does not matter */
		{ "bin.000002", have_all, "ON", purged, NULL, now - 60, 7 * day, 1, FX_BINLOG_OK },
		{ "bin.000004", have_part, "ON", purged, NULL, now - 60, 7 * day, 1, FX_BINLOG_GTID_PURGED },
		{ "bin.000004", have_all, "ON", "", NULL, now - 60, 7 * day, 1, FX_BINLOG_OK },
		/* gtid_mode OFF: the file decides */
		{ "bin.000002", have_all, "OFF", purged, NULL, now - 60, 7 * day, 1, FX_BINLOG_FILE_PURGED },
		/* MariaDB: by the oldest binlog's Gtid_list, the file does not matter */
		{ "bin.000002", "0-1-37", NULL, NULL, "0-1-37", now - 60, 7 * day, 1, FX_BINLOG_OK },
		{ "bin.000002", "0-1-40", NULL, NULL, "[0-1-37]", now - 60, 7 * day, 1, FX_BINLOG_OK },
		{ "bin.000002", "0-1-21", NULL, NULL, "0-1-37", now - 60, 7 * day, 1, FX_BINLOG_GTID_PURGED },
		{ "bin.000004", "0-1-21", NULL, NULL, "0-1-37", now - 60, 7 * day, 1, FX_BINLOG_GTID_PURGED },
		{ "bin.000004", "0-1-40", NULL, NULL, "", now - 60, 7 * day, 1, FX_BINLOG_OK },
		{ "bin.000002", "0-1-40", NULL, NULL, "garbage", now - 60, 7 * day, 1, FX_BINLOG_FILE_PURGED },
		/* no offset at all */
		{ NULL, NULL, NULL, NULL, NULL, 0, 7 * day, 1, FX_BINLOG_UNKNOWN },
	};
	size_t i;

	snprintf(purged, sizeof(purged), "%s:1-100", uuid);
	snprintf(have_all, sizeof(have_all), "%s:1-150", uuid);
	snprintf(have_part, sizeof(have_part), "%s:50-150", uuid);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fx_binlog_state s = FX_BINLOG_STATE_INIT;
		struct fx_binlog_offset o = FX_BINLOG_OFFSET_INIT;
		enum fx_binlog_verdict v;
		int64_t at;

		if (t[i].files_listed)
			state_files(&s, "bin.000005", 120);
		s.gtid_mode = t[i].gtid_mode ? strdup(t[i].gtid_mode) : NULL;
		s.gtid_purged = t[i].gtid_purged ? strdup(t[i].gtid_purged) : NULL;
		s.gtid_list_oldest = t[i].gtid_list ? strdup(t[i].gtid_list) : NULL;
		o.file = t[i].file ? strdup(t[i].file) : NULL;
		o.gtids = t[i].gtids ? strdup(t[i].gtids) : NULL;
		o.pos = 4;
		o.has_pos = 1;
		o.ts_sec = t[i].ts_sec;
		v = fx_binlog_position_verdict(&s, &o, t[i].retention, now, &at);
		cr_expect_eq(v, t[i].want, "case %zu: got %s, want %s", i, fx_binlog_verdict_name(v),
			     fx_binlog_verdict_name(t[i].want));
		if (v == FX_BINLOG_PURGE_SOON)
			cr_expect_eq(at, t[i].ts_sec + t[i].retention, "case %zu", i);
		fx_binlog_state_release(&s);
		fx_binlog_offset_release(&o);
	}
}

Test(offsets, lag)
{
	const struct {
		const char *file;
		uint64_t pos;
		const char *cur;
		uint64_t cur_pos;
		int rc;
		uint64_t bytes;
		unsigned files;
	} t[] = {
		{ "bin.000005", 100, "bin.000005", 120, 0, 20, 0 },
		{ "bin.000005", 120, "bin.000005", 120, 0, 0, 0 },
		{ "bin.000005", 130, "bin.000005", 120, 0, 0, 0 }, /* never negative */
		{ "bin.000004", 1500, "bin.000005", 120, 0, 500 + 120, 1 },
		{ "bin.000003", 400, "bin.000005", 120, 0, 600 + 2000 + 120, 2 },
		{ "bin.000002", 400, "bin.000005", 120, 0, 1000 + 2000 + 120, 3 }, /* purged: at most all */
		{ "bin.000005", 400, "bin.000004", 120, -1, 0, 0 },  /* stored after current: unknown */
		{ "bin.000004", 10, NULL, 0, -1, 0, 0 },             /* no master status */
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fx_binlog_state s = FX_BINLOG_STATE_INIT;
		struct fx_binlog_offset o = FX_BINLOG_OFFSET_INIT;
		uint64_t bytes = 99;
		unsigned files = 99;
		int rc;

		state_files(&s, t[i].cur, t[i].cur_pos);
		o.file = strdup(t[i].file);
		o.pos = t[i].pos;
		o.has_pos = 1;
		rc = fx_binlog_lag(&s, &o, &bytes, &files);
		cr_expect_eq(rc, t[i].rc, "case %zu", i);
		if (rc == 0) {
			cr_expect_eq(bytes, t[i].bytes, "case %zu: %llu bytes", i, (unsigned long long)bytes);
			cr_expect_eq(files, t[i].files, "case %zu: %u files", i, files);
		}
		fx_binlog_state_release(&s);
		fx_binlog_offset_release(&o);
	}
}

Test(offsets, gtid_sets)
{
	const struct {
		const char *super, *sub;
		int want;
	} t[] = {
		{ "", "", 1 },
		{ "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5", "", 1 },
		{ "", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1", 0 },
		{ "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5", "3e11fa47-71ca-11e1-9e33-c80aa9429562:2-4", 1 },
		{ "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5", "3e11fa47-71ca-11e1-9e33-c80aa9429562:2-6", 0 },
		/* adjacent intervals cover together */
		{ "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:6-9", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9", 1 },
		{ "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7-9", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9", 0 },
		/* several servers, newlines as @@gtid_purged prints them, case */
		{ "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5,\n4e11fa47-71ca-11e1-9e33-c80aa9429562:1-3",
		  "4e11fa47-71ca-11e1-9e33-c80aa9429562:3,3e11fa47-71ca-11e1-9e33-c80aa9429562:5", 1 },
		{ "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5",
		  "4e11fa47-71ca-11e1-9e33-c80aa9429562:1", 0 },
		/* MySQL 8.4 tagged GTIDs */
		{ "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:etl:1-3",
		  "3e11fa47-71ca-11e1-9e33-c80aa9429562:etl:2", 1 },
		{ "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5",
		  "3e11fa47-71ca-11e1-9e33-c80aa9429562:etl:2", 0 },
		/* garbage, and MariaDB's domain-server-seq is not a MySQL set */
		{ "3e11fa47-71ca-11e1-9e33-c80aa9429562:5-1", "", -1 },
		{ "0-1-18", "", -1 },
		{ "3e11fa47-71ca-11e1-9e33-c80aa9429562", "", -1 },
		{ "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5", "x", -1 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		cr_expect_eq(fx_gtid_set_contains(t[i].super, t[i].sub), t[i].want, "case %zu", i);
}

Test(offsets, gtid_mode)
{
	cr_expect(fx_gtid_mode_permissive("ON_PERMISSIVE"));
	cr_expect(fx_gtid_mode_permissive("off_permissive"));
	cr_expect(!fx_gtid_mode_permissive("ON"));
	cr_expect(!fx_gtid_mode_permissive("OFF"));
	cr_expect(!fx_gtid_mode_permissive(NULL));
}

Test(offsets, mariadb_gtid_lists)
{
	const struct {
		const char *stored, *oldest;
		int want;
	} t[] = {
		{ "0-1-37", "0-1-37", 1 },      { "0-1-38", "[0-1-37]", 1 },   { "0-1-21", "0-1-37", 0 },
		{ "0-1-21", "[]", 1 },          { "0-1-21", "", 1 },           { "1-1-5", "0-1-37", 1 },
		{ "0-1-40,1-1-5", "0-1-37,1-2-9", 0 }, { "0-1-40,1-1-9", "0-1-37,1-2-9", 1 },
		{ "0-2-30,0-1-40", "0-1-37", 1 }, /* several servers in a domain: the highest counts */
		{ "x", "0-1-37", -1 },          { "0-1-37", "0-1", -1 },       { "0-1-37", "0-1-2-3", -1 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		cr_expect_eq(fx_mariadb_gtid_resumable(t[i].stored, t[i].oldest), t[i].want, "case %zu", i);
}

/* Keys and partitions as the stack's Connect 3.9.1 wrote them into its
 * 5-partition offsets topic (kcat -C -t fluxa-connect-offsets -f '%p %k'). */
Test(offsets, offsets_topic_key_and_partition)
{
	static const struct {
		const char *connector;
		int partition;
	} t[] = {
		{ "fluxa_default", 4 },
		{ "fluxa_applytest_r5623", 4 },
		{ "fluxa_applytest_r9361", 3 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *k = fx_offsets_topic_key(t[i].connector, t[i].connector);
		char want[128];

		cr_assert_not_null(k);
		snprintf(want, sizeof(want), "[\"%s\",{\"server\":\"%s\"}]", t[i].connector, t[i].connector);
		cr_expect_str_eq(k, want);
		cr_expect_eq(fx_kafka_partition(k, strlen(k), 5), t[i].partition, "%s", t[i].connector);
		free(k);
	}
	cr_expect_eq(fx_kafka_partition("x", 1, 0), -1);
	/* Kafka's own test vectors for murmur2 -> toPositive % 1 is 0; % 25 stays in range */
	cr_expect_eq(fx_kafka_partition("", 0, 1), 0);
	cr_expect_lt(fx_kafka_partition("abc", 3, 25), 25);
}

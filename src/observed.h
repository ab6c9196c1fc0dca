/*
 * The observed state of Kafka Connect clusters: what
 * GET /connectors?expand=info&expand=status, GET / and GET /connector-plugins
 * return, in our structs.  Filled by connect.c (from the wire) or from
 * recorded JSON; consumed by diff.c and the status command.  Each struct owns
 * its strings; fx_observed_cluster_release frees one cluster.
 */
#ifndef FX_OBSERVED_H
#define FX_OBSERVED_H

#include <stddef.h>

#include "config.h"
#include "offsets.h"

struct fx_task_status {
	int id;
	char *state;     /* RUNNING, FAILED, PAUSED, UNASSIGNED, RESTARTING, STOPPED */
	char *worker_id;
	char *trace;     /* NULL unless FAILED */
};

struct fx_observed_connector {
	char *name;
	char *type;      /* "source" / "sink", may be NULL */
	struct fx_config config; /* from expand=info, Connect's "name" key included */
	char *state;     /* from expand=status, may be NULL */
	char *worker_id;
	char *trace;
	struct fx_task_status *tasks;
	size_t n_tasks;
	/* GET /connectors/{name}/offsets, read for managed connectors on Connect >= 3.5 */
	int offsets_read;       /* 1: offsets holds the answer */
	struct fx_offsets offsets;
	char *offsets_error;    /* why they could not be read, NULL when read or not asked */
};

struct fx_plugin {
	char *class_name;
	char *type;
	char *version;
};

struct fx_observed_cluster {
	char *connect_url;
	char *kafka_pool;       /* the first manifest pool naming this URL */
	int reachable;          /* 0: error holds why */
	char *error;
	char *version;          /* GET / */
	char *commit;
	char *kafka_cluster_id;
	struct fx_plugin *plugins;
	size_t n_plugins;
	int have_plugins;
	struct fx_observed_connector *connectors; /* sorted by name */
	size_t n_connectors;
	unsigned long requests; /* HTTP requests made to this cluster */
	int auth_failed;        /* GET / answered 401 or 403: connect_auth is wrong or missing */
	int offsets_supported;  /* the version has GET /connectors/{n}/offsets (3.5+) */
};

/*
 * What one status read says to a wait for RUNNING (SPEC §4: "the connector and
 * all its tasks RUNNING"): FAILED when the connector or any task failed,
 * RUNNING when the connector and every task run and there is at least one
 * task (a connector with no task yet captures nothing), PENDING otherwise.
 * On FAILED, *trace (may be NULL) borrows the trace to show: the connector's,
 * else the first failed task's that has one.
 */
enum fx_run_verdict {
	FX_RUN_PENDING,
	FX_RUN_RUNNING,
	FX_RUN_FAILED,
};
enum fx_run_verdict fx_observed_run_verdict(const struct fx_observed_connector *c,
					    const char **trace);

void fx_observed_connector_release(struct fx_observed_connector *c);
void fx_observed_cluster_release(struct fx_observed_cluster *c);
/* 1 when the connector or one of its tasks is FAILED. */
int fx_observed_failed(const struct fx_observed_connector *o);
/* 1 when the connector and all its tasks (at least one) are RUNNING. */
int fx_observed_running(const struct fx_observed_connector *o);
const struct fx_observed_connector *fx_observed_find(const struct fx_observed_cluster *c,
						     const char *name);
const struct fx_plugin *fx_observed_plugin(const struct fx_observed_cluster *c,
					   const char *class_name);

/*
 * The Debezium connector plugins the cluster lists (io.debezium.*), short
 * class name and version in Connect's order: "MariaDbConnector 3.5.0.Final,
 * MySqlConnector 3.5.0.Final".  NULL when it lists none (or out of memory);
 * the caller frees the string.
 */
char *fx_observed_debezium_versions(const struct fx_observed_cluster *c);

#endif

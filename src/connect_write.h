/*
 * The careful writes of apply (SPEC §4), decided here and carried out by
 * connect.c: what to do next after each answer of Connect, as a pure
 * function of what happened so far.  No I/O, nothing allocated, nothing
 * owned: everything passed in is lent for the call only.
 *
 * The adapter (connect.c's cc_write) loops:
 *
 *   st.event = FX_CONNECT_EV_READY
 *   for (;;) switch (fx_connect_write_next(&st).step) {
 *   SEND:   st.attempts++, send the write; event ANSWER (status, message,
 *           connect_404) or NO_ANSWER (timeout, dropped connection)
 *   READ:   read what is live now; event READ (what it found)
 *   WAIT:   sleep wait_ms (an interrupt ends the write), event READY
 *   DONE, FAIL, CONFLICT, SPENT: stop
 *   }
 *
 * A new kind of write (stop, resume, restart, offsets) is one row of
 * fx_connect_write_rules (connect_write.c): its method and path, its body,
 * and how to read its answers; then its read in connect.c.  A check before
 * a write (re-read before write) is READY answering READ for that kind: with
 * attempts 0, a READ that finds the write not in effect answers SEND.
 */
#ifndef FX_CONNECT_WRITE_H
#define FX_CONNECT_WRITE_H

#include "connect_json.h"

/* Each write apply makes; an index of fx_connect_write_rules. */
enum fx_connect_write_kind {
	FX_CONNECT_WRITE_CREATE = 0, /* POST /connectors {name, config} */
	FX_CONNECT_WRITE_UPDATE,     /* PUT /connectors/{name}/config */
	FX_CONNECT_WRITE_DELETE,     /* DELETE /connectors/{name} */
	FX_CONNECT_WRITE_STOP,       /* PUT /connectors/{name}/stop (Connect 3.5+) */
	FX_CONNECT_WRITE_RESUME,     /* PUT /connectors/{name}/resume */
	FX_CONNECT_WRITE_RESTART,    /* POST .../restart?includeTasks=true&onlyFailed=false */
	FX_CONNECT_WRITE_RESTART_FAILED, /* POST .../restart?includeTasks=true&onlyFailed=true */
	FX_CONNECT_WRITE_OFFSETS_DELETE, /* DELETE /connectors/{name}/offsets (3.6+, STOPPED) */
	FX_CONNECT_WRITE_CREATE_STOPPED, /* POST /connectors {..., initial_state: STOPPED} (3.7+) */
	FX_CONNECT_WRITE_KINDS
};

/* What the request carries. */
enum fx_connect_write_body {
	FX_CONNECT_BODY_NONE = 0,
	FX_CONNECT_BODY_CONFIG, /* the config object */
	FX_CONNECT_BODY_NAMED,  /* {"name": name, "config": {...}} */
	FX_CONNECT_BODY_NAMED_STOPPED, /* the same with "initial_state": "STOPPED" */
};

/* What connect.c reads to know whether a write is in effect. */
enum fx_connect_write_readback {
	FX_CONNECT_RB_CONFIG = 0, /* GET .../config: absent, or the same config or not */
	FX_CONNECT_RB_STATE,      /* GET .../status: MATCHES when the state is want_state
				   * (want_state NULL: neither PAUSED nor STOPPED) */
	FX_CONNECT_RB_OFFSETS,    /* GET .../offsets: MATCHES when none are stored */
	FX_CONNECT_RB_NONE,       /* nothing tells: PRESENT (a restart may be sent again) */
};

/* How a kind of write is sent and how its answers are read. */
struct fx_connect_write_rule {
	const char *method;
	int on_collection;        /* path /connectors, else /connectors/{name}{suffix} */
	const char *suffix;
	enum fx_connect_write_body body;
	int gone_is_done;         /* Connect's own 404 "not found" means in effect */
	int exists_rereads;       /* 409 "already exists" is read, not an error */
	int want_absent;          /* in effect when the read finds no connector */
	int differs_conflicts;    /* a read finding another config gives up (CONFLICT) */
	const char *conflict;     /* CONFLICT's message, after "connector 'NAME' " */
	enum fx_connect_write_readback readback;
	const char *want_state;   /* FX_CONNECT_RB_STATE */
};

extern const struct fx_connect_write_rule fx_connect_write_rules[FX_CONNECT_WRITE_KINDS];

/* What just happened. */
enum fx_connect_write_event {
	FX_CONNECT_EV_READY = 0, /* nothing sent yet, or a wait is over */
	FX_CONNECT_EV_ANSWER,    /* the write got an HTTP answer: status, message, connect_404 */
	FX_CONNECT_EV_NO_ANSWER, /* timeout, dropped connection: the outcome is unknown */
	FX_CONNECT_EV_READ,      /* the read of what is live is in: read */
};

/* What a read of the live connector found. */
enum fx_connect_read {
	FX_CONNECT_READ_FAILED = 0,  /* no good answer */
	FX_CONNECT_READ_INTERRUPTED,
	FX_CONNECT_READ_ABSENT,      /* no such connector */
	FX_CONNECT_READ_PRESENT,     /* there, not compared (the write has no body) */
	FX_CONNECT_READ_MATCHES,     /* there, as the write wants it */
	FX_CONNECT_READ_DIFFERS,     /* there, otherwise */
};

struct fx_connect_write_state {
	enum fx_connect_write_kind kind;
	/* carried from one call to the next */
	unsigned attempts;       /* writes sent so far (the adapter counts them) */
	int uncertain;           /* set here once an answer left the outcome unknown */
	/* the event */
	enum fx_connect_write_event event;
	long status;             /* ANSWER: the HTTP status */
	const char *message;     /* ANSWER: Connect's error message, or NULL */
	int connect_404;         /* ANSWER 404: Connect's own JSON "not found" body (not a
				  * starting worker's bare 404, which says nothing) */
	enum fx_connect_read read; /* READ */
	/* the retry budget, for a wait */
	long elapsed_ms;         /* since the write began */
	long budget_ms;
	unsigned jitter;         /* a random number (the adapter draws one each call) */
};

#define FX_CONNECT_WRITE_STATE_INIT { .kind = FX_CONNECT_WRITE_CREATE, .attempts = 0, \
		.uncertain = 0, .event = FX_CONNECT_EV_READY, .status = 0, .message = NULL, \
		.connect_404 = 0, .read = FX_CONNECT_READ_FAILED, .elapsed_ms = 0, \
		.budget_ms = 0, .jitter = 0 }

enum fx_connect_write_step {
	FX_CONNECT_STEP_SEND = 0, /* send the write now */
	FX_CONNECT_STEP_READ,     /* read what is live, then call again with READ */
	FX_CONNECT_STEP_WAIT,     /* sleep wait_ms, then call again with READY */
	FX_CONNECT_STEP_DONE,     /* in effect; noop: it already was, nothing of ours landed */
	FX_CONNECT_STEP_FAIL,     /* give up with the last error (an answer's or a read's) */
	FX_CONNECT_STEP_CONFLICT, /* give up: another config is live (the rule's conflict) */
	FX_CONNECT_STEP_SPENT,    /* give up: the next wait would pass the retry budget */
};

struct fx_connect_write_decision {
	enum fx_connect_write_step step;
	int noop;      /* DONE */
	long wait_ms;  /* WAIT, and SPENT: the wait that did not fit */
	int resend;    /* WAIT or SPENT after a read found the write not in effect */
};

/*
 * The next step (SPEC §4): a 2xx is done; 409/500 rebalance answers wait
 * (exponential backoff with jitter, within the budget) and send again;
 * "already exists" is read, never resent blindly; an unknown outcome
 * (timeout, dropped connection, Connect's "request timed out", a proxy's
 * 502-504, a starting worker's bare 404) is read before anything is sent
 * again; the kind's Connect 404 may mean done (delete).  Updates
 * st->uncertain.
 */
struct fx_connect_write_decision fx_connect_write_next(struct fx_connect_write_state *st);

/* The wait before sending again after `attempts` writes: 500 ms doubling to at
 * most 8 s, then between half of it and all of it by jitter. */
long fx_connect_write_backoff_ms(unsigned attempts, unsigned jitter);

const char *fx_connect_write_step_name(enum fx_connect_write_step s);

#endif

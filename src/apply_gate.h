/*
 * Whether apply may write (pure): the gates between a plan and the first
 * write, in order — a stale plan file, check errors, nothing to change,
 * deletes without --allow-destroy, resnapshots without --allow-resnapshot,
 * a Connect too old for what an alter needs, approval — as one decision with its exit
 * status, its apply-JSON status and message, and what stderr should say.
 * cmd_apply.c asks the question when told to and reports the stop in one
 * place.
 *
 * Ownership: everything in struct fx_apply_gate_in is lent for the call;
 * struct fx_apply_stop owns its says buffer (fx_apply_stop_release), its
 * other strings are static or lent from the input.
 */
#ifndef FX_APPLY_GATE_H
#define FX_APPLY_GATE_H

#include "plan.h"
#include "util/buf.h"

enum fx_apply_approval {
	FX_APPLY_NOT_ASKED = 0,
	FX_APPLY_APPROVED,       /* "yes" */
	FX_APPLY_DECLINED,       /* anything else, or end of input */
	FX_APPLY_ASK_INTERRUPTED,
};

struct fx_apply_gate_in {
	const struct fx_plan *plan;    /* computed now */
	const struct fx_plan *saved;   /* the plan file's plan, or NULL (no plan file) */
	const char *file;              /* the plan file's path, with saved */
	int allow_destroy;
	int allow_resnapshot;          /* resnapshot/breaking alters: refused without it */
	int reset_offsets;             /* --reset-offsets: a create over leftover offsets is
					* made STOPPED, they are deleted, then it is resumed */
	int auto_approve;
	int can_ask;                   /* stdin is a terminal */
	enum fx_apply_approval approval;
};

enum fx_apply_gate_step {
	FX_APPLY_GO = 0, /* write */
	FX_APPLY_ASK,    /* ask for "yes", then call again with the approval */
	FX_APPLY_STOP,   /* write nothing: stop says why */
};

struct fx_apply_stop {
	int code;             /* the exit status (0: nothing to do) */
	const char *status;   /* the apply JSON's status: blocked, stale, no-changes, failed, refused */
	const char *why;      /* the apply JSON's message, or NULL */
	struct fx_buf says;   /* stderr messages, each ending with a NUL (fx_apply_stop_next) */
	int nothing_to_do;    /* the plan has no alters (fx_render_apply_stop_text closes) */
	int plan_to_stderr;   /* the plan text on stderr first (a plan file's check errors) */
};

#define FX_APPLY_STOP_INIT { .code = 0, .status = NULL, .why = NULL, .says = FX_BUF_INIT, \
			     .nothing_to_do = 0, .plan_to_stderr = 0 }

enum fx_apply_gate_step fx_apply_gate(const struct fx_apply_gate_in *in, struct fx_apply_stop *stop);
void fx_apply_stop_release(struct fx_apply_stop *stop);

/*
 * What Kafka Connect must offer for apply to carry out alter ch with these
 * flags (SPEC §4: "features are used according to the Connect version"):
 *   FX_APPLY_NEEDS_INITIAL_STATE  a create over leftover offsets with
 *        --reset-offsets is created STOPPED (initial_state, 3.7), its offsets
 *        deleted (3.6), then resumed
 *   FX_APPLY_NEEDS_OFFSETS_DELETE  a resnapshot or breaking update with
 *        --allow-resnapshot is stopped (3.5), its offsets deleted (3.6),
 *        its config written, resumed
 *   FX_APPLY_NEEDS_NOTHING  anything else: a plain create (--keep-offsets
 *        included: it resumes from them), update, delete or restart
 */
enum fx_apply_needs {
	FX_APPLY_NEEDS_NOTHING = 0,
	FX_APPLY_NEEDS_INITIAL_STATE,
	FX_APPLY_NEEDS_OFFSETS_DELETE,
};

enum fx_apply_needs fx_apply_needs(const struct fx_change *ch, int allow_resnapshot,
				   int reset_offsets);

/*
 * Whether Connect, reporting ch->connect_version, can carry out ch as
 * fx_apply_needs says (pure): 0 yes; 1 no, with one message appended to why
 * (no NUL, no "apply: " in front) naming the connector, its cluster, the
 * version Connect reports and the version needed, and what to do instead.
 * A version that is absent, empty or not a version is refused when one is
 * needed: the message says it could not be read (a 404 or a "not STOPPED"
 * halfway through the writes is worse than a stop before them).
 */
int fx_apply_version_refuses(const struct fx_change *ch, int allow_resnapshot, int reset_offsets,
			     struct fx_buf *why);

/*
 * Adds a message to says for each connector the manifest wants that this
 * apply leaves unchanged and that is FAILED live (apply never restarts it, so
 * the run is not green).  Returns how many.
 */
size_t fx_apply_failed_unchanged(const struct fx_plan *p, struct fx_buf *says);
/* Adds one printf-style message to says. */
void fx_apply_say(struct fx_buf *says, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The message of says after prev (NULL: the first); NULL after the last. */
const char *fx_apply_said(const struct fx_buf *says, const char *prev);

#endif

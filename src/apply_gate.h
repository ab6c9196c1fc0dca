/*
 * Whether apply may write (pure): the gates between a plan and the first
 * write, in order — a stale plan file, check errors, nothing to change,
 * deletes without --allow-destroy, approval — as one decision with its exit
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
	int allow_resnapshot;          /* resnapshot/breaking alters: refused without it, and
					* with it too until the stop/reset/resume procedure exists */
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

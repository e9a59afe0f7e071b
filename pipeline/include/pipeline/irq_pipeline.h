/*
 * The two-stage interrupt pipeline (pipeline-semantics.md sections 1-5, 8).
 *
 * Each CPU runs on one of two stages, in-band (the general-purpose kernel) or oob (the real-time companion core),
 * and each stage has, per CPU, a stall bit and an IRQ log. Hardware interrupts enter through handle_irq_pipelined();
 * oob handlers run at once, in-band ones are logged and replayed when the in-band stage accepts them.
 */
#ifndef PIPELINE_IRQ_PIPELINE_H
#define PIPELINE_IRQ_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "pipeline/arch.h"
#include "pipeline/config.h"
#include "pipeline/trace_events.h"

#ifdef __cplusplus
extern "C" {
#endif

enum irq_stage {
	IRQ_STAGE_INBAND = 0,
	IRQ_STAGE_OOB = 1,
};

/*
 * What arch_report() is called about. Debug checks (built with PIPELINE_DEBUG) are reported once each per
 * pipeline_init(), then only counted; warnings and informations are always built in and reported every time.
 */
enum pipeline_report_kind {
	/* in-band-only routine (local_irq_*, irqs_disabled, sync_inband_irqs, request_irq, ...) called on the oob
	 * stage: oob code must never re-enter in-band code. */
	PIPELINE_DEBUG_INBAND_FROM_OOB = 0,
	/* local_irq_enable() or local_irq_restore() to unstalled, with hard irqs off. */
	PIPELINE_DEBUG_ENABLE_HARD_OFF = 1,
	/* posting to a log or synchronizing it with hard irqs on. */
	PIPELINE_DEBUG_HARD_IRQS_ON = 2,
	/* IRQ number out of range (posted, acknowledged, injected into a log, IPI or message number). */
	PIPELINE_DEBUG_IRQ_RANGE = 3,
	/* a handler returned on another stage than the one it was called on. */
	PIPELINE_DEBUG_STAGE_MIGRATION = 4,
	/* the oob stage was stalled when a hardware IRQ came in (impossible with hard irqs off): cleared. */
	PIPELINE_DEBUG_OOB_STALLED_ON_ENTRY = 5,
	/* an oob handler returned with hard irqs enabled: oob code must run with them off. Disabled again. */
	PIPELINE_DEBUG_OOB_HARD_ENABLED = 6,
	/* local_irq_restore() while the in-band stage is unstalled: a restore without its save (unbalanced). */
	PIPELINE_DEBUG_BOGUS_RESTORE = 7,
	PIPELINE_NR_DEBUG_CHECKS = 8,

	/* disable_oob_stage() called on the oob stage, or without an oob stage. */
	PIPELINE_WARN_DISABLE_OOB_STAGE = 16,
	/* free_irq() on a per-CPU IRQ (nothing done). */
	PIPELINE_WARN_FREE_PERCPU_IRQ = 17,
	/* free_percpu_irq() while the IRQ is enabled on some CPU (nothing done). */
	PIPELINE_WARN_FREE_ENABLED = 18,
	/* free_irq()/free_percpu_irq() of an action that is not there. */
	PIPELINE_WARN_FREE_UNKNOWN = 19,
	/* request refused with -EBUSY: the handlers of a line disagree on IRQF_SHARED, IRQF_OOB or IRQF_ONESHOT. */
	PIPELINE_WARN_FLAGS_MISMATCH = 20,
	/* enable_irq() of a line that is not disabled. */
	PIPELINE_WARN_UNBALANCED_ENABLE = 21,
	/* a line was disabled as spurious (PIPELINE_SPURIOUS_LIMIT unhandled interrupts in a window). */
	PIPELINE_WARN_SPURIOUS_IRQ = 22,
	/* irq_send_oob_ipi() with a number that is not an oob IPI, or irq_send_inband_ipi() with a bad message. */
	PIPELINE_WARN_BAD_IPI = 23,

	/* Assertion failures and panics (always built, reported every time; the offending call is refused). */
	/* xc_*() called outside thread context: from a hard interrupt handler (either stage), a soft interrupt, or
	 * the oob stage (section 9: "callers must be in thread context"). */
	PIPELINE_FAIL_XCALL_CONTEXT = 24,
	/* a high-priority xcall with an IPL that is not a soft IPL (NetBSD panics). */
	PIPELINE_FAIL_XCALL_IPL = 25,
	/* xc_unicast() to a CPU that is not online. */
	PIPELINE_FAIL_XCALL_CPU = 26,

	/* the oob stage was installed / removed; msg is its name. */
	PIPELINE_INFO_OOB_STAGE_ENABLED = 32,
	PIPELINE_INFO_OOB_STAGE_DISABLED = 33,
};

/* Reset everything (stages, logs, IRQ descriptors, reports) and size it for arch_num_cpus(). Called once by one CPU
 * before any other pipeline call, with the other CPUs not yet using it. Every CPU starts in-band, both stages
 * unstalled, no oob stage. */
void pipeline_init(void);

/* ---- IRQ entry and replay ---------------------------------------------------------------------------------------- */

/* The arch's interrupt trap calls this, hard irqs off. Returns true if the CPU is in-band and unstalled, i.e. the
 * arch may do its normal IRQ-exit work (preemption, soft interrupts). */
bool handle_irq_pipelined(void);

/* Companion-core hooks around the IRQ handling of handle_irq_pipelined() (hard irqs off). The defaults are empty
 * weak definitions: a companion core overrides them by defining its own. */
void irq_enter_pipeline(void);
void irq_exit_pipeline(void);

/* Replay what the current stage may replay now (section 3). Hard irqs off. */
void synchronize_pipeline(void);
/* Replay the log of the current stage if that stage is unstalled, and nothing else (in-band: the oob stall bit and
 * log are not looked at). Hard irqs off. */
void sync_current_irq_stage(void);
/* In-band: replay the in-band log now if the in-band stage is unstalled (and oob does not block it). */
void sync_inband_irqs(void);

/* Feed irq to the pipeline as if the hardware raised it (no ack, no EOI). -EINVAL if irq is not a valid number. */
int irq_inject_pipeline(unsigned int irq);
/* Mark irq pending in the current CPU's in-band / oob log. Hard irqs off. */
void irq_post_inband(unsigned int irq);
void irq_post_oob(unsigned int irq);

/* ---- Stages ------------------------------------------------------------------------------------------------------ */

int enable_oob_stage(const char *name);
void disable_oob_stage(void);
bool oob_stage_present(void);
const char *oob_stage_name(void); /* NULL without an oob stage */

/* True while interrupt handlers (of either stage, with the thread functions run after them) run on this CPU: hard
 * interrupt context. */
bool in_hardirq(void);

enum irq_stage current_irq_stage(void);
bool running_inband(void);
bool running_oob(void);
/* Switch the current CPU's stage (companion-core primitives; hard irqs off; stall bits untouched). */
void switch_oob(void);
void switch_inband(void);

/* Stage escalation (section 4). */
int run_oob_call(int (*fn)(void *arg), void *arg);

/* Idle entry for the in-band idle loop: with hard irqs off, replay the logs if anything is pending, else wait for
 * an interrupt (arch_idle) and take it. Called in-band, stalled or not; returns in-band unstalled with hard irqs on. */
void inband_idle(void);

/* ---- Introspection (tests, firmware self-checks, debuggers) ------------------------------------------------------ */

bool pipeline_stage_stalled(unsigned int cpu, enum irq_stage stage);
bool pipeline_irq_logged(unsigned int cpu, enum irq_stage stage, unsigned int irq);
bool pipeline_log_pending(unsigned int cpu, enum irq_stage stage);
/* The IRQ a replay of that log would run first, or -1 if the log is empty. */
int pipeline_log_first(unsigned int cpu, enum irq_stage stage);
enum irq_stage pipeline_cpu_stage(unsigned int cpu);
/* How many times a debug check of that kind failed since pipeline_init() (reported or not). */
unsigned int pipeline_debug_count(enum pipeline_report_kind kind);

#ifdef __cplusplus
}
#endif

#endif /* PIPELINE_IRQ_PIPELINE_H */

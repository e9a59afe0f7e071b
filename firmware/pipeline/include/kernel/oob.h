/*
 * The companion core: out-of-band threads (docs/kernel.md, "The companion core").
 *
 * Pipelined kernel: oob threads run on the oob stage, with hard irqs on and the oob stage unstalled, above the whole
 * in-band kernel (which the core sees as one "root" context per CPU). Each CPU has its own oob run queue with fixed
 * priorities (higher number first; a preempted thread keeps its place at the head of its priority). The core uses
 * the pipeline's hooks the way a real one does: irq_enter_pipeline() sets RQ_IRQ (no rescheduling while the IRQ is
 * being handled), an oob wake-up during the IRQ only marks RQ_SCHED, and irq_exit_pipeline() clears RQ_IRQ and,
 * with RQ_SCHED pending, switches to the highest-priority ready oob thread. When that thread blocks, the next ready
 * oob thread runs, or the root context, which finishes its IRQ entry (back in-band, log replay). A wake-up from an
 * oob thread switches at once if it must; one for another CPU, or from in-band code, goes through
 * RESCHEDULE_OOB_IPI so that the switch happens at that CPU's irq_exit_pipeline().
 *
 * Classic kernel (no oob stage): the same API gives in-band kernel threads at priority KTHREAD_PRIO_OOB_BASE + prio,
 * above every other thread, woken from the (hard-irqs-off) IRQ handlers and switched in by the scheduler at the
 * IRQ exit: what a real-time thread gets from a kernel without a pipeline.
 */
#ifndef KERNEL_OOB_H
#define KERNEL_OOB_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/sched.h"

#ifdef __cplusplus
extern "C" {
#endif

#define OOB_PRIO_MIN 1
#define OOB_PRIO_MAX 99

/* The run-queue flags (per CPU). */
#define RQ_IRQ 0x1u	/* an IRQ is being handled (irq_enter_pipeline .. irq_exit_pipeline): reschedule later */
#define RQ_SCHED 0x2u	/* a reschedule is pending */

/* A counting event an oob thread waits for. */
struct oob_event {
	kspinlock_t lock;
	uint32_t count;		/* signals nobody waited for yet */
	struct kthread *waiter;	/* pipelined: the oob thread blocked on it */
	struct waitq wq;	/* classic: the thread sleeping on it */
};

#define OOB_EVENT_INIT { KSPINLOCK_INIT, 0, 0, WAITQ_INIT }

void oob_event_init(struct oob_event *ev);
/* Wake the waiter, or count the signal. From an oob IRQ handler or oob thread (any CPU), or in-band code. */
void oob_event_signal(struct oob_event *ev);
/* From the oob thread that owns the event: return at once if a signal is counted, else block until one. */
void oob_event_wait(struct oob_event *ev);

/*
 * Create an oob thread on cpu running fn(arg), priority OOB_PRIO_MIN..OOB_PRIO_MAX; it runs until it first blocks
 * before this returns if cpu is the caller's. Pipelined: needs the oob stage (enable_oob_stage()); NULL without it
 * or if the thread pool is exhausted. In-band thread context.
 */
struct kthread *oob_thread_create(unsigned int cpu, const char *name, int prio, void (*fn)(void *arg), void *arg);
/* The oob thread running on this CPU, or NULL when the root (in-band) context runs. */
struct kthread *oob_current(void);

struct oob_rq_stats {
	uint32_t switches;	/* oob context switches on the CPU (root <-> oob thread, oob <-> oob) */
	uint32_t wakeups;
	uint32_t deferred;	/* wake-ups in an IRQ, whose switch waited for irq_exit_pipeline() */
};
void oob_stats(unsigned int cpu, struct oob_rq_stats *out);

/* The kernel's: CPU 0 at boot; every CPU. */
void oob_core_init(void);
void oob_core_init_cpu(unsigned int cpu);

#ifdef __cplusplus
}
#endif

#endif /* KERNEL_OOB_H */

/*
 * The host fake of the kernel interface xcall needs (pipeline/kern.h), on top of the fake machine (fake_arch.h):
 * single-threaded and deterministic, like it.
 *
 * - The xcall lock stalls the in-band stage (local_irq_save) and checks it is never taken twice (a deadlock).
 * - Threads do not exist: the xcall thread of a CPU runs when the test says (fake_kern_run_thread: xc_thread_step()
 *   without blocking, on that CPU). A sleep (kern_xc_sleep) releases the lock and calls the sleep hook, which must
 *   make progress by running other CPUs' work (the default runs every CPU's soft interrupts and xcall thread,
 *   fake_kern_run_all()); then the sleeper's CPU runs again and it takes the lock back. A sleep loop that never
 *   ends is reported as a deadlock (abort).
 * - Soft interrupts: kern_xc_softint_raise(ipl) marks the IPL pending on the CPU and runs it at once if that CPU is
 *   in thread context with nothing masking it (in-band, unstalled, hard irqs on, no handler or soft interrupt
 *   running, lock not held), like the firmware kernel; otherwise at the next IRQ exit (the fake arch's exit hook,
 *   installed by fake_kern_reset) or fake_kern_run_softints(). Highest IPL first; each runs xc_softint().
 *
 * Everything is recorded, in the fake arch's sequence numbering (fake_next_seq).
 */
#ifndef PIPELINE_FAKE_KERN_H
#define PIPELINE_FAKE_KERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum fake_kern_kind {
	FAKE_KERN_SLEEP,	/* arg: channel */
	FAKE_KERN_WAKEUP,	/* arg: channel */
	FAKE_KERN_RAISE,	/* arg: ipl */
	FAKE_KERN_SOFTINT,	/* a soft interrupt ran, arg: ipl */
	FAKE_KERN_THREAD,	/* the xcall thread ran a call */
};

struct fake_kern_rec {
	unsigned long seq;
	unsigned int cpu;
	enum fake_kern_kind kind;
	unsigned int arg;
};

/* After fake_reset(): online, nothing pending, default sleep hook, records cleared, IRQ-exit hook installed. */
void fake_kern_reset(void);
void fake_kern_set_mp_online(bool online);
/* hook(cpu, chan) runs while cpu sleeps on chan; NULL restores the default (fake_kern_run_all). */
void fake_kern_set_sleep_hook(void (*hook)(unsigned int cpu, unsigned int chan));

/* Run cpu's xcall thread until it has nothing pending; returns the calls it ran. The current CPU is kept. */
unsigned int fake_kern_run_thread(unsigned int cpu);
/* Run cpu's pending soft interrupts (as if at IRQ exit, in-band unstalled, hard irqs on); returns how many. */
unsigned int fake_kern_run_softints(unsigned int cpu);
/* Every CPU's soft interrupts and xcall thread, again until nothing runs; returns how much ran. */
unsigned int fake_kern_run_all(void);
/* Pending soft IPLs of cpu, bit ipl. */
unsigned int fake_kern_softints_pending(unsigned int cpu);
/* Run fn on the current CPU as if in a soft interrupt of level ipl. */
void fake_kern_as_softint(unsigned int ipl, void (*fn)(void *), void *arg);

size_t fake_kern_nr_recs(void);
const struct fake_kern_rec *fake_kern_rec(size_t i);
void fake_kern_clear_records(void);
/* How many records of that kind (on cpu, or any CPU if cpu is -1; with arg, or any if arg is -1). */
unsigned int fake_kern_count(enum fake_kern_kind kind, int cpu, int arg);

#ifdef __cplusplus
}
#endif

#endif /* PIPELINE_FAKE_KERN_H */

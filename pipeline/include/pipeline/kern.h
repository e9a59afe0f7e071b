/*
 * What xcall (pipeline/xcall.c) needs from the kernel it runs on: a lock, sleep and wake-up on a channel, the
 * per-CPU xcall threads, soft interrupts, and two facts about the calling context. Like arch.h, a plain set of
 * extern functions: the firmware kernel implements them (firmware/pipeline/), the host tests' fake does too
 * (pipeline/host/fake_kern.c). The rest of the pipeline needs none of them.
 *
 * Contract:
 * - The xcall lock is one lock for all of xcall's shared state, taken in thread or soft-interrupt context, never
 *   in a hard interrupt handler. Holding it keeps the CPU from running soft interrupts and from switching threads
 *   (the firmware: a spinlock taken with the in-band stage stalled, i.e. local_irq_save()).
 * - kern_xc_sleep(chan) is NetBSD's cv_wait(): called in thread context with the lock held; it releases the lock,
 *   blocks the thread until a kern_xc_wakeup(chan) made after the release, and takes the lock again. It may return
 *   early (the caller checks its condition again). kern_xc_wakeup(chan) wakes every thread sleeping on chan; it is
 *   called with the lock held, from thread or soft-interrupt context. Channels are small numbers (XC_CHAN_*).
 * - The low-priority threads: the kernel runs xc_thread() in a thread "xcall/N" bound to each CPU N, which sleeps
 *   on XC_CHAN_THREAD(N); a wake-up of that channel from another CPU must get the thread running there (the kernel
 *   sends its own reschedule IPI if it needs one).
 * - kern_xc_softint_raise(ipl) raises, on the calling CPU, the kernel's xcall soft interrupt of that soft IPL, which
 *   runs xc_softint() in soft-interrupt context as soon as the CPU allows it (at once if the caller is in thread
 *   context with nothing masking it; else at the next IRQ exit or unmasking). Called in thread context or from an
 *   in-band hard interrupt handler.
 */
#ifndef PIPELINE_KERN_H
#define PIPELINE_KERN_H

#include <stdbool.h>

#include "pipeline/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sleep channels. */
#define XC_CHAN_LOW 0			/* the low-priority slot: busy -> idle, calls completed */
#define XC_CHAN_HIGH 1			/* the high-priority slot */
#define XC_CHAN_THREAD(cpu) (2 + (cpu))	/* xcall/N: a low-priority call is pending for CPU N */
#define XC_NR_CHANS (2 + PIPELINE_MAX_CPUS)

void kern_xc_lock(void);
void kern_xc_unlock(void);
void kern_xc_sleep(unsigned int chan);
void kern_xc_wakeup(unsigned int chan);
void kern_xc_softint_raise(unsigned int ipl);

/* False until every CPU is online (cold boot: xcall runs calls synchronously). */
bool kern_xc_mp_online(void);
/* The calling CPU runs a soft interrupt. (Hard interrupt context is the pipeline's own in_hardirq().) */
bool kern_in_softint(void);

#ifdef __cplusplus
}
#endif

#endif /* PIPELINE_KERN_H */

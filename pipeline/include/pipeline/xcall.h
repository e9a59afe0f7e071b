/*
 * Cross calls (pipeline-semantics.md section 9): NetBSD's xcall(9), over the pipeline's in-band IPIs.
 *
 * xc_broadcast() / xc_unicast() ask every CPU / one CPU to run func(arg1, arg2) and return a ticket; xc_wait(ticket)
 * blocks until the call has run everywhere. Two independent slots, one per priority, each a producer counter (headp)
 * and a completion counter (donep): a call adds its number of targets to headp and returns the new headp as its
 * ticket, every target that has run func adds 1 to donep, and the call is complete when donep >= ticket. A slot
 * holds one call at a time: a new call on a busy slot (headp != donep) waits until it is idle (no queueing); a low
 * and a high call never wait for each other.
 *
 * - Low priority (flags 0): func runs in the per-CPU kernel thread "xcall/N" (thread context, in-band; it may block
 *   briefly). Its targets are woken with the kernel's thread wake-up, no IPI of xcall's own.
 * - High priority (XC_HIGHPRI, or XC_HIGHPRI_IPL(ipl)): func runs from a software interrupt of that soft IPL
 *   (default IPL_SOFTSERIAL; any other IPL is a panic: reported, the call refused, ticket 0). The calling CPU is
 *   served directly (its soft interrupt raised at once, no IPI); the others get the in-band IPI message XC_IPI_MSG,
 *   whose handler raises the soft interrupt there; broadcast = IPI to all others + local. High tickets carry bit 63
 *   (XC_PRI_BIT), so xc_wait() knows the slot.
 * - Callers must be in thread context: an xc_*() call from a hard interrupt handler (either stage), a soft
 *   interrupt or the oob stage is an assertion failure (PIPELINE_FAIL_XCALL_CONTEXT, reported every time) and is
 *   refused (ticket 0; xc_wait returns at once).
 * - Cold boot: until the kernel says the secondary CPUs are online (kern_xc_mp_online()), a call runs func on the
 *   calling CPU, synchronously, and returns ticket 0.
 *
 * What xcall needs from the kernel (threads, sleep/wake-up on a channel, soft interrupts) is pipeline/kern.h; the
 * kernel calls back xc_init(), xc_init_cpu(), xc_thread() and xc_softint() (below).
 */
#ifndef PIPELINE_XCALL_H
#define PIPELINE_XCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "pipeline/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Interrupt priority levels, NetBSD's order: the four soft IPLs are the only ones a software interrupt has. */
#define IPL_NONE 0
#define IPL_SOFTCLOCK 1
#define IPL_SOFTBIO 2
#define IPL_SOFTNET 3
#define IPL_SOFTSERIAL 4
#define IPL_VM 5
#define IPL_SCHED 6
#define IPL_HIGH 7
#define IPL_SOFT_FIRST IPL_SOFTCLOCK
#define IPL_SOFT_LAST IPL_SOFTSERIAL
#define IPL_IS_SOFT(ipl) ((ipl) >= IPL_SOFT_FIRST && (ipl) <= IPL_SOFT_LAST)

typedef void (*xcfunc_t)(void *arg1, void *arg2);

/* flags: 0 is low priority. XC_HIGHPRI_IPL(ipl) puts the IPL in bits 8-15; IPL field 0 means IPL_SOFTSERIAL. */
#define XC_HIGHPRI 0x01u
#define XC_IPL_SHIFT 8
#define XC_IPL_MASK 0xff00u
#define XC_HIGHPRI_IPL(ipl) (XC_HIGHPRI | (((unsigned int)(ipl) << XC_IPL_SHIFT) & XC_IPL_MASK))

/* Bit 63 of a ticket: the call is in the high-priority slot. */
#define XC_PRI_BIT (UINT64_C(1) << 63)

/* The in-band IPI message high-priority calls use (the kernel may not use it for anything else). */
#ifndef XC_IPI_MSG
#define XC_IPI_MSG 6
#endif

/* The trace value of a ticket: bits 30..0 of the ticket, bit 31 = bit 63 (high priority). */
#define XC_TICKET_TRACE(t) ((uint32_t)((t) & UINT64_C(0x7fffffff)) | (uint32_t)((t) >> 63) << 31)

uint64_t xc_broadcast(unsigned int flags, xcfunc_t func, void *arg1, void *arg2);
uint64_t xc_unicast(unsigned int flags, xcfunc_t func, void *arg1, void *arg2, unsigned int cpu);
void xc_wait(uint64_t ticket);
/* xc_wait(xc_broadcast(flags, <nothing>, NULL, NULL)): every CPU went through the slot once. */
void xc_barrier(unsigned int flags);

/* ---- For the kernel -------------------------------------------------------------------------------------------- */

/* Once, after pipeline_init() and before any other CPU uses xcall: reset both slots, request the IPI message's
 * per-CPU IRQ. 0 or the request's error. */
int xc_init(void);
/* On every CPU, in-band: enable the IPI message's IRQ there. */
void xc_init_cpu(void);
/* The body of the kernel thread "xcall/N" of CPU N: never returns. */
void xc_thread(void);
/*
 * One round of that thread: with the xcall lock, wait (kern_xc_sleep, if block) until a low-priority call is
 * pending for this CPU, then run it and count it done. Without block, returns false at once if nothing is pending.
 * xc_thread() is `for (;;) xc_thread_step(true);` (the host tests call it with false).
 */
bool xc_thread_step(bool block);
/* What the kernel's xcall soft interrupt runs (at the IPL it was raised for), in soft-interrupt context. */
void xc_softint(void);
/* Whether a call of that slot is pending for cpu (kernel self-checks, tests). */
bool xc_pending(unsigned int cpu, bool high);

/* Introspection: the counters of a slot (tests). */
uint64_t xc_headp(bool high);
uint64_t xc_donep(bool high);

#ifdef __cplusplus
}
#endif

#endif /* PIPELINE_XCALL_H */

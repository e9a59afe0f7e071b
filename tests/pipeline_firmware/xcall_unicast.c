/*
 * Unicast cross calls, the cold-boot rule and xc_wait() on a completed ticket (pipeline-semantics.md section 9).
 *
 *  1. Cold boot (kernel_early_init(), CPU 0, before the other CPUs are released): xc_broadcast() and xc_unicast()
 *     of both priorities run the function at once on the calling CPU, in the caller's context, and return ticket 0;
 *     no SGI, no slot touched.
 *  2. Unicast to self sends no SGI: low priority runs in xcall/0, which preempts the caller before xc_unicast()
 *     returns; high priority runs from CPU 0's soft interrupt, also before it returns.
 *  3. Unicast to another CPU: exactly one SGI (low: the reschedule IPI that wakes xcall/2; high: the xcall IPI
 *     message), the function runs there only.
 *  4. xc_wait() on a completed ticket returns at once: no context switch, and a constant handful of cycles, the
 *     same for a low and a high ticket and for an old ticket; xc_wait() on a call still running waits for it.
 */
#include "pfwtest.h"

#define SLOW_WORK	3000u
#define MAX_FAST_WAIT	600u	/* cycles of xc_wait() on a completed ticket: the lock, the checks (measured: 351) */

static volatile uint32_t phase;

static volatile struct {
	uint32_t count, cpu, start;
	bool thread, softint, stalled, hard_off, xcall_thread;
} runs[16];
static volatile uint32_t nruns;

static void xc_fn(void *arg1, void *arg2)
{
	uint32_t i = amo_add(&nruns, 1);
	unsigned int cpu = hartid();

	(void)arg1;
	runs[i].start = cycles();
	runs[i].cpu = cpu;
	runs[i].softint = in_softint();
	runs[i].stalled = pipeline_stage_stalled(cpu, IRQ_STAGE_INBAND);
	runs[i].hard_off = hard_irqs_disabled();
	runs[i].thread = !in_hardirq() && !in_softint();
	runs[i].xcall_thread = this_sched()->ready && kthread_current() == kernel_xcall_thread(cpu);
	if (arg2)
		spin_until(runs[i].start, (uint32_t)(uintptr_t)arg2);
	runs[i].count++;
}

static volatile uint64_t cold_tickets[4];
static volatile uint32_t cold_sgis;

/* CPU 0, at boot, hard irqs off, the others not released yet. */
void kernel_early_init(void)
{
	uint32_t sgis = this_kernel_cpu()->sgis_sent;

	cold_tickets[0] = xc_broadcast(0, xc_fn, NULL, NULL);
	cold_tickets[1] = xc_unicast(0, xc_fn, NULL, NULL, 3);
	cold_tickets[2] = xc_broadcast(XC_HIGHPRI, xc_fn, NULL, NULL);
	cold_tickets[3] = xc_unicast(XC_HIGHPRI_IPL(IPL_SOFTNET), xc_fn, NULL, NULL, 2);
	xc_wait(cold_tickets[0]);
	cold_sgis = this_kernel_cpu()->sgis_sent - sgis;
}

static void check_cold(void)
{
	for (unsigned int i = 0; i < 4; i++) {
		CHECK(cold_tickets[i] == 0, "cold call %u: ticket not 0", i);
		CHECK_EQ("cold call: on the calling cpu", runs[i].cpu, 0);
		CHECK_EQ("cold call: ran once", runs[i].count, 1);
		CHECK(runs[i].thread && !runs[i].softint, "cold call %u: not in the caller's context", i);
		CHECK(runs[i].hard_off, "cold call %u: kernel_early_init() runs with hard irqs off", i);
	}
	CHECK_EQ("SGIs sent by cold calls", cold_sgis, 0);
	CHECK(xc_headp(false) == 0 && xc_headp(true) == 0, "slots touched by cold calls");
	printf("xcall_unicast: cold boot: 4 calls ran synchronously on cpu 0 with ticket 0, no SGI\n");
}

/* One unicast: returns the SGIs CPU 0 sent for it; *ran_before: the function ran before xc_unicast() returned. */
static uint32_t unicast(unsigned int flags, unsigned int target, uint64_t expected_ticket, bool *ran_before)
{
	uint32_t sgis = this_kernel_cpu()->sgis_sent, n = nruns;
	uint64_t t = xc_unicast(flags, xc_fn, NULL, NULL, target);

	*ran_before = nruns == n + 1;
	CHECK(t == expected_ticket, "unicast to cpu %u, flags %u: ticket %s%u", target, flags,
	      t & XC_PRI_BIT ? "hi|" : "", (unsigned int)(t & ~XC_PRI_BIT));
	xc_wait(t);
	CHECK_EQ("function runs per unicast", nruns, n + 1);
	CHECK_EQ("unicast: target cpu", runs[n].cpu, target);
	CHECK_EQ("unicast: in-band stalled in the function", runs[n].stalled, 0);
	CHECK_EQ("unicast: hard irqs off in the function", runs[n].hard_off, 0);
	if (flags & XC_HIGHPRI)
		CHECK(runs[n].softint, "high-priority unicast to cpu %u: not in a soft interrupt", target);
	else
		CHECK(runs[n].xcall_thread, "low-priority unicast to cpu %u: not in xcall/%u", target, target);
	return this_kernel_cpu()->sgis_sent - sgis;
}

/* Cycles of xc_wait(t), and the context switches meanwhile. */
static uint32_t timed_wait(uint64_t t, uint32_t *switches)
{
	uint32_t sw = this_sched()->switches, start = cycles();

	xc_wait(t);
	start = cycles() - start;
	*switches = this_sched()->switches - sw;
	return start;
}

int kernel_main(unsigned int cpu)
{
	uint32_t sgis, sw, fast[3], slow;
	bool before;
	uint64_t lo, hi, pending;

	if (cpu != 0) {
		WAIT_UNTIL(phase == 1, "the end of the test");
		return 0;
	}
	check_cold();
	nruns = 4;

	sgis = unicast(0, 0, 1, &before);
	printf("xcall_unicast: low-priority unicast to self: %u SGIs, ran %s xc_unicast() returned\n",
	       (unsigned int)sgis, before ? "before" : "after");
	CHECK_EQ("SGIs of a low-priority unicast to self", sgis, 0);
	CHECK(before, "low-priority unicast to self: xcall/0 did not preempt the caller");
	sgis = unicast(XC_HIGHPRI, 0, XC_PRI_BIT | 1, &before);
	printf("xcall_unicast: high-priority unicast to self: %u SGIs, ran %s xc_unicast() returned\n",
	       (unsigned int)sgis, before ? "before" : "after");
	CHECK_EQ("SGIs of a high-priority unicast to self", sgis, 0);
	CHECK(before, "high-priority unicast to self: not served directly");

	sgis = unicast(0, 2, 2, &before);
	CHECK_EQ("SGIs of a low-priority unicast to cpu 2 (its reschedule IPI)", sgis, 1);
	sgis = unicast(XC_HIGHPRI, 2, XC_PRI_BIT | 2, &before);
	CHECK_EQ("SGIs of a high-priority unicast to cpu 2 (the xcall IPI)", sgis, 1);
	printf("xcall_unicast: unicast to cpu 2: one SGI for each priority\n");

	/* xc_wait() on completed tickets. */
	lo = xc_unicast(0, xc_fn, NULL, NULL, 1);
	hi = xc_unicast(XC_HIGHPRI, xc_fn, NULL, NULL, 3);
	xc_wait(lo);
	xc_wait(hi);
	fast[0] = timed_wait(lo, &sw);
	CHECK_EQ("context switches in xc_wait() on a completed low ticket", sw, 0);
	fast[1] = timed_wait(hi, &sw);
	CHECK_EQ("context switches in xc_wait() on a completed high ticket", sw, 0);
	fast[2] = timed_wait(1, &sw);
	CHECK_EQ("context switches in xc_wait() on an old ticket", sw, 0);
	pending = xc_unicast(0, xc_fn, NULL, (void *)(uintptr_t)SLOW_WORK, 1);
	slow = timed_wait(pending, &sw);
	printf("xcall_unicast: xc_wait() on a completed ticket: %u cycles (low), %u (high), %u (old); on a call "
	       "still running: %u cycles, %u context switches\n", (unsigned int)fast[0], (unsigned int)fast[1],
	       (unsigned int)fast[2], (unsigned int)slow, (unsigned int)sw);
	CHECK(fast[0] < MAX_FAST_WAIT, "xc_wait() on a completed ticket took %u cycles", (unsigned int)fast[0]);
	CHECK_EQ("xc_wait() on completed tickets: high vs low", fast[1], fast[0]);
	CHECK_EQ("xc_wait() on completed tickets: old vs low", fast[2], fast[0]);
	CHECK(slow > SLOW_WORK, "xc_wait() on a running call returned after %u cycles", (unsigned int)slow);
	CHECK(sw >= 2, "xc_wait() on a running call: %u context switches (main/0 sleeps)", (unsigned int)sw);

	phase = 1;
	pfw_check_no_debug_reports();
	printf("xcall_unicast: PASS (%u cpus)\n", kernel_cpus());
	return 0;
}

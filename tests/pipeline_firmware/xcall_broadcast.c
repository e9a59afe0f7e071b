/*
 * Broadcast cross calls, low and high priority, on 4 CPUs (pipeline-semantics.md section 9): where and how the
 * function runs on each CPU, the tickets, the IPIs, and the exact order in which the call completes.
 *
 * CPU 0 issues, CPUs 1-3 spin in their main thread (in-band, unstalled: preemptible at the IRQ exit).
 *  1. Low priority (flags 0): the function runs in each CPU's xcall/N thread (thread context, not a handler or a
 *     soft interrupt, in-band unstalled, hard irqs on). CPU 0's own thread has a higher priority than main/0, so it
 *     preempts the caller as soon as xc_broadcast() drops the xcall lock: CPU 0 is served first, before
 *     xc_broadcast() returns. The others are woken through the kernel's reschedule IPI, one SGI to all three sent
 *     once the lock is dropped: they take it at the same cycle and meet at the xcall lock, whose AMO goes to the
 *     lowest CPU first, so they follow in the order 1, 2, 3. Ticket 4 (headp 0 + 4 CPUs).
 *  2. High priority (XC_HIGHPRI): one SGI carries the xcall IPI message to CPUs 1-3, then CPU 0 is served directly
 *     from its soft interrupt (IPL_SOFTSERIAL), before xc_broadcast() returns; the others run it from their soft
 *     interrupt at the IPI's IRQ exit. Ticket XC_PRI_BIT | 4.
 *  3. xc_barrier() of both priorities: every CPU goes through the slot once more (tickets 8, XC_PRI_BIT | 8).
 * For each call: the completion order (the order of the function's ends, from an atomic counter) is checked against
 * the recorded cycles, and for the low-priority call against the expected 0, 1, 2, 3; the high-priority one starts
 * with CPU 0, the others follow in the order the xcall lock lets them through. xc_wait() returns after the last
 * end; headp = donep = ticket.
 * The CTest also checks the trace (xcall_issue, xcall_func_start/end, xcall_wait_return events) with
 * check_xcall_events.py.
 */
#include "pfwtest.h"

#define WORK		300u	/* cycles each function runs */
#define NCALLS		2

enum { LOW, HIGH };

static volatile uint32_t phase;
static volatile uint32_t order_counter;

static volatile struct run {
	uint32_t count;
	uint32_t start, end, order;
	uint32_t bad_context;
} runs[NCALLS][OOBSIM_MAX_HARTS];

static void xc_fn(void *arg1, void *arg2)
{
	unsigned int call = (unsigned int)(uintptr_t)arg1, cpu = hartid();
	volatile struct run *r = &runs[call][cpu];
	uint32_t start = cycles();
	bool ok;

	(void)arg2;
	r->start = start;
	ok = running_inband() && !in_hardirq() && !irqs_disabled() && !hard_irqs_disabled();
	if (call == LOW)
		ok = ok && !in_softint() && kthread_current() == kernel_xcall_thread(cpu);
	else
		ok = ok && in_softint() && curipl() == IPL_SOFTSERIAL && kthread_current() == this_sched()->main;
	if (!ok)
		r->bad_context++;
	spin_until(start, WORK);
	r->order = amo_add(&order_counter, 1);
	r->end = cycles();
	r->count++;
}

struct result {
	uint64_t ticket;
	uint32_t issued, returned, waited;	/* cycles: before xc_broadcast(), after it, after xc_wait() */
	uint32_t sgis;				/* SGIs CPU 0 sent for the call */
};

static void broadcast(unsigned int call, unsigned int flags, struct result *res)
{
	uint32_t sgis = this_kernel_cpu()->sgis_sent;

	order_counter = 0;
	res->issued = cycles();
	res->ticket = xc_broadcast(flags, xc_fn, (void *)(uintptr_t)call, NULL);
	res->returned = cycles();
	xc_wait(res->ticket);
	res->waited = cycles();
	res->sgis = this_kernel_cpu()->sgis_sent - sgis;
}

/*
 * The completion order is the order of the atomic counter taken at each function's end. It must agree with the
 * recorded cycles (each end after the previous one, all before xc_wait() returned) and start with the calling CPU,
 * which is served before xc_broadcast() returns. It is printed as an "XCALL-ORDER <ticket trace value> <cpus>"
 * line, which check_xcall_events.py compares with the order of the xcall_func_end events of the trace.
 */
static void check_call(const char *name, unsigned int call, const struct result *res, uint64_t ticket,
		       const unsigned int *expected)
{
	unsigned int order[OOBSIM_MAX_HARTS], n = kernel_cpus();
	uint32_t last_end = 0;

	CHECK(res->ticket == ticket, "%s: ticket 0x%08x%08x", name, (unsigned int)(res->ticket >> 32),
	      (unsigned int)res->ticket);
	for (unsigned int i = 0; i < n; i++)
		order[i] = ~0u;
	for (unsigned int cpu = 0; cpu < n; cpu++) {
		const volatile struct run *r = &runs[call][cpu];

		CHECK_EQ("function runs on the cpu", r->count, 1);
		CHECK_EQ("function calls in the wrong context", r->bad_context, 0);
		CHECK(r->order < n && order[r->order] == ~0u, "%s: cpu %u: completion #%u", name, cpu,
		      (unsigned int)r->order);
		order[r->order] = cpu;
	}
	printf("xcall_broadcast: %s: ticket %s%u, completion order", name, ticket & XC_PRI_BIT ? "hi|" : "",
	       (unsigned int)(ticket & ~XC_PRI_BIT));
	for (unsigned int i = 0; i < n; i++)
		printf(" %u (start +%u, end +%u)", order[i], (unsigned int)(runs[call][order[i]].start - res->issued),
		       (unsigned int)(runs[call][order[i]].end - res->issued));
	printf("; xc_broadcast() returned +%u, xc_wait() +%u; %u SGI%s\n", (unsigned int)(res->returned - res->issued),
	       (unsigned int)(res->waited - res->issued), (unsigned int)res->sgis, res->sgis == 1 ? "" : "s");
	printf("XCALL-ORDER 0x%08x", (unsigned int)XC_TICKET_TRACE(ticket));
	for (unsigned int i = 0; i < n; i++)
		printf(" %u", order[i]);
	printf("\n");
	for (unsigned int i = 0; i < n; i++) {
		const volatile struct run *r = &runs[call][order[i]];

		CHECK(r->end - res->issued > last_end, "%s: cpu %u ended before the previous one", name, order[i]);
		last_end = r->end - res->issued;
		CHECK(r->start - res->issued < r->end - res->issued, "%s: cpu %u: start after end", name, order[i]);
		if (expected)
			CHECK(order[i] == expected[i], "%s: completion #%u is cpu %u, expected cpu %u", name, i, order[i],
			      expected[i]);
	}
	CHECK(last_end < res->waited - res->issued, "%s: xc_wait() returned before the last end", name);
	CHECK_EQ("the calling cpu completes first", order[0], 0);
	CHECK(runs[call][0].end - res->issued < res->returned - res->issued, "%s: cpu 0 not served at once", name);
}

int kernel_main(unsigned int cpu)
{
	static const unsigned int low_order[OOBSIM_MAX_HARTS] = { 0, 1, 2, 3 };
	struct result low, high;

	if (cpu != 0) {
		/* In-band, unstalled, busy: the xcalls preempt this thread (low) or interrupt it (high). */
		WAIT_UNTIL(phase == 1, "the end of the calls");
		return 0;
	}
	CHECK(kernel_cpus() == 4, "needs 4 cpus, has %u", kernel_cpus());
	CHECK(kernel_mp_online(), "cpus online");

	broadcast(LOW, 0, &low);
	broadcast(HIGH, XC_HIGHPRI, &high);
	xc_barrier(0);
	xc_barrier(XC_HIGHPRI);
	phase = 1;

	check_call("low priority", LOW, &low, 4, low_order);
	CHECK_EQ("SGIs for a low-priority broadcast (one reschedule IPI to every other cpu)", low.sgis, 1);
	check_call("high priority", HIGH, &high, XC_PRI_BIT | 4, NULL);
	/* The remote ones take the IPI at the same cycle and meet at the xcall lock; its arbitration decides. */
	for (unsigned int cpu = 1; cpu < kernel_cpus(); cpu++)
		CHECK(runs[HIGH][cpu].start - high.issued > high.returned - high.issued,
		      "high priority: cpu %u started before xc_broadcast() returned", cpu);
	CHECK_EQ("SGIs for a high-priority broadcast (one, to every other cpu)", high.sgis, 1);
	CHECK(xc_headp(false) == 8 && xc_donep(false) == 8, "low slot after the barrier");
	CHECK(xc_headp(true) == 8 && xc_donep(true) == 8, "high slot after the barrier");
	pfw_check_no_debug_reports();
	printf("xcall_broadcast: PASS (%u cpus)\n", kernel_cpus());
	return 0;
}

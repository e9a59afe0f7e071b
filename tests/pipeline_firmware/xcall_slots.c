/*
 * One slot per priority (pipeline-semantics.md section 9): a low-priority call waits while the low slot is busy,
 * a high-priority call meanwhile goes through.
 *
 *  - CPU 0 issues low-priority call A to CPU 3, whose function blocks (spins in xcall/3) until CPU 0 releases it.
 *  - CPU 1 then issues low-priority call B to CPU 2: the slot is busy (A not done), so xc_unicast() sleeps; it
 *    returns, with ticket 2, only after A has completed; B then runs on CPU 2.
 *  - Meanwhile CPU 2 issues high-priority call H to CPU 1 (which sleeps in that xc_unicast()): it returns at once
 *    with ticket hi|1, its function runs on CPU 1 (from its soft interrupt, while main/1 sleeps) and xc_wait(H)
 *    returns, all while A still blocks the low slot.
 *  - CPU 0 checks that, releases A; B's xc_unicast() returns after A's end.
 */
#include "pfwtest.h"

#define MAX_HIGH_ISSUE	2000u	/* cycles of a high-priority xc_unicast() that need not wait (measured: ~1000) */

static volatile uint32_t release, a_started, b_issuing, h_done, b_returned_flag;
static volatile uint32_t a_end, b_start, h_start, h_cpu, b_cpu;
static volatile uint32_t b_issue, b_returned, h_issue, h_returned, h_waited, release_at;
static volatile uint64_t b_ticket, h_ticket;

static void fn_a(void *arg1, void *arg2)
{
	(void)arg1;
	(void)arg2;
	a_started = 1;
	while (!release)	/* blocks the low slot (thread context: it may) */
		cpu_relax();
	a_end = cycles();
}

static void fn_b(void *arg1, void *arg2)
{
	(void)arg1;
	(void)arg2;
	b_start = cycles();
	b_cpu = hartid();
}

static void fn_h(void *arg1, void *arg2)
{
	(void)arg1;
	(void)arg2;
	h_start = cycles();
	h_cpu = hartid();
}

static void cpu0(void)
{
	uint64_t a = xc_unicast(0, fn_a, NULL, NULL, 3);

	CHECK(a == 1, "ticket of A");
	WAIT_UNTIL(a_started, "A running on cpu 3");
	WAIT_UNTIL(h_done, "the high-priority call H");
	/* Give B time to be well asleep behind A. */
	delay_cycles(5000);
	CHECK_EQ("B returned while A blocks the low slot", b_returned_flag, 0);
	CHECK(xc_pending(2, false) == false, "B published while the slot is busy");
	release_at = cycles();
	release = 1;
	xc_wait(a);
	WAIT_UNTIL(b_returned_flag, "B's xc_unicast() to return");
}

static void cpu1(void)
{
	WAIT_UNTIL(a_started, "A running on cpu 3");
	b_issuing = 1;
	b_issue = cycles();
	b_ticket = xc_unicast(0, fn_b, NULL, NULL, 2);
	b_returned = cycles();
	b_returned_flag = 1;
	xc_wait(b_ticket);
}

static void cpu2(void)
{
	WAIT_UNTIL(b_issuing, "B being issued");
	delay_cycles(2000);	/* B is asleep on the busy low slot by now */
	h_issue = cycles();
	h_ticket = xc_unicast(XC_HIGHPRI, fn_h, NULL, NULL, 1);
	h_returned = cycles();
	xc_wait(h_ticket);
	h_waited = cycles();
	h_done = 1;
}

int kernel_main(unsigned int cpu)
{
	static struct hart_barrier done = HART_BARRIER_INIT;

	CHECK(kernel_cpus() == 4, "needs 4 cpus");
	if (cpu == 0)
		cpu0();
	else if (cpu == 1)
		cpu1();
	else if (cpu == 2)
		cpu2();
	hart_barrier_wait(&done, kernel_cpus());
	if (cpu != 0)
		return 0;

	printf("xcall_slots: high-priority H issued in %u cycles while the low slot was busy, ran on cpu %u %u cycles "
	       "after its issue, xc_wait(H) +%u; A released %u cycles after H completed\n",
	       (unsigned int)(h_returned - h_issue), (unsigned int)h_cpu, (unsigned int)(h_start - h_issue),
	       (unsigned int)(h_waited - h_issue), (unsigned int)(release_at - h_waited));
	printf("xcall_slots: low-priority B waited %u cycles in xc_unicast() (returned %u cycles after A's end), "
	       "then ran on cpu %u\n", (unsigned int)(b_returned - b_issue), (unsigned int)(b_returned - a_end),
	       (unsigned int)b_cpu);
	CHECK(h_ticket == (XC_PRI_BIT | 1), "ticket of H");
	CHECK(b_ticket == 2, "ticket of B: 2 (after A's 1), got %u", (unsigned int)b_ticket);
	CHECK_EQ("H's cpu", h_cpu, 1);
	CHECK_EQ("B's cpu", b_cpu, 2);
	CHECK(h_returned - h_issue < MAX_HIGH_ISSUE, "H waited %u cycles to be issued",
	      (unsigned int)(h_returned - h_issue));
	CHECK(h_waited - h_issue < release_at - h_issue, "H completed after A's release");
	CHECK(b_returned - b_issue > a_end - b_issue, "B's xc_unicast() returned before A's end");
	CHECK(b_start - b_issue > a_end - b_issue, "B ran before A's end");
	CHECK(h_issue - b_issue < b_returned - b_issue, "H was not issued while B waited");
	pfw_check_no_debug_reports();
	printf("xcall_slots: PASS (%u cpus)\n", kernel_cpus());
	return 0;
}

/*
 * WFI: what wakes a sleeping hart and what happens next.
 *
 *  A. Hart 1 sleeps with MSIP enabled in mie but mstatus.MIE = 0. Hart 0 raises its MSIP some time later. Hart 1
 *     must wake and simply continue after the WFI, with no trap, MSIP visible in mip, and cycles (not instructions)
 *     spent asleep.
 *  B. The same with mstatus.MIE = 1: the interrupt is taken, with mepc at the instruction after the WFI.
 *  C. Hart 0 sleeps with only MTIP enabled and its compare programmed ahead, mstatus.MIE = 0: the timer wakes it
 *     once the counter reaches the compare.
 *  D. WFI with an enabled interrupt already pending does not sleep.
 *  E. The timer wakes a WFI with mstatus.MIE = 1: taken as an interrupt, mepc after the WFI.
 * A and B need two harts; with one, only C, D and E run.
 */
#include "fwtest.h"

#define DELAY		10000u	/* cycles hart 0 waits before waking hart 1: long enough for hart 1 to be asleep */
#define TIMER_AHEAD	5000u

static struct hart_barrier done = HART_BARRIER_INIT;

static volatile uint32_t phase;		/* 1, 2: hart 1 is about to sleep for A, B; 3: B is over */
static volatile uint32_t a_done;

static volatile struct {
	uint32_t count;
	uint32_t mcause, mepc;
	uint64_t counter;	/* timer counter in the handler */
} trap[OOBSIM_MAX_HARTS];

void trap_handler(struct trap_frame *f)
{
	uint32_t me = hartid();

	trap[me].count++;
	trap[me].mcause = f->mcause;
	trap[me].mepc = f->mepc;
	if (f->mcause == (MCAUSE_INTERRUPT | IRQ_M_SOFT)) {
		msip_ack();
	} else if (f->mcause == (MCAUSE_INTERRUPT | IRQ_M_TIMER)) {
		trap[me].counter = timer_counter();
		mtip_ack();
	} else {
		trap_unexpected(f);
	}
}

/* WFI at a label; returns the label's address + 4 (where an interrupt taken at the WFI must resume). */
static inline uint32_t wfi_at_label(void)
{
	uint32_t after;

	__asm__ volatile("la %0, 1f\n"
			 "wfi\n"
			 "1:"
			 : "=&r"(after) : : "memory");
	return after;
}

/* Hart 1's side of A and B. */
static void sleeper(void)
{
	uint32_t me = hartid();
	uint32_t c0, c1, i0, i1, after;

	/* A: MIE = 0. */
	irq_global_disable();
	csr_write(mie, MIP_MSIP);
	c0 = csr_read(mcycle);
	i0 = csr_read(minstret);
	WRITE_ONCE(phase, 1);
	wfi();
	i1 = csr_read(minstret);
	c1 = csr_read(mcycle);
	CHECK(trap[me].count == 0, "A: a trap was taken with mstatus.MIE = 0 (mcause 0x%08x)",
	      (unsigned int)trap[me].mcause);
	CHECK(csr_read(mip) & MIP_MSIP, "A: woke from WFI with no MSIP pending (mip 0x%08x)",
	      (unsigned int)csr_read(mip));
	CHECK(c1 - c0 >= DELAY / 2, "A: WFI returned after %u cycles, before the MSIP was sent (%u later)",
	      (unsigned int)(c1 - c0), DELAY);
	CHECK(i1 - i0 < 16, "A: %u instructions retired around WFI: it did not sleep", (unsigned int)(i1 - i0));
	msip_ack();
	printf("wfi_wakeup: A: slept %u cycles over %u instructions, woke on MSIP with MIE = 0, no trap\n",
	       (unsigned int)(c1 - c0), (unsigned int)(i1 - i0));
	WRITE_ONCE(a_done, 1);

	/* B: MIE = 1. */
	irq_global_enable();
	WRITE_ONCE(phase, 2);
	after = wfi_at_label();
	irq_global_disable();
	CHECK_EQ("B: traps taken", trap[me].count, 1);
	CHECK_EQ("B: mcause", trap[me].mcause, MCAUSE_INTERRUPT | IRQ_M_SOFT);
	CHECK_EQ("B: mepc (the instruction after the WFI)", trap[me].mepc, after);
	csr_write(mie, 0);
	printf("wfi_wakeup: B: woke on MSIP with MIE = 1, trap taken at the WFI\n");
	WRITE_ONCE(phase, 3);
}

/* Hart 0's side of A and B. */
static void waker(void)
{
	WAIT_UNTIL(READ_ONCE(phase) == 1, "hart 1 to go to sleep (A)");
	delay_cycles(DELAY);
	send_msip(1);
	WAIT_UNTIL(READ_ONCE(a_done), "hart 1 to wake up (A)");

	WAIT_UNTIL(READ_ONCE(phase) == 2, "hart 1 to go to sleep (B)");
	delay_cycles(DELAY);
	send_msip(1);
	WAIT_UNTIL(READ_ONCE(phase) == 3, "hart 1 to wake up (B)");
}

/* Hart 0 alone: C, D, E. */
static void timer_and_pending(void)
{
	uint32_t me = hartid();
	uint32_t c0, c1, i0, i1, after, before;
	uint64_t cmp, now;

	/* C: the timer wakes WFI with MIE = 0. */
	irq_global_disable();
	csr_write(mie, MIP_MTIP);
	before = trap[me].count;
	cmp = timer_counter() + TIMER_AHEAD;
	timer_set_cmp(me, cmp);
	c0 = csr_read(mcycle);
	i0 = csr_read(minstret);
	wfi();
	i1 = csr_read(minstret);
	c1 = csr_read(mcycle);
	now = timer_counter();
	CHECK(trap[me].count == before, "C: a trap was taken with mstatus.MIE = 0");
	CHECK(now >= cmp, "C: woke at counter %llu, before the compare %llu", (unsigned long long)now,
	      (unsigned long long)cmp);
	CHECK(csr_read(mip) & MIP_MTIP, "C: woke with no MTIP pending");
	CHECK(i1 - i0 < 16, "C: %u instructions retired around WFI: it did not sleep", (unsigned int)(i1 - i0));
	mtip_ack();
	printf("wfi_wakeup: C: slept %u cycles, woke on the timer with MIE = 0\n", (unsigned int)(c1 - c0));

	/* D: an enabled interrupt already pending: WFI goes straight on. */
	csr_write(mie, MIP_MSIP);
	send_msip(me);
	WAIT_UNTIL(csr_read(mip) & MIP_MSIP, "our own MSIP in mip");
	c0 = csr_read(mcycle);
	wfi();
	c1 = csr_read(mcycle);
	CHECK(c1 - c0 < 100, "D: WFI with MSIP pending took %u cycles", (unsigned int)(c1 - c0));
	CHECK(trap[me].count == before, "D: a trap was taken with mstatus.MIE = 0");
	msip_ack();
	printf("wfi_wakeup: D: WFI with an interrupt pending took %u cycles\n", (unsigned int)(c1 - c0));

	/* E: the timer wakes WFI with MIE = 1: the interrupt is taken at the WFI. */
	csr_write(mie, MIP_MTIP);
	cmp = timer_counter() + TIMER_AHEAD;
	timer_set_cmp(me, cmp);
	irq_global_enable();
	after = wfi_at_label();
	irq_global_disable();
	csr_write(mie, 0);
	CHECK_EQ("E: traps taken", trap[me].count, before + 1);
	CHECK_EQ("E: mcause", trap[me].mcause, MCAUSE_INTERRUPT | IRQ_M_TIMER);
	CHECK_EQ("E: mepc (the instruction after the WFI)", trap[me].mepc, after);
	CHECK(trap[me].counter >= cmp, "E: handler ran at counter %llu, before the compare %llu",
	      (unsigned long long)trap[me].counter, (unsigned long long)cmp);
	printf("wfi_wakeup: E: woke on the timer with MIE = 1, trap taken at the WFI\n");
}

int main(void)
{
	uint32_t me = hartid();
	uint32_t n = fwtest_harts();
	uint32_t users = n < 2 ? 1 : 2;

	if (me >= users)
		return 0;

	if (me == 1) {
		sleeper();
		hart_barrier_wait(&done, users);
		return 0;
	}

	if (users == 2)
		waker();
	else
		printf("wfi_wakeup: A and B skipped: they need 2 harts\n");
	timer_and_pending();
	hart_barrier_wait(&done, users);
	printf("wfi_wakeup: PASS\n");
	return 0;
}

/*
 * The per-CPU timer: every hart programs its own compare register and takes its own MTIP.
 *
 *  - The counter is monotonic and agrees with mcycle (both count core cycles since reset).
 *  - A compare a known number of cycles ahead: the interrupt comes, mcause says timer, and the counter read in the
 *    handler is at or past the compare, and not absurdly later.
 *  - A compare in the past: MTIP is pending at once (visible in mip even while not enabled in mie).
 *  - A compare more than 2^32 cycles ahead (high word in use): no interrupt.
 * Each hart uses a different distance, so the interrupts of different harts do not all land in one cycle.
 */
#include "fwtest.h"

#define ROUNDS		3
#define MAX_LATENCY	2000u	/* cycles from the compare to the counter read in the handler: generous */

static struct hart_barrier done = HART_BARRIER_INIT;

static volatile struct {
	uint32_t count;
	uint32_t mcause;
	uint64_t counter;
} trap[OOBSIM_MAX_HARTS];

void trap_handler(struct trap_frame *f)
{
	uint32_t me = hartid();

	if (f->mcause != (MCAUSE_INTERRUPT | IRQ_M_TIMER))
		trap_unexpected(f);
	/* Read the counter first: it is the point of the test. */
	trap[me].counter = timer_counter();
	trap[me].mcause = f->mcause;
	trap[me].count++;
	mtip_ack();
}

/* Wait for the handler with the race-free idiom: test and WFI with MIE off, open MIE only to take the interrupt. */
static void wait_for_timer_irq(uint32_t me, uint32_t before)
{
	uint32_t spins = 0;

	irq_global_disable();
	while (trap[me].count == before) {
		if (++spins == FWTEST_SPIN_LIMIT)
			FAIL("timed out waiting for the timer interrupt");
		wfi();
		irq_global_enable();
		irq_global_disable();
	}
}

static void check_counter(void)
{
	uint64_t prev = timer_counter(), first = prev;

	for (int i = 0; i < 50; i++) {
		uint64_t now = timer_counter();

		CHECK(now >= prev, "counter went back from %llu to %llu", (unsigned long long)prev,
		      (unsigned long long)now);
		prev = now;
	}
	CHECK(prev > first, "counter did not move over 50 reads (%llu)", (unsigned long long)prev);

	uint64_t cyc = csr_read64(mcycle);
	uint64_t cnt = timer_counter();
	uint64_t diff = cnt > cyc ? cnt - cyc : cyc - cnt;

	CHECK(diff < 1000, "counter %llu and mcycle %llu disagree", (unsigned long long)cnt, (unsigned long long)cyc);
}

static void check_ahead(uint32_t me, uint32_t round)
{
	uint32_t ahead = 3000 + 1000 * me + 700 * round;
	uint32_t before = trap[me].count;
	uint64_t start, cmp;

	irq_enable_mtip();
	start = timer_counter();
	cmp = start + ahead;
	timer_set_cmp(me, cmp);
	CHECK(timer_get_cmp(me) == cmp, "compare reads back %llu, wrote %llu",
	      (unsigned long long)timer_get_cmp(me), (unsigned long long)cmp);
	wait_for_timer_irq(me, before);
	irq_disable_mtip();

	CHECK_EQ("timer interrupt: mcause", trap[me].mcause, MCAUSE_INTERRUPT | IRQ_M_TIMER);
	CHECK_EQ("timer interrupts taken", trap[me].count, before + 1);
	CHECK(trap[me].counter >= cmp, "handler ran at counter %llu, before the compare %llu",
	      (unsigned long long)trap[me].counter, (unsigned long long)cmp);
	CHECK(trap[me].counter - cmp < MAX_LATENCY, "handler ran %llu cycles after the compare",
	      (unsigned long long)(trap[me].counter - cmp));
	printf("timer: hart %u round %u: compare %u cycles ahead, handler at compare + %u\n", (unsigned int)me,
	       (unsigned int)round, (unsigned int)ahead, (unsigned int)(trap[me].counter - cmp));
}

static void check_past(uint32_t me)
{
	uint32_t before = trap[me].count;

	/* Not enabled in mie: MTIP shows in mip but is not taken. */
	timer_set_cmp(me, timer_counter() - 1);
	WAIT_UNTIL(csr_read(mip) & MIP_MTIP, "mip.MTIP with the compare in the past");
	irq_global_enable();
	delay_cycles(100);
	irq_global_disable();
	CHECK_EQ("timer interrupts taken while MTIP is not enabled in mie", trap[me].count, before);

	/* Enabled: taken at once. */
	irq_enable_mtip();
	wait_for_timer_irq(me, before);
	irq_disable_mtip();
	CHECK_EQ("interrupts taken for a compare in the past", trap[me].count, before + 1);
	CHECK(!(csr_read(mip) & MIP_MTIP), "MTIP still pending after disarming");
}

static void check_far(uint32_t me)
{
	uint32_t before = trap[me].count;
	uint64_t cmp = timer_counter() + (1ull << 32);

	irq_enable_mtip();
	timer_set_cmp(me, cmp);
	irq_global_enable();
	delay_cycles(20000);
	irq_global_disable();
	CHECK(!(csr_read(mip) & MIP_MTIP), "MTIP pending with the compare 2^32 cycles ahead");
	CHECK_EQ("interrupts taken with the compare 2^32 cycles ahead", trap[me].count, before);
	timer_disarm(me);
	irq_disable_mtip();
}

int main(void)
{
	uint32_t me = hartid();
	uint32_t n = fwtest_harts();

	if (me >= n)
		return 0;

	check_counter();
	for (uint32_t round = 0; round < ROUNDS; round++)
		check_ahead(me, round);
	check_past(me);
	check_far(me);

	hart_barrier_wait(&done, n);
	if (me == 0)
		printf("timer: PASS (%u harts)\n", (unsigned int)n);
	return 0;
}

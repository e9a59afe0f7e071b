/*
 * GIC software-generated interrupts (SGIs) between the harts, through GICC_IAR / GICC_EOIR.
 *
 *  A. Ping-pong between every ordered pair: the sender sends SGI PING to the receiver's CPU (TargetListFilter 0, one
 *     bit in CPUTargetList); the receiver's handler checks that GICC_IAR names the sender as the source CPU, and
 *     answers with SGI PONG to that source; the sender's handler checks the pong's source in turn.
 *  B. TargetListFilter 1 ("every CPU but me"): every other hart takes the SGI once, with the sender as source; the
 *     sender does not.
 *  C. TargetListFilter 2 ("only me"): only the sender takes it, with itself as source.
 *  D. A target list with every bit set (0xff): each existing hart, the sender included, takes it once; the bits of
 *     CPUs that do not exist are ignored.
 *  E. One SGI from several sources: harts 1..N-1 send the same SGI to hart 0 while it has interrupts masked. Its
 *     pending state is kept per source (GICD_SPENDSGIR shows one bit per sender, GICC_HPPIR the lowest source), and
 *     once unmasked hart 0 takes it once per source, lowest source first.
 * Turns make the order deterministic, so the run is also a trace-equivalence program.
 */
#include "fwtest_gic.h"

#define SGI_PING	1
#define SGI_PONG	2
#define SGI_OTHERS	5
#define SGI_SELF	9
#define SGI_LIST_ALL	12
#define SGI_MULTI	15
#define SGI_PRIO	0x80

#define MAXH	OOBSIM_MAX_HARTS

static struct hart_barrier barrier = HART_BARRIER_INIT;

static volatile uint32_t ping_from[MAXH];		/* receiver: the sender + 1 it expects a ping from */
static volatile uint32_t pings[MAXH][MAXH];		/* [receiver][source] */
static volatile uint32_t pongs[MAXH][MAXH];		/* [sender of the ping][source of the pong] */
static volatile uint32_t others[MAXH][MAXH];		/* [receiver][source] */
static volatile uint32_t selfs[MAXH][MAXH];		/* [receiver][source] */
static volatile uint32_t list_all[MAXH][MAXH];		/* [receiver][source] */
static volatile uint32_t multi_order[MAXH];		/* hart 0: the sources of SGI_MULTI, in the order taken */
static volatile uint32_t multi_taken;
static volatile uint32_t spurious[MAXH];
static volatile uint32_t round_trip[MAXH][MAXH];	/* [sender][receiver]: cycles from ping to pong */
static volatile uint32_t multi_sent;

void trap_handler(struct trap_frame *f)
{
	uint32_t me = hartid();
	uint32_t iar, id, src;

	if (f->mcause != FWTEST_MCAUSE_GIC)
		trap_unexpected(f);
	iar = gic_ack();
	id = gic_iar_id(iar);
	src = gic_iar_source(iar);
	if (id == OOBSIM_GIC_SPURIOUS) {
		spurious[me]++;
		return;
	}
	if (id >= GIC_SGI_COUNT)
		FAIL("interrupt %u is not an SGI", (unsigned int)id);
	CHECK(gic_irq_active(id), "SGI %u not active after GICC_IAR", (unsigned int)id);
	CHECK_EQ("GICC_RPR in the handler", gic_running_priority(), SGI_PRIO);
	OOBSIM_TRACE(20, me << 16 | src << 8 | id);

	switch (id) {
	case SGI_PING:
		if (ping_from[me] != src + 1)
			FAIL("ping from CPU %u, expected one from CPU %u", (unsigned int)src,
			     (unsigned int)ping_from[me] - 1);
		ping_from[me] = 0;
		pings[me][src]++;
		gic_send_sgi(SGI_PONG, (uint8_t)(1u << src));
		break;
	case SGI_PONG:
		pongs[me][src]++;
		break;
	case SGI_OTHERS:
		CHECK(src != me, "SGI to \"every CPU but me\" came back to its sender %u", (unsigned int)me);
		others[me][src]++;
		break;
	case SGI_SELF:
		selfs[me][src]++;
		break;
	case SGI_LIST_ALL:
		list_all[me][src]++;
		break;
	case SGI_MULTI:
		CHECK(me == 0, "SGI_MULTI taken by hart %u", (unsigned int)me);
		multi_order[multi_taken++] = src;
		break;
	default:
		FAIL("unexpected SGI %u from CPU %u", (unsigned int)id, (unsigned int)src);
	}
	gic_eoi(iar);
}

/* A: ping every other hart in turn, waiting for its pong. */
static void ping_all(uint32_t me, uint32_t n)
{
	for (uint32_t r = 0; r < n; r++) {
		if (r == me)
			continue;
		uint32_t expected = pongs[me][r] + 1;
		uint32_t t0;

		WAIT_UNTIL(READ_ONCE(ping_from[r]) == 0, "the receiver's previous ping to be taken");
		ping_from[r] = me + 1;
		iomb();	/* the mailbox before the SGI that makes the receiver read it */
		t0 = csr_read(mcycle);
		gic_send_sgi(SGI_PING, (uint8_t)(1u << r));
		WAIT_UNTIL(READ_ONCE(pongs[me][r]) == expected, "the pong");
		round_trip[me][r] = csr_read(mcycle) - t0;
	}
}

/* Every hart in turn runs `fn`, the others spin with interrupts open; a barrier after each turn. */
static void take_turns(uint32_t me, uint32_t n, void (*fn)(uint32_t me, uint32_t n))
{
	for (uint32_t turn = 0; turn < n; turn++) {
		if (turn == me)
			fn(me, n);
		hart_barrier_wait(&barrier, n);
	}
}

static void send_others(uint32_t me, uint32_t n)
{
	gic_send_sgi_others(SGI_OTHERS);
	for (uint32_t r = 0; r < n; r++)
		if (r != me)
			WAIT_UNTIL(READ_ONCE(others[r][me]) == 1, "every other hart to take the \"others\" SGI");
	delay_cycles(500);	/* time enough for a stray one to come back to the sender */
}

static void send_self(uint32_t me, uint32_t n)
{
	(void)n;
	gic_send_sgi_self(SGI_SELF);
	WAIT_UNTIL(READ_ONCE(selfs[me][me]) == 1, "the \"self\" SGI");
	delay_cycles(500);
}

static void check_matrix(const char *what, volatile uint32_t (*m)[MAXH], uint32_t n, uint32_t (*want)(uint32_t r,
											uint32_t s))
{
	for (uint32_t r = 0; r < n; r++)
		for (uint32_t s = 0; s < n; s++)
			if (m[r][s] != want(r, s))
				FAIL("%s: hart %u took %u from CPU %u, expected %u", what, (unsigned int)r,
				     (unsigned int)m[r][s], (unsigned int)s, (unsigned int)want(r, s));
}

static uint32_t one_unless_same(uint32_t r, uint32_t s)
{
	return r != s;
}

static uint32_t one_if_same(uint32_t r, uint32_t s)
{
	return r == s;
}

static uint32_t one_from_hart0(uint32_t r, uint32_t s)
{
	(void)r;
	return s == 0;
}

int main(void)
{
	uint32_t me = hartid();
	uint32_t n = fwtest_harts();

	if (n < 2) {
		printf("gic_sgi_pingpong: PASS (skipped: needs 2 harts, have %u)\n", (unsigned int)n);
		return 0;
	}
	if (me >= n)
		return 0;

	fwtest_gic_cpu_setup(SGI_PRIO);
	irq_global_enable();
	hart_barrier_wait(&barrier, n);

	/* A: ping-pong between every ordered pair. */
	take_turns(me, n, ping_all);
	/* B and C: the two filter modes. */
	take_turns(me, n, send_others);
	take_turns(me, n, send_self);
	/* D: every bit of CPUTargetList, from hart 0. */
	if (me == 0) {
		gic_send_sgi(SGI_LIST_ALL, 0xff);
		for (uint32_t r = 0; r < n; r++)
			WAIT_UNTIL(READ_ONCE(list_all[r][0]) == 1, "every hart to take the SGI sent to CPU list 0xff");
	}
	hart_barrier_wait(&barrier, n);

	/* E: harts 1..N-1 send SGI_MULTI to a masked hart 0. */
	if (me == 0)
		irq_global_disable();
	hart_barrier_wait(&barrier, n);
	if (me != 0) {
		gic_send_sgi(SGI_MULTI, 1u);
		amo_add(&multi_sent, 1);
	} else {
		uint8_t want = (uint8_t)(((1u << n) - 1) & ~1u);

		WAIT_UNTIL(READ_ONCE(multi_sent) == n - 1, "the other harts to send SGI_MULTI");
		WAIT_UNTIL(gic_sgi_pending_sources(SGI_MULTI) == want, "SGI_MULTI pending from every other hart");
		CHECK_EQ("GICC_HPPIR with SGI_MULTI pending from several CPUs (the lowest source first)",
			 gic_highest_pending(), SGI_MULTI | 1u << 10);
		irq_global_enable();
		WAIT_UNTIL(READ_ONCE(multi_taken) == n - 1, "SGI_MULTI to be taken once per source");
		delay_cycles(500);
		CHECK_EQ("SGI_MULTI taken", multi_taken, n - 1);
		for (uint32_t k = 0; k < n - 1; k++)
			CHECK_EQ("source of the k-th SGI_MULTI taken (lowest CPU first)", multi_order[k], k + 1);
		CHECK_EQ("SGI_MULTI pending sources after all were taken", gic_sgi_pending_sources(SGI_MULTI), 0);
	}
	hart_barrier_wait(&barrier, n);

	irq_global_disable();
	irq_disable_meip();
	hart_barrier_wait(&barrier, n);
	if (me != 0)
		return 0;

	check_matrix("pings", pings, n, one_unless_same);
	check_matrix("pongs", pongs, n, one_unless_same);
	check_matrix("\"others\" SGIs", others, n, one_unless_same);
	check_matrix("\"self\" SGIs", selfs, n, one_if_same);
	check_matrix("SGIs to CPU list 0xff", list_all, n, one_from_hart0);

	uint32_t total_spurious = 0;

	for (uint32_t h = 0; h < n; h++)
		total_spurious += spurious[h];
	console_lock();
	printf("gic_sgi_pingpong: ping-to-pong round trip, cycles [sender][receiver]:\n");
	for (uint32_t s = 0; s < n; s++) {
		printf("  %u:", (unsigned int)s);
		for (uint32_t r = 0; r < n; r++)
			printf(" %6u", (unsigned int)round_trip[s][r]);
		printf("\n");
	}
	console_unlock();
	printf("gic_sgi_pingpong: PASS (%u harts: %u pings and pongs, %u \"others\", %u \"self\", %u to list 0xff, "
	       "%u from several sources; %u spurious reads of GICC_IAR)\n",
	       (unsigned int)n, (unsigned int)(2 * n * (n - 1)), (unsigned int)(n * (n - 1)), (unsigned int)n,
	       (unsigned int)n, (unsigned int)(n - 1), (unsigned int)total_spurious);
	return 0;
}

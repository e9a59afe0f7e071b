/*
 * The bundled multicore demo.
 *
 * Every hart says hello and sieves its share of the primes below 100000 (a segmented sieve over a shared array,
 * one segment per hart: loads, stores, data-dependent branches and a division per sieving prime). Harts 1..N-1 then
 * sleep in WFI with only the software interrupt enabled; hart 0 wakes them one by one with an MSIP, and each
 * answers from its interrupt handler by bumping a shared counter with amoadd.
 *
 * Then the GIC interrupt controller: hart 0 plays SGI ping-pong with every other hart (SGI 1 "ping" to one CPU; the
 * receiver's handler reads the source CPU from GICC_IAR and answers with SGI 2 "pong" to it), and every hart takes
 * a few interrupts from its own periodic GIC timer (PPI 30), sleeping in WFI in between. Without a GIC
 * (`oobsim run --no-gic`) that part is skipped.
 *
 * Hart 0 checks the combined results against the known prime count and sum and the interrupt counts, prints a summary
 * and exits 0. Works for any number of harts from 1 to 8.
 */
#include "oobsim/oobsim.h"

#define LIMIT		100000u
#define PRIMES_BELOW	9592u		/* pi(100000) */
#define PRIME_SUM	454396537u	/* sum of the primes below 100000 */

/* Trace ids: where a reader of a trace finds the phases. */
#define TRACE_SIEVE_DONE	1
#define TRACE_IPI_SENT		2
#define TRACE_IPI_ANSWERED	3
#define TRACE_SGI_PING		4
#define TRACE_SGI_PONG		5
#define TRACE_GIC_TIMER		6

/* The GIC part. */
#define SGI_PING	1
#define SGI_PONG	2
#define TIMER_TICKS	3		/* GIC timer interrupts per hart */
#define TIMER_PERIOD	20000u		/* cycles; hart h uses TIMER_PERIOD + 5000 * h */

static uint8_t composite[LIMIT];

struct hart_result {
	uint32_t count;
	uint32_t sum;
	uint32_t lo, hi;
};

static struct hart_result results[OOBSIM_MAX_HARTS];
static struct hart_barrier sieve_done = HART_BARRIER_INIT;

static volatile uint32_t sleepers_ready;	/* harts 1..N-1 that are about to sleep */
static volatile uint32_t answers;		/* IPIs answered, counted with amoadd */
static volatile uint32_t woken[OOBSIM_MAX_HARTS];	/* set by each hart's handler when it is done */

static struct hart_barrier gic_phase = HART_BARRIER_INIT;
static volatile bool gic_absent;			/* the probe of GICD_TYPER faulted: --no-gic */
static volatile bool gic_probing;
static volatile uint32_t pongs[OOBSIM_MAX_HARTS];	/* hart 0: pongs received, per source */
static volatile uint32_t ping_sources;			/* pings answered, all harts (amoadd) */
static volatile uint32_t ticks[OOBSIM_MAX_HARTS];	/* GIC timer interrupts taken, per hart */
static volatile uint32_t periods[OOBSIM_MAX_HARTS];	/* each hart's GIC timer period */
static volatile uint32_t tick_late[OOBSIM_MAX_HARTS];	/* cycles from the first firing to its handler's counter read */

/* Sieve [lo, hi) of composite[]: mark the multiples of every p with p * p < hi. Each hart writes only its own
 * segment, so no two harts ever store to the same byte. */
static void sieve_segment(struct hart_result *r, uint32_t lo, uint32_t hi)
{
	uint32_t p, m, start;

	for (p = 2; p * p < hi; p++) {
		/* Composite p: its multiples are already marked through p's prime factors (or soon will be). */
		if (p >= lo && composite[p])
			continue;
		start = (lo + p - 1) / p * p;
		if (start < p * p)
			start = p * p;
		for (m = start; m < hi; m += p)
			composite[m] = 1;
	}

	r->count = 0;
	r->sum = 0;
	for (m = lo < 2 ? 2 : lo; m < hi; m++) {
		if (!composite[m]) {
			r->count++;
			r->sum += m;
		}
	}
}

static void msip_answer(uint32_t me)
{
	uint32_t n;

	msip_ack();
	n = amo_add(&answers, 1) + 1;
	OOBSIM_TRACE(TRACE_IPI_ANSWERED, n);
	printf("hart %u: IPI from hart 0 taken in my handler (answer #%u)\n", (unsigned int)me, (unsigned int)n);
	/* Hart 0 waits for this, not for the counter, so the next hart's line comes after ours. */
	WRITE_ONCE(woken[me], 1);
}

/* A GIC interrupt: acknowledge (GICC_IAR names the interrupt and, for an SGI, the CPU that sent it), handle, end. */
static void gic_interrupt(uint32_t me)
{
	uint32_t iar = gic_ack();
	uint32_t id = gic_iar_id(iar), src = gic_iar_source(iar);

	if (id == SGI_PING) {
		OOBSIM_TRACE(TRACE_SGI_PING, src);
		printf("hart %u: GIC SGI %u (ping) from hart %u in my handler: answering with SGI %u (pong)\n",
		       (unsigned int)me, SGI_PING, (unsigned int)src, SGI_PONG);
		amo_add(&ping_sources, 1);
		gic_send_sgi(SGI_PONG, (uint8_t)(1u << src));
	} else if (id == SGI_PONG) {
		OOBSIM_TRACE(TRACE_SGI_PONG, src);
		pongs[src]++;
	} else if (id == OOBSIM_TIMER_PPI) {
		/* A periodic timer's compare has already moved on to the next firing. */
		if (ticks[me] == 0)
			tick_late[me] = (uint32_t)timer_counter() - ((uint32_t)gic_timer_cmp(me) - periods[me]);
		OOBSIM_TRACE(TRACE_GIC_TIMER, ticks[me]);
		gic_timer_ack(me);	/* clear FIRED and wait until the PPI has fallen, before the EOI */
		ticks[me]++;
	} else if (id != OOBSIM_GIC_SPURIOUS) {
		printf("hart %u: unexpected GIC interrupt %u\n", (unsigned int)me, (unsigned int)id);
		sim_exit(1);
	}
	gic_eoi(iar);	/* 1023 (spurious) is ignored by the GIC */
}

void trap_handler(struct trap_frame *f)
{
	uint32_t me = hartid();

	if (f->mcause == (MCAUSE_INTERRUPT | IRQ_M_SOFT)) {
		msip_answer(me);
	} else if (f->mcause == (MCAUSE_INTERRUPT | IRQ_M_EXT)) {
		gic_interrupt(me);
	} else if (gic_probing && f->mcause == EXC_LOAD_ACCESS &&
		   f->mtval == OOBSIM_GICD_BASE + OOBSIM_GICD_TYPER) {
		gic_absent = true;	/* nothing at the GIC's address: oobsim run --no-gic */
		f->mepc += 4;
	} else {
		trap_unexpected(f);
	}
}

/*
 * Sleep until our handler has run. The check and the WFI happen with mstatus.MIE off: an IPI arriving between them
 * stays pending, so WFI returns at once instead of sleeping through it. Interrupts are then opened for a moment to
 * let the pending one be taken.
 */
static void sleep_until_woken(uint32_t me)
{
	irq_enable_msip();
	irq_global_disable();
	amo_add(&sleepers_ready, 1);
	while (!READ_ONCE(woken[me])) {
		wfi();
		irq_global_enable();
		irq_global_disable();
	}
	irq_disable_msip();
}

/* Sleep in WFI until *count reaches `want`, taking the interrupts that wake us (the same idiom as above). */
static void sleep_until(volatile uint32_t *count, uint32_t want)
{
	irq_global_disable();
	while (READ_ONCE(*count) < want) {
		wfi();
		irq_global_enable();
		irq_global_disable();
	}
}

/* The GIC part, on every hart. Returns false when the platform has no GIC. */
static bool gic_demo(uint32_t me, uint32_t n)
{
	if (me == 0) {
		gic_probing = true;
		(void)gicd_read(OOBSIM_GICD_TYPER);
		gic_probing = false;
		if (!gic_absent) {
			printf("demo: GIC with %u interrupt IDs; SGI ping-pong and GIC timers next\n",
			       (unsigned int)gic_num_irqs());
			gic_dist_enable();
		} else {
			printf("demo: no GIC on this platform (--no-gic): skipping SGIs and GIC timers\n");
		}
	}
	hart_barrier_wait(&gic_phase, n);
	if (gic_absent)
		return false;

	/* This hart's CPU interface: SGIs 1 and 2 and its timer PPI, all enabled (SGIs always are). */
	gic_set_priority(SGI_PING, 0x80);
	gic_set_priority(SGI_PONG, 0x80);
	gic_set_priority(OOBSIM_TIMER_PPI, 0x40);
	gic_enable_irq(OOBSIM_TIMER_PPI);
	gic_cpu_enable();
	irq_enable_meip();
	hart_barrier_wait(&gic_phase, n);

	/* SGI ping-pong: hart 0 pings each hart in turn and sleeps until the pong; the others take pings meanwhile. */
	if (me == 0) {
		for (uint32_t cpu = 1; cpu < n; cpu++) {
			uint32_t t0 = csr_read(mcycle);

			gic_send_sgi(SGI_PING, (uint8_t)(1u << cpu));
			sleep_until(&pongs[cpu], 1);
			printf("hart 0: GIC SGI %u (pong) from hart %u: round trip %u cycles\n", SGI_PONG,
			       (unsigned int)cpu, (unsigned int)(csr_read(mcycle) - t0));
		}
		hart_barrier_wait(&gic_phase, n);
	} else {
		/* Wait for the others with interrupts open: the ping is taken in the middle of the barrier's spin. */
		irq_global_enable();
		hart_barrier_wait(&gic_phase, n);
		irq_global_disable();
	}

	/* GIC timers: each hart its own, periodic, drift-free; sleep in WFI between the interrupts. */
	uint32_t period = TIMER_PERIOD + 5000 * me;

	periods[me] = period;
	gic_timer_start(me, timer_counter() + period, period);
	sleep_until(&ticks[me], TIMER_TICKS);
	gic_timer_stop(me);
	irq_disable_meip();
	printf("hart %u: %u GIC timer interrupts (PPI 30), one every %u cycles; the first handler ran %u cycles after "
	       "its compare\n",
	       (unsigned int)me, (unsigned int)ticks[me], (unsigned int)period, (unsigned int)tick_late[me]);
	hart_barrier_wait(&gic_phase, n);
	return true;
}

int main(void)
{
	uint32_t me = hartid();
	uint32_t n = ncpus();
	struct hart_result *r = &results[me];

	if (n > OOBSIM_MAX_HARTS)
		n = OOBSIM_MAX_HARTS;
	if (me >= n)
		return 0;

	printf("hart %u: hello from oobsim (%u harts at %u kHz)\n", (unsigned int)me, (unsigned int)n,
	       (unsigned int)sim_clock_khz());

	r->lo = LIMIT / n * me;
	r->hi = me == n - 1 ? LIMIT : LIMIT / n * (me + 1);
	sieve_segment(r, r->lo, r->hi);
	OOBSIM_TRACE(TRACE_SIEVE_DONE, r->count);
	printf("hart %u: %u primes in [%u, %u), sum %u\n", (unsigned int)me, (unsigned int)r->count,
	       (unsigned int)r->lo, (unsigned int)r->hi, (unsigned int)r->sum);
	hart_barrier_wait(&sieve_done, n);

	if (me != 0) {
		sleep_until_woken(me);
		gic_demo(me, n);
		return 0;
	}

	/* Hart 0: wait until everybody is on its way to sleep, then wake them one at a time. */
	while (READ_ONCE(sleepers_ready) != n - 1)
		cpu_relax();
	for (uint32_t cpu = 1; cpu < n; cpu++) {
		OOBSIM_TRACE(TRACE_IPI_SENT, cpu);
		send_msip(cpu);
		while (!READ_ONCE(woken[cpu]))
			cpu_relax();
	}

	bool gic = gic_demo(me, n);
	uint32_t pong_count = 0, tick_count = 0;

	for (uint32_t h = 0; h < n; h++) {
		pong_count += pongs[h];
		tick_count += ticks[h];
	}

	uint32_t count = 0, sum = 0;

	for (uint32_t h = 0; h < n; h++) {
		count += results[h].count;
		sum += results[h].sum;
	}
	printf("demo: %u harts found %u primes below %u (sum %u); %u IPIs answered; ", (unsigned int)n,
	       (unsigned int)count, LIMIT, (unsigned int)sum, (unsigned int)answers);
	if (gic)
		printf("%u SGI pings answered with pongs; %u GIC timer interrupts; ", (unsigned int)pong_count,
		       (unsigned int)tick_count);
	printf("%llu cycles\n", (unsigned long long)csr_read64(mcycle));
	if (count != PRIMES_BELOW || sum != PRIME_SUM || answers != n - 1 ||
	    (gic && (pong_count != n - 1 || ping_sources != n - 1 || tick_count != n * TIMER_TICKS))) {
		printf("demo: FAILED (expected %u primes, sum %u, %u answers", PRIMES_BELOW, PRIME_SUM,
		       (unsigned int)(n - 1));
		if (gic)
			printf(", %u pongs, %u timer interrupts", (unsigned int)(n - 1), (unsigned int)(n * TIMER_TICKS));
		printf(")\n");
		return 1;
	}
	printf("demo: OK\n");
	return 0;
}

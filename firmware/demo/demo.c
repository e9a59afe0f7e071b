/*
 * The bundled multicore demo.
 *
 * Every hart says hello and sieves its share of the primes below 100000 (a segmented sieve over a shared array,
 * one segment per hart: loads, stores, data-dependent branches and a division per sieving prime). Harts 1..N-1 then
 * sleep in WFI with only the software interrupt enabled; hart 0 wakes them one by one with an MSIP, and each
 * answers from its interrupt handler by bumping a shared counter with amoadd. Hart 0 checks the combined result
 * against the known prime count and sum, prints a summary and exits 0. Works for any number of harts from 1 to 8.
 */
#include "oobsim/oobsim.h"

#define LIMIT		100000u
#define PRIMES_BELOW	9592u		/* pi(100000) */
#define PRIME_SUM	454396537u	/* sum of the primes below 100000 */

/* Trace ids: where a reader of a trace finds the phases. */
#define TRACE_SIEVE_DONE	1
#define TRACE_IPI_SENT		2
#define TRACE_IPI_ANSWERED	3

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

void trap_handler(struct trap_frame *f)
{
	uint32_t me = hartid();
	uint32_t n;

	if (f->mcause != (MCAUSE_INTERRUPT | IRQ_M_SOFT))
		trap_unexpected(f);

	msip_ack();
	n = amo_add(&answers, 1) + 1;
	OOBSIM_TRACE(TRACE_IPI_ANSWERED, n);
	printf("hart %u: IPI from hart 0 taken in my handler (answer #%u)\n", (unsigned int)me, (unsigned int)n);
	/* Hart 0 waits for this, not for the counter, so the next hart's line comes after ours. */
	WRITE_ONCE(woken[me], 1);
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

	uint32_t count = 0, sum = 0;

	for (uint32_t h = 0; h < n; h++) {
		count += results[h].count;
		sum += results[h].sum;
	}
	printf("demo: %u harts found %u primes below %u (sum %u); %u IPIs answered; %llu cycles\n",
	       (unsigned int)n, (unsigned int)count, LIMIT, (unsigned int)sum, (unsigned int)answers,
	       (unsigned long long)csr_read64(mcycle));
	if (count != PRIMES_BELOW || sum != PRIME_SUM || answers != n - 1) {
		printf("demo: FAILED (expected %u primes, sum %u, %u answers)\n", PRIMES_BELOW, PRIME_SUM,
		       (unsigned int)(n - 1));
		return 1;
	}
	printf("demo: OK\n");
	return 0;
}

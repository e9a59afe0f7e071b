/*
 * Compute-bound benchmark: integer loops, ~64 KiB of memory traffic per hart, data-dependent loads and branches,
 * multiplies and some divisions (compute_kernel.h), about 65 million instructions per busy hart.
 *
 * BENCH_BUSY_HARTS (a build-time define) is how many harts work: 1, 2, ..., or 0 for all of them. The others
 * return from main() at once and park in WFI with nothing enabled, which costs the simulator nothing, so the
 * variants measure how the simulator scales with busy cores, not with configured ones.
 *
 * Each busy hart checks its checksum against the value computed on the host from the same kernel source; a
 * mismatch means the simulated CPU computed something wrong, and the run exits 1.
 *
 * BENCH_GIC_TIMER_US (optional build-time define, microseconds of simulated time): while it computes, every busy
 * hart also takes an interrupt from its own periodic GIC timer (PPI 30) every that many microseconds (at the clock
 * the simulator reports: 10 us is 10000 cycles at 1 GHz). The handler is what a real one does: acknowledge at the
 * GIC, clear the timer and wait until its line has fallen, end of interrupt. The kernel and its checksum are the same,
 * so comparing with the variant without the timer gives the simulator's cost per interrupt (bench/speed.sh).
 * The timers start together, so the harts take their interrupts in the same cycles; with BENCH_GIC_TIMER_STAGGER=1,
 * hart h's timer fires h/8 of a period after hart 0's.
 */
#include "oobsim/oobsim.h"

#include "compute_kernel.h"

#ifndef BENCH_BUSY_HARTS
#error "define BENCH_BUSY_HARTS (0: all harts)"
#endif

#define TRACE_KERNEL_START	100
#define TRACE_KERNEL_END	101

/*
 * compute_kernel(buf, hart) for hart 0..7, from the host build of compute_kernel.h:
 *   cc -O2 -I bench/firmware x.c, with x.c printing compute_kernel(buf, h) for h = 0..7.
 * Regenerate whenever the kernel or its parameters change.
 */
static const uint32_t expected[OOBSIM_MAX_HARTS] = {
	0x972a90f5u, 0x9094e555u, 0x8f8ab242u, 0xb0202b9bu, 0xe436cd4cu, 0x9cbdb9a5u, 0x468028b6u, 0xbdafeae7u,
};

/* The buffers live in the free RAM after the stacks, not in .bss: the kernel writes every word before reading it,
 * so hart 0 need not clear 512 KiB at start-up while the others wait. */
extern uint8_t __heap_start[], __heap_end[];

#ifndef BENCH_GIC_TIMER_US
#define BENCH_GIC_TIMER_US	0
#endif
#ifndef BENCH_GIC_TIMER_STAGGER
#define BENCH_GIC_TIMER_STAGGER	0
#endif

static volatile uint32_t finished;
static volatile uint32_t timer_irqs[OOBSIM_MAX_HARTS];

#if BENCH_GIC_TIMER_US
void trap_handler(struct trap_frame *f)
{
	uint32_t me = hartid();
	uint32_t iar;

	if (f->mcause != (MCAUSE_INTERRUPT | IRQ_M_EXT))
		trap_unexpected(f);
	iar = gic_ack();
	if (gic_iar_id(iar) == OOBSIM_TIMER_PPI) {
		gic_timer_ack(me);
		timer_irqs[me]++;
	}
	gic_eoi(iar);
}

static void timer_start(uint32_t me)
{
	uint32_t period = sim_clock_khz() / 1000u * BENCH_GIC_TIMER_US;

	if (me == 0)
		gic_dist_enable();	/* the others' PPIs stay pending until it is on: harmless */
	gic_set_priority(OOBSIM_TIMER_PPI, 0x80);
	gic_enable_irq(OOBSIM_TIMER_PPI);
	gic_cpu_enable();
	irq_enable_meip();
	/* Staggered: hart h's first interrupt comes h eighths of a period later, so the harts do not take theirs in the
	 * same cycles (aligned, they run their trap entries in lockstep: docs/performance.md). */
	gic_timer_start(me, timer_counter() + period + BENCH_GIC_TIMER_STAGGER * me * (period / OOBSIM_MAX_HARTS),
			period);
	irq_global_enable();
}

static void timer_stop(uint32_t me)
{
	irq_global_disable();
	gic_timer_stop(me);
}
#else
static void timer_start(uint32_t me)
{
	(void)me;
}

static void timer_stop(uint32_t me)
{
	(void)me;
}
#endif
static volatile uint32_t checksum[OOBSIM_MAX_HARTS];
static volatile uint32_t cycles[OOBSIM_MAX_HARTS];
static volatile uint32_t insns[OOBSIM_MAX_HARTS];

int main(void)
{
	uint32_t me = hartid();
	uint32_t n = ncpus();
	uint32_t busy;

	if (n > OOBSIM_MAX_HARTS)
		n = OOBSIM_MAX_HARTS;
#if BENCH_BUSY_HARTS == 0
	busy = n;
#else
	busy = BENCH_BUSY_HARTS < n ? BENCH_BUSY_HARTS : n;
#endif
	if (me >= busy)
		return 0;

	uint32_t *buf = (uint32_t *)(__heap_start + me * COMPUTE_BUF_BYTES);

	if ((uint8_t *)buf + COMPUTE_BUF_BYTES > __heap_end) {
		printf("bench_compute: hart %u: no room for its buffer\n", (unsigned int)me);
		sim_exit(2);
	}

	uint32_t c0 = csr_read(mcycle), i0 = csr_read(minstret);

	timer_start(me);
	OOBSIM_TRACE(TRACE_KERNEL_START, me);
	uint32_t sum = compute_kernel(buf, me);
	OOBSIM_TRACE(TRACE_KERNEL_END, sum);
	timer_stop(me);
	cycles[me] = csr_read(mcycle) - c0;
	insns[me] = csr_read(minstret) - i0;
	checksum[me] = sum;
	amo_add(&finished, 1);

	if (me != 0)
		return 0;

	while (READ_ONCE(finished) != busy)
		cpu_relax();

	int bad = 0;

	for (uint32_t h = 0; h < busy; h++) {
		bool ok = checksum[h] == expected[h];

		printf("bench_compute: hart %u checksum %08x %s, %u instructions in %u cycles\n", (unsigned int)h,
		       (unsigned int)checksum[h], ok ? "ok" : "WRONG", (unsigned int)insns[h],
		       (unsigned int)cycles[h]);
		if (!ok) {
			printf("bench_compute: hart %u expected %08x\n", (unsigned int)h, (unsigned int)expected[h]);
			bad = 1;
		}
	}
	if (BENCH_GIC_TIMER_US) {
		uint32_t irqs = 0;

		for (uint32_t h = 0; h < busy; h++)
			irqs += timer_irqs[h];
		printf("bench_compute: %u GIC timer interrupts (every %u us on each busy hart)\n", (unsigned int)irqs,
		       (unsigned int)BENCH_GIC_TIMER_US);
		if (irqs == 0)
			bad = 1;
	}
	printf("bench_compute: %u of %u harts busy, %s\n", (unsigned int)busy, (unsigned int)n,
	       bad ? "FAILED" : "done");
	return bad;
}

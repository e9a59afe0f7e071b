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

static volatile uint32_t finished;
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

	OOBSIM_TRACE(TRACE_KERNEL_START, me);
	uint32_t sum = compute_kernel(buf, me);
	OOBSIM_TRACE(TRACE_KERNEL_END, sum);
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
	printf("bench_compute: %u of %u harts busy, %s\n", (unsigned int)busy, (unsigned int)n,
	       bad ? "FAILED" : "done");
	return bad;
}

/*
 * The per-CPU timer block: the shared cycle counter, each CPU's compare register (drives its mip.MTIP) and its
 * software-interrupt register (drives its mip.MSIP; any CPU may write it, which is how harts send IPIs).
 */
#ifndef OOBSIM_TIMER_H
#define OOBSIM_TIMER_H

#include <stdint.h>

#include "memory_map.h"
#include "oobsim/atomic.h"
#include "oobsim/csr.h"
#include "oobsim/mmio.h"
#include "oobsim/platform.h"

#define OOBSIM_TIMER_CPU_REG(cpu, off) \
	(OOBSIM_TIMER_BASE + (uintptr_t)(cpu) * OOBSIM_TIMER_STRIDE + (off))

/* Cycles since reset. The high word is read on both sides of the low word, so a carry between the reads is seen. */
static inline uint64_t timer_counter(void)
{
	uint32_t hi, lo, hi2;

	do {
		hi = mmio_read32(OOBSIM_TIMER_BASE + OOBSIM_TIMER_COUNTER_HI);
		lo = mmio_read32(OOBSIM_TIMER_BASE + OOBSIM_TIMER_COUNTER_LO);
		hi2 = mmio_read32(OOBSIM_TIMER_BASE + OOBSIM_TIMER_COUNTER_HI);
	} while (hi != hi2);
	return ((uint64_t)hi << 32) | lo;
}

/*
 * Program cpu's compare register: MTIP rises once the counter reaches value. The high word goes to all-ones first,
 * so no intermediate (hi, lo) pair is below the final value and no early interrupt can fire between the writes.
 */
static inline void timer_set_cmp(uint32_t cpu, uint64_t value)
{
	mmio_write32(OOBSIM_TIMER_CPU_REG(cpu, OOBSIM_TIMER_CMP_HI), 0xffffffffu);
	mmio_write32(OOBSIM_TIMER_CPU_REG(cpu, OOBSIM_TIMER_CMP_LO), (uint32_t)value);
	mmio_write32(OOBSIM_TIMER_CPU_REG(cpu, OOBSIM_TIMER_CMP_HI), (uint32_t)(value >> 32));
}

static inline uint64_t timer_get_cmp(uint32_t cpu)
{
	uint32_t hi = mmio_read32(OOBSIM_TIMER_CPU_REG(cpu, OOBSIM_TIMER_CMP_HI));
	uint32_t lo = mmio_read32(OOBSIM_TIMER_CPU_REG(cpu, OOBSIM_TIMER_CMP_LO));

	return ((uint64_t)hi << 32) | lo;
}

/* Back to the reset value: the compare is never reached, MTIP falls. */
static inline void timer_disarm(uint32_t cpu)
{
	timer_set_cmp(cpu, ~(uint64_t)0);
}

/* Raise cpu's MSIP: the IPI. */
static inline void send_msip(uint32_t cpu)
{
	mmio_write32(OOBSIM_TIMER_CPU_REG(cpu, OOBSIM_TIMER_MSIP), 1);
}

static inline void clear_msip(uint32_t cpu)
{
	mmio_write32(OOBSIM_TIMER_CPU_REG(cpu, OOBSIM_TIMER_MSIP), 0);
}

static inline uint32_t read_msip(uint32_t cpu)
{
	return mmio_read32(OOBSIM_TIMER_CPU_REG(cpu, OOBSIM_TIMER_MSIP)) & 1;
}

/*
 * Acknowledge this hart's software interrupt in its handler. The register write reaches mip.MSIP only after the
 * device's latency (timing parameter irq_write_latency), and returning while mip still shows the old IPI would take
 * it a second time, so wait for the line to fall. But another hart may raise MSIP again meanwhile, and then the line
 * need never fall: the register (which changes at once) tells that apart, and that new IPI is then left pending, to
 * be taken after mret as it should be.
 */
static inline void msip_ack(void)
{
	uint32_t me = hartid();

	clear_msip(me);
	while ((csr_read(mip) & MIP_MSIP) && !read_msip(me))
		cpu_relax();
}

/* The same for the timer interrupt: disarm this hart's compare and wait until MTIP has fallen, unless the compare
 * has been programmed again meanwhile. */
static inline void mtip_ack(void)
{
	uint32_t me = hartid();

	timer_disarm(me);
	while ((csr_read(mip) & MIP_MTIP) && timer_get_cmp(me) == ~(uint64_t)0)
		cpu_relax();
}

#endif /* OOBSIM_TIMER_H */

/*
 * The GICv2 interrupt controller from firmware: distributor set-up, per-CPU interface, SGIs, and the GIC timer mode
 * and IRQ-source channels that raise interrupts through it. Register offsets come from sim/memory_map.h; what each
 * register does on oobsim is in docs/platform.md. Every function acts on the calling hart's CPU interface where the
 * GIC banks by CPU (SGIs, PPIs, GICC_*).
 */
#ifndef OOBSIM_GIC_H
#define OOBSIM_GIC_H

#include <stdbool.h>
#include <stdint.h>

#include "memory_map.h"
#include "oobsim/mmio.h"

#define GIC_SGI_COUNT 16u
#define GIC_PPI_BASE 16u
#define GIC_SPI_BASE 32u
#define GIC_PRIO_LOWEST 0xf8u /* 5 priority bits: priorities are multiples of 8 */

static inline uint32_t gicd_read(uint32_t off)
{
	return mmio_read32(OOBSIM_GICD_BASE + off);
}

static inline void gicd_write(uint32_t off, uint32_t val)
{
	mmio_write32(OOBSIM_GICD_BASE + off, val);
}

static inline uint32_t gicc_read(uint32_t off)
{
	return mmio_read32(OOBSIM_GICC_BASE + off);
}

static inline void gicc_write(uint32_t off, uint32_t val)
{
	mmio_write32(OOBSIM_GICC_BASE + off, val);
}

/* Byte-wide registers (IPRIORITYR, ITARGETSR): one byte per interrupt ID. */
static inline void gicd_write8(uint32_t off, uint8_t val)
{
	*(volatile uint8_t *)(uintptr_t)(OOBSIM_GICD_BASE + off) = val;
}

static inline uint8_t gicd_read8(uint32_t off)
{
	return *(volatile uint8_t *)(uintptr_t)(OOBSIM_GICD_BASE + off);
}

/* Number of interrupt IDs the distributor implements (32 * (ITLinesNumber + 1)). */
static inline uint32_t gic_num_irqs(void)
{
	return 32u * ((gicd_read(OOBSIM_GICD_TYPER) & 0x1fu) + 1u);
}

static inline void gic_enable_irq(uint32_t id)
{
	gicd_write(OOBSIM_GICD_ISENABLER + 4u * (id / 32u), 1u << (id % 32u));
}

static inline void gic_disable_irq(uint32_t id)
{
	gicd_write(OOBSIM_GICD_ICENABLER + 4u * (id / 32u), 1u << (id % 32u));
}

static inline bool gic_irq_enabled(uint32_t id)
{
	return (gicd_read(OOBSIM_GICD_ISENABLER + 4u * (id / 32u)) >> (id % 32u)) & 1u;
}

static inline bool gic_irq_pending(uint32_t id)
{
	return (gicd_read(OOBSIM_GICD_ISPENDR + 4u * (id / 32u)) >> (id % 32u)) & 1u;
}

static inline bool gic_irq_active(uint32_t id)
{
	return (gicd_read(OOBSIM_GICD_ISACTIVER + 4u * (id / 32u)) >> (id % 32u)) & 1u;
}

static inline void gic_set_pending(uint32_t id)
{
	gicd_write(OOBSIM_GICD_ISPENDR + 4u * (id / 32u), 1u << (id % 32u));
}

static inline void gic_clear_pending(uint32_t id)
{
	gicd_write(OOBSIM_GICD_ICPENDR + 4u * (id / 32u), 1u << (id % 32u));
}

/* Lower value = higher priority; only the top 5 bits are kept. */
static inline void gic_set_priority(uint32_t id, uint8_t prio)
{
	gicd_write8(OOBSIM_GICD_IPRIORITYR + id, prio);
}

/* Which CPUs an SPI goes to (bit n = CPU n). SGI and PPI targets are fixed. */
static inline void gic_set_targets(uint32_t id, uint8_t cpumask)
{
	gicd_write8(OOBSIM_GICD_ITARGETSR + id, cpumask);
}

/* Edge (true) or level (false) triggered; SGIs are always edge. */
static inline void gic_set_edge(uint32_t id, bool edge)
{
	uint32_t off = OOBSIM_GICD_ICFGR + 4u * (id / 16u);
	uint32_t bit = 2u * (id % 16u) + 1u;
	uint32_t v = gicd_read(off);

	gicd_write(off, edge ? (v | (1u << bit)) : (v & ~(1u << bit)));
}

/* Turn the distributor on (hart 0, once). */
static inline void gic_dist_enable(void)
{
	gicd_write(OOBSIM_GICD_CTLR, 1u);
}

/* This hart's CPU interface: let every priority through (PMR), no sub-priority split beyond the minimum (BPR), on. */
static inline void gic_cpu_enable(void)
{
	gicc_write(OOBSIM_GICC_PMR, 0xffu);
	gicc_write(OOBSIM_GICC_BPR, 0u);
	gicc_write(OOBSIM_GICC_CTLR, 1u);
}

/* Acknowledge: returns the raw IAR value (ID in [9:0], SGI source CPU in [12:10]); ID 1023 is spurious. */
static inline uint32_t gic_ack(void)
{
	return gicc_read(OOBSIM_GICC_IAR);
}

static inline uint32_t gic_iar_id(uint32_t iar)
{
	return iar & 0x3ffu;
}

static inline uint32_t gic_iar_source(uint32_t iar)
{
	return (iar >> 10) & 0x7u;
}

/* End of interrupt: pass the value gic_ack() returned (it names the SGI source too). */
static inline void gic_eoi(uint32_t iar)
{
	gicc_write(OOBSIM_GICC_EOIR, iar);
}

static inline uint32_t gic_running_priority(void)
{
	return gicc_read(OOBSIM_GICC_RPR);
}

/* The interrupt GICC_IAR would return if nothing were running (ID and SGI source, as gic_ack()); 1023: none. */
static inline uint32_t gic_highest_pending(void)
{
	return gicc_read(OOBSIM_GICC_HPPIR);
}

/* Only priorities below `mask` are signalled (5 bits kept: 0xf8 lets every priority but the lowest through). */
static inline void gic_set_priority_mask(uint8_t mask)
{
	gicc_write(OOBSIM_GICC_PMR, mask);
}

/*
 * Binary point: the group priority, which decides preemption, is the priority's bits above bit `bpr` (2..7; lower
 * values read back as 2). BPR 2: all 5 priority bits preempt; BPR 3: priorities 8 apart share a group; 7: nothing
 * preempts anything.
 */
static inline void gic_set_binary_point(uint32_t bpr)
{
	gicc_write(OOBSIM_GICC_BPR, bpr);
}

/* SGI `sgi` of the calling hart: bit n set = pending from CPU n (GICD_SPENDSGIRn, one byte per SGI). */
static inline uint8_t gic_sgi_pending_sources(uint32_t sgi)
{
	return gicd_read8(OOBSIM_GICD_SPENDSGIR + sgi);
}

/* SGI `sgi` (0..15) to the CPUs in `cpumask`. */
static inline void gic_send_sgi(uint32_t sgi, uint8_t cpumask)
{
	gicd_write(OOBSIM_GICD_SGIR, OOBSIM_GICD_SGIR_TO_LIST | ((uint32_t)cpumask << 16) | (sgi & 0xfu));
}

static inline void gic_send_sgi_others(uint32_t sgi)
{
	gicd_write(OOBSIM_GICD_SGIR, OOBSIM_GICD_SGIR_TO_OTHERS | (sgi & 0xfu));
}

static inline void gic_send_sgi_self(uint32_t sgi)
{
	gicd_write(OOBSIM_GICD_SGIR, OOBSIM_GICD_SGIR_TO_SELF | (sgi & 0xfu));
}

/* ---- The per-CPU timer in GIC mode (PPI 30) --------------------------------------------------------------------- */

static inline uintptr_t gic_timer_reg(uint32_t cpu, uint32_t off)
{
	return OOBSIM_TIMER_BASE + cpu * OOBSIM_TIMER_STRIDE + off;
}

/*
 * Fire PPI 30 of `cpu` at counter value `when`, then every `period` cycles if `period` is non-zero (drift-free).
 * The compare value is written high word first so no intermediate value can fire.
 */
static inline void gic_timer_start(uint32_t cpu, uint64_t when, uint32_t period)
{
	mmio_write32(gic_timer_reg(cpu, OOBSIM_TIMER_CTRL), 0u);
	mmio_write32(gic_timer_reg(cpu, OOBSIM_TIMER_CMP_HI), 0xffffffffu);
	mmio_write32(gic_timer_reg(cpu, OOBSIM_TIMER_CMP_LO), (uint32_t)when);
	mmio_write32(gic_timer_reg(cpu, OOBSIM_TIMER_CMP_HI), (uint32_t)(when >> 32));
	mmio_write32(gic_timer_reg(cpu, OOBSIM_TIMER_RELOAD), period);
	mmio_write32(gic_timer_reg(cpu, OOBSIM_TIMER_CTRL),
		     OOBSIM_TIMER_CTRL_ENABLE | (period ? OOBSIM_TIMER_CTRL_PERIODIC : 0u));
}

static inline void gic_timer_stop(uint32_t cpu)
{
	mmio_write32(gic_timer_reg(cpu, OOBSIM_TIMER_CTRL), 0u);
}

/* STATUS: OOBSIM_TIMER_STATUS_FIRED (the PPI is high while it and CTRL.ENABLE are set), _CLEARING. */
static inline uint32_t gic_timer_status(uint32_t cpu)
{
	return mmio_read32(gic_timer_reg(cpu, OOBSIM_TIMER_STATUS));
}

/* The compare value: a periodic timer's next firing (it advances by RELOAD at each one). */
static inline uint64_t gic_timer_cmp(uint32_t cpu)
{
	uint32_t hi, lo;

	do {
		hi = mmio_read32(gic_timer_reg(cpu, OOBSIM_TIMER_CMP_HI));
		lo = mmio_read32(gic_timer_reg(cpu, OOBSIM_TIMER_CMP_LO));
	} while (hi != mmio_read32(gic_timer_reg(cpu, OOBSIM_TIMER_CMP_HI)));
	return ((uint64_t)hi << 32) | lo;
}

/* In the timer's interrupt handler, before EOI: clear FIRED and wait until the PPI has fallen. */
static inline void gic_timer_ack(uint32_t cpu)
{
	mmio_write32(gic_timer_reg(cpu, OOBSIM_TIMER_STATUS), OOBSIM_TIMER_STATUS_FIRED);
	while (mmio_read32(gic_timer_reg(cpu, OOBSIM_TIMER_STATUS)) & OOBSIM_TIMER_STATUS_CLEARING)
		;
}

/* ---- IRQ-source channels (programmed by the simulator; firmware observes and acknowledges) ---------------------- */

static inline uintptr_t irqsrc_reg(uint32_t channel, uint32_t off)
{
	return OOBSIM_IRQSRC_BASE + channel * OOBSIM_IRQSRC_STRIDE + off;
}

static inline uint32_t irqsrc_spi(uint32_t channel)
{
	return mmio_read32(irqsrc_reg(channel, OOBSIM_IRQSRC_SPI));
}

static inline uint32_t irqsrc_count(uint32_t channel)
{
	return mmio_read32(irqsrc_reg(channel, OOBSIM_IRQSRC_COUNT));
}

/* Events that found the level line still high (COUNT - OVERRUN is the number of times the line rose). */
static inline uint32_t irqsrc_overrun(uint32_t channel)
{
	return mmio_read32(irqsrc_reg(channel, OOBSIM_IRQSRC_OVERRUN));
}

/* OOBSIM_IRQSRC_STATUS_LINE, _LEVEL, _ACTIVE (more events to come), _ACK_PENDING. */
static inline uint32_t irqsrc_status(uint32_t channel)
{
	return mmio_read32(irqsrc_reg(channel, OOBSIM_IRQSRC_STATUS));
}

static inline uint32_t irqsrc_channels(void)
{
	return mmio_read32(OOBSIM_IRQSRC_BASE + OOBSIM_IRQSRC_CHANNELS);
}

static inline uint64_t irqsrc_last_cycle(uint32_t channel)
{
	uint32_t hi, lo;

	do {
		hi = mmio_read32(irqsrc_reg(channel, OOBSIM_IRQSRC_LAST_CYCLE_HI));
		lo = mmio_read32(irqsrc_reg(channel, OOBSIM_IRQSRC_LAST_CYCLE_LO));
	} while (hi != mmio_read32(irqsrc_reg(channel, OOBSIM_IRQSRC_LAST_CYCLE_HI)));
	return ((uint64_t)hi << 32) | lo;
}

/* Lower a level line the firmware has serviced, and wait until the device has seen it (before EOI). */
static inline void irqsrc_ack(uint32_t channel)
{
	mmio_write32(irqsrc_reg(channel, OOBSIM_IRQSRC_ACK), 1u);
	while (mmio_read32(irqsrc_reg(channel, OOBSIM_IRQSRC_STATUS)) & OOBSIM_IRQSRC_STATUS_ACK_PENDING)
		;
}

#endif /* OOBSIM_GIC_H */

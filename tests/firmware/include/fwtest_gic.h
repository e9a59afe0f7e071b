/*
 * GIC helpers shared by the GIC firmware tests (on top of firmware/include/oobsim/gic.h).
 */
#ifndef OOBSIM_FWTEST_GIC_H
#define OOBSIM_FWTEST_GIC_H

#include "fwtest.h"

/*
 * The calling hart's side of the GIC: its banked SGI and PPI priorities (all `prio`), its CPU interface on (every
 * priority let through, BPR at its minimum) and MEIP enabled in mie. mstatus.MIE is left as it is. Hart 0 also turns
 * the distributor on; call this on every hart before a barrier.
 */
static inline void fwtest_gic_cpu_setup(uint8_t prio)
{
	if (hartid() == 0)
		gic_dist_enable();
	for (uint32_t id = 0; id < GIC_SPI_BASE; id++)
		gic_set_priority(id, prio);
	gic_cpu_enable();
	irq_enable_meip();
}

/* Route an SPI: priority, target CPUs, edge or level, then enable it. */
static inline void fwtest_gic_spi_setup(uint32_t id, uint8_t prio, uint8_t cpumask, bool edge)
{
	gic_set_priority(id, prio);
	gic_set_targets(id, cpumask);
	gic_set_edge(id, edge);
	gic_enable_irq(id);
}

/* mcause of a GIC interrupt (every GIC interrupt reaches the core as its machine external interrupt). */
#define FWTEST_MCAUSE_GIC	(MCAUSE_INTERRUPT | IRQ_M_EXT)

#endif /* OOBSIM_FWTEST_GIC_H */

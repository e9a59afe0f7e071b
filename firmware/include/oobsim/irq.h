/*
 * Enabling machine interrupts: mie selects which interrupts may be taken (and which wake WFI), mstatus.MIE takes
 * them at all. A pending interrupt enabled in mie ends WFI even while mstatus.MIE is 0, which is how a hart can
 * sleep without a handler running (see wfi_wakeup test and the demo).
 */
#ifndef OOBSIM_IRQ_H
#define OOBSIM_IRQ_H

#include <stdint.h>

#include "oobsim/csr.h"

static inline void irq_enable(uint32_t mask)
{
	csr_set(mie, mask);
}

static inline void irq_disable(uint32_t mask)
{
	csr_clear(mie, mask);
}

static inline void irq_enable_msip(void)
{
	irq_enable(MIP_MSIP);
}

static inline void irq_disable_msip(void)
{
	irq_disable(MIP_MSIP);
}

static inline void irq_enable_mtip(void)
{
	irq_enable(MIP_MTIP);
}

static inline void irq_disable_mtip(void)
{
	irq_disable(MIP_MTIP);
}

static inline void irq_enable_meip(void)
{
	irq_enable(MIP_MEIP);
}

static inline void irq_disable_meip(void)
{
	irq_disable(MIP_MEIP);
}

static inline void irq_global_enable(void)
{
	csr_set(mstatus, MSTATUS_MIE);
}

static inline void irq_global_disable(void)
{
	csr_clear(mstatus, MSTATUS_MIE);
}

/* Mask interrupts; returns the previous mstatus.MIE for irq_restore(). */
static inline uint32_t irq_save(void)
{
	return csr_read_clear(mstatus, MSTATUS_MIE) & MSTATUS_MIE;
}

static inline void irq_restore(uint32_t flags)
{
	if (flags & MSTATUS_MIE)
		csr_set(mstatus, MSTATUS_MIE);
}

#endif /* OOBSIM_IRQ_H */

/*
 * A minimal RISC-V arch header for checking that the pipeline compiles as firmware: the trace hook becomes the
 * zero-cycle HINT (its id must be an immediate at every call site), the hard irq and cpu-id hooks CSR accesses
 * inline. Everything else stays an extern function. Not a working port: the firmware provides the real one.
 */
#ifndef PIPELINE_RV32_STUB_ARCH_H
#define PIPELINE_RV32_STUB_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "oobsim/trace.h"

#define arch_trace(id, value) OOBSIM_TRACE(id, value)

#define MSTATUS_MIE_ 0x8ul

#define arch_hard_irq_save arch_hard_irq_save
static inline unsigned long arch_hard_irq_save(void)
{
	unsigned long v;

	__asm__ volatile("csrrc %0, mstatus, %1" : "=r"(v) : "i"(MSTATUS_MIE_) : "memory");
	return v & MSTATUS_MIE_;
}

#define arch_hard_irq_restore arch_hard_irq_restore
static inline void arch_hard_irq_restore(unsigned long flags)
{
	__asm__ volatile("csrs mstatus, %0" : : "r"(flags & MSTATUS_MIE_) : "memory");
}

#define arch_hard_irq_enable arch_hard_irq_enable
static inline void arch_hard_irq_enable(void)
{
	__asm__ volatile("csrsi mstatus, 8" : : : "memory");
}

#define arch_hard_irq_disable arch_hard_irq_disable
static inline void arch_hard_irq_disable(void)
{
	__asm__ volatile("csrci mstatus, 8" : : : "memory");
}

#define arch_hard_irqs_disabled arch_hard_irqs_disabled
static inline bool arch_hard_irqs_disabled(void)
{
	unsigned long v;

	__asm__ volatile("csrr %0, mstatus" : "=r"(v) : : "memory");
	return !(v & MSTATUS_MIE_);
}

#define arch_cpu_id arch_cpu_id
static inline unsigned int arch_cpu_id(void)
{
	unsigned long v;

	__asm__ volatile("csrr %0, mhartid" : "=r"(v));
	return (unsigned int)v;
}

#endif /* PIPELINE_RV32_STUB_ARCH_H */

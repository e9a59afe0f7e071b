/*
 * The interrupt pipeline's arch layer on the oobsim RISC-V cores: the header named by PIPELINE_ARCH_HEADER.
 *
 * The cheap hooks are inline here, each one instruction (Linux style, a macro of the same name marks it defined):
 * the hard irq state is mstatus.MIE, the CPU id is mhartid, arch_num_cpus() reads a variable set at boot, and a
 * trace event is the zero-cycle HINT `slti x0, rs1, id` (OOBSIM_TRACE). The GIC hooks, idle and reports are
 * functions in firmware/pipeline/arch.c.
 *
 * Every hook is a compiler barrier, as pipeline/include/pipeline/arch.h requires: the CSR accesses carry a "memory"
 * clobber, the others are external calls.
 *
 * KERNEL_NO_TRACE replaces every trace HINT by the same asm statement with the instruction commented out: the
 * compiler sees the same operands, clobbers and size, so it generates the same code around it, and only the HINT
 * instructions themselves are gone. Cycle counts of the two builds must be identical (tests/pipeline_firmware).
 */
#ifndef KERNEL_ARCH_RV32_H
#define KERNEL_ARCH_RV32_H

#include <stdbool.h>
#include <stdint.h>

#include "oobsim/csr.h"
#include "oobsim/trace.h"

/* ---- Trace events ------------------------------------------------------------------------------------------------ */

#ifdef KERNEL_NO_TRACE
#define arch_trace(id, value)								\
	do {										\
		_Static_assert((long long)(id) >= 0 && (id) <= OOBSIM_HINT_ID_MAX,	\
			       "trace id must be 0..OOBSIM_HINT_ID_MAX");		\
		__asm__ volatile("# slti x0, %0, %1 (trace compiled out)"		\
				 : : "r"((uint32_t)(value)), "i"(id)			\
				 : "memory");						\
	} while (0)
#else
#define arch_trace(id, value) OOBSIM_TRACE(id, value)
#endif

/* ---- Hard irqs: mstatus.MIE -------------------------------------------------------------------------------------- */

#define arch_hard_irq_save arch_hard_irq_save
static inline unsigned long arch_hard_irq_save(void)
{
	unsigned long v;

	__asm__ volatile("csrrci %0, mstatus, %1" : "=r"(v) : "i"(MSTATUS_MIE) : "memory");
	return v & MSTATUS_MIE;
}

/* As Linux does on RISC-V: set MIE back if it was set. Restoring "off" leaves the state alone, which is right
 * because every save/restore pair restores in a section it keeps hard irqs off. */
#define arch_hard_irq_restore arch_hard_irq_restore
static inline void arch_hard_irq_restore(unsigned long flags)
{
	__asm__ volatile("csrs mstatus, %0" : : "r"(flags & MSTATUS_MIE) : "memory");
}

#define arch_hard_irq_enable arch_hard_irq_enable
static inline void arch_hard_irq_enable(void)
{
	__asm__ volatile("csrsi mstatus, %0" : : "i"(MSTATUS_MIE) : "memory");
}

#define arch_hard_irq_disable arch_hard_irq_disable
static inline void arch_hard_irq_disable(void)
{
	__asm__ volatile("csrci mstatus, %0" : : "i"(MSTATUS_MIE) : "memory");
}

#define arch_hard_irqs_disabled arch_hard_irqs_disabled
static inline bool arch_hard_irqs_disabled(void)
{
	unsigned long v;

	__asm__ volatile("csrr %0, mstatus" : "=r"(v) : : "memory");
	return !(v & MSTATUS_MIE);
}

/* ---- CPUs -------------------------------------------------------------------------------------------------------- */

#define arch_cpu_id arch_cpu_id
static inline unsigned int arch_cpu_id(void)
{
	unsigned long v;

	__asm__ volatile("csrr %0, mhartid" : "=r"(v) : : "memory");
	return (unsigned int)v;
}

/* CPUs the kernel runs on: the simulator's --cpus, at most PIPELINE_MAX_CPUS. Set by hart 0 before the others are
 * released (firmware/pipeline/kernel.c). */
extern unsigned int kernel_nr_cpus;

#define arch_num_cpus arch_num_cpus
static inline unsigned int arch_num_cpus(void)
{
	__asm__ volatile("" : : : "memory");
	return kernel_nr_cpus;
}

#endif /* KERNEL_ARCH_RV32_H */

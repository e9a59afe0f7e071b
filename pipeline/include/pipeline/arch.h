/*
 * What the interrupt pipeline needs from the machine: the whole arch interface.
 *
 * The pipeline is portable C11 and calls nothing else. Two implementations exist: the host fake
 * (pipeline/host/fake_arch.c, N CPUs simulated in one thread, for unit tests) and the firmware one (CSRs and the
 * GIC, on the simulated RISC-V cores).
 *
 * Each hook is an extern function unless the arch header names it first: build with
 * -DPIPELINE_ARCH_HEADER='"my_arch.h"' and define, in that header, any hook as a macro or as a static inline
 * function together with a macro of the same name (`#define arch_cpu_id arch_cpu_id`), Linux style. The firmware
 * wants this for arch_trace() (it must become OOBSIM_TRACE, whose id is an immediate) and for the hard irq and
 * cpu-id hooks (a CSR access each, not worth a call).
 *
 * Contract common to every hook:
 * - it acts as a compiler barrier (an external call or an asm with a "memory" clobber): the pipeline keeps its
 *   per-CPU state in plain variables and relies on the hooks to order its accesses against interrupts;
 * - it never calls back into the pipeline, except that enabling hard irqs may take an interrupt, which enters
 *   handle_irq_pipelined() with hard irqs off and returns with them restored, as the hardware trap would.
 */
#ifndef PIPELINE_ARCH_H
#define PIPELINE_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#ifdef PIPELINE_ARCH_HEADER
#include PIPELINE_ARCH_HEADER
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- The CPU's real interrupt enable (mstatus.MIE on RISC-V) ----------------------------------------------------- */

#ifndef arch_hard_irq_save
/* Disable hard irqs; return the previous state, to be given back to arch_hard_irq_restore(). */
unsigned long arch_hard_irq_save(void);
#endif
#ifndef arch_hard_irq_restore
void arch_hard_irq_restore(unsigned long flags);
#endif
#ifndef arch_hard_irq_enable
void arch_hard_irq_enable(void);
#endif
#ifndef arch_hard_irq_disable
void arch_hard_irq_disable(void);
#endif
#ifndef arch_hard_irqs_disabled
bool arch_hard_irqs_disabled(void);
#endif

/* ---- CPUs -------------------------------------------------------------------------------------------------------- */

#ifndef arch_cpu_id
/* The calling CPU, 0..arch_num_cpus()-1. */
unsigned int arch_cpu_id(void);
#endif
#ifndef arch_num_cpus
/* CPUs present, at most PIPELINE_MAX_CPUS. */
unsigned int arch_num_cpus(void);
#endif

/* ---- Interrupt controller ---------------------------------------------------------------------------------------- */

/* What arch_irq_ack() returns when no interrupt is pending (GIC: IAR gave 1023). */
#define ARCH_IRQ_SPURIOUS (-1)

#ifndef arch_irq_ack
/*
 * Acknowledge the highest-priority pending interrupt of this CPU (GIC: read IAR) and return its number, or
 * ARCH_IRQ_SPURIOUS. Called with hard irqs off. The pipeline always signals the end of that interrupt with
 * arch_irq_eoi() on the same CPU before it acknowledges the next one, with hard irqs off in between, so an arch
 * that needs more than the number for the EOI (the GIC's source CPU of an SGI) may keep the last IAR value per CPU.
 */
int arch_irq_ack(void);
#endif
#ifndef arch_irq_eoi
/* End of interrupt (GIC: write EOIR): the controller may signal this IRQ (and same-priority ones) again. */
void arch_irq_eoi(unsigned int irq);
#endif
#ifndef arch_irq_mask
/* Stop the controller from signalling irq (GIC: ICENABLER; banked per CPU for SGIs and PPIs). */
void arch_irq_mask(unsigned int irq);
#endif
#ifndef arch_irq_unmask
void arch_irq_unmask(unsigned int irq);
#endif
#ifndef arch_irq_send_sgi
/* Raise software-generated interrupt sgi (< PIPELINE_NR_SGIS) on every CPU in cpumask (bit n = CPU n), the
 * caller included if its bit is set. Memory writes before the call are visible to the targets when they take it. */
void arch_irq_send_sgi(unsigned int sgi, uint32_t cpumask);
#endif

/* ---- Idle -------------------------------------------------------------------------------------------------------- */

#ifndef arch_idle
/* Wait for an interrupt (WFI). Called with hard irqs off: returns once one is pending, without taking it. May return
 * early. */
void arch_idle(void);
#endif

/* ---- Reports and traces ------------------------------------------------------------------------------------------ */

#ifndef arch_report
/*
 * A message from the pipeline: a debug check that failed, a warning about a misuse of the API or an information
 * (enum pipeline_report_kind in irq_pipeline.h). irq is -1 when none applies; stage is the CPU's stage (0 in-band,
 * 1 oob); pc is the code address it is about (the caller of the API function, or the handler); msg is a static
 * string. The pipeline goes on after it returns.
 */
void arch_report(int kind, unsigned int cpu, int irq, int stage, uintptr_t pc, const char *msg);
#endif

#ifndef arch_trace
/* Trace event id (trace_events.h) with a 32-bit value. Must be cheap and have no effect on the pipeline. */
void arch_trace_event(unsigned int id, uint32_t value);
#define arch_trace(id, value) arch_trace_event((id), (uint32_t)(value))
#endif

#ifndef arch_return_address
/* The address the current function returns to: used as the "pc" of reports about a misuse by the caller. */
#if defined(__GNUC__)
#define arch_return_address() ((uintptr_t)__builtin_return_address(0))
#else
#define arch_return_address() ((uintptr_t)0)
#endif
#endif

#ifdef __cplusplus
}
#endif

#endif /* PIPELINE_ARCH_H */

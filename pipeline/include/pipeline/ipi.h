/*
 * Inter-processor interrupts (pipeline-semantics.md section 7).
 *
 * - oob IPIs have an SGI each (TIMER_OOB_IPI, RESCHEDULE_OOB_IPI, CALL_FUNCTION_OOB_IPI); a companion core requests
 *   them with __request_percpu_irq(ipi, handler, IRQF_OOB, ...) and enables them on each CPU.
 * - in-band IPIs share SGI PIPELINE_INBAND_IPI_SGI; the message is a per-CPU bit. The receiver feeds each message
 *   into the pipeline as IRQ INBAND_IPI_IRQ(msg) (per-CPU, request it with __request_percpu_irq()), so it is logged
 *   and deferred like a device IRQ.
 * Both may be sent from either stage, to any set of CPUs, the sender included.
 */
#ifndef PIPELINE_IPI_H
#define PIPELINE_IPI_H

#include <stdint.h>

#include "pipeline/config.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PIPELINE_CPU_MASK(cpu) (UINT32_C(1) << (cpu))

void irq_send_oob_ipi(unsigned int ipi, uint32_t cpumask);
void irq_send_inband_ipi(unsigned int msg, uint32_t cpumask);

#ifdef __cplusplus
}
#endif

#endif /* PIPELINE_IPI_H */

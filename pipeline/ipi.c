/*
 * IPIs (pipeline-semantics.md section 7). oob IPIs are plain per-CPU IRQs on SGIs of their own. In-band IPIs are
 * messages: a bit per message per CPU, and one shared SGI to tell the CPU to look; the receiver turns each message
 * into IRQ INBAND_IPI_IRQ(msg) and feeds it to the pipeline, where it is logged like any in-band IRQ.
 */
#include "internal.h"

void irq_send_oob_ipi(unsigned int ipi, uint32_t cpumask)
{
	if (ipi < OOB_IPI_BASE || ipi >= OOB_IPI_BASE + OOB_NR_IPI) {
		pipeline_report(PIPELINE_WARN_BAD_IPI, (int)ipi, arch_return_address(),
				"irq_send_oob_ipi(): not an oob IPI");
		return;
	}
	cpumask &= pipeline_online_mask();
	arch_trace(PIPELINE_TRACE_OOB_IPI_SEND, ipi << 16 | cpumask);
	arch_irq_send_sgi(ipi, cpumask);
}

void irq_send_inband_ipi(unsigned int msg, uint32_t cpumask)
{
	uint32_t targets;

	if (msg >= PIPELINE_NR_INBAND_IPIS) {
		pipeline_report(PIPELINE_WARN_BAD_IPI, (int)msg, arch_return_address(),
				"irq_send_inband_ipi(): no such in-band IPI message");
		return;
	}
	cpumask &= pipeline_online_mask();
	/* The message bits are published (release) before the SGI that makes the target read them. */
	for (targets = cpumask; targets; targets &= targets - 1)
		atomic_fetch_or_explicit(&pipeline_cpus[ctz32(targets)].inband_ipis, UINT32_C(1) << msg,
					 memory_order_release);
	arch_trace(PIPELINE_TRACE_INBAND_IPI_SEND, msg << 16 | cpumask);
	arch_irq_send_sgi(PIPELINE_INBAND_IPI_SGI, cpumask);
}

/* From the pipeline entry, hard irqs off, after the EOI of the SGI. Lowest message first. */
void receive_inband_ipis(struct pipeline_cpu *pc)
{
	uint32_t msgs = atomic_exchange_explicit(&pc->inband_ipis, 0, memory_order_acquire);

	for (; msgs; msgs &= msgs - 1) {
		unsigned int msg = ctz32(msgs);

		arch_trace(PIPELINE_TRACE_INBAND_IPI_RECEIVE, msg);
		dispatch_irq(pc, INBAND_IPI_IRQ(msg), false);
	}
}

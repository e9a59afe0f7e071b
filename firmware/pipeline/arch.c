/*
 * The pipeline's arch hooks that are not inline (kernel/arch_rv32.h has the others): the GIC, idle, reports.
 * Shared by the pipelined and the classic kernel.
 */
#include "kernel/kernel.h"
#include "oobsim/atomic.h"
#include "oobsim/console.h"
#include "oobsim/gic.h"
#include "oobsim/platform.h"

/* ---- Interrupt controller ---------------------------------------------------------------------------------------- */

/*
 * GICC_IAR: ID [9:0], SGI source CPU [12:10]; 1020-1023 mean nothing to acknowledge. The raw value is kept per CPU
 * for the EOI, which must name the SGI's source too: the pipeline ends every interrupt on the acknowledging CPU
 * before its next acknowledge, with hard irqs off in between, so one word per CPU is enough.
 */
int arch_irq_ack(void)
{
	uint32_t iar = gic_ack();
	uint32_t id = gic_iar_id(iar);
	struct kernel_cpu *kc = this_kernel_cpu();

	if (id >= 1020u) {
		kc->spurious++;
		return ARCH_IRQ_SPURIOUS;
	}
	kc->iar = iar;
	return (int)id;
}

void arch_irq_eoi(unsigned int irq)
{
	uint32_t iar = this_kernel_cpu()->iar;

	/* Anything but the last acknowledged ID is a pipeline bug; the GIC would ignore (and report) it anyway. */
	gic_eoi(gic_iar_id(iar) == irq ? iar : irq);
}

void arch_irq_mask(unsigned int irq)
{
	gic_disable_irq(irq);
}

void arch_irq_unmask(unsigned int irq)
{
	gic_enable_irq(irq);
}

void arch_irq_send_sgi(unsigned int sgi, uint32_t cpumask)
{
	/* The targets read what we wrote before the SGI (in-band IPI message bits, shared data): order the memory
	 * writes before the device write. */
	unsigned long flags = arch_hard_irq_save();

	iomb();
	gic_send_sgi(sgi, (uint8_t)cpumask);
	this_kernel_cpu()->sgis_sent++;
	arch_hard_irq_restore(flags);
}

/* ---- Idle -------------------------------------------------------------------------------------------------------- */

/* Hard irqs off: WFI returns once MEIP is pending (mie.MEIE is set at boot), without taking the interrupt. */
void arch_idle(void)
{
	wfi();
}

/* ---- Reports ----------------------------------------------------------------------------------------------------- */

static struct kernel_report reports[KERNEL_NR_REPORT_KINDS];

static const char *report_what(int kind)
{
	if (kind < PIPELINE_NR_DEBUG_CHECKS)
		return "debug check failed";
	if (kind < PIPELINE_FAIL_XCALL_CONTEXT)
		return "warning";
	if (kind < PIPELINE_INFO_OOB_STAGE_ENABLED)
		return kind == PIPELINE_FAIL_XCALL_IPL ? "panic" : "assertion failed";
	return "info";
}

/*
 * Printed under the console lock, which nests per CPU: a report made by an oob handler that interrupted in-band
 * code in the middle of a printf() on the same CPU does not deadlock (it lands inside that line).
 */
void arch_report(int kind, unsigned int cpu, int irq, int stage, uintptr_t pc, const char *msg)
{
	unsigned long flags = arch_hard_irq_save();

	if (kind >= 0 && kind < KERNEL_NR_REPORT_KINDS) {
		struct kernel_report *r = &reports[kind];

		r->cpu = cpu;
		r->irq = irq;
		r->stage = stage;
		r->pc = pc;
		r->msg = msg;
		r->count++;
	}
	console_lock();
	printf("[pipeline] %s on cpu %u, %s stage, irq ", report_what(kind), cpu, stage ? "oob" : "in-band");
	if (irq < 0)
		printf("-");
	else
		printf("%d", irq);
	if (kind == PIPELINE_INFO_OOB_STAGE_ENABLED)
		printf(", pc 0x%08x: oob stage '%s' enabled\n", (unsigned int)pc, msg ? msg : "");
	else if (kind == PIPELINE_INFO_OOB_STAGE_DISABLED)
		printf(", pc 0x%08x: oob stage '%s' disabled\n", (unsigned int)pc, msg ? msg : "");
	else
		printf(", pc 0x%08x: %s\n", (unsigned int)pc, msg ? msg : "");
	console_unlock();
	arch_hard_irq_restore(flags);
}

const struct kernel_report *kernel_last_report(int kind)
{
	if (kind < 0 || kind >= KERNEL_NR_REPORT_KINDS || !READ_ONCE(reports[kind].count))
		return NULL;
	return &reports[kind];
}

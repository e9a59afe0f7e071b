/*
 * The classic kernel: the same API as the pipelined one, without an interrupt pipeline (KERNEL_CLASSIC).
 *
 * Interrupt protection is the CPU's own: local_irq_*() (kernel/kernel.h), inband_irq_*() and oob_irq_*() all act
 * on mstatus.MIE. Every interrupt is handled in the trap, hard irqs off: acknowledge, run the line's handlers
 * (IRQF_OOB or not, there is one stage), end of interrupt. The IRQ descriptors, request/free calls and the running
 * of handlers are the pipeline's own (pipeline/manage.c, pipeline/stage.c), so a handler sees the same API; what
 * the pipeline adds (stages, logs, replay) is simply not there.
 *
 * - irq_work: queued per CPU, run from a self-SGI (KERNEL_CLASSIC_IRQ_WORK_SGI), i.e. in hard-irq context as soon
 *   as the CPU takes interrupts, as Linux does with arch_irq_work_raise().
 * - in-band IPIs: message bits and SGI 0, run in the trap; oob IPIs: their SGIs, run in the trap.
 * - run_oob_call(fn): fn with hard irqs off. There is no oob stage: enable_oob_stage() only notes the name.
 * The trace events are the pipeline's ids where the event exists here (entry/exit, ack/EOI, handler entry/exit on
 * the in-band stage, run_oob_call, irq_work, IPIs, injection).
 */
#include "../../pipeline/internal.h"
#include "kernel/kernel.h"
#include "oobsim/console.h"

struct classic_cpu {
	struct irq_work *work_head, *work_tail;
	atomic_uint inband_ipis;
};

static struct classic_cpu classic_cpus[PIPELINE_MAX_CPUS];
static pipeline_spinlock_t work_lock;
static const char *classic_oob_name;

void pipeline_init(void)
{
	pipeline_cpus_reset();
	for (unsigned int cpu = 0; cpu < PIPELINE_MAX_CPUS; cpu++) {
		classic_cpus[cpu].work_head = NULL;
		classic_cpus[cpu].work_tail = NULL;
		atomic_store(&classic_cpus[cpu].inband_ipis, 0);
	}
	atomic_store(&work_lock.locked, 0);
	classic_oob_name = NULL;
	pipeline_reports_init();
	irq_descs_init();
}

/* ---- Interrupt entry --------------------------------------------------------------------------------------------- */

static void eoi_irq(unsigned int irq)
{
	arch_trace(PIPELINE_TRACE_IRQ_EOI, irq);
	arch_irq_eoi(irq);
}

/* Hard irqs off, in the trap (or irq_inject_pipeline()). */
static void run_irq(unsigned int irq)
{
	irqreturn_t ret;

	arch_trace(PIPELINE_TRACE_HANDLER_ENTRY_INBAND, irq);
	ret = run_inband_handlers(irq);
	arch_trace(PIPELINE_TRACE_HANDLER_EXIT_INBAND, irq);
	note_interrupt(irq, ret);
}

static void classic_receive_inband_ipis(unsigned int cpu)
{
	uint32_t msgs = atomic_exchange_explicit(&classic_cpus[cpu].inband_ipis, 0, memory_order_acquire);

	for (; msgs; msgs &= msgs - 1) {
		unsigned int msg = ctz32(msgs);

		arch_trace(PIPELINE_TRACE_INBAND_IPI_RECEIVE, msg);
		run_irq(INBAND_IPI_IRQ(msg));
	}
}

void classic_handle_irq(void)
{
	int irq;

	arch_trace(PIPELINE_TRACE_ENTRY, IRQ_STAGE_INBAND);
	while ((irq = arch_irq_ack()) >= 0) {
		arch_trace(PIPELINE_TRACE_IRQ_ACK, irq);
		if (irq >= PIPELINE_NR_HW_IRQS) {
			(void)pipeline_check(true, PIPELINE_DEBUG_IRQ_RANGE, irq, 0,
					     "the interrupt controller gave an IRQ number out of range");
			eoi_irq((unsigned int)irq);
			continue;
		}
		if (irq == PIPELINE_INBAND_IPI_SGI) {
			eoi_irq((unsigned int)irq);	/* first: a message sent from now on raises the SGI again */
			classic_receive_inband_ipis(arch_cpu_id());
			continue;
		}
		if (irq == KERNEL_CLASSIC_IRQ_WORK_SGI) {
			eoi_irq((unsigned int)irq);
			irq_work_run();
			continue;
		}
		if (irq >= OOB_IPI_BASE && irq < OOB_IPI_BASE + OOB_NR_IPI)
			arch_trace(PIPELINE_TRACE_OOB_IPI_RECEIVE, irq);
		run_irq((unsigned int)irq);
		eoi_irq((unsigned int)irq);
	}
	arch_trace(PIPELINE_TRACE_EXIT, 1);
}

int irq_inject_pipeline(unsigned int irq)
{
	unsigned long flags;

	if (irq >= PIPELINE_NR_IRQS)
		return -EINVAL;
	flags = hard_local_irq_save();
	arch_trace(PIPELINE_TRACE_IRQ_INJECT, irq);
	run_irq(irq);
	hard_local_irq_restore(flags);
	return 0;
}

/* Nothing is ever logged: nothing to synchronize. */
void synchronize_pipeline(void)
{
}

void sync_current_irq_stage(void)
{
}

void sync_inband_irqs(void)
{
}

/* ---- Protection: the CPU's interrupt enable, whatever the name --------------------------------------------------- */

unsigned long inband_irq_save(void)
{
	return arch_hard_irq_save();
}

void inband_irq_restore(unsigned long flags)
{
	arch_hard_irq_restore(flags);
}

void inband_irq_disable(void)
{
	arch_hard_irq_disable();
}

void inband_irq_enable(void)
{
	arch_hard_irq_enable();
}

bool inband_irqs_disabled(void)
{
	return arch_hard_irqs_disabled();
}

void oob_irq_disable(void)
{
	arch_hard_irq_disable();
}

void oob_irq_enable(void)
{
	arch_hard_irq_enable();
}

unsigned long oob_irq_save(void)
{
	return !arch_hard_irq_save();
}

void oob_irq_restore(unsigned long flags)
{
	if (flags)
		arch_hard_irq_disable();
	else
		arch_hard_irq_enable();
}

bool oob_irqs_disabled(void)
{
	return arch_hard_irqs_disabled();
}

/* ---- No oob stage ------------------------------------------------------------------------------------------------ */

int run_oob_call(int (*fn)(void *arg), void *arg)
{
	unsigned long flags = hard_local_irq_save();
	int ret;

	arch_trace(PIPELINE_TRACE_RUN_OOB_CALL_ENTRY, (uintptr_t)fn);
	ret = fn(arg);
	hard_local_irq_disable();
	arch_trace(PIPELINE_TRACE_RUN_OOB_CALL_EXIT, ret);
	hard_local_irq_restore(flags);
	return ret;
}

int enable_oob_stage(const char *name)
{
	if (classic_oob_name)
		return -EBUSY;
	classic_oob_name = name;
	printf("[classic] no oob stage: '%s' gets ordinary hard-irq handlers\n", name ? name : "");
	return 0;
}

void disable_oob_stage(void)
{
	classic_oob_name = NULL;
}

bool oob_stage_present(void)
{
	return false;
}

const char *oob_stage_name(void)
{
	return NULL;
}

/* Linux's default idle: sleep with interrupts off, then take what woke us. */
void inband_idle(void)
{
	hard_local_irq_disable();
	arch_trace(PIPELINE_TRACE_IDLE, 0);
	arch_idle();
	arch_trace(PIPELINE_TRACE_IDLE_WAKE, 0);
	hard_local_irq_enable();
}

/* ---- irq_work ---------------------------------------------------------------------------------------------------- */

bool irq_work_queue(struct irq_work *work)
{
	unsigned long flags = hard_local_irq_save();
	unsigned int cpu = arch_cpu_id();
	struct classic_cpu *cc = &classic_cpus[cpu];
	bool claimed;

	pipeline_spin_lock(&work_lock);
	claimed = !(work->flags & IRQ_WORK_PENDING);
	if (claimed)
		work->flags |= IRQ_WORK_PENDING | IRQ_WORK_BUSY;
	pipeline_spin_unlock(&work_lock);
	if (claimed) {
		work->next = NULL;
		if (cc->work_tail)
			cc->work_tail->next = work;
		else
			cc->work_head = work;
		cc->work_tail = work;
		arch_trace(PIPELINE_TRACE_IRQ_WORK_QUEUE, (uintptr_t)work);
		arch_irq_send_sgi(KERNEL_CLASSIC_IRQ_WORK_SGI, UINT32_C(1) << cpu);
	}
	hard_local_irq_restore(flags);
	return claimed;
}

/* From the self-SGI, hard irqs off. PENDING goes before func runs (it may queue itself again), BUSY after. */
void irq_work_run(void)
{
	unsigned long flags = hard_local_irq_save();
	struct classic_cpu *cc = &classic_cpus[arch_cpu_id()];
	struct irq_work *work = cc->work_head, *next;

	cc->work_head = NULL;
	cc->work_tail = NULL;
	for (; work; work = next) {
		next = work->next;
		pipeline_spin_lock(&work_lock);
		work->flags &= ~IRQ_WORK_PENDING;
		pipeline_spin_unlock(&work_lock);
		arch_trace(PIPELINE_TRACE_IRQ_WORK_RUN, (uintptr_t)work);
		work->func(work);
		arch_trace(PIPELINE_TRACE_IRQ_WORK_DONE, (uintptr_t)work);
		pipeline_spin_lock(&work_lock);
		if (!(work->flags & IRQ_WORK_PENDING))
			work->flags &= ~IRQ_WORK_BUSY;
		pipeline_spin_unlock(&work_lock);
	}
	hard_local_irq_restore(flags);
}

bool irq_work_is_pending(const struct irq_work *work)
{
	return work->flags & IRQ_WORK_PENDING;
}

/* ---- IPIs -------------------------------------------------------------------------------------------------------- */

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
	if (msg >= PIPELINE_NR_INBAND_IPIS) {
		pipeline_report(PIPELINE_WARN_BAD_IPI, (int)msg, arch_return_address(),
				"irq_send_inband_ipi(): no such in-band IPI message");
		return;
	}
	cpumask &= pipeline_online_mask();
	for (uint32_t targets = cpumask; targets; targets &= targets - 1)
		atomic_fetch_or_explicit(&classic_cpus[ctz32(targets)].inband_ipis, UINT32_C(1) << msg,
					 memory_order_release);
	arch_trace(PIPELINE_TRACE_INBAND_IPI_SEND, msg << 16 | cpumask);
	arch_irq_send_sgi(PIPELINE_INBAND_IPI_SGI, cpumask);
}

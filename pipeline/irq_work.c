/*
 * irq_work (pipeline-semantics.md section 7): how oob code, which must not call in-band code, gets in-band work
 * done on its own CPU. The work is queued on a per-CPU list and the synthetic per-CPU IRQ PIPELINE_IRQ_WORK_IRQ is
 * posted to the in-band log, so the work runs when in-band replays that log, exactly like a deferred device IRQ.
 */
#include "internal.h"

/* Claims (the PENDING bit) may race between CPUs queueing the same work; the lists themselves are per-CPU. */
static pipeline_spinlock_t work_lock;

static irqreturn_t irq_work_interrupt(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	irq_work_run();
	return IRQ_HANDLED;
}

void irq_work_init(void)
{
	atomic_store(&work_lock.locked, 0);
	setup_pipeline_percpu_irq(PIPELINE_IRQ_WORK_IRQ, irq_work_interrupt, "irq_work");
}

/* Hard irqs off. */
static bool claim_work(struct irq_work *work)
{
	bool claimed;

	pipeline_spin_lock(&work_lock);
	claimed = !(work->flags & IRQ_WORK_PENDING);
	if (claimed)
		work->flags |= IRQ_WORK_PENDING | IRQ_WORK_BUSY;
	pipeline_spin_unlock(&work_lock);
	return claimed;
}

static void enqueue_work(struct pipeline_cpu *pc, struct irq_work *work)
{
	work->next = NULL;
	if (pc->work_tail)
		pc->work_tail->next = work;
	else
		pc->work_head = work;
	pc->work_tail = work;
}

bool irq_work_queue(struct irq_work *work)
{
	bool hard_on = !arch_hard_irqs_disabled();
	struct pipeline_cpu *pc;
	unsigned long flags;
	bool claimed;

	flags = hard_local_irq_save();
	claimed = claim_work(work);
	if (claimed) {
		pc = this_pipeline_cpu();
		enqueue_work(pc, work);
		arch_trace(PIPELINE_TRACE_IRQ_WORK_QUEUE, (uintptr_t)work);
		post_stage(pc, IRQ_STAGE_INBAND, PIPELINE_IRQ_WORK_IRQ);
		/* In-band code that could take the IRQ right now gets its work done before we return. */
		if (hard_on && pc->current == IRQ_STAGE_INBAND && !pc->in_pipeline &&
		    !stage_stalled(pc, IRQ_STAGE_INBAND) && !oob_blocks_inband(pc))
			__synchronize_pipeline(pc);
	}
	hard_local_irq_restore(flags);
	return claimed;
}

/* PENDING goes before func runs, so that func (or anyone) may queue the work again; BUSY stays until it returns. */
static void run_work(struct irq_work *work)
{
	unsigned long flags;

	flags = hard_local_irq_save();
	pipeline_spin_lock(&work_lock);
	work->flags &= ~IRQ_WORK_PENDING;
	pipeline_spin_unlock(&work_lock);
	hard_local_irq_restore(flags);

	arch_trace(PIPELINE_TRACE_IRQ_WORK_RUN, (uintptr_t)work);
	work->func(work);
	arch_trace(PIPELINE_TRACE_IRQ_WORK_DONE, (uintptr_t)work);

	flags = hard_local_irq_save();
	pipeline_spin_lock(&work_lock);
	if (!(work->flags & IRQ_WORK_PENDING))
		work->flags &= ~IRQ_WORK_BUSY;
	pipeline_spin_unlock(&work_lock);
	hard_local_irq_restore(flags);
}

void irq_work_run(void)
{
	struct irq_work *work, *next;
	struct pipeline_cpu *pc;
	unsigned long flags;

	(void)check_inband(arch_return_address(), "irq_work_run()");
	flags = hard_local_irq_save();
	pc = this_pipeline_cpu();
	work = pc->work_head;
	pc->work_head = NULL;
	pc->work_tail = NULL;
	hard_local_irq_restore(flags);

	for (; work; work = next) {
		next = work->next;	/* before func may queue it again */
		run_work(work);
	}
}

bool irq_work_is_pending(const struct irq_work *work)
{
	return work->flags & IRQ_WORK_PENDING;
}

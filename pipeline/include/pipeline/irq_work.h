/*
 * irq_work (pipeline-semantics.md section 7): the way oob code gets in-band work done. Queued from oob, the work
 * runs later in-band on the same CPU, from the synthetic per-CPU IRQ PIPELINE_IRQ_WORK_IRQ posted to the in-band
 * log, so it is deferred like any in-band IRQ. Queued in-band with hard irqs on and the stage unstalled, it runs
 * before irq_work_queue() returns.
 */
#ifndef PIPELINE_IRQ_WORK_H
#define PIPELINE_IRQ_WORK_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IRQ_WORK_PENDING 0x1u	/* queued, func not called yet */
#define IRQ_WORK_BUSY 0x2u	/* queued or func running */

struct irq_work {
	struct irq_work *next;
	void (*func)(struct irq_work *work);
	unsigned int flags;
};

static inline void init_irq_work(struct irq_work *work, void (*func)(struct irq_work *work))
{
	work->next = NULL;
	work->func = func;
	work->flags = 0;
}

/* Queue work on this CPU; false if it was already pending (it will run once). Either stage. */
bool irq_work_queue(struct irq_work *work);
/* Run the works queued on this CPU (in-band; the PIPELINE_IRQ_WORK_IRQ handler calls it). */
void irq_work_run(void);
bool irq_work_is_pending(const struct irq_work *work);

#ifdef __cplusplus
}
#endif

#endif /* PIPELINE_IRQ_WORK_H */

/*
 * Requesting IRQs (pipeline-semantics.md section 6): the Linux genirq calls, with Dovetail's IRQF_OOB.
 */
#ifndef PIPELINE_INTERRUPT_H
#define PIPELINE_INTERRUPT_H

#include <stdbool.h>

#include "pipeline/config.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum irqreturn {
	IRQ_NONE = 0,		/* not from this device */
	IRQ_HANDLED = 1,	/* handled */
	IRQ_WAKE_THREAD = 2,	/* handled; run the thread function */
} irqreturn_t;

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

#define IRQF_SHARED 0x00000080UL	/* the line may have several actions (all must say so) */
#define IRQF_PERCPU 0x00000400UL	/* per-CPU line (set by __request_percpu_irq) */
#define IRQF_ONESHOT 0x00002000UL	/* keep the line masked until the thread function ran */
#define IRQF_NO_THREAD 0x00010000UL	/* never threaded */
#define IRQF_NO_AUTOEN 0x00080000UL	/* request leaves the line disabled: enable_irq() it later */
#define IRQF_OOB 0x00200000UL		/* run on the oob stage (when present), whatever the in-band stall */

struct irqaction {
	irq_handler_t handler;
	irq_handler_t thread_fn;
	void *dev_id;
	struct irqaction *next;
	const char *name;
	unsigned long flags;
	unsigned int irq;
	bool from_pool;		/* allocated by request_*irq(), given back by free_*irq() */
};

/*
 * Install a handler. IRQF_OOB implies IRQF_NO_THREAD and clears IRQF_ONESHOT; with a thread function it is -EINVAL.
 * Handlers of a shared line must all have IRQF_SHARED and agree on IRQF_OOB and IRQF_ONESHOT, else -EBUSY.
 * Per-CPU lines (SGIs, PPIs, irq_set_percpu_devid()) take __request_percpu_irq() only; the others take the rest.
 * In-band only. Without threads in this kernel, a thread function runs in-band right after the handlers that
 * returned IRQ_WAKE_THREAD.
 */
int request_threaded_irq(unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn, unsigned long flags,
			 const char *name, void *dev_id);
int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags, const char *name, void *dev_id);
/* Like request_irq() with an action the caller owns (early setup, no allocation). */
int setup_irq(unsigned int irq, struct irqaction *act);
/* Per-CPU line: one action for all CPUs, dev_id passed as is; the line starts disabled on every CPU. */
int __request_percpu_irq(unsigned int irq, irq_handler_t handler, unsigned long flags, const char *devname,
			 void *percpu_dev_id);
static inline int request_percpu_irq(unsigned int irq, irq_handler_t handler, const char *devname,
				     void *percpu_dev_id)
{
	return __request_percpu_irq(irq, handler, 0, devname, percpu_dev_id);
}
/* Remove the action of dev_id; returns its name, or NULL (with a warning) if there is none. Freeing the last action
 * masks the line and clears its OOB mark. On a per-CPU line: warns and does nothing. */
const void *free_irq(unsigned int irq, void *dev_id);
/* Refused (warning) while the line is enabled on any CPU. */
void free_percpu_irq(unsigned int irq, void *percpu_dev_id);

/* Make a line per-CPU (before requesting it). -EINVAL for a bad number, -EBUSY if it has an action. */
int irq_set_percpu_devid(unsigned int irq);

/* Per-CPU lines, on the calling CPU. type is accepted for the Linux signature and ignored. */
void enable_percpu_irq(unsigned int irq, unsigned int type);
void disable_percpu_irq(unsigned int irq);
bool irq_percpu_is_enabled(unsigned int irq);

/* Shared lines: nested disable depth. disable_irq() does not wait for a handler running on another CPU. */
void disable_irq_nosync(unsigned int irq);
void disable_irq(unsigned int irq);
void enable_irq(unsigned int irq);

/* State of a line. */
bool irq_is_oob(unsigned int irq);		/* has IRQF_OOB actions (whether or not an oob stage is present) */
bool irq_is_percpu_devid(unsigned int irq);
bool irq_is_disabled(unsigned int irq);		/* disabled (by disable_irq, as spurious, or never enabled) */
const struct irqaction *irq_to_action(unsigned int irq); /* first action, NULL if none */

#ifdef __cplusplus
}
#endif

#endif /* PIPELINE_INTERRUPT_H */

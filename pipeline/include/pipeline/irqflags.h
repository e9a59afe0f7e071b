/*
 * Interrupt protection (pipeline-semantics.md section 1, the "optimistic" protection).
 *
 * - hard_local_irq_*: the CPU's real interrupt enable. They never replay a log.
 * - inband_irq_* (= local_irq_*, irqs_disabled): the in-band stall bit only, a virtual interrupt disable. The CPU
 *   keeps taking interrupts; in-band IRQs arriving meanwhile are logged and replayed when the stage is unstalled.
 *   In-band code only.
 * - oob_irq_*: the oob stall bit, always together with hard irqs off. Stalling oob also holds back in-band delivery.
 */
#ifndef PIPELINE_IRQFLAGS_H
#define PIPELINE_IRQFLAGS_H

#include <stdbool.h>

#include "pipeline/arch.h"

#ifdef __cplusplus
extern "C" {
#endif

static inline unsigned long hard_local_irq_save(void)
{
	return arch_hard_irq_save();
}

static inline void hard_local_irq_restore(unsigned long flags)
{
	arch_hard_irq_restore(flags);
}

static inline void hard_local_irq_enable(void)
{
	arch_hard_irq_enable();
}

static inline void hard_local_irq_disable(void)
{
	arch_hard_irq_disable();
}

static inline bool hard_irqs_disabled(void)
{
	return arch_hard_irqs_disabled();
}

/* In-band stage. The flags of inband_irq_save() are nonzero iff the stage was stalled. */
unsigned long inband_irq_save(void);
void inband_irq_restore(unsigned long flags);
void inband_irq_disable(void);
void inband_irq_enable(void);
bool inband_irqs_disabled(void);

#define local_irq_save(flags)			\
	do {					\
		(flags) = inband_irq_save();	\
	} while (0)
#define local_irq_restore(flags) inband_irq_restore(flags)
#define local_irq_disable() inband_irq_disable()
#define local_irq_enable() inband_irq_enable()
#define irqs_disabled() inband_irqs_disabled()

/* Out-of-band stage. The flags of oob_irq_save() are nonzero iff the stage was stalled. */
void oob_irq_disable(void);
void oob_irq_enable(void);
unsigned long oob_irq_save(void);
void oob_irq_restore(unsigned long flags);
bool oob_irqs_disabled(void);

#ifdef __cplusplus
}
#endif

#endif /* PIPELINE_IRQFLAGS_H */

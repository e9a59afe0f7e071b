/*
 * The protection API (pipeline-semantics.md section 1): the virtual in-band interrupt disable and the oob stall.
 *
 * A single store to a stall bit needs no hard irq protection: an IRQ taken between our read and our write replays
 * only if the stage was unstalled, and leaves it unstalled again, so what we read stays true.
 */
#include "internal.h"

unsigned long inband_irq_save(void)
{
	struct pipeline_cpu *pc = this_pipeline_cpu();
	unsigned long was;

	(void)check_inband(arch_return_address(), "local_irq_save()");
	was = pc->stages[IRQ_STAGE_INBAND].stalled;
	stall_inband_bit(pc);
	return was;
}

void inband_irq_disable(void)
{
	(void)check_inband(arch_return_address(), "local_irq_disable()");
	stall_inband_bit(this_pipeline_cpu());
}

/*
 * Unstalling replays the log with in-band handlers run with hard irqs on; doing it from a hard-irqs-off section
 * would open them behind the caller's back for those handlers, hence the check.
 */
static void inband_irq_unstall(uintptr_t ra, const char *what)
{
	unsigned long flags;

	(void)pipeline_check(arch_hard_irqs_disabled(), PIPELINE_DEBUG_ENABLE_HARD_OFF, -1, ra, what);
	flags = hard_local_irq_save();
	__inband_irq_enable(this_pipeline_cpu());
	hard_local_irq_restore(flags);
}

void inband_irq_enable(void)
{
	uintptr_t ra = arch_return_address();

	(void)check_inband(ra, "local_irq_enable()");
	inband_irq_unstall(ra, "local_irq_enable() called with hard irqs off");
}

/* A restore always closes a save, so the stage must be stalled here; if not, the save/restore pairs are unbalanced. */
void inband_irq_restore(unsigned long flags)
{
	uintptr_t ra = arch_return_address();
	struct pipeline_cpu *pc = this_pipeline_cpu();

	(void)check_inband(ra, "local_irq_restore()");
	(void)pipeline_check(!stage_stalled(pc, IRQ_STAGE_INBAND), PIPELINE_DEBUG_BOGUS_RESTORE, -1, ra,
			     "local_irq_restore() with the in-band stage unstalled: unbalanced save/restore");
	if (flags)
		stall_inband_bit(pc);
	else
		inband_irq_unstall(ra, "local_irq_restore() to unstalled called with hard irqs off");
}

bool inband_irqs_disabled(void)
{
	(void)check_inband(arch_return_address(), "irqs_disabled()");
	return stage_stalled(this_pipeline_cpu(), IRQ_STAGE_INBAND);
}

/* ---- oob stage: the stall bit goes with hard irqs off, always ---------------------------------------------------- */

void oob_irq_disable(void)
{
	hard_local_irq_disable();
	stall_oob_bit(this_pipeline_cpu());
}

unsigned long oob_irq_save(void)
{
	struct pipeline_cpu *pc;
	unsigned long was;

	hard_local_irq_disable();
	pc = this_pipeline_cpu();
	was = pc->stages[IRQ_STAGE_OOB].stalled;
	stall_oob_bit(pc);
	return was;
}

/* Unstalling oob may let both logs through: the oob one, and the in-band one it held back. */
void oob_irq_enable(void)
{
	struct pipeline_cpu *pc;

	hard_local_irq_disable();
	pc = this_pipeline_cpu();
	unstall_oob_bit(pc);
	if (!pc->in_pipeline &&
	    (stage_pending(pc, IRQ_STAGE_OOB) ||
	     (pc->current == IRQ_STAGE_INBAND && stage_pending(pc, IRQ_STAGE_INBAND))))
		__synchronize_pipeline(pc);
	hard_local_irq_enable();
}

void oob_irq_restore(unsigned long flags)
{
	if (flags)
		oob_irq_disable();
	else
		oob_irq_enable();
}

bool oob_irqs_disabled(void)
{
	return stage_stalled(this_pipeline_cpu(), IRQ_STAGE_OOB);
}

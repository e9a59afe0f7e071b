/*
 * IRQ descriptors: requesting and freeing handlers (pipeline-semantics.md section 6), running them, and the
 * spurious-line detection.
 *
 * Handlers are called without a lock: whoever frees an action makes sure its line no longer fires on another CPU
 * (as with disable_oob_stage()). Registration and line state take the line's lock, with hard irqs off.
 */
#include "internal.h"

#define IRQS_OOB 0x1u		/* the line's actions have IRQF_OOB */
#define IRQS_PERCPU 0x2u	/* per-CPU line */
#define IRQS_RESERVED 0x4u	/* the pipeline's own: not requestable, not freeable */
#define IRQS_SPURIOUS 0x8u	/* disabled by note_interrupt() */

struct irq_desc {
	pipeline_spinlock_t lock;
	struct irqaction *action;
	unsigned int status;
	unsigned int depth;		/* shared lines: disable depth, 0 = enabled */
	atomic_uint percpu_enabled;	/* per-CPU lines: bit n = enabled on CPU n */
	unsigned int irq_count;		/* interrupts in the current spurious-detection window */
	unsigned int irqs_unhandled;	/* of which nobody handled */
};

static struct irq_desc irq_descs[PIPELINE_NR_IRQS];
static struct irqaction action_pool[PIPELINE_NR_ACTIONS];
static bool action_used[PIPELINE_NR_ACTIONS];
static pipeline_spinlock_t pool_lock;
static struct irqaction pipeline_actions[2];	/* the pipeline's own per-CPU lines */
static unsigned int nr_pipeline_actions;

static bool desc_percpu(const struct irq_desc *desc)
{
	return desc->status & IRQS_PERCPU;
}

void irq_descs_init(void)
{
	for (unsigned int irq = 0; irq < PIPELINE_NR_IRQS; irq++) {
		struct irq_desc *desc = &irq_descs[irq];

		atomic_store(&desc->lock.locked, 0);
		desc->action = NULL;
		/* Lines banked by the controller and synthetic IRQs (each CPU raises its own) are per-CPU. */
		desc->status = (irq < PIPELINE_NR_PERCPU_HW_IRQS || irq >= PIPELINE_SYNTHETIC_IRQ_BASE) ? IRQS_PERCPU
												      : 0;
		desc->depth = 1;
		atomic_store(&desc->percpu_enabled, 0);
		desc->irq_count = 0;
		desc->irqs_unhandled = 0;
	}
	for (unsigned int i = 0; i < PIPELINE_NR_ACTIONS; i++)
		action_used[i] = false;
	atomic_store(&pool_lock.locked, 0);
	nr_pipeline_actions = 0;
	/* The in-band IPI SGI is demultiplexed by the pipeline entry itself. */
	irq_descs[PIPELINE_INBAND_IPI_SGI].status |= IRQS_RESERVED;
}

static unsigned long desc_lock(struct irq_desc *desc)
{
	unsigned long flags = hard_local_irq_save();

	pipeline_spin_lock(&desc->lock);
	return flags;
}

static void desc_unlock(struct irq_desc *desc, unsigned long flags)
{
	pipeline_spin_unlock(&desc->lock);
	hard_local_irq_restore(flags);
}

/* ---- Actions ----------------------------------------------------------------------------------------------------- */

static struct irqaction *alloc_action(void)
{
	struct irqaction *act = NULL;
	unsigned long flags = hard_local_irq_save();

	pipeline_spin_lock(&pool_lock);
	for (unsigned int i = 0; i < PIPELINE_NR_ACTIONS; i++) {
		if (!action_used[i]) {
			action_used[i] = true;
			act = &action_pool[i];
			break;
		}
	}
	pipeline_spin_unlock(&pool_lock);
	hard_local_irq_restore(flags);
	return act;
}

static void free_action(struct irqaction *act)
{
	unsigned long flags;

	if (!act->from_pool)
		return;
	flags = hard_local_irq_save();
	pipeline_spin_lock(&pool_lock);
	action_used[act - action_pool] = false;
	pipeline_spin_unlock(&pool_lock);
	hard_local_irq_restore(flags);
}

/* A line is shared only if every action asks for it, and all run on the same stage, the same way. */
static bool can_share(const struct irqaction *old, const struct irqaction *new)
{
	if (!(old->flags & new->flags & IRQF_SHARED))
		return false;
	return !((old->flags ^ new->flags) & (IRQF_OOB | IRQF_ONESHOT | IRQF_PERCPU));
}

/* First action of a line: it sets the line's OOB mark and (shared lines) enables it unless IRQF_NO_AUTOEN. */
static void start_line(struct irq_desc *desc, unsigned int irq, const struct irqaction *act)
{
	desc->status &= ~(IRQS_OOB | IRQS_SPURIOUS);
	if (act->flags & IRQF_OOB)
		desc->status |= IRQS_OOB;
	desc->irq_count = 0;
	desc->irqs_unhandled = 0;
	if (desc_percpu(desc))
		return;
	desc->depth = (act->flags & IRQF_NO_AUTOEN) ? 1 : 0;
	if (!desc->depth && irq < PIPELINE_NR_HW_IRQS)
		arch_irq_unmask(irq);
}

/* Last action gone: the line is masked and forgets it was oob. */
static void stop_line(struct irq_desc *desc, unsigned int irq)
{
	desc->status &= ~(IRQS_OOB | IRQS_SPURIOUS);
	if (desc_percpu(desc))
		return;
	desc->depth = 1;
	if (irq < PIPELINE_NR_HW_IRQS)
		arch_irq_mask(irq);
}

static int __setup_irq(unsigned int irq, struct irqaction *act)
{
	struct irq_desc *desc = &irq_descs[irq];
	struct irqaction **link;
	unsigned long flags;

	act->irq = irq;
	act->next = NULL;
	/* An oob handler runs from the pipeline entry: no thread, nothing to keep masked for one. */
	if (act->flags & IRQF_OOB) {
		act->flags |= IRQF_NO_THREAD;
		act->flags &= ~IRQF_ONESHOT;
	}
	flags = desc_lock(desc);
	if (desc->status & IRQS_RESERVED) {
		desc_unlock(desc, flags);
		return -EBUSY;
	}
	if (desc->action && !can_share(desc->action, act)) {
		desc_unlock(desc, flags);
		pipeline_report(PIPELINE_WARN_FLAGS_MISMATCH, (int)irq, 0,
				"request refused: the line's handlers disagree on IRQF_SHARED/IRQF_OOB/IRQF_ONESHOT");
		return -EBUSY;
	}
	for (link = &desc->action; *link; link = &(*link)->next)
		;
	*link = act;
	if (link == &desc->action)
		start_line(desc, irq, act);
	desc_unlock(desc, flags);
	return 0;
}

static irqreturn_t irq_default_primary_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	return IRQ_WAKE_THREAD;
}

int request_threaded_irq(unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn, unsigned long flags,
			 const char *name, void *dev_id)
{
	struct irqaction *act;
	int ret;

	(void)check_inband(arch_return_address(), "request_irq()");
	if (irq >= PIPELINE_NR_IRQS || desc_percpu(&irq_descs[irq]))
		return -EINVAL;
	if ((flags & IRQF_SHARED) && !dev_id)
		return -EINVAL;	/* free_irq() could not tell the actions apart */
	if (!handler && !thread_fn)
		return -EINVAL;
	if ((flags & IRQF_OOB) && thread_fn)
		return -EINVAL;
	act = alloc_action();
	if (!act)
		return -ENOMEM;
	*act = (struct irqaction){
		.handler = handler ? handler : irq_default_primary_handler,
		.thread_fn = thread_fn,
		.dev_id = dev_id,
		.name = name,
		.flags = flags,
		.from_pool = true,
	};
	ret = __setup_irq(irq, act);
	if (ret)
		free_action(act);
	return ret;
}

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags, const char *name, void *dev_id)
{
	if (!handler)
		return -EINVAL;
	return request_threaded_irq(irq, handler, NULL, flags, name, dev_id);
}

int setup_irq(unsigned int irq, struct irqaction *act)
{
	(void)check_inband(arch_return_address(), "setup_irq()");
	if (irq >= PIPELINE_NR_IRQS || !act || !act->handler || desc_percpu(&irq_descs[irq]))
		return -EINVAL;
	if ((act->flags & IRQF_SHARED) && !act->dev_id)
		return -EINVAL;
	if ((act->flags & IRQF_OOB) && act->thread_fn)
		return -EINVAL;
	act->from_pool = false;
	return __setup_irq(irq, act);
}

int __request_percpu_irq(unsigned int irq, irq_handler_t handler, unsigned long flags, const char *devname,
			 void *percpu_dev_id)
{
	struct irqaction *act;
	int ret;

	(void)check_inband(arch_return_address(), "__request_percpu_irq()");
	if (irq >= PIPELINE_NR_IRQS || !desc_percpu(&irq_descs[irq]) || !handler || (flags & IRQF_SHARED))
		return -EINVAL;
	act = alloc_action();
	if (!act)
		return -ENOMEM;
	*act = (struct irqaction){
		.handler = handler,
		.dev_id = percpu_dev_id,
		.name = devname,
		.flags = flags | IRQF_PERCPU,
		.from_pool = true,
	};
	ret = __setup_irq(irq, act);
	if (ret)
		free_action(act);
	return ret;
}

/* The pipeline's own per-CPU lines (irq_work): a static action, enabled everywhere, out of users' reach. */
int setup_pipeline_percpu_irq(unsigned int irq, irq_handler_t handler, const char *name)
{
	struct irq_desc *desc = &irq_descs[irq];
	struct irqaction *act;

	if (nr_pipeline_actions >= sizeof(pipeline_actions) / sizeof(pipeline_actions[0]))
		return -ENOMEM;
	act = &pipeline_actions[nr_pipeline_actions++];
	*act = (struct irqaction){ .handler = handler, .name = name, .flags = IRQF_PERCPU, .irq = irq };
	desc->action = act;
	desc->status |= IRQS_PERCPU | IRQS_RESERVED;
	atomic_store(&desc->percpu_enabled, pipeline_online_mask());
	return 0;
}

const void *free_irq(unsigned int irq, void *dev_id)
{
	uintptr_t ra = arch_return_address();
	struct irqaction **link, *act;
	struct irq_desc *desc;
	unsigned long flags;
	const char *name;

	(void)check_inband(ra, "free_irq()");
	if (irq >= PIPELINE_NR_IRQS) {
		(void)pipeline_check(true, PIPELINE_DEBUG_IRQ_RANGE, (int)irq, ra, "free_irq(): IRQ out of range");
		return NULL;
	}
	desc = &irq_descs[irq];
	if (desc_percpu(desc)) {
		pipeline_report(PIPELINE_WARN_FREE_PERCPU_IRQ, (int)irq, ra,
				"free_irq() on a per-CPU IRQ: nothing done, use free_percpu_irq()");
		return NULL;
	}
	flags = desc_lock(desc);
	for (link = &desc->action; *link && (*link)->dev_id != dev_id; link = &(*link)->next)
		;
	act = *link;
	if (!act) {
		desc_unlock(desc, flags);
		pipeline_report(PIPELINE_WARN_FREE_UNKNOWN, (int)irq, ra, "Trying to free already-free IRQ");
		return NULL;
	}
	*link = act->next;
	if (!desc->action)
		stop_line(desc, irq);
	desc_unlock(desc, flags);
	name = act->name;	/* before another CPU may reuse the action */
	free_action(act);
	return name;
}

void free_percpu_irq(unsigned int irq, void *percpu_dev_id)
{
	uintptr_t ra = arch_return_address();
	struct irqaction *act;
	struct irq_desc *desc;
	unsigned long flags;

	(void)check_inband(ra, "free_percpu_irq()");
	if (irq >= PIPELINE_NR_IRQS) {
		(void)pipeline_check(true, PIPELINE_DEBUG_IRQ_RANGE, (int)irq, ra,
				     "free_percpu_irq(): IRQ out of range");
		return;
	}
	desc = &irq_descs[irq];
	flags = desc_lock(desc);
	act = desc->action;
	if (!desc_percpu(desc) || (desc->status & IRQS_RESERVED) || !act || act->dev_id != percpu_dev_id) {
		desc_unlock(desc, flags);
		pipeline_report(PIPELINE_WARN_FREE_UNKNOWN, (int)irq, ra,
				"free_percpu_irq(): no such per-CPU action (or the pipeline's own)");
		return;
	}
	if (atomic_load(&desc->percpu_enabled)) {
		desc_unlock(desc, flags);
		pipeline_report(PIPELINE_WARN_FREE_ENABLED, (int)irq, ra,
				"free_percpu_irq(): IRQ still enabled on some CPU, nothing done");
		return;
	}
	desc->action = NULL;
	stop_line(desc, irq);
	desc_unlock(desc, flags);
	free_action(act);
}

int irq_set_percpu_devid(unsigned int irq)
{
	struct irq_desc *desc;
	unsigned long flags;
	int ret = 0;

	if (irq >= PIPELINE_NR_IRQS)
		return -EINVAL;
	desc = &irq_descs[irq];
	flags = desc_lock(desc);
	if (desc->action)
		ret = -EBUSY;
	else
		desc->status |= IRQS_PERCPU;
	desc_unlock(desc, flags);
	return ret;
}

/* ---- Line state -------------------------------------------------------------------------------------------------- */

static struct irq_desc *percpu_desc(unsigned int irq, uintptr_t ra)
{
	if (irq >= PIPELINE_NR_IRQS) {
		(void)pipeline_check(true, PIPELINE_DEBUG_IRQ_RANGE, (int)irq, ra, "per-CPU IRQ call: out of range");
		return NULL;
	}
	return desc_percpu(&irq_descs[irq]) ? &irq_descs[irq] : NULL;
}

void enable_percpu_irq(unsigned int irq, unsigned int type)
{
	struct irq_desc *desc = percpu_desc(irq, arch_return_address());
	unsigned long flags;

	(void)type;
	if (!desc)
		return;
	flags = hard_local_irq_save();
	atomic_fetch_or(&desc->percpu_enabled, UINT32_C(1) << arch_cpu_id());
	if (irq < PIPELINE_NR_HW_IRQS)
		arch_irq_unmask(irq);
	hard_local_irq_restore(flags);
}

void disable_percpu_irq(unsigned int irq)
{
	struct irq_desc *desc = percpu_desc(irq, arch_return_address());
	unsigned long flags;

	if (!desc)
		return;
	flags = hard_local_irq_save();
	atomic_fetch_and(&desc->percpu_enabled, ~(UINT32_C(1) << arch_cpu_id()));
	if (irq < PIPELINE_NR_HW_IRQS)
		arch_irq_mask(irq);
	hard_local_irq_restore(flags);
}

bool irq_percpu_is_enabled(unsigned int irq)
{
	if (irq >= PIPELINE_NR_IRQS)
		return false;
	return (atomic_load(&irq_descs[irq].percpu_enabled) >> arch_cpu_id()) & 1;
}

static struct irq_desc *shared_desc(unsigned int irq, uintptr_t ra)
{
	if (irq >= PIPELINE_NR_IRQS) {
		(void)pipeline_check(true, PIPELINE_DEBUG_IRQ_RANGE, (int)irq, ra,
				     "enable/disable_irq(): out of range");
		return NULL;
	}
	return desc_percpu(&irq_descs[irq]) ? NULL : &irq_descs[irq];
}

void disable_irq_nosync(unsigned int irq)
{
	struct irq_desc *desc = shared_desc(irq, arch_return_address());
	unsigned long flags;

	if (!desc)
		return;
	flags = desc_lock(desc);
	if (desc->depth++ == 0 && irq < PIPELINE_NR_HW_IRQS)
		arch_irq_mask(irq);
	desc_unlock(desc, flags);
}

void disable_irq(unsigned int irq)
{
	disable_irq_nosync(irq);
}

void enable_irq(unsigned int irq)
{
	uintptr_t ra = arch_return_address();
	struct irq_desc *desc = shared_desc(irq, ra);
	unsigned long flags;

	if (!desc)
		return;
	flags = desc_lock(desc);
	if (!desc->depth) {
		desc_unlock(desc, flags);
		pipeline_report(PIPELINE_WARN_UNBALANCED_ENABLE, (int)irq, ra, "Unbalanced enable for IRQ");
		return;
	}
	if (--desc->depth == 0) {
		desc->status &= ~IRQS_SPURIOUS;
		desc->irq_count = 0;
		desc->irqs_unhandled = 0;
		if (desc->action && irq < PIPELINE_NR_HW_IRQS)
			arch_irq_unmask(irq);
	}
	desc_unlock(desc, flags);
}

bool irq_is_oob(unsigned int irq)
{
	return irq < PIPELINE_NR_IRQS && (irq_descs[irq].status & IRQS_OOB);
}

bool irq_is_percpu_devid(unsigned int irq)
{
	return irq < PIPELINE_NR_IRQS && desc_percpu(&irq_descs[irq]);
}

bool irq_is_disabled(unsigned int irq)
{
	if (irq >= PIPELINE_NR_IRQS)
		return true;
	if (desc_percpu(&irq_descs[irq]))
		return !irq_percpu_is_enabled(irq);
	return irq_descs[irq].depth != 0;
}

const struct irqaction *irq_to_action(unsigned int irq)
{
	return irq < PIPELINE_NR_IRQS ? irq_descs[irq].action : NULL;
}

/* ---- Running handlers (called by the pipeline) ------------------------------------------------------------------- */

bool irq_handled_oob(unsigned int irq)
{
	return irq_descs[irq].status & IRQS_OOB;
}

uintptr_t irq_handler_address(unsigned int irq)
{
	const struct irqaction *act = irq < PIPELINE_NR_IRQS ? irq_descs[irq].action : NULL;

	return act ? (uintptr_t)act->handler : 0;
}

/* Every action runs (shared lines): each device says whether the interrupt was its own. */
irqreturn_t run_oob_handlers(unsigned int irq)
{
	struct pipeline_cpu *pc = this_pipeline_cpu();
	unsigned int ret = IRQ_NONE;

	pc->hardirq_depth++;
	for (struct irqaction *act = irq_descs[irq].action; act; act = act->next)
		ret |= act->handler((int)irq, act->dev_id);
	pc->hardirq_depth--;
	return (irqreturn_t)ret;
}

/* No threads in this kernel: a thread function runs right after the handler asked for it, still in-band. */
irqreturn_t run_inband_handlers(unsigned int irq)
{
	struct pipeline_cpu *pc = this_pipeline_cpu();
	unsigned int ret = IRQ_NONE;

	pc->hardirq_depth++;
	for (struct irqaction *act = irq_descs[irq].action; act; act = act->next) {
		irqreturn_t r = act->handler((int)irq, act->dev_id);

		if (r == IRQ_WAKE_THREAD && act->thread_fn)
			act->thread_fn((int)irq, act->dev_id);
		ret |= r;
	}
	pc->hardirq_depth--;
	return (irqreturn_t)ret;
}

/*
 * Spurious-line detection, for shared lines (per-CPU lines are the CPU's own timer and IPIs): a line that fired
 * PIPELINE_SPURIOUS_LIMIT times with nobody handling it, within one window of PIPELINE_SPURIOUS_WINDOW interrupts
 * of that line, is disabled with a message. Windows are consecutive (Linux's note_interrupt() uses 99900 out of
 * 100000); a count reset by every handled interrupt would miss a line that is only mostly spurious. Hard irqs off.
 */
void note_interrupt(unsigned int irq, irqreturn_t ret)
{
	struct irq_desc *desc = &irq_descs[irq];
	bool disable = false;

	if (desc_percpu(desc))
		return;
	pipeline_spin_lock(&desc->lock);
	desc->irq_count++;
	if (ret == IRQ_NONE)
		desc->irqs_unhandled++;
	if (desc->irqs_unhandled >= PIPELINE_SPURIOUS_LIMIT) {
		disable = !(desc->status & IRQS_SPURIOUS);
		desc->status |= IRQS_SPURIOUS;
		desc->irq_count = 0;
		desc->irqs_unhandled = 0;
		if (disable && desc->depth++ == 0 && irq < PIPELINE_NR_HW_IRQS)
			arch_irq_mask(irq);
	} else if (desc->irq_count >= PIPELINE_SPURIOUS_WINDOW) {
		desc->irq_count = 0;
		desc->irqs_unhandled = 0;
	}
	pipeline_spin_unlock(&desc->lock);
	if (disable) {
		arch_trace(PIPELINE_TRACE_IRQ_SPURIOUS, irq);
		pipeline_report(PIPELINE_WARN_SPURIOUS_IRQ, (int)irq, irq_handler_address(irq),
				"IRQ disabled: nobody cared (too many unhandled interrupts)");
	}
}

/* An in-band IRQ's handlers ran: unmask its line, held since the entry, unless it was disabled meanwhile. */
void release_irq(unsigned int irq)
{
	const struct irq_desc *desc = &irq_descs[irq];
	bool enabled;

	if (irq >= PIPELINE_NR_HW_IRQS)
		return;	/* synthetic: never held */
	if (desc_percpu(desc))
		enabled = (atomic_load(&desc->percpu_enabled) >> arch_cpu_id()) & 1;
	else
		enabled = desc->depth == 0;
	if (enabled)
		arch_irq_unmask(irq);
}

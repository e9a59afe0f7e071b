/*
 * The companion core (kernel/oob.h): oob threads, their per-CPU run queues, the RQ_IRQ/RQ_SCHED protocol with the
 * pipeline's irq_enter_pipeline()/irq_exit_pipeline(), and oob events. The classic kernel maps the same API onto
 * high-priority in-band threads.
 */
#include "kernel/kernel.h"
#include "oobsim/atomic.h"

#ifndef KERNEL_CLASSIC

struct oob_rq {
	kspinlock_t lock;		/* the ready list and thread states; hard irqs off */
	uint32_t flags;			/* RQ_IRQ, RQ_SCHED: this CPU only */
	struct kthread *curr;		/* NULL: the root (in-band) context runs */
	struct kthread *ready;		/* highest priority first */
	struct kthread_context root_ctx;
	struct oob_rq_stats stats;
};

static struct oob_rq oob_rqs[PIPELINE_MAX_CPUS];

static inline struct oob_rq *this_oob_rq(void)
{
	return &oob_rqs[arch_cpu_id()];
}

/* Lock held. A preempted thread keeps its place (head of its priority), a woken one goes to the tail. */
static void ready_insert(struct oob_rq *rq, struct kthread *t, bool head)
{
	struct kthread **p = &rq->ready;

	while (*p && ((*p)->prio > t->prio || (!head && (*p)->prio == t->prio)))
		p = &(*p)->next;
	t->next = *p;
	*p = t;
}

/* What runs now, for the trace: the oob thread, or the in-band thread the root context is. */
static unsigned int running_id(const struct oob_rq *rq)
{
	const struct kthread *t = rq->curr ? rq->curr : this_sched()->curr;

	return t ? t->id : 0;
}

/*
 * Hard irqs off, on the oob stage, this CPU: switch to the highest-priority ready oob thread if it beats what runs
 * (the current oob thread if still running, else anything beats the root), or back to the root when the current
 * oob thread blocked and nothing else is ready.
 */
static void oob_schedule(struct oob_rq *rq)
{
	struct kthread *prev, *next;

	arch_spin_lock(&rq->lock);
	rq->flags &= ~RQ_SCHED;
	prev = rq->curr;
	next = rq->ready;
	if (prev && prev->state == KTHREAD_RUNNING) {
		if (!next || next->prio <= prev->prio) {
			arch_spin_unlock(&rq->lock);
			return;
		}
		prev->state = KTHREAD_READY;
		ready_insert(rq, prev, true);
	}
	if (!next && !prev) {
		arch_spin_unlock(&rq->lock);
		return;
	}
	if (next) {
		rq->ready = next->next;
		next->next = NULL;
		next->state = KTHREAD_RUNNING;
		next->switches_in++;
	}
	rq->curr = next;
	rq->stats.switches++;
	arch_trace(PIPELINE_TRACE_OOB_RESCHEDULE, running_id(rq));
	kernel_switch_to(prev ? &prev->ctx : &rq->root_ctx, next ? &next->ctx : &rq->root_ctx);
	/* Back in prev (or the root): whoever switched to us holds our lock. */
	arch_spin_unlock(&this_oob_rq()->lock);
}

/* A new oob thread's first instructions (kthread_start()): the lock is held, hard irqs off, on the oob stage. */
void oob_thread_start(struct kthread *t)
{
	struct oob_rq *rq;

	arch_spin_unlock(&this_oob_rq()->lock);
	hard_local_irq_enable();
	t->fn(t->arg);
	/* Done: never runs again. */
	hard_local_irq_disable();
	rq = this_oob_rq();
	arch_spin_lock(&rq->lock);
	t->state = KTHREAD_DEAD;
	arch_spin_unlock(&rq->lock);
	oob_schedule(rq);
	kernel_panic("a dead oob thread was switched in");
}

void irq_enter_pipeline(void)
{
	this_oob_rq()->flags |= RQ_IRQ;
}

void irq_exit_pipeline(void)
{
	struct oob_rq *rq = this_oob_rq();

	rq->flags &= ~RQ_IRQ;
	if (rq->flags & RQ_SCHED)
		oob_schedule(rq);
}

static void oob_wakeup(struct kthread *t)
{
	struct oob_rq *rq = &oob_rqs[t->cpu];
	bool local = t->cpu == arch_cpu_id(), woken = false, preempt = false;
	unsigned long flags = hard_local_irq_save();

	arch_spin_lock(&rq->lock);
	if (t->state == KTHREAD_SLEEPING) {
		t->state = KTHREAD_READY;
		ready_insert(rq, t, false);
		woken = true;
		preempt = !rq->curr || t->prio > rq->curr->prio;
		rq->stats.wakeups++;
	}
	arch_spin_unlock(&rq->lock);
	if (woken)
		arch_trace(PIPELINE_TRACE_OOB_WAKEUP, t->id);
	if (preempt) {
		if (!local) {
			irq_send_oob_ipi(RESCHEDULE_OOB_IPI, PIPELINE_CPU_MASK(t->cpu));
		} else if (rq->flags & RQ_IRQ) {
			rq->flags |= RQ_SCHED;	/* in an oob handler: irq_exit_pipeline() switches */
			rq->stats.deferred++;
		} else if (running_oob() && rq->curr) {
			oob_schedule(rq);	/* from an oob thread */
		} else {
			/* From in-band code: the switch must happen on the oob stage, at an IRQ exit. */
			irq_send_oob_ipi(RESCHEDULE_OOB_IPI, PIPELINE_CPU_MASK(t->cpu));
		}
	}
	hard_local_irq_restore(flags);
}

/* oob, in the IRQ: the waker marked the thread ready; make the exit switch to it. */
static irqreturn_t oob_resched_ipi(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	this_oob_rq()->flags |= RQ_SCHED;
	return IRQ_HANDLED;
}

void oob_event_init(struct oob_event *ev)
{
	ev->lock.locked = 0;
	ev->count = 0;
	ev->waiter = NULL;
	waitq_init(&ev->wq);
}

void oob_event_signal(struct oob_event *ev)
{
	unsigned long flags = hard_local_irq_save();
	struct kthread *t;

	arch_spin_lock(&ev->lock);
	t = ev->waiter;
	ev->waiter = NULL;
	if (!t)
		ev->count++;
	arch_spin_unlock(&ev->lock);
	if (t)
		oob_wakeup(t);
	hard_local_irq_restore(flags);
}

void oob_event_wait(struct oob_event *ev)
{
	struct oob_rq *rq = this_oob_rq();
	struct kthread *self = rq->curr;
	unsigned long flags = hard_local_irq_save();

	if (!self || !running_oob())
		kernel_panic("oob_event_wait() outside an oob thread");
	arch_spin_lock(&ev->lock);
	if (ev->count) {
		ev->count--;
		arch_spin_unlock(&ev->lock);
		hard_local_irq_restore(flags);
		return;
	}
	ev->waiter = self;
	arch_spin_lock(&rq->lock);
	self->state = KTHREAD_SLEEPING;
	arch_spin_unlock(&rq->lock);
	arch_spin_unlock(&ev->lock);
	arch_trace(PIPELINE_TRACE_OOB_THREAD_WAIT, self->id);
	oob_schedule(rq);
	hard_local_irq_restore(flags);
}

struct kthread *oob_thread_create(unsigned int cpu, const char *name, int prio, void (*fn)(void *arg), void *arg)
{
	struct kthread *t;

	if (!oob_stage_present() || cpu >= kernel_cpus() || !fn || prio < OOB_PRIO_MIN || prio > OOB_PRIO_MAX)
		return NULL;
	t = kthread_alloc(name, prio, cpu, fn, arg, true);
	if (!t)
		return NULL;
	oob_wakeup(t);	/* from in-band: through RESCHEDULE_OOB_IPI */
	if (cpu == arch_cpu_id())
		while (!READ_ONCE(t->switches_in))	/* the IPI to ourselves takes a few cycles to come back */
			cpu_relax();
	return t;
}

struct kthread *oob_current(void)
{
	return this_oob_rq()->curr;
}

void oob_stats(unsigned int cpu, struct oob_rq_stats *out)
{
	if (cpu < PIPELINE_MAX_CPUS)
		*out = oob_rqs[cpu].stats;
}

void oob_core_init(void)
{
	for (unsigned int cpu = 0; cpu < PIPELINE_MAX_CPUS; cpu++) {
		oob_rqs[cpu].lock.locked = 0;
		oob_rqs[cpu].flags = 0;
		oob_rqs[cpu].curr = NULL;
		oob_rqs[cpu].ready = NULL;
	}
	if (__request_percpu_irq(RESCHEDULE_OOB_IPI, oob_resched_ipi, IRQF_OOB, "oob-resched", NULL))
		kernel_panic("cannot request the oob reschedule IPI");
}

void oob_core_init_cpu(unsigned int cpu)
{
	(void)cpu;
	enable_percpu_irq(RESCHEDULE_OOB_IPI, 0);
}

#else /* KERNEL_CLASSIC: high-priority in-band threads */

void oob_thread_start(struct kthread *t)
{
	(void)t;
	kernel_panic("no oob threads in the classic kernel");
}

void oob_event_init(struct oob_event *ev)
{
	ev->lock.locked = 0;
	ev->count = 0;
	ev->waiter = NULL;
	waitq_init(&ev->wq);
}

void oob_event_signal(struct oob_event *ev)
{
	unsigned long flags = spin_lock_irqsave(&ev->lock);

	ev->count++;
	if (waitq_wake_one(&ev->wq))
		arch_trace(PIPELINE_TRACE_OOB_WAKEUP, 0);
	spin_unlock_irqrestore(&ev->lock, flags);
}

void oob_event_wait(struct oob_event *ev)
{
	unsigned long flags = spin_lock_irqsave(&ev->lock);

	while (!ev->count)
		waitq_sleep(&ev->wq, &ev->lock);
	ev->count--;
	spin_unlock_irqrestore(&ev->lock, flags);
}

struct kthread *oob_thread_create(unsigned int cpu, const char *name, int prio, void (*fn)(void *arg), void *arg)
{
	if (prio < OOB_PRIO_MIN || prio > OOB_PRIO_MAX)
		return NULL;
	return kthread_create(cpu, name, KTHREAD_PRIO_OOB_BASE + prio, fn, arg);
}

struct kthread *oob_current(void)
{
	struct kthread *t = kthread_current();

	return t && t->prio >= KTHREAD_PRIO_OOB_BASE ? t : NULL;
}

void oob_stats(unsigned int cpu, struct oob_rq_stats *out)
{
	(void)cpu;
	out->switches = 0;
	out->wakeups = 0;
	out->deferred = 0;
}

void oob_core_init(void)
{
}

void oob_core_init_cpu(unsigned int cpu)
{
	(void)cpu;
}

#endif

/*
 * The in-band kernel: threads, per-CPU run queues, preemption, wait queues, soft interrupts, idle
 * (kernel/sched.h; docs/kernel.md). Shared by the pipelined and the classic kernel: "stalled" below means the
 * in-band stall bit in the pipelined kernel and mstatus.MIE clear in the classic one.
 *
 * Invariants:
 *  - a context switch (__schedule) happens with the CPU stalled, hard irqs off and the CPU's run-queue lock held;
 *    the thread switched in releases that lock, then puts back its own interrupt state: a thread that slept gets
 *    back the state it slept with, a preempted one unstalls and replays what was logged meanwhile, a new one starts
 *    unstalled with hard irqs on;
 *  - the run-queue lock is taken with hard irqs off (short sections, never waiting for an oob thread of the holder);
 *  - the CPU's soft IPL, preemption count and soft-interrupt depth belong to the running context: no switch while
 *    any is raised.
 */
#include "kernel/kernel.h"
#include "oobsim/atomic.h"
#include "oobsim/console.h"
#include "oobsim/platform.h"

struct sched_cpu sched_cpus[PIPELINE_MAX_CPUS];

static struct kthread threads[KERNEL_MAX_THREADS];
static volatile uint32_t nr_threads;
static volatile uint32_t cpus_online;
static volatile uint32_t mp_online;

/* Thread stacks come from the free RAM after the hart stacks (link.ld): nothing to clear at boot. */
extern char __heap_start[], __heap_end[];
static kspinlock_t stack_lock;
static uintptr_t stack_next;

void kthread_entry(void);
void kthread_start(struct kthread *t);
void oob_thread_start(struct kthread *t);

__attribute__((noreturn)) void kernel_panic(const char *msg)
{
	hard_local_irq_disable();
	printf("[kernel] panic on cpu %u: %s\n", arch_cpu_id(), msg);
	sim_exit(98);
}

/* ---- Stall: the in-band stage's, or the CPU's interrupt enable in the classic kernel ------------------------------ */

static inline void stall_inband(void)
{
#ifdef KERNEL_CLASSIC
	arch_hard_irq_disable();
#else
	inband_irq_disable();
#endif
}

/* Hard irqs on: unstall and replay what the stage logged. */
static inline void unstall_inband(void)
{
	kernel_irq_enable_();
}

static inline bool inband_stalled(void)
{
#ifdef KERNEL_CLASSIC
	return arch_hard_irqs_disabled();
#else
	return pipeline_stage_stalled(arch_cpu_id(), IRQ_STAGE_INBAND);
#endif
}

/* ---- Threads ----------------------------------------------------------------------------------------------------- */

static void check_stack(const struct kthread *t)
{
	if (t->stack_guard && *t->stack_guard != KTHREAD_STACK_MAGIC)
		kernel_panic("thread stack overflow");
}

struct kthread *kthread_alloc(const char *name, int prio, unsigned int cpu, void (*fn)(void *), void *arg, bool oob)
{
	uint32_t idx = amo_add(&nr_threads, 1);
	struct kthread *t;
	unsigned long flags;
	uintptr_t base;

	if (idx >= KERNEL_MAX_THREADS)
		return NULL;
	t = &threads[idx];
	t->name = name;
	t->prio = prio;
	t->cpu = cpu;
	t->fn = fn;
	t->arg = arg;
	t->oob = oob;
	t->id = idx + 1;
	t->next = NULL;
	t->preempting = false;
	t->switches_in = 0;
	t->stack_guard = NULL;
	t->state = KTHREAD_SLEEPING;
	if (!fn)
		return t;	/* a boot context: it has its stack */
	flags = hard_local_irq_save();
	arch_spin_lock(&stack_lock);
	if (!stack_next)
		stack_next = ((uintptr_t)__heap_start + 15) & ~(uintptr_t)15;
	base = stack_next;
	if (base + KERNEL_STACK_SIZE > (uintptr_t)__heap_end)
		base = 0;
	else
		stack_next += KERNEL_STACK_SIZE;
	arch_spin_unlock(&stack_lock);
	hard_local_irq_restore(flags);
	if (!base)
		return NULL;
	t->stack_guard = (uint32_t *)base;
	*t->stack_guard = KTHREAD_STACK_MAGIC;
	t->ctx.sp = (uint32_t)(base + KERNEL_STACK_SIZE);
	t->ctx.ra = (uint32_t)(uintptr_t)kthread_entry;
	t->ctx.s[0] = (uint32_t)(uintptr_t)t;
	return t;
}

struct kthread *kthread_by_id(unsigned int id)
{
	if (id < 1 || id > READ_ONCE(nr_threads) || id > KERNEL_MAX_THREADS)
		return NULL;
	return &threads[id - 1];
}

struct kthread *kthread_current(void)
{
	return this_sched()->curr;
}

/* Run-queue lock held. Preempted threads go back to the head of their priority, the others to the tail. */
static void rq_insert(struct sched_cpu *sc, struct kthread *t, bool head)
{
	struct kthread **p = &sc->rq;

	while (*p && ((*p)->prio > t->prio || (!head && (*p)->prio == t->prio)))
		p = &(*p)->next;
	t->next = *p;
	*p = t;
}

void kthread_enqueue_locked(struct sched_cpu *sc, struct kthread *t)
{
	rq_insert(sc, t, false);
}

/*
 * The CPU is stalled, hard irqs off. Pick the highest-priority ready thread (the current one competes if it is
 * still running: preempted threads keep their place at the head of their priority; `yield` sends it to the tail)
 * and switch to it.
 */
static void __schedule(struct sched_cpu *sc, bool yield)
{
	struct kthread *prev = sc->curr, *next;

	arch_spin_lock(&sc->rq_lock);
	sc->need_resched = 0;
	if (prev->state == KTHREAD_RUNNING) {
		prev->state = KTHREAD_READY;
		if (prev != sc->idle)
			rq_insert(sc, prev, !yield);
	}
	next = sc->rq;
	if (next) {
		sc->rq = next->next;
		next->next = NULL;
	} else {
		next = sc->idle;
	}
	next->state = KTHREAD_RUNNING;
	if (next == prev) {
		arch_spin_unlock(&sc->rq_lock);
		return;
	}
	check_stack(prev);
	check_stack(next);
	sc->curr = next;
	sc->switches++;
	next->switches_in++;
	arch_trace(PIPELINE_TRACE_KTHREAD_SWITCH, next->id);
	kernel_switch_to(&prev->ctx, &next->ctx);
	/* prev again: whoever switched to us holds the lock. */
	arch_spin_unlock(&this_sched()->rq_lock);
}

/* Thread context, the CPU stalled by the caller: switch, come back with the same state. */
static void schedule_stalled(bool yield)
{
	unsigned long flags = hard_local_irq_save();

	__schedule(this_sched(), yield);
	hard_local_irq_restore(flags);
}

/* Where a new thread begins (switch.S: kthread_entry), the CPU stalled, hard irqs off, the run-queue lock held. */
void kthread_start(struct kthread *t)
{
	if (t->oob)
		oob_thread_start(t);	/* the companion core's (kernel/oob.h): does not return */
	arch_spin_unlock(&this_sched()->rq_lock);
	hard_local_irq_enable();
	unstall_inband();
	kernel_preempt_point(KERNEL_PREEMPT_IRQ_ENABLE);
	t->fn(t->arg);
	kthread_exit();
}

void kthread_exit(void)
{
	struct sched_cpu *sc;

	stall_inband();
	hard_local_irq_disable();
	sc = this_sched();
	sc->curr->state = KTHREAD_DEAD;
	__schedule(sc, true);
	kernel_panic("a dead thread was switched in");
}

bool kthread_wakeup(struct kthread *t)
{
	struct sched_cpu *sc = &sched_cpus[t->cpu];
	unsigned int me = arch_cpu_id();
	bool woken = false, ipi = false;
	unsigned long flags;

	flags = hard_local_irq_save();
	arch_spin_lock(&sc->rq_lock);
	if (t->state == KTHREAD_SLEEPING) {
		t->state = KTHREAD_READY;
		rq_insert(sc, t, false);
		woken = true;
		if (sc->curr && t->prio > sc->curr->prio) {
			sc->need_resched = 1;
			ipi = t->cpu != me;
		}
	}
	arch_spin_unlock(&sc->rq_lock);
	if (woken)
		arch_trace(PIPELINE_TRACE_KTHREAD_WAKEUP, t->id);
	if (ipi) {
		struct sched_cpu *self = &sched_cpus[me];

		if (self->wake_batch) {
			self->wake_batch_ipis |= PIPELINE_CPU_MASK(t->cpu);
		} else {
			self->resched_ipis++;
			irq_send_inband_ipi(KERNEL_RESCHED_IPI_MSG, PIPELINE_CPU_MASK(t->cpu));
		}
	}
	hard_local_irq_restore(flags);
	if (woken && !ipi)
		kernel_preempt_point(KERNEL_PREEMPT_ENABLE);
	return woken;
}

void kthread_wake_batch_begin(void)
{
	unsigned long flags = hard_local_irq_save();

	this_sched()->wake_batch++;
	hard_local_irq_restore(flags);
}

void kthread_wake_batch_end(void)
{
	unsigned long flags = hard_local_irq_save();
	struct sched_cpu *sc = this_sched();
	uint32_t mask = 0;

	if (--sc->wake_batch == 0) {
		mask = sc->wake_batch_ipis;
		sc->wake_batch_ipis = 0;
	}
	if (mask) {
		sc->resched_ipis++;
		irq_send_inband_ipi(KERNEL_RESCHED_IPI_MSG, mask);
	}
	hard_local_irq_restore(flags);
}

struct kthread *kthread_create(unsigned int cpu, const char *name, int prio, void (*fn)(void *arg), void *arg)
{
	struct kthread *t;

	if (cpu >= kernel_cpus() || !fn)
		return NULL;
	t = kthread_alloc(name, prio, cpu, fn, arg, false);
	if (t)
		kthread_wakeup(t);
	return t;
}

void kthread_yield(void)
{
	unsigned long flags;

	local_irq_save(flags);
	schedule_stalled(true);
	local_irq_restore(flags);
}

void preempt_disable(void)
{
	this_sched()->preempt_count++;
	barrier();
}

void preempt_enable(void)
{
	barrier();
	if (--this_sched()->preempt_count == 0)
		kernel_preempt_point(KERNEL_PREEMPT_ENABLE);
}

/* ---- Soft interrupts --------------------------------------------------------------------------------------------- */

struct softint {
	void (*fn)(void *arg);
	void *arg;
	unsigned int ipl;
	uint32_t bit;
};

static struct softint softints[KERNEL_MAX_SOFTINTS];
static uint32_t nr_softints;
static uint32_t softint_ipl_mask[IPL_SOFT_LAST + 1];	/* softints of each IPL */
static kspinlock_t softint_lock;

struct softint *softint_establish(unsigned int ipl, void (*fn)(void *arg), void *arg)
{
	struct softint *si = NULL;
	unsigned long flags;

	if (!IPL_IS_SOFT(ipl) || !fn)
		return NULL;
	flags = hard_local_irq_save();
	arch_spin_lock(&softint_lock);
	if (nr_softints < KERNEL_MAX_SOFTINTS) {
		si = &softints[nr_softints];
		si->fn = fn;
		si->arg = arg;
		si->ipl = ipl;
		si->bit = UINT32_C(1) << nr_softints;
		softint_ipl_mask[ipl] |= si->bit;
		nr_softints++;
	}
	arch_spin_unlock(&softint_lock);
	hard_local_irq_restore(flags);
	return si;
}

static unsigned int lowest_bit(uint32_t w)
{
	unsigned int n = 0;

	while (!(w & 1)) {
		w >>= 1;
		n++;
	}
	return n;
}

/* Pending soft interrupts above the CPU's IPL, highest IPL first: the next to run, or NULL. */
static struct softint *next_softint(const struct sched_cpu *sc)
{
	uint32_t pending = sc->softint_pending;

	if (!pending)
		return NULL;
	for (unsigned int ipl = IPL_SOFT_LAST; ipl > sc->ipl; ipl--)
		if (pending & softint_ipl_mask[ipl])
			return &softints[lowest_bit(pending & softint_ipl_mask[ipl])];
	return NULL;
}

static inline bool softints_runnable(const struct sched_cpu *sc)
{
	return next_softint(sc) != NULL;
}

/* Hard irqs off on entry and exit, in-band unstalled: run what is pending above the IPL the CPU was at. */
static void run_softints(struct sched_cpu *sc)
{
	unsigned int prev = sc->ipl;
	struct softint *si;

	sc->softint_depth++;
	while ((si = next_softint(sc)) != NULL) {
		sc->softint_pending &= ~si->bit;
		sc->ipl = si->ipl;
		hard_local_irq_enable();
		arch_trace(PIPELINE_TRACE_SOFTINT_ENTRY, si->ipl);
		si->fn(si->arg);
		arch_trace(PIPELINE_TRACE_SOFTINT_EXIT, si->ipl);
		hard_local_irq_disable();
		sc->ipl = prev;
		sc->softints_run++;
	}
	sc->softint_depth--;
}

void softint_schedule(struct softint *si)
{
	unsigned long flags = hard_local_irq_save();

	this_sched()->softint_pending |= si->bit;
	arch_trace(PIPELINE_TRACE_SOFTINT_RAISE, si->ipl);
	hard_local_irq_restore(flags);
	kernel_preempt_point(KERNEL_PREEMPT_ENABLE);
}

unsigned int curipl(void)
{
	return this_sched()->ipl;
}

bool in_softint(void)
{
	return this_sched()->softint_depth != 0;
}

unsigned int splraise(unsigned int ipl)
{
	struct sched_cpu *sc = this_sched();
	unsigned int s = sc->ipl;

	if (ipl > s)
		sc->ipl = ipl;
	return s;
}

void splx(unsigned int s)
{
	this_sched()->ipl = s;
	kernel_preempt_point(KERNEL_PREEMPT_ENABLE);
}

/* ---- Preemption -------------------------------------------------------------------------------------------------- */

/*
 * Hard irqs off, in-band unstalled, in-band thread context of sc->curr: run the runnable soft interrupts, and switch
 * while a higher-priority thread is ready and switching is allowed; returns in the same state.
 */
static void preempt_work(struct sched_cpu *sc, enum kernel_preempt_where where)
{
	struct kthread *self = sc->curr;

	self->preempting = true;
	for (;;) {
		if (softints_runnable(sc)) {
			run_softints(sc);
			continue;
		}
		if (!sc->need_resched || sc->preempt_count || sc->softint_depth || sc->ipl != IPL_NONE)
			break;
		stall_inband();
		arch_trace(PIPELINE_TRACE_KTHREAD_PREEMPT, where);
		sc->preemptions++;
		__schedule(sc, false);
		/* Back (later): unstall, replaying what was logged while others ran; it may wake or raise more. */
		hard_local_irq_enable();
		unstall_inband();
		hard_local_irq_disable();
	}
	self->preempting = false;
}

void kernel_preempt_point(enum kernel_preempt_where where)
{
	struct sched_cpu *sc = this_sched();
	unsigned long flags;

	if (!sc->ready || (!sc->need_resched && !softints_runnable(sc)))
		return;
	if (sc->softint_depth || sc->curr->preempting || in_hardirq())
		return;
#ifndef KERNEL_CLASSIC
	if (!running_inband())
		return;
#endif
	if (inband_stalled() || arch_hard_irqs_disabled())
		return;
	flags = hard_local_irq_save();
	preempt_work(sc, where);
	hard_local_irq_restore(flags);
}

/*
 * The IRQ exit (kernel_irq_trap(), after the program's kernel_irq_exit_work()): hard irqs off, in-band unstalled,
 * returning to whatever the trap interrupted. Inside a soft interrupt, only higher-IPL soft interrupts run (nested);
 * inside the preemption work of the interrupted thread, nothing (its loop looks again).
 */
void sched_irq_exit(void)
{
	struct sched_cpu *sc = this_sched();

	if (!sc->ready || in_hardirq())
		return;
	if (sc->softint_depth) {
		if (softints_runnable(sc))
			run_softints(sc);
		return;
	}
	if (sc->curr->preempting)
		return;
	if (sc->need_resched || softints_runnable(sc))
		preempt_work(sc, KERNEL_PREEMPT_IRQ_EXIT);
}

/* ---- Wait queues ------------------------------------------------------------------------------------------------- */

void waitq_init(struct waitq *wq)
{
	wq->lock.locked = 0;
	wq->head = NULL;
	wq->tail = NULL;
}

void waitq_sleep(struct waitq *wq, kspinlock_t *interlock)
{
	struct sched_cpu *sc = this_sched();
	struct kthread *self = sc->curr;
	unsigned long flags;

	if (in_hardirq() || sc->softint_depth || sc->ipl != IPL_NONE || sc->preempt_count || !inband_stalled())
		kernel_panic("waitq_sleep() outside thread context, or without its interlock held");
	if (interlock != &wq->lock)
		arch_spin_lock(&wq->lock);
	self->next = NULL;
	if (wq->tail)
		wq->tail->next = self;
	else
		wq->head = self;
	wq->tail = self;
	self->state = KTHREAD_SLEEPING;
	if (interlock != &wq->lock)
		arch_spin_unlock(&wq->lock);
	arch_spin_unlock(interlock);
	arch_trace(PIPELINE_TRACE_KTHREAD_SLEEP, self->id);
	flags = hard_local_irq_save();
	__schedule(sc, true);
	hard_local_irq_restore(flags);
	arch_spin_lock(interlock);
}

/* Take up to max sleepers off the queue (under its lock, the CPU stalled), then wake them. */
static unsigned int waitq_wake(struct waitq *wq, unsigned int max)
{
	struct kthread *woken[KERNEL_MAX_THREADS];
	unsigned int n = 0;
	unsigned long flags;

	local_irq_save(flags);
	arch_spin_lock(&wq->lock);
	while (wq->head && n < max) {
		struct kthread *t = wq->head;

		wq->head = t->next;
		t->next = NULL;
		woken[n++] = t;
	}
	if (!wq->head)
		wq->tail = NULL;
	arch_spin_unlock(&wq->lock);
	kthread_wake_batch_begin();
	for (unsigned int i = 0; i < n; i++)
		kthread_wakeup(woken[i]);
	kthread_wake_batch_end();
	local_irq_restore(flags);
	return n;
}

unsigned int waitq_wake_all(struct waitq *wq)
{
	return waitq_wake(wq, KERNEL_MAX_THREADS);
}

unsigned int waitq_wake_one(struct waitq *wq)
{
	return waitq_wake(wq, 1);
}

/* ---- Idle, boot -------------------------------------------------------------------------------------------------- */

/* Never sleeps on anything: WFI (the pipeline's idle rule) until the scheduler has something else to run. */
static void idle_thread(void *arg)
{
	(void)arg;
	for (;;) {
		struct sched_cpu *sc = this_sched();

		if (sc->need_resched || softints_runnable(sc))
			kernel_preempt_point(KERNEL_PREEMPT_ENABLE);
		else
			kernel_idle();
	}
}

static irqreturn_t resched_ipi(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	return IRQ_HANDLED;	/* need_resched is set: the IRQ exit (or the next unstall) does the rest */
}

static const char *const main_names[PIPELINE_MAX_CPUS] = { "main/0", "main/1", "main/2", "main/3",
							    "main/4", "main/5", "main/6", "main/7" };
static const char *const idle_names[PIPELINE_MAX_CPUS] = { "idle/0", "idle/1", "idle/2", "idle/3",
							    "idle/4", "idle/5", "idle/6", "idle/7" };

void sched_init(void)
{
	for (unsigned int cpu = 0; cpu < PIPELINE_MAX_CPUS; cpu++) {
		struct sched_cpu *sc = &sched_cpus[cpu];

		sc->rq_lock.locked = 0;
		sc->rq = NULL;
		sc->curr = NULL;
		sc->ready = false;
	}
	if (__request_percpu_irq(INBAND_IPI_IRQ(KERNEL_RESCHED_IPI_MSG), resched_ipi, 0, "resched", NULL))
		kernel_panic("cannot request the reschedule IPI");
}

/* The boot context becomes main/N (it runs on the hart's boot stack, whose lowest word guards it). */
void sched_init_cpu(unsigned int cpu)
{
	extern char __stack_top[];
	struct sched_cpu *sc = &sched_cpus[cpu];
	struct kthread *main_thread = kthread_alloc(main_names[cpu], KTHREAD_PRIO_NORMAL, cpu, NULL, NULL, false);
	struct kthread *idle = kthread_alloc(idle_names[cpu], KTHREAD_PRIO_IDLE, cpu, idle_thread, NULL, false);

	if (!main_thread || !idle)
		kernel_panic("no room for the boot threads");
	main_thread->stack_guard = (uint32_t *)(__stack_top - (cpu + 1) * OOBSIM_STACK_SIZE);
	*main_thread->stack_guard = KTHREAD_STACK_MAGIC;
	main_thread->state = KTHREAD_RUNNING;
	idle->state = KTHREAD_READY;
	sc->main = main_thread;
	sc->idle = idle;
	sc->curr = main_thread;
	enable_percpu_irq(INBAND_IPI_IRQ(KERNEL_RESCHED_IPI_MSG), 0);
	sc->ready = true;
}

/* Hard irqs on. The threads created at boot (higher priority than main) run now, until they sleep. */
void sched_cpu_online(unsigned int cpu)
{
	(void)cpu;
	kernel_preempt_point(KERNEL_PREEMPT_ENABLE);
	if (amo_add(&cpus_online, 1) == kernel_cpus() - 1)
		WRITE_ONCE(mp_online, 1);
	while (!READ_ONCE(mp_online))
		cpu_relax();
	mb();
}

bool kernel_mp_online(void)
{
	return READ_ONCE(mp_online) != 0;
}

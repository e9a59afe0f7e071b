/*
 * The in-band kernel of the firmware (docs/kernel.md): kernel threads on per-CPU run queues with priorities and
 * preemption, sleep and wake-up on wait queues, soft interrupts with the soft IPLs, spinlocks, and the idle thread.
 * Included by kernel/kernel.h; built into both the pipelined and the classic kernel.
 *
 * Threads are bound to the CPU they are created on (no migration). Each CPU has:
 *  - "main/N": the boot context, which runs kernel_main(); priority KTHREAD_PRIO_NORMAL;
 *  - "idle/N": runs when nothing else is ready, WFI through kernel_idle() (the pipeline's idle rule);
 *  - "xcall/N": the low-priority cross-call thread (pipeline/xcall.h), priority KTHREAD_PRIO_XCALL;
 * and whatever the program creates. The highest priority ready thread runs; a woken thread of higher priority than
 * the running one preempts it at the next preemption point: the IRQ exit (the trap returns to in-band, unstalled),
 * local_irq_enable() / local_irq_restore() to unstalled, preempt_enable(), or at once when the running thread
 * sleeps, yields or exits. A wake-up for another CPU sends it the reschedule IPI (in-band message
 * KERNEL_RESCHED_IPI_MSG). Equal priorities do not preempt each other (FIFO).
 *
 * Context switches save the callee-saved registers, sp and ra (switch.S) and happen with the in-band stage stalled
 * and hard irqs off; a resumed context puts back its own interrupt state.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "pipeline/pipeline.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Spinlocks --------------------------------------------------------------------------------------------------- */

/*
 * A test-and-test-and-set lock on amoswap.w.aq / amoswap.w.rl (the acquire and release order the critical section),
 * correct across cores. The kernel's locks are taken with in-band interrupts disabled *virtually*: spin_lock_irqsave()
 * is local_irq_save() (pipelined: the in-band stall; classic: mstatus.MIE) then the lock, so no in-band IRQ handler,
 * soft interrupt or preemption runs on this CPU while it is held, while oob IRQs still get through (pipelined).
 */
typedef struct {
	volatile uint32_t locked;
} kspinlock_t;

#define KSPINLOCK_INIT { 0 }

static inline void arch_spin_lock(kspinlock_t *l)
{
	uint32_t old;

	for (;;) {
		__asm__ volatile("amoswap.w.aq %0, %2, %1" : "=r"(old), "+A"(l->locked) : "r"(1u) : "memory");
		if (!old)
			return;
		while (*(volatile uint32_t *)&l->locked)
			__asm__ volatile("" : : : "memory");
	}
}

static inline bool arch_spin_trylock(kspinlock_t *l)
{
	uint32_t old;

	__asm__ volatile("amoswap.w.aq %0, %2, %1" : "=r"(old), "+A"(l->locked) : "r"(1u) : "memory");
	return old == 0;
}

static inline void arch_spin_unlock(kspinlock_t *l)
{
	__asm__ volatile("amoswap.w.rl zero, zero, %0" : "+A"(l->locked) : : "memory");
}

/* ---- Preemption points on interrupt enabling --------------------------------------------------------------------- */

enum kernel_preempt_where {
	KERNEL_PREEMPT_IRQ_EXIT = 0,
	KERNEL_PREEMPT_IRQ_ENABLE = 1,
	KERNEL_PREEMPT_ENABLE = 2,
};

/* Run pending soft interrupts and switch to a higher-priority ready thread, if this is thread context and nothing
 * forbids it (in-band, unstalled, hard irqs on, no handler or soft interrupt running, preemption enabled). */
void kernel_preempt_point(enum kernel_preempt_where where);

/* The flags of local_irq_save(): classic, mstatus.MIE (nonzero: was enabled); pipelined, the stall bit (nonzero:
 * was stalled). */
#ifdef KERNEL_CLASSIC
#define kernel_irq_restore_(flags) arch_hard_irq_restore(flags)
#define kernel_irq_enable_() arch_hard_irq_enable()
#define kernel_irq_flags_enabled(flags) ((flags) != 0)
#else
#define kernel_irq_restore_(flags) inband_irq_restore(flags)
#define kernel_irq_enable_() inband_irq_enable()
#define kernel_irq_flags_enabled(flags) ((flags) == 0)
#endif

/*
 * local_irq_enable() and local_irq_restore() to unstalled are preemption points. Always inline, so that the pipeline
 * call is made from the caller itself (its debug reports name the caller's pc).
 */
static inline __attribute__((always_inline)) void kernel_local_irq_restore(unsigned long flags)
{
	kernel_irq_restore_(flags);
	if (kernel_irq_flags_enabled(flags))
		kernel_preempt_point(KERNEL_PREEMPT_IRQ_ENABLE);
}

static inline __attribute__((always_inline)) void kernel_local_irq_enable(void)
{
	kernel_irq_enable_();
	kernel_preempt_point(KERNEL_PREEMPT_IRQ_ENABLE);
}

#undef local_irq_restore
#undef local_irq_enable
#define local_irq_restore(flags) kernel_local_irq_restore(flags)
#define local_irq_enable() kernel_local_irq_enable()

static inline unsigned long spin_lock_irqsave(kspinlock_t *l)
{
	unsigned long flags;

	local_irq_save(flags);
	arch_spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(kspinlock_t *l, unsigned long flags)
{
	arch_spin_unlock(l);
	local_irq_restore(flags);
}

/* ---- Threads ----------------------------------------------------------------------------------------------------- */

/* Priorities: the highest number runs. */
#define KTHREAD_PRIO_IDLE 0
#define KTHREAD_PRIO_MIN 1
#define KTHREAD_PRIO_NORMAL 10
#define KTHREAD_PRIO_XCALL 50
#define KTHREAD_PRIO_MAX 99
/* Classic kernel: the companion core's threads are in-band threads above every other (oob priority + this). */
#define KTHREAD_PRIO_OOB_BASE 100

#ifndef KERNEL_MAX_THREADS
#define KERNEL_MAX_THREADS 40
#endif
#ifndef KERNEL_STACK_SIZE
#define KERNEL_STACK_SIZE 8192
#endif

/* The registers a switch saves (switch.S relies on this layout). */
struct kthread_context {
	uint32_t ra, sp;
	uint32_t s[12];
};

enum kthread_state {
	KTHREAD_FREE = 0,
	KTHREAD_RUNNING,	/* the CPU's current thread */
	KTHREAD_READY,		/* on the run queue (or the idle thread, not running) */
	KTHREAD_SLEEPING,	/* on a wait queue, or blocked (oob) */
	KTHREAD_DEAD,
};

struct waitq;

struct kthread {
	struct kthread_context ctx;	/* first: switch.S */
	struct kthread *next;		/* run queue or wait queue */
	const char *name;
	void (*fn)(void *arg);
	void *arg;
	unsigned int id;		/* 1.. in creation order (the trace value) */
	unsigned int cpu;
	int prio;
	volatile enum kthread_state state;
	bool oob;			/* a companion-core thread (kernel/oob.h) */
	bool preempting;		/* inside the preemption work (no nested one) */
	unsigned long xc_flags;		/* the xcall lock's saved interrupt state */
	uint32_t *stack_guard;		/* lowest word of the stack: KTHREAD_STACK_MAGIC while it did not overflow */
	uint32_t switches_in;		/* times it was switched in */
};

#define KTHREAD_STACK_MAGIC 0x57ac6a5du

/*
 * Create a thread bound to cpu, ready to run fn(arg) (the thread exits when fn returns). May be called from any
 * CPU, in-band thread context, or at boot. A priority above the running thread's on that CPU preempts it (a remote
 * CPU gets the reschedule IPI). NULL if the pool (KERNEL_MAX_THREADS) or the stack memory is exhausted.
 */
struct kthread *kthread_create(unsigned int cpu, const char *name, int prio, void (*fn)(void *arg), void *arg);
/* The thread running on this CPU (in-band: the oob core's threads are kernel/oob.h's business). */
struct kthread *kthread_current(void);
/* Make a sleeping thread ready; false if it was not sleeping. In-band context (thread, handler, soft interrupt). */
bool kthread_wakeup(struct kthread *t);
/* Between these, the reschedule IPIs of this CPU's wake-ups are collected and sent as one SGI at the end (to
 * every CPU that needs one). Nests. In-band, the CPU stalled or not. */
void kthread_wake_batch_begin(void);
void kthread_wake_batch_end(void);
/* Give the CPU to a ready thread of the same or higher priority, if any. Thread context. */
void kthread_yield(void);
/* End the calling thread. */
__attribute__((noreturn)) void kthread_exit(void);
/* Thread by id (1..), or NULL. */
struct kthread *kthread_by_id(unsigned int id);

/* Disable / enable preemption of the current thread (nests). preempt_enable() is a preemption point. */
void preempt_disable(void);
void preempt_enable(void);

/* ---- Wait queues ------------------------------------------------------------------------------------------------- */

struct waitq {
	kspinlock_t lock;
	struct kthread *head, *tail;
};

#define WAITQ_INIT { KSPINLOCK_INIT, 0, 0 }

void waitq_init(struct waitq *wq);
/*
 * NetBSD's cv_wait(): called by a thread holding interlock (a kspinlock_t taken with spin_lock_irqsave(), so in-band
 * stalled; it may be &wq->lock): the thread goes on the queue, releases interlock, sleeps until woken, takes
 * interlock again. Its interrupt state is unchanged on return. The caller checks its condition again (wake-ups may
 * be for somebody else's condition).
 */
void waitq_sleep(struct waitq *wq, kspinlock_t *interlock);
/* Wake every / the first sleeper; return how many. Any in-band context; if the sleepers use an interlock, hold it. */
unsigned int waitq_wake_all(struct waitq *wq);
unsigned int waitq_wake_one(struct waitq *wq);

/* Sleep until cond holds (checked under the queue's lock; the waker makes it true before waitq_wake_*()). */
#define wait_event(wq, cond)							\
	do {									\
		unsigned long __wf = spin_lock_irqsave(&(wq)->lock);		\
		while (!(cond))							\
			waitq_sleep((wq), &(wq)->lock);				\
		spin_unlock_irqrestore(&(wq)->lock, __wf);			\
	} while (0)

/* ---- Soft interrupts --------------------------------------------------------------------------------------------- */

/*
 * Software interrupts of the four soft IPLs (IPL_SOFTCLOCK < IPL_SOFTBIO < IPL_SOFTNET < IPL_SOFTSERIAL,
 * pipeline/xcall.h). softint_schedule() marks one pending on the calling CPU (in-band context: thread, handler or
 * soft interrupt; never oob). They run, highest IPL first, each with hard irqs on and in-band unstalled:
 *  - at the IRQ exit, when the trap returns to in-band unstalled code running below their IPL;
 *  - at once if softint_schedule() is called in thread context with nothing masking them;
 *  - at the next local_irq_enable()/restore(), preempt_enable() or splx() that allows them.
 * A soft interrupt may be interrupted by hard IRQs, and by soft interrupts of a higher IPL; it must not sleep.
 */
#define KERNEL_MAX_SOFTINTS 16

struct softint;

/* At boot or in thread context. NULL if the table is full or ipl is not a soft IPL. */
struct softint *softint_establish(unsigned int ipl, void (*fn)(void *arg), void *arg);
void softint_schedule(struct softint *si);
/* The soft IPL the CPU runs at (IPL_NONE in thread context). */
unsigned int curipl(void);
/* Raise the CPU's IPL (soft interrupts at or below it wait); returns the previous one for splx(). */
unsigned int splraise(unsigned int ipl);
void splx(unsigned int s);
#define splsoftclock() splraise(IPL_SOFTCLOCK)
#define splsoftbio() splraise(IPL_SOFTBIO)
#define splsoftnet() splraise(IPL_SOFTNET)
#define splsoftserial() splraise(IPL_SOFTSERIAL)
/* A soft interrupt runs on this CPU. */
bool in_softint(void);

/* ---- Per-CPU scheduler state ------------------------------------------------------------------------------------- */

#define KERNEL_RESCHED_IPI_MSG 7	/* the in-band IPI message of a remote wake-up */

struct sched_cpu {
	kspinlock_t rq_lock;
	struct kthread *rq;		/* ready threads, highest priority first, FIFO within a priority */
	struct kthread *curr;
	struct kthread *idle;
	struct kthread *main;
	volatile uint32_t need_resched;
	uint32_t preempt_count;
	volatile uint32_t softint_pending;	/* bit = softint index */
	uint32_t ipl;			/* current soft IPL */
	uint32_t softint_depth;
	bool ready;			/* scheduler running on this CPU */
	uint32_t switches;		/* context switches */
	uint32_t preemptions;		/* ... of which preemptions */
	uint32_t softints_run;
	uint32_t resched_ipis;		/* reschedule IPIs (SGIs) sent by this CPU */
	uint32_t wake_batch;		/* kthread_wake_batch_begin() depth */
	uint32_t wake_batch_ipis;	/* CPUs to send the reschedule IPI at the end of the batch */
};

extern struct sched_cpu sched_cpus[PIPELINE_MAX_CPUS];

static inline struct sched_cpu *this_sched(void)
{
	return &sched_cpus[arch_cpu_id()];
}

/* Every CPU has come online (the xcall cold-boot rule ends). */
bool kernel_mp_online(void);

/* ---- For the kernel itself --------------------------------------------------------------------------------------- */

void sched_init(void);			/* CPU 0, before the others are released */
void sched_init_cpu(unsigned int cpu);	/* every CPU: the boot context becomes main/N; idle/N and xcall/N */
void sched_cpu_online(unsigned int cpu);	/* every CPU, hard irqs on: count it, wait for all (mp_online) */
void sched_irq_exit(void);		/* the IRQ-exit work (hard irqs off, in-band unstalled) */
void kernel_switch_to(struct kthread_context *prev, struct kthread_context *next);
struct kthread *kthread_alloc(const char *name, int prio, unsigned int cpu, void (*fn)(void *), void *arg, bool oob);
void kthread_enqueue_locked(struct sched_cpu *sc, struct kthread *t);

#ifdef __cplusplus
}
#endif

#endif /* KERNEL_SCHED_H */

/*
 * What xcall (pipeline/xcall.c) needs from this kernel (pipeline/kern.h): its lock, sleeping and waking on its
 * channels, the xcall/N threads and one soft interrupt per soft IPL. Both kernels, pipelined and classic.
 */
#include "kernel/kernel.h"

static kspinlock_t xc_lock = KSPINLOCK_INIT;
static struct waitq xc_chans[XC_NR_CHANS];
static struct softint *xc_softints[IPL_SOFT_LAST + 1];
static struct kthread *xc_threads[PIPELINE_MAX_CPUS];
/* The interrupt state saved by the lock, before the scheduler runs (boot) */
static unsigned long xc_boot_flags[PIPELINE_MAX_CPUS];
/* Channels to wake once the lock is dropped, per CPU (only the holder, which cannot be switched out, uses it). */
static uint32_t xc_wake_pending[PIPELINE_MAX_CPUS];

static const char *const xcall_names[PIPELINE_MAX_CPUS] = { "xcall/0", "xcall/1", "xcall/2", "xcall/3",
							     "xcall/4", "xcall/5", "xcall/6", "xcall/7" };

/* The saved state belongs to the thread holding the lock (or to the one a soft interrupt runs over: it cannot hold
 * it then, soft interrupts do not run while it is held). A sleeper keeps it across its sleep. */
static unsigned long *xc_flags_slot(void)
{
	struct kthread *t = this_sched()->curr;

	return t ? &t->xc_flags : &xc_boot_flags[arch_cpu_id()];
}

void kern_xc_lock(void)
{
	unsigned long flags = spin_lock_irqsave(&xc_lock);

	*xc_flags_slot() = flags;
}

/* The wake-ups asked for under the lock (a channel bit each), done once it is released. */
static void xc_wake_deferred(uint32_t chans)
{
	if (!chans)
		return;
	kthread_wake_batch_begin();	/* one SGI for every CPU to reschedule */
	for (unsigned int chan = 0; chans; chan++, chans >>= 1)
		if (chans & 1)
			waitq_wake_all(&xc_chans[chan]);
	kthread_wake_batch_end();
}

/*
 * Like Linux's wake_q: the threads woken under the lock are made runnable after it is dropped, still stalled, so
 * that a woken thread on another CPU does not start by spinning on the lock its waker still holds; the local one
 * preempts the caller at the restore.
 */
void kern_xc_unlock(void)
{
	unsigned int cpu = arch_cpu_id();
	uint32_t chans = xc_wake_pending[cpu];
	unsigned long flags = *xc_flags_slot();

	xc_wake_pending[cpu] = 0;
	arch_spin_unlock(&xc_lock);
	xc_wake_deferred(chans);
	local_irq_restore(flags);
}

void kern_xc_sleep(unsigned int chan)
{
	unsigned int cpu = arch_cpu_id();
	uint32_t chans = xc_wake_pending[cpu];

	/* Nobody is left unwoken while we sleep: wake them now, under the lock. */
	xc_wake_pending[cpu] = 0;
	xc_wake_deferred(chans);
	waitq_sleep(&xc_chans[chan], &xc_lock);
}

/* Called with the lock held: recorded, done by kern_xc_unlock() (or before a sleep). */
void kern_xc_wakeup(unsigned int chan)
{
	xc_wake_pending[arch_cpu_id()] |= UINT32_C(1) << chan;
}

void kern_xc_softint_raise(unsigned int ipl)
{
	if (!IPL_IS_SOFT(ipl))
		kernel_panic("xcall soft interrupt at an IPL that is not soft");
	softint_schedule(xc_softints[ipl]);
}

bool kern_xc_mp_online(void)
{
	return kernel_mp_online();
}

bool kern_in_softint(void)
{
	return in_softint();
}

struct kthread *kernel_xcall_thread(unsigned int cpu)
{
	return cpu < PIPELINE_MAX_CPUS ? xc_threads[cpu] : NULL;
}

static void xcall_softint(void *arg)
{
	(void)arg;
	xc_softint();
}

static void xcall_thread(void *arg)
{
	(void)arg;
	xc_thread();
}

/* CPU 0, at boot. */
void kernel_xcall_init(void)
{
	for (unsigned int chan = 0; chan < XC_NR_CHANS; chan++)
		waitq_init(&xc_chans[chan]);
	for (unsigned int ipl = IPL_SOFT_FIRST; ipl <= IPL_SOFT_LAST; ipl++)
		if (!(xc_softints[ipl] = softint_establish(ipl, xcall_softint, NULL)))
			kernel_panic("no room for the xcall soft interrupts");
	if (xc_init())
		kernel_panic("cannot request the xcall IPI");
}

/* Every CPU, once its scheduler runs. */
void kernel_xcall_init_cpu(unsigned int cpu)
{
	xc_init_cpu();
	xc_threads[cpu] = kthread_create(cpu, xcall_names[cpu], KTHREAD_PRIO_XCALL, xcall_thread, NULL);
	if (!xc_threads[cpu])
		kernel_panic("no room for the xcall thread");
}

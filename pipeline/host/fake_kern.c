/*
 * The host fake of pipeline/kern.h (see fake_kern.h). Hosted C: it may use libc.
 */
#include "fake_kern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_arch.h"
#include "pipeline/pipeline.h"

#define MAX_SLEEPS_WITHOUT_PROGRESS 64

static bool mp_online = true;
static void (*sleep_hook)(unsigned int cpu, unsigned int chan);
static bool locked;
static unsigned int lock_cpu;
static unsigned long lock_flags;
static unsigned int softint_pending[PIPELINE_MAX_CPUS];
static unsigned int softint_level[PIPELINE_MAX_CPUS];	/* IPL of the soft interrupt running, 0 none */
static unsigned int sleeps_in_a_row;

static struct fake_kern_rec *recs;
static size_t nr_recs, cap_recs;

static void fail(const char *msg)
{
	fprintf(stderr, "fake_kern: %s\n", msg);
	abort();
}

static void record(enum fake_kern_kind kind, unsigned int arg)
{
	if (nr_recs == cap_recs) {
		cap_recs = cap_recs ? 2 * cap_recs : 256;
		recs = realloc(recs, cap_recs * sizeof(*recs));
		if (!recs)
			abort();
	}
	recs[nr_recs].seq = fake_next_seq();
	recs[nr_recs].cpu = fake_current_cpu();
	recs[nr_recs].kind = kind;
	recs[nr_recs].arg = arg;
	nr_recs++;
}

static void exit_hook(unsigned int cpu)
{
	if (softint_pending[cpu] && !softint_level[cpu]) {
		hard_local_irq_enable();
		(void)fake_kern_run_softints(cpu);
		hard_local_irq_disable();
	}
}

void fake_kern_reset(void)
{
	mp_online = true;
	sleep_hook = NULL;
	locked = false;
	sleeps_in_a_row = 0;
	memset(softint_pending, 0, sizeof(softint_pending));
	memset(softint_level, 0, sizeof(softint_level));
	fake_kern_clear_records();
	fake_set_irq_exit_hook(exit_hook);
}

void fake_kern_set_mp_online(bool online)
{
	mp_online = online;
}

void fake_kern_set_sleep_hook(void (*hook)(unsigned int cpu, unsigned int chan))
{
	sleep_hook = hook;
}

/* ---- Running work ------------------------------------------------------------------------------------------------ */

static bool softint_allowed(unsigned int cpu)
{
	return !softint_level[cpu] && !in_hardirq() && running_inband() &&
	       !pipeline_stage_stalled(cpu, IRQ_STAGE_INBAND) && !hard_irqs_disabled() && !(locked && lock_cpu == cpu);
}

/* On the current CPU. */
static unsigned int run_softints_here(void)
{
	unsigned int cpu = fake_current_cpu(), n = 0;

	while (softint_pending[cpu]) {
		unsigned int ipl = IPL_SOFT_LAST;

		while (!(softint_pending[cpu] & (1u << ipl)))
			ipl--;
		softint_pending[cpu] &= ~(1u << ipl);
		record(FAKE_KERN_SOFTINT, ipl);
		softint_level[cpu] = ipl;
		xc_softint();
		softint_level[cpu] = 0;
		n++;
	}
	return n;
}

unsigned int fake_kern_run_softints(unsigned int cpu)
{
	unsigned int prev = fake_current_cpu(), n;

	fake_set_cpu(cpu);
	n = run_softints_here();
	fake_set_cpu(prev);
	return n;
}

unsigned int fake_kern_run_thread(unsigned int cpu)
{
	unsigned int prev = fake_current_cpu(), n = 0;

	fake_set_cpu(cpu);
	while (xc_thread_step(false)) {
		record(FAKE_KERN_THREAD, 0);
		n++;
	}
	fake_set_cpu(prev);
	return n;
}

unsigned int fake_kern_run_all(void)
{
	unsigned int total = 0, n;

	do {
		n = 0;
		for (unsigned int cpu = 0; cpu < arch_num_cpus(); cpu++) {
			n += fake_kern_run_softints(cpu);
			n += fake_kern_run_thread(cpu);
		}
		total += n;
	} while (n);
	return total;
}

unsigned int fake_kern_softints_pending(unsigned int cpu)
{
	return cpu < PIPELINE_MAX_CPUS ? softint_pending[cpu] : 0;
}

void fake_kern_as_softint(unsigned int ipl, void (*fn)(void *), void *arg)
{
	unsigned int cpu = fake_current_cpu(), prev = softint_level[cpu];

	softint_level[cpu] = ipl;
	fn(arg);
	softint_level[cpu] = prev;
}

/* ---- pipeline/kern.h --------------------------------------------------------------------------------------------- */

void kern_xc_lock(void)
{
	unsigned long flags = inband_irq_save();

	if (locked)
		fail("the xcall lock is taken twice (a deadlock on a real machine)");
	locked = true;
	lock_cpu = fake_current_cpu();
	lock_flags = flags;
}

void kern_xc_unlock(void)
{
	if (!locked || lock_cpu != fake_current_cpu())
		fail("the xcall lock is released by a CPU that does not hold it");
	locked = false;
	inband_irq_restore(lock_flags);
}

void kern_xc_sleep(unsigned int chan)
{
	unsigned int cpu = fake_current_cpu();
	unsigned int ran;

	record(FAKE_KERN_SLEEP, chan);
	kern_xc_unlock();
	ran = fake_kern_count(FAKE_KERN_SOFTINT, -1, -1) + fake_kern_count(FAKE_KERN_THREAD, -1, -1);
	if (sleep_hook)
		sleep_hook(cpu, chan);
	else
		(void)fake_kern_run_all();
	/* Progress: a soft interrupt or a thread ran meanwhile. */
	ran = fake_kern_count(FAKE_KERN_SOFTINT, -1, -1) + fake_kern_count(FAKE_KERN_THREAD, -1, -1) != ran;
	fake_set_cpu(cpu);
	if (ran)
		sleeps_in_a_row = 0;
	else if (++sleeps_in_a_row > MAX_SLEEPS_WITHOUT_PROGRESS)
		fail("a CPU sleeps and nothing else can run: deadlock");
	kern_xc_lock();
}

void kern_xc_wakeup(unsigned int chan)
{
	if (!locked)
		fail("kern_xc_wakeup() without the xcall lock");
	record(FAKE_KERN_WAKEUP, chan);
}

void kern_xc_softint_raise(unsigned int ipl)
{
	unsigned int cpu = fake_current_cpu();

	if (!IPL_IS_SOFT(ipl))
		fail("kern_xc_softint_raise() with an IPL that is not a soft one");
	record(FAKE_KERN_RAISE, ipl);
	softint_pending[cpu] |= 1u << ipl;
	if (softint_allowed(cpu))
		(void)run_softints_here();
}

bool kern_xc_mp_online(void)
{
	return mp_online;
}

bool kern_in_softint(void)
{
	return softint_level[fake_current_cpu()] != 0;
}

/* ---- Records ----------------------------------------------------------------------------------------------------- */

size_t fake_kern_nr_recs(void)
{
	return nr_recs;
}

const struct fake_kern_rec *fake_kern_rec(size_t i)
{
	return i < nr_recs ? &recs[i] : NULL;
}

void fake_kern_clear_records(void)
{
	nr_recs = 0;
}

unsigned int fake_kern_count(enum fake_kern_kind kind, int cpu, int arg)
{
	unsigned int n = 0;

	for (size_t i = 0; i < nr_recs; i++)
		if (recs[i].kind == kind && (cpu < 0 || recs[i].cpu == (unsigned int)cpu) &&
		    (arg < 0 || recs[i].arg == (unsigned int)arg))
			n++;
	return n;
}

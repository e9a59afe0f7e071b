/*
 * irq_work queued from oob runs in-band, on the same CPU (pipeline-semantics.md section 7).
 *
 * Every CPU's GIC timer has an oob handler (IRQF_OOB on PPI 30) that queues that CPU's irq_work. Expected:
 *  - in-band stalled (local_irq_save()) when the timer fires: the work does not run in the section; the irq_work
 *    IRQ waits in the in-band log; the work runs inside local_irq_restore(), on the CPU that queued it, in-band,
 *    hard irqs on;
 *  - in-band unstalled: the work runs on the way out of the same interrupt (the kernel's count of interrupt traps
 *    on that CPU is the same in the work as in the oob handler), before the interrupted code goes on.
 * A work queued again while pending is run once (irq_work_queue() returns false).
 */
#include "pfwtest.h"

#define FIRE_DELAY	400u
#define SECTION		4000u
#define MAX_WORK_DELAY	2000u	/* oob handler -> work, unstalled: generous (measured: 664) */

static struct irq_work works[OOBSIM_MAX_HARTS];

static volatile struct {
	uint32_t oob_at, oob_trap, oob_count, queued_ok, requeue_refused;
	uint32_t ran_at, ran_trap, ran_count, ran_cpu, ran_bad_context;
	uint32_t unstalled_delay;	/* oob handler entry -> work, unstalled */
} cpus[OOBSIM_MAX_HARTS];

static void work_func(struct irq_work *work)
{
	unsigned int owner = (unsigned int)(work - works);

	cpus[owner].ran_at = cycles();
	cpus[owner].ran_cpu = hartid();
	cpus[owner].ran_trap = this_kernel_cpu()->irq_traps;
	cpus[owner].ran_count++;
	if (!running_inband() || hard_irqs_disabled())
		cpus[owner].ran_bad_context++;
}

static irqreturn_t timer_handler(int irq, void *dev_id)
{
	unsigned int cpu = hartid();

	(void)irq;
	(void)dev_id;
	cpus[cpu].oob_at = cycles();
	cpus[cpu].oob_trap = this_kernel_cpu()->irq_traps;
	cpus[cpu].oob_count++;
	cpus[cpu].queued_ok += irq_work_queue(&works[cpu]);
	/* Pending already: refused, and it will run once. */
	cpus[cpu].requeue_refused += !irq_work_queue(&works[cpu]);
	gic_timer_ack(cpu);
	return IRQ_HANDLED;
}

static uint64_t arm_timer(unsigned int cpu)
{
	uint64_t start = csr_read64(mcycle);

	gic_timer_start(cpu, start + FIRE_DELAY, 0);
	return start;
}

static void stalled(unsigned int cpu)
{
	uint32_t oob_before = cpus[cpu].oob_count, ran_before = cpus[cpu].ran_count, restore;
	unsigned long flags;

	local_irq_save(flags);
	spin_until((uint32_t)arm_timer(cpu), SECTION);
	CHECK_EQ("oob handler calls in the stalled section", cpus[cpu].oob_count, oob_before + 1);
	CHECK_EQ("irq_work runs in the stalled section", cpus[cpu].ran_count, ran_before);
	CHECK(irq_work_is_pending(&works[cpu]), "cpu %u: work not pending in the section", cpu);
	CHECK(pipeline_irq_logged(cpu, IRQ_STAGE_INBAND, PIPELINE_IRQ_WORK_IRQ),
	      "cpu %u: the irq_work IRQ is not in the in-band log", cpu);
	restore = cycles();
	local_irq_restore(flags);
	CHECK_EQ("irq_work runs after local_irq_restore()", cpus[cpu].ran_count, ran_before + 1);
	CHECK(cpus[cpu].ran_at - restore < cycles() - restore, "cpu %u: work ran at %u, not inside the restore "
	      "(from %u)", cpu, (unsigned int)cpus[cpu].ran_at, (unsigned int)restore);
	gic_timer_stop(cpu);
}

static void unstalled(unsigned int cpu)
{
	uint32_t oob_before = cpus[cpu].oob_count, ran_before = cpus[cpu].ran_count;

	spin_until((uint32_t)arm_timer(cpu), SECTION);
	CHECK_EQ("oob handler calls", cpus[cpu].oob_count, oob_before + 1);
	CHECK_EQ("irq_work runs by the end of the section", cpus[cpu].ran_count, ran_before + 1);
	CHECK_EQ("interrupt trap the work ran in vs the oob handler's", cpus[cpu].ran_trap, cpus[cpu].oob_trap);
	cpus[cpu].unstalled_delay = cpus[cpu].ran_at - cpus[cpu].oob_at;
	CHECK(cpus[cpu].unstalled_delay < MAX_WORK_DELAY, "cpu %u: work ran %u cycles after the oob handler", cpu,
	      (unsigned int)cpus[cpu].unstalled_delay);
	gic_timer_stop(cpu);
}

int kernel_main(unsigned int cpu)
{
	init_irq_work(&works[cpu], work_func);
	if (cpu == 0) {
		CHECK_EQ("enable_oob_stage()", enable_oob_stage("irq_work"), 0);
		CHECK_EQ("request of the timer PPI", __request_percpu_irq(OOBSIM_TIMER_PPI, timer_handler, IRQF_OOB,
									  "timer", NULL), 0);
	}
	pfw_sync_cpus();
	enable_percpu_irq(OOBSIM_TIMER_PPI, 0);

	stalled(cpu);
	unstalled(cpu);
	stalled(cpu);
	pfw_sync_cpus();
	if (cpu != 0)
		return 0;

	for (unsigned int c = 0; c < kernel_cpus(); c++) {
		CHECK_EQ("works run", cpus[c].ran_count, 3);
		CHECK_EQ("irq_work_queue() accepted", cpus[c].queued_ok, 3);
		CHECK_EQ("irq_work_queue() of a pending work refused", cpus[c].requeue_refused, 3);
		CHECK_EQ("cpu the work ran on", cpus[c].ran_cpu, c);
		CHECK_EQ("work runs not in-band with hard irqs on", cpus[c].ran_bad_context, 0);
	}
	printf("irq_work: unstalled, the work ran %u cycles after the oob handler's entry (cpu 0)\n",
	       (unsigned int)cpus[0].unstalled_delay);
	printf("irq_work: PASS (%u cpus): queued from oob, run in-band on the same cpu, at local_irq_restore() or "
	       "at the interrupt's exit\n", kernel_cpus());
	return 0;
}

/*
 * In-band IPIs to a stalled CPU are deferred until it unstalls; oob IPIs are not (pipeline-semantics.md section 7).
 *
 * CPU 0 sends, CPUs 1..n-1 receive. Message INBAND_MSG is an in-band IPI (its own IRQ, INBAND_IPI_IRQ(msg), after
 * the shared SGI 0); TIMER_OOB_IPI an oob one (IRQF_OOB).
 *  1. Targets stalled (local_irq_save()): the in-band IPI reaches them (it shows in their in-band log) and its
 *     handler does not run; it runs inside local_irq_restore(), a constant number of cycles after it on every CPU.
 *  2. Targets stalled: the oob IPI's handler runs at once, inside the section, within a bound of the send.
 *  3. Targets unstalled: the in-band IPI's handler runs at once, within a bound of the send.
 */
#include "pfwtest.h"

#define INBAND_MSG	2u
#define HOLD		3000u	/* how long a target stays stalled after the IPI reached it */
#define MAX_IPI_LATENCY	1500u	/* send -> handler when nothing defers it: generous (measured: 276 oob, 651 in-band) */

enum { PHASE_IDLE, PHASE_DEFERRED, PHASE_OOB, PHASE_UNSTALLED };

static volatile uint32_t phase_ready[OOBSIM_MAX_HARTS];
static volatile uint32_t sent_at;

static volatile struct {
	uint32_t inband_count, inband_at, inband_bad_context;
	uint32_t oob_count, oob_at, oob_bad_context;
	uint32_t restore_delay, deferred_for, oob_latency, inband_latency;
} cpus[OOBSIM_MAX_HARTS];

static irqreturn_t inband_ipi(int irq, void *dev_id)
{
	unsigned int cpu = hartid();

	(void)irq;
	(void)dev_id;
	cpus[cpu].inband_at = cycles();
	cpus[cpu].inband_count++;
	if (!running_inband() || hard_irqs_disabled())
		cpus[cpu].inband_bad_context++;
	return IRQ_HANDLED;
}

static irqreturn_t oob_ipi(int irq, void *dev_id)
{
	unsigned int cpu = hartid();

	(void)irq;
	(void)dev_id;
	cpus[cpu].oob_at = cycles();
	cpus[cpu].oob_count++;
	if (!running_oob() || !hard_irqs_disabled())
		cpus[cpu].oob_bad_context++;
	return IRQ_HANDLED;
}

static uint32_t targets(void)
{
	return ((UINT32_C(1) << kernel_cpus()) - 1) & ~UINT32_C(1);
}

/* CPU 0: wait for every target to be in `phase`, then send. */
static void wait_targets(uint32_t phase)
{
	for (unsigned int c = 1; c < kernel_cpus(); c++)
		WAIT_UNTIL(phase_ready[c] == phase, "a target cpu");
}

static void sender(void)
{
	wait_targets(PHASE_DEFERRED);
	sent_at = cycles();
	irq_send_inband_ipi(INBAND_MSG, targets());
	pfw_sync_cpus();

	wait_targets(PHASE_OOB);
	sent_at = cycles();
	irq_send_oob_ipi(TIMER_OOB_IPI, targets());
	pfw_sync_cpus();

	wait_targets(PHASE_UNSTALLED);
	sent_at = cycles();
	irq_send_inband_ipi(INBAND_MSG, targets());
	pfw_sync_cpus();
}

static void target(unsigned int cpu)
{
	unsigned long flags;
	uint32_t restore;

	/* 1. Stalled: the in-band IPI is logged, its handler waits for the restore. */
	local_irq_save(flags);
	phase_ready[cpu] = PHASE_DEFERRED;
	WAIT_UNTIL(pipeline_irq_logged(cpu, IRQ_STAGE_INBAND, INBAND_IPI_IRQ(INBAND_MSG)),
		   "the in-band IPI in the in-band log");
	spin_until(cycles(), HOLD);
	CHECK_EQ("in-band IPI handler calls while stalled", cpus[cpu].inband_count, 0);
	restore = cycles();
	local_irq_restore(flags);
	CHECK_EQ("in-band IPI handler calls after local_irq_restore()", cpus[cpu].inband_count, 1);
	CHECK(cpus[cpu].inband_at - restore < cycles() - restore, "cpu %u: in-band IPI handler at %u, not inside the "
	      "restore (from %u)", cpu, (unsigned int)cpus[cpu].inband_at, (unsigned int)restore);
	cpus[cpu].restore_delay = cpus[cpu].inband_at - restore;
	cpus[cpu].deferred_for = cpus[cpu].inband_at - sent_at;
	CHECK(cpus[cpu].deferred_for >= HOLD, "cpu %u: in-band IPI handled %u cycles after the send", cpu,
	      (unsigned int)cpus[cpu].deferred_for);
	pfw_sync_cpus();

	/* 2. Stalled: the oob IPI is not deferred. */
	local_irq_save(flags);
	phase_ready[cpu] = PHASE_OOB;
	WAIT_UNTIL(cpus[cpu].oob_count == 1, "the oob IPI's handler inside the stalled section");
	CHECK(irqs_disabled(), "cpu %u: in-band unstalled by the oob IPI", cpu);
	cpus[cpu].oob_latency = cpus[cpu].oob_at - sent_at;
	CHECK(cpus[cpu].oob_latency < MAX_IPI_LATENCY, "cpu %u: oob IPI handled %u cycles after the send", cpu,
	      (unsigned int)cpus[cpu].oob_latency);
	local_irq_restore(flags);
	pfw_sync_cpus();

	/* 3. Unstalled: the in-band IPI runs at once. */
	phase_ready[cpu] = PHASE_UNSTALLED;
	WAIT_UNTIL(cpus[cpu].inband_count == 2, "the in-band IPI's handler, unstalled");
	cpus[cpu].inband_latency = cpus[cpu].inband_at - sent_at;
	CHECK(cpus[cpu].inband_latency < MAX_IPI_LATENCY, "cpu %u: in-band IPI to an unstalled cpu handled %u cycles "
	      "after the send", cpu, (unsigned int)cpus[cpu].inband_latency);
	pfw_sync_cpus();
}

int kernel_main(unsigned int cpu)
{
	if (cpu == 0) {
		CHECK(kernel_cpus() >= 2, "needs at least 2 cpus, has %u", kernel_cpus());
		CHECK_EQ("enable_oob_stage()", enable_oob_stage("ipi"), 0);
		CHECK_EQ("request the in-band IPI", __request_percpu_irq(INBAND_IPI_IRQ(INBAND_MSG), inband_ipi, 0,
									  "inband-ipi", NULL), 0);
		CHECK_EQ("request the oob IPI", __request_percpu_irq(TIMER_OOB_IPI, oob_ipi, IRQF_OOB, "oob-ipi",
								      NULL), 0);
	}
	pfw_sync_cpus();
	enable_percpu_irq(INBAND_IPI_IRQ(INBAND_MSG), 0);
	enable_percpu_irq(TIMER_OOB_IPI, 0);
	pfw_sync_cpus();

	if (cpu == 0)
		sender();
	else
		target(cpu);
	if (cpu != 0)
		return 0;

	for (unsigned int c = 1; c < kernel_cpus(); c++) {
		printf("ipi_deferred: cpu %u: stalled: in-band IPI held %u cycles, handler %u cycles after "
		       "local_irq_restore(); oob IPI handled %u cycles after the send; unstalled: in-band IPI handled "
		       "%u cycles after the send\n", c, (unsigned int)cpus[c].deferred_for,
		       (unsigned int)cpus[c].restore_delay, (unsigned int)cpus[c].oob_latency,
		       (unsigned int)cpus[c].inband_latency);
		CHECK_EQ("restore -> in-band IPI handler, this cpu vs cpu 1", cpus[c].restore_delay,
			 cpus[1].restore_delay);
		CHECK_EQ("in-band IPI handler calls not in-band with hard irqs on", cpus[c].inband_bad_context, 0);
		CHECK_EQ("oob IPI handler calls not on oob with hard irqs off", cpus[c].oob_bad_context, 0);
		CHECK_EQ("oob IPI handler calls", cpus[c].oob_count, 1);
	}
	CHECK_EQ("IPI handler calls on the sender", cpus[0].inband_count + cpus[0].oob_count, 0);
	printf("ipi_deferred: PASS (%u cpus)\n", kernel_cpus());
	return 0;
}

/*
 * The in-band idle step (kernel_idle() = inband_idle(), arch_idle() = WFI) follows the pipeline's idle rule
 * (pipeline-semantics.md section 3, docs/pipeline.md "Idle"): a non-empty log is replayed instead of sleeping;
 * otherwise the CPU sleeps in WFI with hard irqs off and the interrupt that wakes it is taken at once, its in-band
 * handler running before kernel_idle() returns. On every CPU, with the GIC timer (PPI 30, in-band handler):
 *  1. The timer fires in a stalled section and is logged; kernel_idle(), still stalled, replays it: the handler
 *     runs inside kernel_idle(), which returns unstalled with hard irqs on, long before any sleep could end (there
 *     is nothing else to wake the CPU: a sleep would be a deadlock).
 *  2. Nothing pending: kernel_idle() sleeps until the timer fires, then the handler runs, within a bound of the
 *     firing, and kernel_idle() returns after it.
 */
#include "pfwtest.h"

#define FIRE_DELAY	400u
#define SECTION		2000u
#define SLEEP_DELAY	3000u
#define MAX_WAKE_LATENCY 1000u	/* fire -> in-band handler out of WFI: generous */

static volatile struct {
	uint32_t entry, count;
	uint32_t replay_delay, wake_latency;
} cpus[OOBSIM_MAX_HARTS];

static irqreturn_t timer_handler(int irq, void *dev_id)
{
	unsigned int cpu = hartid();

	(void)irq;
	(void)dev_id;
	cpus[cpu].entry = cycles();
	cpus[cpu].count++;
	gic_timer_ack(cpu);
	return IRQ_HANDLED;
}

int kernel_main(unsigned int cpu)
{
	unsigned long flags;
	uint32_t before, idle_at, back_at;
	uint64_t start, fire;

	if (cpu == 0) {
		CHECK_EQ("enable_oob_stage()", enable_oob_stage("idle"), 0);
		CHECK_EQ("request of the timer PPI (in-band)",
			 __request_percpu_irq(OOBSIM_TIMER_PPI, timer_handler, 0, "timer", NULL), 0);
	}
	pfw_sync_cpus();
	enable_percpu_irq(OOBSIM_TIMER_PPI, 0);

	/* 1. Pending in the log: replay instead of sleeping. */
	before = cpus[cpu].count;
	local_irq_save(flags);
	start = csr_read64(mcycle);
	gic_timer_start(cpu, start + FIRE_DELAY, 0);
	spin_until((uint32_t)start, SECTION);
	CHECK(pipeline_irq_logged(cpu, IRQ_STAGE_INBAND, OOBSIM_TIMER_PPI), "cpu %u: timer IRQ not logged", cpu);
	CHECK_EQ("handler calls before idle", cpus[cpu].count, before);
	idle_at = cycles();
	kernel_idle();
	back_at = cycles();
	CHECK_EQ("handler calls after idle", cpus[cpu].count, before + 1);
	CHECK(cpus[cpu].entry - idle_at < back_at - idle_at, "cpu %u: handler not run inside kernel_idle()", cpu);
	CHECK(!irqs_disabled() && !hard_irqs_disabled(), "cpu %u: kernel_idle() returned stalled or hard irqs off",
	      cpu);
	(void)flags;	/* kernel_idle() unstalled in-band: the section ends there */
	cpus[cpu].replay_delay = cpus[cpu].entry - idle_at;
	gic_timer_stop(cpu);

	/* 2. Nothing pending: sleep until the timer. */
	before = cpus[cpu].count;
	fire = csr_read64(mcycle) + SLEEP_DELAY;
	gic_timer_start(cpu, fire, 0);
	kernel_idle();
	back_at = cycles();
	CHECK_EQ("handler calls after sleeping", cpus[cpu].count, before + 1);
	CHECK(cpus[cpu].entry - (uint32_t)fire < back_at - (uint32_t)fire, "cpu %u: handler not run between the "
	      "firing and the return from kernel_idle()", cpu);
	cpus[cpu].wake_latency = cpus[cpu].entry - (uint32_t)fire;
	CHECK(cpus[cpu].wake_latency < MAX_WAKE_LATENCY, "cpu %u: handler %u cycles after the firing", cpu,
	      (unsigned int)cpus[cpu].wake_latency);
	gic_timer_stop(cpu);

	pfw_sync_cpus();
	if (cpu != 0)
		return 0;
	for (unsigned int c = 0; c < kernel_cpus(); c++) {
		CHECK_EQ("idle replay delay, this cpu vs cpu 0", cpus[c].replay_delay, cpus[0].replay_delay);
		CHECK_EQ("wake-up latency, this cpu vs cpu 0", cpus[c].wake_latency, cpus[0].wake_latency);
	}
	printf("idle: PASS (%u cpus): logged IRQ replayed %u cycles into kernel_idle(); asleep, the handler ran %u "
	       "cycles after the timer fired\n", kernel_cpus(), (unsigned int)cpus[0].replay_delay,
	       (unsigned int)cpus[0].wake_latency);
	return 0;
}

/*
 * The in-band handler of a logged IRQ runs exactly when local_irq_restore() unstalls the in-band stage.
 *
 * Every CPU stalls in-band (local_irq_save()), arms its GIC timer (PPI 30, requested in-band, no IRQF_OOB) to fire
 * inside the section and stays busy until the section's end. The timer is taken at once and logged; its handler
 * does not run. The cycle just before local_irq_restore() is `restore`, the handler notes its entry cycle.
 * Expected:
 *  - at the end of the section the IRQ is in the in-band log and its handler has not run;
 *  - restore < entry < the cycle after local_irq_restore() returned: the handler ran inside the restore;
 *  - entry - restore is one constant: the same for a short and a long section (however long the IRQ waited in the
 *    log), and on every CPU;
 *  - the handler ran in-band, with hard irqs on and the in-band stage stalled (replay runs handlers as Linux does,
 *    interrupts virtually disabled).
 * Done twice: without an oob stage, then with one (the constant differs: the replay also looks at the oob log).
 * The timer's trap, taken while in-band is stalled, does not do the IRQ-exit work (kernel_irq_exit_work()): that
 * only follows a trap that returns in-band and unstalled, with hard irqs off.
 */
#include "pfwtest.h"

#define FIRE_DELAY	400u
#define SHORT_SECTION	2000u
#define LONG_SECTION	20000u
#define MAX_REPLAY_DELAY 400u	/* a generous bound for restore -> handler */

enum { NO_OOB_SHORT, NO_OOB_LONG, OOB_SHORT, OOB_LONG, NR_CASES };
static const char *const case_names[NR_CASES] = {
	"no oob stage, short section", "no oob stage, long section", "oob stage, short section",
	"oob stage, long section",
};

static volatile struct {
	uint32_t entry, count;
	uint32_t bad_context;	/* handler calls not in-band, hard irqs on, in-band stalled */
	uint32_t delay[NR_CASES];	/* entry - restore */
	uint32_t waited[NR_CASES];	/* entry - fire: how long the IRQ waited */
	uint32_t exit_work, exit_work_bad_context;
} cpus[OOBSIM_MAX_HARTS];

void kernel_irq_exit_work(struct trap_frame *f)
{
	unsigned int cpu = hartid();

	(void)f;
	cpus[cpu].exit_work++;
	if (!running_inband() || irqs_disabled() || !hard_irqs_disabled())
		cpus[cpu].exit_work_bad_context++;
}

static irqreturn_t timer_handler(int irq, void *dev_id)
{
	uint32_t now = cycles();
	unsigned int cpu = hartid();

	(void)irq;
	(void)dev_id;
	cpus[cpu].entry = now;
	cpus[cpu].count++;
	if (!running_inband() || hard_irqs_disabled() || !irqs_disabled())
		cpus[cpu].bad_context++;
	gic_timer_ack(cpu);
	return IRQ_HANDLED;
}

static __attribute__((noinline)) void section(unsigned int cpu, uint32_t length, int which)
{
	uint32_t before = cpus[cpu].count, restore, after;
	uint32_t traps = this_kernel_cpu()->irq_traps, exits = cpus[cpu].exit_work;
	unsigned long flags;
	uint64_t start, fire;

	local_irq_save(flags);
	start = csr_read64(mcycle);
	fire = start + FIRE_DELAY;
	gic_timer_start(cpu, fire, 0);
	spin_until((uint32_t)start, length);
	CHECK(pipeline_irq_logged(cpu, IRQ_STAGE_INBAND, OOBSIM_TIMER_PPI),
	      "cpu %u: the timer IRQ is not in the in-band log at the end of the section", cpu);
	CHECK_EQ("handler calls inside the section", cpus[cpu].count, before);
	CHECK_EQ("interrupt traps inside the section", this_kernel_cpu()->irq_traps, traps + 1);
	CHECK_EQ("IRQ-exit work inside the section", cpus[cpu].exit_work, exits);
	restore = cycles();
	local_irq_restore(flags);
	after = cycles();
	CHECK_EQ("handler calls after local_irq_restore()", cpus[cpu].count, before + 1);
	CHECK(cpus[cpu].entry - restore < after - restore && cpus[cpu].entry != restore,
	      "cpu %u: handler entry at %u, not between %u and %u", cpu, (unsigned int)cpus[cpu].entry,
	      (unsigned int)restore, (unsigned int)after);
	CHECK(!pipeline_log_pending(cpu, IRQ_STAGE_INBAND), "cpu %u: in-band log not empty after the replay", cpu);
	cpus[cpu].delay[which] = cpus[cpu].entry - restore;
	cpus[cpu].waited[which] = cpus[cpu].entry - (uint32_t)fire;
	gic_timer_stop(cpu);
}

int kernel_main(unsigned int cpu)
{
	if (cpu == 0)
		CHECK_EQ("request of the timer PPI (in-band)",
			 __request_percpu_irq(OOBSIM_TIMER_PPI, timer_handler, 0, "timer", NULL), 0);
	pfw_sync_cpus();
	enable_percpu_irq(OOBSIM_TIMER_PPI, 0);

	section(cpu, SHORT_SECTION, NO_OOB_SHORT);
	section(cpu, LONG_SECTION, NO_OOB_LONG);
	pfw_sync_cpus();
	if (cpu == 0)
		CHECK_EQ("enable_oob_stage()", enable_oob_stage("replay"), 0);
	pfw_sync_cpus();
	section(cpu, SHORT_SECTION, OOB_SHORT);
	section(cpu, LONG_SECTION, OOB_LONG);
	pfw_sync_cpus();
	if (cpu != 0)
		return 0;

	for (unsigned int c = 0; c < kernel_cpus(); c++) {
		for (int i = 0; i < NR_CASES; i++)
			printf("replay_on_restore: cpu %u, %s: IRQ waited %u cycles in the log, handler %u cycles "
			       "after local_irq_restore()\n", c, case_names[i], (unsigned int)cpus[c].waited[i],
			       (unsigned int)cpus[c].delay[i]);
		CHECK_EQ("handler calls not in-band / hard irqs off / in-band unstalled", cpus[c].bad_context, 0);
		CHECK_EQ("IRQ-exit work not in-band, unstalled, hard irqs off", cpus[c].exit_work_bad_context, 0);
		CHECK_EQ("restore -> handler, long vs short section (no oob stage)", cpus[c].delay[NO_OOB_LONG],
			 cpus[c].delay[NO_OOB_SHORT]);
		CHECK_EQ("restore -> handler, long vs short section (oob stage)", cpus[c].delay[OOB_LONG],
			 cpus[c].delay[OOB_SHORT]);
		CHECK_EQ("restore -> handler on this cpu vs cpu 0 (no oob stage)", cpus[c].delay[NO_OOB_SHORT],
			 cpus[0].delay[NO_OOB_SHORT]);
		CHECK_EQ("restore -> handler on this cpu vs cpu 0 (oob stage)", cpus[c].delay[OOB_SHORT],
			 cpus[0].delay[OOB_SHORT]);
		CHECK(cpus[c].delay[OOB_SHORT] < MAX_REPLAY_DELAY, "restore -> handler took %u cycles",
		      (unsigned int)cpus[c].delay[OOB_SHORT]);
		CHECK(cpus[c].waited[NO_OOB_LONG] >= LONG_SECTION - FIRE_DELAY, "IRQ waited only %u cycles",
		      (unsigned int)cpus[c].waited[NO_OOB_LONG]);
	}
	printf("replay_on_restore: PASS (%u cpus)\n", kernel_cpus());
	return 0;
}

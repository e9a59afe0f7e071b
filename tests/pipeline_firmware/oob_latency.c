/*
 * Out-of-band latency against in-band critical sections, the point of the interrupt pipeline.
 *
 * Every CPU arms its GIC timer (PPI 30, one-shot) FIRE_DELAY cycles into a busy in-band section and measures the
 * latency of the timer's handler: the cycle at its entry minus the cycle the timer fired (its compare value; the
 * timer fires at exactly that cycle, docs/platform.md). The handler is requested with IRQF_OOB on an oob stage.
 * The section runs three ways: not protected, and inside local_irq_save() for SHORT_SECTION and LONG_SECTION
 * cycles. The code from the start of the section to the interrupt is the same every time, so the interrupt
 * arrives at the same instruction.
 *
 * Built twice from this one source (tests/pipeline_firmware/CMakeLists.txt):
 *  - pipelined: local_irq_save() only stalls the in-band stage, the CPU still takes the interrupt and the oob
 *    handler runs at once. Expected: the same latency, to the cycle, with no section, a short and a long one, and
 *    on every CPU; the handler runs inside the section, on the oob stage with hard irqs off.
 *  - classic: local_irq_save() masks interrupts in the CPU, the handler runs when the section ends. Expected: the
 *    handler runs after the section, a constant number of cycles after its end (the same for both lengths, to the
 *    cycle), so the latency grows with the section: by the difference of the two lengths, within a few cycles
 *    (where the busy loop notices its end).
 * In both, the IRQ-exit work (kernel_irq_exit_work()) follows the timer's trap when it returns to in-band code that
 * is unstalled: after the unprotected section always; in a protected one never (pipelined: the trap returns to a
 * stalled in-band stage), or after it (classic: the trap comes after the section).
 * Measured with the default timing (docs/pipeline.md): pipelined 237 cycles in every case; classic 160 without a
 * section, 1766 and 19766 with the 2000- and 20000-cycle sections (155 cycles after the section's end).
 */
#include "pfwtest.h"

#define FIRE_DELAY	400u	/* cycles from the start of a section to the timer firing */
#define SHORT_SECTION	2000u
#define LONG_SECTION	20000u
#define LOOP_SLACK	16u	/* classic: how far the end of the busy loop may move (a few loop iterations) */
#define MAX_OOB_LATENCY	1000u	/* a generous bound for the unprotected case, either kernel */

enum { NONE, SHORT, LONG, SHORT_AGAIN, NR_CASES };
static const char *const case_names[NR_CASES] = { "no section", "short section", "long section", "short again" };

static volatile struct {
	uint32_t entry;		/* cycle at the handler's entry */
	uint32_t count;
	uint32_t on_oob;	/* handler calls that found the CPU on the oob stage */
	uint32_t hard_off;	/* ... with hard irqs off */
	uint32_t latency[NR_CASES];	/* handler entry - fire */
	uint32_t section_left[NR_CASES];	/* end of the section - fire */
	uint32_t exit_work[NR_CASES];		/* IRQ-exit work done for the section's interrupt */
} cpus[OOBSIM_MAX_HARTS];

static irqreturn_t timer_handler(int irq, void *dev_id)
{
	uint32_t now = cycles();
	unsigned int cpu = hartid();

	(void)irq;
	(void)dev_id;
	cpus[cpu].entry = now;
	cpus[cpu].count++;
	cpus[cpu].on_oob += running_oob();
	cpus[cpu].hard_off += hard_irqs_disabled();
	gic_timer_ack(cpu);
	return IRQ_HANDLED;
}

/*
 * The section itself, out of line so that it is the same code whether the caller protects it or not. Returns the
 * cycle the timer fires at.
 */
static __attribute__((noinline)) uint32_t timed_section(unsigned int cpu, uint32_t length)
{
	uint64_t start = csr_read64(mcycle);
	uint64_t fire = start + FIRE_DELAY;

	gic_timer_start(cpu, fire, 0);
	spin_until((uint32_t)start, length);
	return (uint32_t)fire;
}

static void measure(unsigned int cpu, int which, uint32_t length, bool protect)
{
	uint32_t before = cpus[cpu].count, exits = this_kernel_cpu()->irq_exits;
	unsigned long flags = 0;
	uint32_t fire, end;

	if (protect) {
		local_irq_save(flags);
		fire = timed_section(cpu, length);
		end = cycles();
		local_irq_restore(flags);
	} else {
		fire = timed_section(cpu, length);
		end = cycles();
	}
	WAIT_UNTIL(cpus[cpu].count != before, "the timer interrupt");
	CHECK_EQ("timer interrupts per section", cpus[cpu].count, before + 1);
	gic_timer_stop(cpu);
	cpus[cpu].latency[which] = cpus[cpu].entry - fire;
	cpus[cpu].section_left[which] = end - fire;
	cpus[cpu].exit_work[which] = this_kernel_cpu()->irq_exits - exits;
}

static void check_cpu(unsigned int cpu)
{
	const volatile uint32_t *lat = cpus[cpu].latency;

	printf("oob_latency (%s): cpu %u: %s %u, %u-cycle section %u, %u-cycle section %u, short again %u cycles\n",
	       KERNEL_MODE_NAME, cpu, case_names[NONE], (unsigned int)lat[NONE], SHORT_SECTION,
	       (unsigned int)lat[SHORT], LONG_SECTION, (unsigned int)lat[LONG], (unsigned int)lat[SHORT_AGAIN]);
	CHECK(lat[NONE] < MAX_OOB_LATENCY, "cpu %u: latency without a section %u", cpu, (unsigned int)lat[NONE]);
	CHECK_EQ("latency of the same short section twice", lat[SHORT_AGAIN], lat[SHORT]);
	CHECK_EQ("IRQ-exit work after the unprotected section's interrupt", cpus[cpu].exit_work[NONE], 1);
	for (int i = SHORT; i < NR_CASES; i++)
		CHECK_EQ("IRQ-exit work after a protected section's interrupt", cpus[cpu].exit_work[i], !KERNEL_PIPELINED);
#if KERNEL_PIPELINED
	CHECK_EQ("oob latency in a short local_irq_save() section vs none", lat[SHORT], lat[NONE]);
	CHECK_EQ("oob latency in a long local_irq_save() section vs none", lat[LONG], lat[NONE]);
	CHECK_EQ("oob latency on this cpu vs cpu 0", lat[NONE], cpus[0].latency[NONE]);
	for (int i = SHORT; i < NR_CASES; i++)
		CHECK(lat[i] < cpus[cpu].section_left[i], "cpu %u, %s: handler ran after the section", cpu,
		      case_names[i]);
	CHECK_EQ("handler calls on the oob stage", cpus[cpu].on_oob, cpus[cpu].count);
	CHECK_EQ("handler calls with hard irqs off", cpus[cpu].hard_off, cpus[cpu].count);
#else
	const volatile uint32_t *left = cpus[cpu].section_left;

	printf("oob_latency (%s): cpu %u: handler %u cycles after the end of the section\n", KERNEL_MODE_NAME, cpu,
	       (unsigned int)(lat[SHORT] - left[SHORT]));
	for (int i = SHORT; i < NR_CASES; i++)
		CHECK(lat[i] > left[i], "cpu %u, %s: handler ran %u cycles after the timer, inside the %u cycles "
		      "the section had left", cpu, case_names[i], (unsigned int)lat[i], (unsigned int)left[i]);
	CHECK_EQ("end of a long section -> handler vs a short one", lat[LONG] - left[LONG], lat[SHORT] - left[SHORT]);
	CHECK(lat[LONG] - lat[SHORT] + LOOP_SLACK >= LONG_SECTION - SHORT_SECTION &&
	      lat[LONG] - lat[SHORT] <= LONG_SECTION - SHORT_SECTION + LOOP_SLACK,
	      "cpu %u: latency grew by %u cycles from the short to the long section, expected %u", cpu,
	      (unsigned int)(lat[LONG] - lat[SHORT]), LONG_SECTION - SHORT_SECTION);
	CHECK_EQ("handler calls with hard irqs off", cpus[cpu].hard_off, cpus[cpu].count);
#endif
}

int kernel_main(unsigned int cpu)
{
	if (cpu == 0) {
		CHECK_EQ("enable_oob_stage()", enable_oob_stage("latency"), 0);
		CHECK_EQ("request of the timer PPI", __request_percpu_irq(OOBSIM_TIMER_PPI, timer_handler, IRQF_OOB,
									  "timer", NULL), 0);
	}
	pfw_sync_cpus();
	enable_percpu_irq(OOBSIM_TIMER_PPI, 0);

	measure(cpu, NONE, SHORT_SECTION, false);
	measure(cpu, SHORT, SHORT_SECTION, true);
	measure(cpu, LONG, LONG_SECTION, true);
	measure(cpu, SHORT_AGAIN, SHORT_SECTION, true);
	pfw_sync_cpus();

	if (cpu != 0)
		return 0;
	for (unsigned int c = 0; c < kernel_cpus(); c++)
		check_cpu(c);
	printf("oob_latency (%s): PASS (%u cpus)\n", KERNEL_MODE_NAME, kernel_cpus());
	return 0;
}

/*
 * A latmus-like responder on the companion core (kernel/oob.h): the wake-up latency of an oob thread, against
 * in-band critical sections.
 *
 * Every CPU has an oob thread "responder/N" (priority 50) blocked on an oob event. The CPU's GIC timer (PPI 30,
 * IRQF_OOB) is armed FIRE_DELAY cycles into a busy in-band section of the CPU's main thread; its handler signals the
 * event, which wakes the responder. Measured: the wake-up latency, from the cycle the timer fires (its compare
 * value) to the responder running (its first instruction after oob_event_wait() returns). The section runs
 * unprotected, inside local_irq_save() for SHORT_SECTION and LONG_SECTION cycles, and inside a kernel spinlock
 * (spin_lock_irqsave(), which stalls in-band the same way) for SHORT_SECTION cycles.
 *
 * Built twice (tests/pipeline_firmware/CMakeLists.txt):
 *  - pipelined: the timer's handler runs on the oob stage at once, marks RQ_SCHED, and irq_exit_pipeline()
 *    switches to the responder, whatever in-band is doing. Expected: the same latency, to the cycle, in every case
 *    and on every CPU; the responder runs inside the section, on the oob stage, hard irqs on, as an oob thread;
 *    one oob switch in and one out per wake-up, the wake-up deferred to the IRQ exit (RQ_IRQ).
 *  - classic: the responder is an in-band thread above all others, woken from the hard-irqs-off handler and
 *    switched in at the IRQ exit; local_irq_save() masks the timer. Expected: it runs after the section, a constant
 *    number of cycles after its end (the same for every protected case), so the latency grows with the section.
 */
#include "pfwtest.h"

#define FIRE_DELAY	400u
#define SHORT_SECTION	2000u
#define LONG_SECTION	20000u
#define LOOP_SLACK	16u
#define MAX_LATENCY	2000u	/* unprotected, either kernel: a generous bound */
#define RESPONDER_PRIO	50

enum { NONE, SHORT, LONG, SPINLOCK, SHORT_AGAIN, NR_CASES };
static const char *const case_names[NR_CASES] = { "no section", "short section", "long section", "spinlock",
						   "short again" };

static kspinlock_t section_lock = KSPINLOCK_INIT;

static struct responder {
	struct oob_event ev;
	struct kthread *thread;
	volatile uint32_t fire;		/* the timer's compare value, low word */
	volatile uint32_t woke;		/* cycle the responder ran */
	volatile uint32_t count;
	volatile uint32_t bad_context;
	volatile uint32_t latency[NR_CASES], section_left[NR_CASES];
} responders[OOBSIM_MAX_HARTS];

static irqreturn_t timer_handler(int irq, void *dev_id)
{
	unsigned int cpu = hartid();

	(void)irq;
	(void)dev_id;
	gic_timer_ack(cpu);
	oob_event_signal(&responders[cpu].ev);
	return IRQ_HANDLED;
}

static void responder_thread(void *arg)
{
	struct responder *r = arg;

	for (;;) {
		uint32_t now;

		oob_event_wait(&r->ev);
		now = cycles();
		r->woke = now;
#if KERNEL_PIPELINED
		if (!running_oob() || hard_irqs_disabled() || oob_current() != r->thread)
			r->bad_context++;
#else
		if (hard_irqs_disabled() || kthread_current() != r->thread || oob_current() != r->thread)
			r->bad_context++;
#endif
		r->count++;
	}
}

static __attribute__((noinline)) uint32_t timed_section(unsigned int cpu, uint32_t length)
{
	uint64_t start = csr_read64(mcycle);
	uint64_t fire = start + FIRE_DELAY;

	responders[cpu].fire = (uint32_t)fire;
	gic_timer_start(cpu, fire, 0);
	spin_until((uint32_t)start, length);
	return (uint32_t)fire;
}

static void measure(unsigned int cpu, int which)
{
	struct responder *r = &responders[cpu];
	uint32_t before = r->count, length = which == LONG ? LONG_SECTION : SHORT_SECTION, fire, end;
	unsigned long flags;

	switch (which) {
	case NONE:
		fire = timed_section(cpu, length);
		end = cycles();
		break;
	case SPINLOCK:
		flags = spin_lock_irqsave(&section_lock);
		fire = timed_section(cpu, length);
		end = cycles();
		spin_unlock_irqrestore(&section_lock, flags);
		break;
	default:
		local_irq_save(flags);
		fire = timed_section(cpu, length);
		end = cycles();
		local_irq_restore(flags);
		break;
	}
	WAIT_UNTIL(r->count != before, "the responder");
	CHECK_EQ("responder wake-ups per section", r->count, before + 1);
	gic_timer_stop(cpu);
	r->latency[which] = r->woke - fire;
	r->section_left[which] = end - fire;
}

static void check_cpu(unsigned int cpu)
{
	const struct responder *r = &responders[cpu];
	const volatile uint32_t *lat = r->latency, *left = r->section_left;
	struct oob_rq_stats st;

	printf("oob_responder (%s): cpu %u: wake-up latency: %s %u, %u-cycle section %u, %u-cycle section %u, "
	       "spinlock %u, short again %u cycles\n", KERNEL_MODE_NAME, cpu, case_names[NONE],
	       (unsigned int)lat[NONE], SHORT_SECTION, (unsigned int)lat[SHORT], LONG_SECTION,
	       (unsigned int)lat[LONG], (unsigned int)lat[SPINLOCK], (unsigned int)lat[SHORT_AGAIN]);
	CHECK(lat[NONE] < MAX_LATENCY, "cpu %u: latency without a section %u", cpu, (unsigned int)lat[NONE]);
	CHECK_EQ("responder runs in the wrong context", r->bad_context, 0);
	CHECK_EQ("latency of the same short section twice", lat[SHORT_AGAIN], lat[SHORT]);
#if KERNEL_PIPELINED
	oob_stats(cpu, &st);
	CHECK_EQ("latency in a short local_irq_save() section vs none", lat[SHORT], lat[NONE]);
	CHECK_EQ("latency in a long local_irq_save() section vs none", lat[LONG], lat[NONE]);
	CHECK_EQ("latency in a spinlock vs none", lat[SPINLOCK], lat[NONE]);
	CHECK_EQ("latency on this cpu vs cpu 0", lat[NONE], responders[0].latency[NONE]);
	for (int i = SHORT; i < NR_CASES; i++)
		CHECK(lat[i] < left[i], "cpu %u, %s: the responder ran after the section", cpu, case_names[i]);
	/* Per wake-up: root -> responder, responder -> root; plus the thread's start. */
	CHECK_EQ("oob switches", st.switches, 2 * (NR_CASES + 1));
	CHECK_EQ("wake-ups deferred to irq_exit_pipeline()", st.deferred, NR_CASES);
#else
	(void)st;
	printf("oob_responder (%s): cpu %u: the responder ran %u cycles after the end of the section\n",
	       KERNEL_MODE_NAME, cpu, (unsigned int)(lat[SHORT] - left[SHORT]));
	for (int i = SHORT; i < NR_CASES; i++)
		CHECK(lat[i] > left[i], "cpu %u, %s: ran %u cycles after the timer, within the %u the section had left",
		      cpu, case_names[i], (unsigned int)lat[i], (unsigned int)left[i]);
	CHECK_EQ("end of a long section -> responder vs a short one", lat[LONG] - left[LONG], lat[SHORT] - left[SHORT]);
	CHECK(lat[LONG] - lat[SHORT] + LOOP_SLACK >= LONG_SECTION - SHORT_SECTION &&
	      lat[LONG] - lat[SHORT] <= LONG_SECTION - SHORT_SECTION + LOOP_SLACK,
	      "cpu %u: latency grew by %u cycles from the short to the long section, expected %u", cpu,
	      (unsigned int)(lat[LONG] - lat[SHORT]), LONG_SECTION - SHORT_SECTION);
#endif
}

static const char *const names[OOBSIM_MAX_HARTS] = { "responder/0", "responder/1", "responder/2", "responder/3",
						      "responder/4", "responder/5", "responder/6", "responder/7" };

int kernel_main(unsigned int cpu)
{
	struct responder *r = &responders[cpu];

	if (cpu == 0) {
		CHECK_EQ("enable_oob_stage()", enable_oob_stage("responder"), 0);
		CHECK_EQ("request of the timer PPI", __request_percpu_irq(OOBSIM_TIMER_PPI, timer_handler, IRQF_OOB,
									  "timer", NULL), 0);
	}
	pfw_sync_cpus();
	oob_event_init(&r->ev);
	r->thread = oob_thread_create(cpu, names[cpu], RESPONDER_PRIO, responder_thread, r);
	CHECK(r->thread, "cpu %u: oob_thread_create()", cpu);
	enable_percpu_irq(OOBSIM_TIMER_PPI, 0);

	for (int which = NONE; which < NR_CASES; which++)
		measure(cpu, which);
	pfw_sync_cpus();

	if (cpu != 0)
		return 0;
	for (unsigned int c = 0; c < kernel_cpus(); c++)
		check_cpu(c);
	pfw_check_no_debug_reports();
	printf("oob_responder (%s): PASS (%u cpus)\n", KERNEL_MODE_NAME, kernel_cpus());
	return 0;
}

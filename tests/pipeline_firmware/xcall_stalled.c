/*
 * A high-priority cross call to a CPU stalled in a long local_irq_save() section completes only after it unstalls
 * (pipeline-semantics.md sections 7 and 9): the xcall IPI is an in-band IPI message, logged while the target is
 * stalled; its handler (which raises the soft interrupt) runs when local_irq_restore() replays the log, and the
 * soft interrupt right after, at that preemption point.
 *
 * CPU 0 calls CPU 1 three ways: CPU 1 unstalled (spinning in its main thread), and stalled in a SHORT and a LONG
 * section entered before the call. Measured: the latency from the issue to the function's start on CPU 1.
 * Expected: unstalled, within a bound; stalled, the IPI is logged on CPU 1 and the function has not run when the
 * section ends; it starts a constant number of cycles after local_irq_restore() (the same for both lengths, to the
 * cycle), so the latency grows with the section, by the difference of the two lengths (within the few cycles the
 * busy loop needs to see its end).
 */
#include "pfwtest.h"

#define SHORT_SECTION	5000u
#define LONG_SECTION	25000u
#define ISSUE_AFTER	500u	/* cycles into the section when CPU 0 issues (it waits for the section to begin) */
#define LOOP_SLACK	16u
#define MAX_UNSTALLED	3000u	/* issue -> start on an unstalled CPU: generous (measured: ~1300) */

enum { UNSTALLED, SHORT, LONG, NR_CASES };
static const char *const case_names[NR_CASES] = { "unstalled", "short section", "long section" };

static volatile uint32_t round_no, in_section, round_done;
static volatile uint32_t issued_at, started_at, runs, logged_in_section, ran_in_section;
static volatile uint32_t restore_at[NR_CASES], start_at[NR_CASES], issue_at[NR_CASES];

static void fn(void *arg1, void *arg2)
{
	(void)arg1;
	(void)arg2;
	started_at = cycles();
	runs++;
}

/* CPU 1: the target. */
static void target(void)
{
	for (unsigned int c = 0; c < NR_CASES; c++) {
		uint32_t length = c == SHORT ? SHORT_SECTION : LONG_SECTION;
		unsigned long flags;
		uint32_t start;

		WAIT_UNTIL(round_no == c + 1, "the next round");
		if (c == UNSTALLED) {
			in_section = 1;
			WAIT_UNTIL(runs == c + 1, "the unstalled call");
		} else {
			local_irq_save(flags);
			start = cycles();
			in_section = 1;
			WAIT_UNTIL(pipeline_irq_logged(1, IRQ_STAGE_INBAND, INBAND_IPI_IRQ(XC_IPI_MSG)),
				   "the xcall IPI in the in-band log");
			logged_in_section++;
			spin_until(start, length);
			ran_in_section += runs != c;
			restore_at[c] = cycles();
			local_irq_restore(flags);
		}
		WAIT_UNTIL(runs == c + 1, "the call after the section");
		start_at[c] = started_at;
		in_section = 0;
		round_done = c + 1;
	}
}

int kernel_main(unsigned int cpu)
{
	uint32_t lat[NR_CASES], after[NR_CASES];

	CHECK(kernel_cpus() >= 2, "needs 2 cpus");
	if (cpu == 1)
		target();
	if (cpu != 0) {
		WAIT_UNTIL(round_done == NR_CASES, "the end of the test");
		return 0;
	}
	for (unsigned int c = 0; c < NR_CASES; c++) {
		uint64_t t;

		round_no = c + 1;
		WAIT_UNTIL(in_section, "cpu 1 in its section");
		delay_cycles(ISSUE_AFTER);
		issue_at[c] = cycles();
		t = xc_unicast(XC_HIGHPRI, fn, NULL, NULL, 1);
		xc_wait(t);
		WAIT_UNTIL(round_done == c + 1, "cpu 1's round");
	}
	for (unsigned int c = 0; c < NR_CASES; c++) {
		lat[c] = start_at[c] - issue_at[c];
		after[c] = start_at[c] - restore_at[c];
		if (c == UNSTALLED)
			printf("xcall_stalled: %s: issue -> function %u cycles\n", case_names[c], (unsigned int)lat[c]);
		else
			printf("xcall_stalled: %u-cycle %s: issue -> function %u cycles, %u after local_irq_restore()\n",
			       c == SHORT ? SHORT_SECTION : LONG_SECTION, case_names[c], (unsigned int)lat[c],
			       (unsigned int)after[c]);
	}
	CHECK_EQ("calls run", runs, NR_CASES);
	CHECK_EQ("the xcall IPI was logged in each section", logged_in_section, 2);
	CHECK_EQ("calls run inside a stalled section", ran_in_section, 0);
	CHECK(lat[UNSTALLED] < MAX_UNSTALLED, "unstalled: %u cycles", (unsigned int)lat[UNSTALLED]);
	for (unsigned int c = SHORT; c < NR_CASES; c++)
		CHECK(start_at[c] - issue_at[c] > restore_at[c] - issue_at[c], "%s: ran before the restore",
		      case_names[c]);
	CHECK_EQ("restore -> function, long vs short section", after[LONG], after[SHORT]);
	CHECK(lat[SHORT] > lat[UNSTALLED] + SHORT_SECTION - ISSUE_AFTER - MAX_UNSTALLED, "short section: latency %u",
	      (unsigned int)lat[SHORT]);
	CHECK(lat[LONG] - lat[SHORT] + LOOP_SLACK >= LONG_SECTION - SHORT_SECTION &&
	      lat[LONG] - lat[SHORT] <= LONG_SECTION - SHORT_SECTION + LOOP_SLACK,
	      "latency grew by %u cycles from the short to the long section, expected %u",
	      (unsigned int)(lat[LONG] - lat[SHORT]), LONG_SECTION - SHORT_SECTION);
	pfw_check_no_debug_reports();
	printf("xcall_stalled: PASS (%u cpus)\n", kernel_cpus());
	return 0;
}

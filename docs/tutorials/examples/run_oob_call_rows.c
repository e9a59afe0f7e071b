/*
 * run_oob_call(), row by row (docs/tutorials/run-oob-call-rows.md): each row of the epilogue matrix of
 * pipeline-semantics.md section 4, on CPU 0, with one IRQ waiting in each log when fn returns.
 *
 * fn runs on the oob stage, oob stalled, hard irqs off, and injects two IRQs: SPI 40 (IRQF_OOB), which goes to the
 * oob log because oob is stalled, and SPI 35 (in-band), which goes to the in-band log. Neither can run inside fn.
 * What the epilogue then plays depends on the stage before the call and the stage fn returns on (fn may switch
 * in-band with switch_inband()):
 *
 *   case  row  stage on entry  stage after fn  epilogue
 *   1     1    oob             oob             replay the oob log, only if oob was unstalled on entry (s = 0)
 *   2     1    oob, stalled    oob             nothing: s = 1
 *   3     2    in-band         oob             switch to in-band, then the oob log, then the in-band log
 *   4     3    oob             in-band         the oob log, then the in-band log
 *   5     4    in-band         in-band         the oob log, then the in-band log
 *
 * Cases 1, 2 and 4 start on the oob stage by switching there by hand (hard irqs off, switch_oob()), as code of the
 * companion core would be. Each case prints the handlers that ran inside run_oob_call() (in order, with their stage
 * and hard irq state), where the CPU is afterwards, and what was left in the logs, which the case then drains back
 * in-band. A trace HINT (id 200: run with `--trace-hint 200=case`) marks the start of each case in the traces.
 */
#include "kernel/kernel.h"
#include "oobsim/oobsim.h"
#include "oobsim/trace.h"

#define OOB_IRQ		40u
#define INBAND_IRQ	35u
#define CASE_HINT	200

struct handlers_ran {
	unsigned int irq[4];
	bool oob[4], hard_off[4];
	unsigned int n;
};

static struct handlers_ran ran;

static irqreturn_t record(int irq, void *dev_id)
{
	(void)dev_id;
	if (ran.n < 4) {
		ran.irq[ran.n] = (unsigned int)irq;
		ran.oob[ran.n] = running_oob();
		ran.hard_off[ran.n] = hard_irqs_disabled();
	}
	ran.n++;
	return IRQ_HANDLED;
}

static int post_both(void *switch_inband_after)
{
	irq_inject_pipeline(OOB_IRQ);
	irq_inject_pipeline(INBAND_IRQ);
	if (switch_inband_after)
		switch_inband();
	return 0;
}

static void print_ran(const char *when, const struct handlers_ran *r)
{
	printf("  %s:", when);
	if (!r->n)
		printf(" nothing");
	for (unsigned int i = 0; i < r->n && i < 4; i++)
		printf(" %u (%s, hard irqs %s)", r->irq[i], r->oob[i] ? "oob" : "in-band", r->hard_off[i] ? "off" : "on");
	printf("\n");
}

/*
 * Case `number`: `from_oob` starts on the oob stage (stalled if `oob_stalled`), fn switches in-band if
 * `fn_switches`. Everything is recorded first and printed at the end, so that the trace of the call and of the
 * drain that follows it is not stretched by the console output.
 */
static void one_case(unsigned int number, const char *title, bool from_oob, bool oob_stalled, bool fn_switches)
{
	struct handlers_ran inside, after;
	bool on_oob, oob_still_stalled, hard_off, oob_logged, inband_logged;
	uint32_t start, end;

	OOBSIM_TRACE(CASE_HINT, number);
	ran.n = 0;
	if (from_oob) {
		hard_local_irq_disable();
		switch_oob();
		if (oob_stalled)
			oob_irq_disable();
	}
	start = csr_read(mcycle);
	run_oob_call(post_both, fn_switches ? (void *)1 : NULL);
	end = csr_read(mcycle);
	inside = ran;
	ran.n = 0;
	on_oob = running_oob();
	oob_still_stalled = pipeline_stage_stalled(0, IRQ_STAGE_OOB);
	hard_off = hard_irqs_disabled();
	oob_logged = pipeline_irq_logged(0, IRQ_STAGE_OOB, OOB_IRQ);
	inband_logged = pipeline_irq_logged(0, IRQ_STAGE_INBAND, INBAND_IRQ);

	/* Back to where kernel_main() runs: in-band, hard irqs on, every log drained. */
	if (running_oob()) {
		if (oob_stalled)
			oob_irq_enable();	/* on oob: plays the oob log */
		hard_local_irq_disable();
		switch_inband();
	}
	hard_local_irq_enable();
	sync_inband_irqs();
	after = ran;

	printf("case %u: %s\n", number, title);
	print_ran("inside run_oob_call()", &inside);
	printf("  after: %s stage, oob %s, hard irqs %s; left in the oob log: %s, in the in-band log: %s\n",
	       on_oob ? "oob" : "in-band", oob_still_stalled ? "stalled" : "unstalled", hard_off ? "off" : "on",
	       oob_logged ? "40" : "-", inband_logged ? "35" : "-");
	printf("  run_oob_call() took %u cycles\n", (unsigned int)(end - start));
	print_ran("then, back in-band", &after);
}

int kernel_main(unsigned int cpu)
{
	if (cpu != 0)
		return 0;
	enable_oob_stage("rows");
	request_irq(OOB_IRQ, record, IRQF_OOB, "oob-irq", NULL);
	request_irq(INBAND_IRQ, record, 0, "inband-irq", NULL);

	one_case(1, "row 1, oob -> oob", true, false, false);
	one_case(2, "row 1 again, oob -> oob with oob stalled on entry (s = 1)", true, true, false);
	one_case(3, "row 2, in-band -> oob", false, false, false);
	one_case(4, "row 3, oob -> in-band (fn switches in-band)", true, false, true);
	one_case(5, "row 4, in-band -> in-band (fn switches in-band)", false, false, true);
	return 0;
}

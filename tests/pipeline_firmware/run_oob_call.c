/*
 * run_oob_call() from in-band with IRQs pending in both logs replays the oob log before the in-band one
 * (pipeline-semantics.md section 4, row "in-band -> oob": switch to in-band, sync the oob log, then the in-band log).
 *
 * On every CPU, fn runs on the oob stage (oob stalled, hard irqs off) and injects four IRQs: two oob ones
 * (IRQF_OOB, SPIs 40 and 41), which go to the oob log because oob is stalled, and two in-band ones (SPIs 35 and 36,
 * lower numbers), which go to the in-band log. Nothing runs inside fn. Expected order after it:
 * 40, 41 (on oob, hard irqs off), then 35, 36 (in-band, hard irqs on) — oob first although the in-band IRQs have the
 * lower numbers, each log lowest first. fn's return value comes back.
 * Then the same with in-band stalled around the call: the oob IRQs run at its end, the in-band ones only at
 * local_irq_restore() (run_oob_call() never touches the in-band stall bit).
 */
#include "pfwtest.h"

#define OOB_LOW		40u
#define OOB_HIGH	41u
#define INBAND_LOW	35u
#define INBAND_HIGH	36u
#define MAGIC		42

#define REC_OOB		0x100u	/* ran on the oob stage */
#define REC_HARD_OFF	0x200u	/* with hard irqs off */

static volatile struct {
	uint32_t seq[8];
	uint32_t n;
	uint32_t fn_ok;
} cpus[OOBSIM_MAX_HARTS];

static irqreturn_t record(int irq, void *dev_id)
{
	unsigned int cpu = hartid();
	uint32_t n = cpus[cpu].n;

	(void)dev_id;
	if (n < 8)
		cpus[cpu].seq[n] = (uint32_t)irq | (running_oob() ? REC_OOB : 0) |
				   (hard_irqs_disabled() ? REC_HARD_OFF : 0);
	cpus[cpu].n = n + 1;
	return IRQ_HANDLED;
}

static int post_both_logs(void *arg)
{
	unsigned int cpu = hartid();
	bool ok = running_oob() && oob_irqs_disabled() && hard_irqs_disabled();

	(void)arg;
	CHECK_EQ("inject oob", irq_inject_pipeline(OOB_HIGH), 0);
	CHECK_EQ("inject in-band", irq_inject_pipeline(INBAND_HIGH), 0);
	CHECK_EQ("inject oob", irq_inject_pipeline(OOB_LOW), 0);
	CHECK_EQ("inject in-band", irq_inject_pipeline(INBAND_LOW), 0);
	ok = ok && pipeline_irq_logged(cpu, IRQ_STAGE_OOB, OOB_LOW) &&
	     pipeline_irq_logged(cpu, IRQ_STAGE_OOB, OOB_HIGH) && pipeline_irq_logged(cpu, IRQ_STAGE_INBAND, INBAND_LOW) &&
	     pipeline_irq_logged(cpu, IRQ_STAGE_INBAND, INBAND_HIGH) && cpus[cpu].n == 0;
	cpus[cpu].fn_ok = ok;
	return MAGIC;
}

static void check_seq(unsigned int cpu, const uint32_t *want, uint32_t n, const char *what)
{
	CHECK(cpus[cpu].n == n, "cpu %u, %s: %u handler calls, expected %u", cpu, what, (unsigned int)cpus[cpu].n,
	      (unsigned int)n);
	for (uint32_t i = 0; i < n; i++)
		CHECK(cpus[cpu].seq[i] == want[i], "cpu %u, %s: call %u was irq %u (%s, hard irqs %s), expected irq %u "
		      "(%s, hard irqs %s)", cpu, what, (unsigned int)i, (unsigned int)(cpus[cpu].seq[i] & 0xff),
		      cpus[cpu].seq[i] & REC_OOB ? "oob" : "in-band", cpus[cpu].seq[i] & REC_HARD_OFF ? "off" : "on",
		      (unsigned int)(want[i] & 0xff), want[i] & REC_OOB ? "oob" : "in-band",
		      want[i] & REC_HARD_OFF ? "off" : "on");
}

int kernel_main(unsigned int cpu)
{
	static const uint32_t order[4] = {
		OOB_LOW | REC_OOB | REC_HARD_OFF, OOB_HIGH | REC_OOB | REC_HARD_OFF, INBAND_LOW, INBAND_HIGH,
	};
	unsigned long flags;

	if (cpu == 0) {
		CHECK_EQ("enable_oob_stage()", enable_oob_stage("run_oob_call"), 0);
		CHECK_EQ("request oob", request_irq(OOB_LOW, record, IRQF_OOB, "oob-low", NULL), 0);
		CHECK_EQ("request oob", request_irq(OOB_HIGH, record, IRQF_OOB, "oob-high", NULL), 0);
		CHECK_EQ("request in-band", request_irq(INBAND_LOW, record, 0, "inband-low", NULL), 0);
		CHECK_EQ("request in-band", request_irq(INBAND_HIGH, record, 0, "inband-high", NULL), 0);
	}
	pfw_sync_cpus();

	/* In-band, unstalled: both logs are played at the end of run_oob_call(), oob first. */
	CHECK_EQ("run_oob_call() return value", run_oob_call(post_both_logs, NULL), MAGIC);
	CHECK(cpus[cpu].fn_ok, "cpu %u: fn did not run on oob with oob stalled and hard irqs off, or found the IRQs "
	      "outside the logs (or already run)", cpu);
	check_seq(cpu, order, 4, "unstalled");
	CHECK(running_inband() && !hard_irqs_disabled() && !irqs_disabled(), "cpu %u: state after run_oob_call()",
	      cpu);

	/* In-band stalled: the in-band log waits for local_irq_restore(). */
	cpus[cpu].n = 0;
	local_irq_save(flags);
	CHECK_EQ("run_oob_call() return value", run_oob_call(post_both_logs, NULL), MAGIC);
	CHECK(cpus[cpu].fn_ok, "cpu %u: fn state (stalled case)", cpu);
	check_seq(cpu, order, 2, "in-band stalled, before local_irq_restore()");
	CHECK(irqs_disabled(), "cpu %u: run_oob_call() unstalled in-band", cpu);
	CHECK(pipeline_irq_logged(cpu, IRQ_STAGE_INBAND, INBAND_LOW) &&
	      pipeline_irq_logged(cpu, IRQ_STAGE_INBAND, INBAND_HIGH), "cpu %u: in-band IRQs not in the log", cpu);
	local_irq_restore(flags);
	check_seq(cpu, order, 4, "in-band stalled, after local_irq_restore()");

	pfw_sync_cpus();
	if (cpu == 0)
		printf("run_oob_call: PASS (%u cpus): oob 40, 41 then in-band 35, 36; in-band held while stalled\n",
		       kernel_cpus());
	return 0;
}

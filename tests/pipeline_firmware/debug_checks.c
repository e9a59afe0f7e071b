/*
 * Bad use of the pipeline in firmware is reported by the debug checks (PIPELINE_DEBUG) with CPU, stage and pc, and
 * the run goes on (pipeline-semantics.md section 8). One mistake per CPU, one CPU after the other:
 *  - cpu 1: an oob timer handler calls the in-band-only local_irq_save()/local_irq_restore() (reported: in-band
 *    routine from oob, and, for the restore, unstalling in-band with hard irqs off);
 *  - cpu 2: local_irq_restore() without its local_irq_save() (unbalanced);
 *  - cpu 3: irq_post_inband() of an IRQ number out of range.
 * Each report names the CPU, the stage and the pc of the faulty call, which must lie in the function that made it
 * (checked here from the recorded reports; the console lines are checked by the CTest regex). Each CPU then shows
 * that it still works: cpu 1 takes its oob timer again, cpu 2 replays an in-band IRQ at local_irq_restore(), cpu 3
 * posts and replays a valid IRQ.
 */
#include "pfwtest.h"

#define FIRE_DELAY	400u
#define SECTION		3000u
#define INBAND_IRQ	37u	/* an SPI with an in-band handler, for cpus 2 and 3 */
#define FN_SPAN		256u	/* a report's pc must be within this many bytes after the function's start */

static volatile uint32_t timer_count[OOBSIM_MAX_HARTS], inband_count[OOBSIM_MAX_HARTS];
static volatile bool misbehave;

static __attribute__((noinline)) irqreturn_t bad_oob_timer(int irq, void *dev_id)
{
	unsigned int cpu = hartid();

	(void)irq;
	(void)dev_id;
	if (misbehave) {
		unsigned long flags;

		local_irq_save(flags);	/* wrong: in-band only */
		local_irq_restore(flags);
	}
	timer_count[cpu]++;
	gic_timer_ack(cpu);
	return IRQ_HANDLED;
}

static irqreturn_t inband_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	inband_count[hartid()]++;
	return IRQ_HANDLED;
}

static void timer_round(unsigned int cpu)
{
	uint32_t before = timer_count[cpu];
	uint64_t start = csr_read64(mcycle);

	gic_timer_start(cpu, start + FIRE_DELAY, 0);
	spin_until((uint32_t)start, SECTION);
	CHECK_EQ("oob timer handler calls", timer_count[cpu], before + 1);
	gic_timer_stop(cpu);
}

/* The barriers keep the calls from becoming tail calls, whose return address would be in the caller's caller. */
static __attribute__((noinline)) void unbalanced_restore(void)
{
	local_irq_restore(0);	/* wrong: no local_irq_save() before */
	barrier();
}

static __attribute__((noinline)) void post_out_of_range(void)
{
	unsigned long flags = hard_local_irq_save();

	irq_post_inband(PIPELINE_NR_IRQS);	/* wrong: no such IRQ */
	hard_local_irq_restore(flags);
	barrier();
}

/* The target of the call instruction just before return address `ra` (a JAL to ra; the firmware is small enough
 * for the linker to relax every call to one), or 0 if it is not one. */
static uintptr_t call_target(uintptr_t ra)
{
	uint32_t insn = *(const volatile uint32_t *)(ra - 4);
	uint32_t imm;

	if ((insn & 0xfffu) != 0x0efu)	/* opcode JAL, rd = ra */
		return 0;
	imm = ((insn >> 31) & 1u) << 20 | ((insn >> 21) & 0x3ffu) << 1 | ((insn >> 20) & 1u) << 11 |
	      ((insn >> 12) & 0xffu) << 12;
	if (imm & (1u << 20))
		imm |= 0xffe00000u;
	return ra - 4 + imm;
}

/* The last report of `kind` is from `cpu`, on `stage`, about `irq`, with as pc the return address of the call to
 * `api` in `fn`. */
static void check_report(int kind, unsigned int cpu, int stage, int irq, void *fn, void *api, const char *what)
{
	const struct kernel_report *r = kernel_last_report(kind);
	uintptr_t start = (uintptr_t)fn;

	CHECK(r != NULL, "%s: not reported", what);
	CHECK_EQ(what, r->count, 1);
	CHECK(r->cpu == cpu && r->stage == stage && r->irq == irq, "%s: reported for cpu %u, stage %d, irq %d; "
	      "expected cpu %u, stage %d, irq %d", what, r->cpu, r->stage, r->irq, cpu, stage, irq);
	CHECK(r->pc > start && r->pc < start + FN_SPAN, "%s: pc 0x%08x is not in the faulty function at 0x%08x",
	      what, (unsigned int)r->pc, (unsigned int)start);
	CHECK(call_target(r->pc) == (uintptr_t)api, "%s: pc 0x%08x does not follow a call to 0x%08x", what,
	      (unsigned int)r->pc, (unsigned int)(uintptr_t)api);
}

int kernel_main(unsigned int cpu)
{
	unsigned long flags;

	if (cpu == 0) {
		CHECK(kernel_cpus() >= 4, "needs 4 cpus, has %u", kernel_cpus());
		CHECK_EQ("enable_oob_stage()", enable_oob_stage("debug"), 0);
		CHECK_EQ("request of the timer PPI", __request_percpu_irq(OOBSIM_TIMER_PPI, bad_oob_timer, IRQF_OOB,
									  "timer", NULL), 0);
		CHECK_EQ("request in-band", request_irq(INBAND_IRQ, inband_handler, 0, "inband", NULL), 0);
	}
	pfw_sync_cpus();
	enable_percpu_irq(OOBSIM_TIMER_PPI, 0);

	/* cpu 1: in-band routines from an oob handler; then the timer again, behaving. */
	if (cpu == 1) {
		misbehave = true;
		timer_round(cpu);
		misbehave = false;
		timer_round(cpu);
		CHECK(running_inband() && !irqs_disabled(), "cpu 1: in-band state after the oob handler's mistake");
	}
	pfw_sync_cpus();

	/* cpu 2: unbalanced restore; then a stalled section still defers and replays an in-band IRQ. */
	if (cpu == 2) {
		unbalanced_restore();
		CHECK(!irqs_disabled(), "cpu 2: stalled after the unbalanced restore");
		local_irq_save(flags);
		CHECK_EQ("inject", irq_inject_pipeline(INBAND_IRQ), 0);
		CHECK_EQ("in-band handler calls while stalled", inband_count[cpu], 0);
		local_irq_restore(flags);
		CHECK_EQ("in-band handler calls after the restore", inband_count[cpu], 1);
	}
	pfw_sync_cpus();

	/* cpu 3: IRQ out of range; then a valid IRQ posted and replayed. */
	if (cpu == 3) {
		post_out_of_range();
		local_irq_save(flags);
		flags = hard_local_irq_save();
		irq_post_inband(INBAND_IRQ);
		hard_local_irq_restore(flags);
		CHECK_EQ("in-band handler calls while stalled", inband_count[cpu], 0);
		local_irq_restore(0);
		CHECK_EQ("in-band handler calls after the restore", inband_count[cpu], 1);
	}
	pfw_sync_cpus();
	if (cpu != 0)
		return 0;

	check_report(PIPELINE_DEBUG_INBAND_FROM_OOB, 1, IRQ_STAGE_OOB, -1, (void *)bad_oob_timer,
		     (void *)inband_irq_save, "in-band routine from oob");
	check_report(PIPELINE_DEBUG_ENABLE_HARD_OFF, 1, IRQ_STAGE_OOB, -1, (void *)bad_oob_timer,
		     (void *)inband_irq_restore, "local_irq_restore() with hard irqs off");
	check_report(PIPELINE_DEBUG_BOGUS_RESTORE, 2, IRQ_STAGE_INBAND, -1, (void *)unbalanced_restore,
		     (void *)inband_irq_restore, "unbalanced local_irq_restore()");
	check_report(PIPELINE_DEBUG_IRQ_RANGE, 3, IRQ_STAGE_INBAND, PIPELINE_NR_IRQS, (void *)post_out_of_range,
		     (void *)irq_post_inband, "IRQ out of range");
	CHECK_EQ("in-band-from-oob count (save and restore)", pipeline_debug_count(PIPELINE_DEBUG_INBAND_FROM_OOB), 2);
	CHECK_EQ("other debug checks", pipeline_debug_count(PIPELINE_DEBUG_HARD_IRQS_ON) +
		 pipeline_debug_count(PIPELINE_DEBUG_STAGE_MIGRATION) +
		 pipeline_debug_count(PIPELINE_DEBUG_OOB_STALLED_ON_ENTRY) +
		 pipeline_debug_count(PIPELINE_DEBUG_OOB_HARD_ENABLED), 0);
	printf("debug_checks: PASS: 4 reports with cpu, stage and pc, and every cpu went on\n");
	return 0;
}

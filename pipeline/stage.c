/*
 * Per-CPU stage data: stall bits, IRQ logs, the current stage; and the reports.
 */
#include "internal.h"

struct pipeline_cpu pipeline_cpus[PIPELINE_MAX_CPUS];

/* ---- IRQ logs ---------------------------------------------------------------------------------------------------- */

/*
 * A log is a set, not a queue: posting a pending IRQ again changes nothing, so it is played once. The summary word
 * lets a replay find the lowest pending IRQ with two ctz instead of scanning every leaf.
 */
void log_set(struct irq_log *log, unsigned int irq)
{
	unsigned int l = irq / 32;

	log->leaf[l] |= UINT32_C(1) << (irq % 32);
	log->summary[l / 32] |= UINT32_C(1) << (l % 32);
}

int log_first(const struct irq_log *log)
{
	for (unsigned int s = 0; s < LOG_SUMMARY_WORDS; s++) {
		if (log->summary[s]) {
			unsigned int l = s * 32 + ctz32(log->summary[s]);

			return (int)(l * 32 + ctz32(log->leaf[l]));
		}
	}
	return -1;
}

/* Take the lowest pending IRQ out of the log; -1 if empty. */
int log_pull(struct irq_log *log)
{
	int irq = log_first(log);
	unsigned int l;

	if (irq < 0)
		return -1;
	l = (unsigned int)irq / 32;
	log->leaf[l] &= ~(UINT32_C(1) << (irq % 32));
	if (!log->leaf[l])
		log->summary[l / 32] &= ~(UINT32_C(1) << (l % 32));
	return irq;
}

bool log_test(const struct irq_log *log, unsigned int irq)
{
	return (log->leaf[irq / 32] >> (irq % 32)) & 1;
}

void log_clear(struct irq_log *log)
{
	for (unsigned int i = 0; i < LOG_SUMMARY_WORDS; i++)
		log->summary[i] = 0;
	for (unsigned int i = 0; i < LOG_LEAF_WORDS; i++)
		log->leaf[i] = 0;
}

/* ---- Current stage ----------------------------------------------------------------------------------------------- */

bool in_hardirq(void)
{
	return this_pipeline_cpu()->hardirq_depth != 0;
}

enum irq_stage current_irq_stage(void)
{
	return this_pipeline_cpu()->current;
}

bool running_inband(void)
{
	return this_pipeline_cpu()->current == IRQ_STAGE_INBAND;
}

bool running_oob(void)
{
	return this_pipeline_cpu()->current == IRQ_STAGE_OOB;
}

void switch_oob(void)
{
	(void)check_hard_irqs_off(arch_return_address(), "switch_oob()");
	switch_stage(this_pipeline_cpu(), IRQ_STAGE_OOB);
}

void switch_inband(void)
{
	(void)check_hard_irqs_off(arch_return_address(), "switch_inband()");
	switch_stage(this_pipeline_cpu(), IRQ_STAGE_INBAND);
}

/* ---- Introspection ----------------------------------------------------------------------------------------------- */

static const struct irq_stage_data *stage_data(unsigned int cpu, enum irq_stage stage)
{
	if (cpu >= PIPELINE_MAX_CPUS || (stage != IRQ_STAGE_INBAND && stage != IRQ_STAGE_OOB))
		return NULL;
	return &pipeline_cpus[cpu].stages[stage];
}

bool pipeline_stage_stalled(unsigned int cpu, enum irq_stage stage)
{
	const struct irq_stage_data *sd = stage_data(cpu, stage);

	return sd && sd->stalled;
}

bool pipeline_irq_logged(unsigned int cpu, enum irq_stage stage, unsigned int irq)
{
	const struct irq_stage_data *sd = stage_data(cpu, stage);

	return sd && irq < PIPELINE_NR_IRQS && log_test(&sd->log, irq);
}

bool pipeline_log_pending(unsigned int cpu, enum irq_stage stage)
{
	const struct irq_stage_data *sd = stage_data(cpu, stage);

	return sd && log_pending(&sd->log);
}

int pipeline_log_first(unsigned int cpu, enum irq_stage stage)
{
	const struct irq_stage_data *sd = stage_data(cpu, stage);

	return sd ? log_first(&sd->log) : -1;
}

enum irq_stage pipeline_cpu_stage(unsigned int cpu)
{
	return cpu < PIPELINE_MAX_CPUS ? pipeline_cpus[cpu].current : IRQ_STAGE_INBAND;
}

/* ---- Reports ----------------------------------------------------------------------------------------------------- */

/*
 * A debug check fires where the state is already wrong and the same mistake tends to repeat on every interrupt:
 * report the first of each kind (with its context) and count the rest, so the run goes on readable.
 */
static atomic_uint debug_reported;
static atomic_uint debug_counts[PIPELINE_NR_DEBUG_CHECKS];

void pipeline_cpus_reset(void)
{
	for (unsigned int cpu = 0; cpu < PIPELINE_MAX_CPUS; cpu++) {
		struct pipeline_cpu *pc = &pipeline_cpus[cpu];

		for (unsigned int st = 0; st < 2; st++) {
			pc->stages[st].stalled = 0;
			log_clear(&pc->stages[st].log);
		}
		pc->current = IRQ_STAGE_INBAND;
		pc->in_pipeline = 0;
		pc->hardirq_depth = 0;
	}
}

void pipeline_reports_init(void)
{
	atomic_store(&debug_reported, 0);
	for (unsigned int i = 0; i < PIPELINE_NR_DEBUG_CHECKS; i++)
		atomic_store(&debug_counts[i], 0);
}

void pipeline_report(enum pipeline_report_kind kind, int irq, uintptr_t pc, const char *msg)
{
	unsigned int cpu = arch_cpu_id();

	arch_report((int)kind, cpu, irq, (int)pipeline_cpus[cpu].current, pc, msg);
}

void pipeline_debug_fail(enum pipeline_report_kind kind, int irq, uintptr_t pc, const char *msg)
{
	unsigned int bit = UINT32_C(1) << kind;

	atomic_fetch_add_explicit(&debug_counts[kind], 1, memory_order_relaxed);
	if (!(atomic_fetch_or_explicit(&debug_reported, bit, memory_order_relaxed) & bit))
		pipeline_report(kind, irq, pc, msg);
}

unsigned int pipeline_debug_count(enum pipeline_report_kind kind)
{
	if ((unsigned int)kind >= PIPELINE_NR_DEBUG_CHECKS)
		return 0;
	return atomic_load_explicit(&debug_counts[kind], memory_order_relaxed);
}

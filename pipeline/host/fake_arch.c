/*
 * The host fake of the pipeline's arch interface (see fake_arch.h). Hosted C: it may use libc.
 */
#include "fake_arch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/irq_pipeline.h"

#define MAX_NESTING 32

struct fake_cpu {
	bool hard_on;
	bool pending[FAKE_NR_IRQS];
	bool active[FAKE_NR_IRQS];
	bool banked_masked[32];
	unsigned int nr_pending;
	unsigned int nr_active;
	unsigned int trap_depth;
	unsigned int traps;
	bool last_result;
	unsigned int spurious_acks;
	unsigned int idle_calls;
};

static struct fake_cpu cpus[PIPELINE_MAX_CPUS];
static bool shared_masked[FAKE_NR_IRQS];
static unsigned int nr_cpus = 1;
static unsigned int cur;
static void (*idle_hook)(unsigned int cpu);
static void (*irq_exit_hook)(unsigned int cpu);
static unsigned long seq;
static bool trace_recording = true;

#define DEFINE_RECORDS(type, name)						\
	static type *name;							\
	static size_t nr_##name, cap_##name;					\
	static type *add_##name(void)						\
	{									\
		if (nr_##name == cap_##name) {					\
			cap_##name = cap_##name ? 2 * cap_##name : 256;		\
			name = realloc(name, cap_##name * sizeof(type));	\
			if (!name)						\
				abort();					\
		}								\
		memset(&name[nr_##name], 0, sizeof(type));			\
		return &name[nr_##name++];					\
	}

DEFINE_RECORDS(struct fake_ctrl_op, ctrl_ops)
DEFINE_RECORDS(struct fake_trace_rec, traces)
DEFINE_RECORDS(struct fake_report_rec, reports)

static void fail(const char *msg)
{
	fprintf(stderr, "fake_arch: %s\n", msg);
	abort();
}

static void check_irq(unsigned int irq)
{
	if (irq >= FAKE_NR_IRQS)
		fail("interrupt number beyond the controller");
}

static bool masked(unsigned int cpu, unsigned int irq)
{
	return irq < 32 ? cpus[cpu].banked_masked[irq] : shared_masked[irq];
}

/* One priority for all: nothing is signalled while an interrupt is active on the CPU. */
static int next_deliverable(unsigned int cpu)
{
	struct fake_cpu *c = &cpus[cpu];

	if (c->nr_active || !c->nr_pending)
		return -1;
	for (unsigned int irq = 0; irq < FAKE_NR_IRQS; irq++)
		if (c->pending[irq] && !masked(cpu, irq))
			return (int)irq;
	return -1;
}

/* The trap: hard irqs off, into the pipeline, hard irqs back on (mret). */
static void take_interrupts(void)
{
	unsigned int cpu = cur;
	struct fake_cpu *c = &cpus[cpu];

	while (c->hard_on && next_deliverable(cpu) >= 0) {
		if (c->trap_depth >= MAX_NESTING)
			fail("interrupts nested too deep (an interrupt storm?)");
		c->hard_on = false;
		c->trap_depth++;
		c->traps++;
		c->last_result = handle_irq_pipelined();
		if (c->last_result && irq_exit_hook)
			irq_exit_hook(cpu);
		c->trap_depth--;
		if (cur != cpu)
			fail("the running CPU changed inside an interrupt");
		c->hard_on = true;
	}
}

void fake_reset(unsigned int ncpus)
{
	if (ncpus < 1 || ncpus > PIPELINE_MAX_CPUS)
		fail("bad number of CPUs");
	memset(cpus, 0, sizeof(cpus));
	for (unsigned int c = 0; c < PIPELINE_MAX_CPUS; c++) {
		cpus[c].hard_on = true;
		for (unsigned int irq = PIPELINE_NR_SGIS; irq < 32; irq++)
			cpus[c].banked_masked[irq] = true;
	}
	for (unsigned int irq = 0; irq < FAKE_NR_IRQS; irq++)
		shared_masked[irq] = irq >= 32;
	nr_cpus = ncpus;
	cur = 0;
	idle_hook = NULL;
	irq_exit_hook = NULL;
	trace_recording = true;
	fake_clear_records();
	seq = 0;
}

void fake_set_cpu(unsigned int cpu)
{
	if (cpu >= nr_cpus)
		fail("no such CPU");
	cur = cpu;
	take_interrupts();
}

unsigned int fake_current_cpu(void)
{
	return cur;
}

void fake_raise_irq(unsigned int cpu, unsigned int irq)
{
	check_irq(irq);
	if (cpu >= nr_cpus)
		fail("no such CPU");
	if (!cpus[cpu].pending[irq]) {
		cpus[cpu].pending[irq] = true;
		cpus[cpu].nr_pending++;
	}
	if (cpu == cur)
		take_interrupts();
}

void fake_deliver(void)
{
	take_interrupts();
}

bool fake_irq_pending(unsigned int cpu, unsigned int irq)
{
	return cpu < PIPELINE_MAX_CPUS && irq < FAKE_NR_IRQS && cpus[cpu].pending[irq];
}

bool fake_irq_masked(unsigned int cpu, unsigned int irq)
{
	return cpu < PIPELINE_MAX_CPUS && irq < FAKE_NR_IRQS && masked(cpu, irq);
}

bool fake_irq_active(unsigned int cpu, unsigned int irq)
{
	return cpu < PIPELINE_MAX_CPUS && irq < FAKE_NR_IRQS && cpus[cpu].active[irq];
}

bool fake_hard_irqs_on(unsigned int cpu)
{
	return cpu < PIPELINE_MAX_CPUS && cpus[cpu].hard_on;
}

void fake_set_hard_irqs(unsigned int cpu, bool on)
{
	if (cpu < PIPELINE_MAX_CPUS)
		cpus[cpu].hard_on = on;
}

unsigned int fake_traps(unsigned int cpu)
{
	return cpu < PIPELINE_MAX_CPUS ? cpus[cpu].traps : 0;
}

bool fake_last_trap_result(unsigned int cpu)
{
	return cpu < PIPELINE_MAX_CPUS && cpus[cpu].last_result;
}

unsigned int fake_spurious_acks(unsigned int cpu)
{
	return cpu < PIPELINE_MAX_CPUS ? cpus[cpu].spurious_acks : 0;
}

unsigned int fake_idle_calls(unsigned int cpu)
{
	return cpu < PIPELINE_MAX_CPUS ? cpus[cpu].idle_calls : 0;
}

void fake_set_idle_hook(void (*hook)(unsigned int cpu))
{
	idle_hook = hook;
}

void fake_set_irq_exit_hook(void (*hook)(unsigned int cpu))
{
	irq_exit_hook = hook;
}

unsigned long fake_next_seq(void)
{
	return ++seq;
}

void fake_clear_records(void)
{
	nr_ctrl_ops = 0;
	nr_traces = 0;
	nr_reports = 0;
}

void fake_set_trace_recording(bool on)
{
	trace_recording = on;
}

size_t fake_nr_ctrl_ops(void)
{
	return nr_ctrl_ops;
}

const struct fake_ctrl_op *fake_ctrl_op(size_t i)
{
	return i < nr_ctrl_ops ? &ctrl_ops[i] : NULL;
}

size_t fake_nr_traces(void)
{
	return nr_traces;
}

const struct fake_trace_rec *fake_trace(size_t i)
{
	return i < nr_traces ? &traces[i] : NULL;
}

size_t fake_nr_reports(void)
{
	return nr_reports;
}

const struct fake_report_rec *fake_report(size_t i)
{
	return i < nr_reports ? &reports[i] : NULL;
}

static struct fake_ctrl_op *record_op(enum fake_ctrl_kind kind, unsigned int irq)
{
	struct fake_ctrl_op *op = add_ctrl_ops();

	op->seq = fake_next_seq();
	op->cpu = cur;
	op->kind = kind;
	op->irq = irq;
	return op;
}

/* ---- The arch interface ------------------------------------------------------------------------------------------ */

unsigned long arch_hard_irq_save(void)
{
	bool was = cpus[cur].hard_on;

	cpus[cur].hard_on = false;
	return was;
}

void arch_hard_irq_restore(unsigned long flags)
{
	if (flags)
		arch_hard_irq_enable();
	else
		cpus[cur].hard_on = false;
}

void arch_hard_irq_enable(void)
{
	cpus[cur].hard_on = true;
	take_interrupts();
}

void arch_hard_irq_disable(void)
{
	cpus[cur].hard_on = false;
}

bool arch_hard_irqs_disabled(void)
{
	return !cpus[cur].hard_on;
}

unsigned int arch_cpu_id(void)
{
	return cur;
}

unsigned int arch_num_cpus(void)
{
	return nr_cpus;
}

int arch_irq_ack(void)
{
	int irq = next_deliverable(cur);
	struct fake_cpu *c = &cpus[cur];

	if (irq < 0) {
		c->spurious_acks++;
		return ARCH_IRQ_SPURIOUS;
	}
	record_op(FAKE_ACK, (unsigned int)irq);
	c->pending[irq] = false;
	c->nr_pending--;
	c->active[irq] = true;
	c->nr_active++;
	return irq;
}

void arch_irq_eoi(unsigned int irq)
{
	struct fake_ctrl_op *op;
	struct fake_cpu *c = &cpus[cur];

	check_irq(irq);
	op = record_op(FAKE_EOI, irq);
	if (!c->active[irq]) {
		op->bad = true;
		return;
	}
	c->active[irq] = false;
	c->nr_active--;
}

void arch_irq_mask(unsigned int irq)
{
	check_irq(irq);
	record_op(FAKE_MASK, irq);
	if (irq < 32)
		cpus[cur].banked_masked[irq] = true;
	else
		shared_masked[irq] = true;
}

void arch_irq_unmask(unsigned int irq)
{
	check_irq(irq);
	record_op(FAKE_UNMASK, irq);
	if (irq < 32)
		cpus[cur].banked_masked[irq] = false;
	else
		shared_masked[irq] = false;
}

void arch_irq_send_sgi(unsigned int sgi, uint32_t cpumask)
{
	if (sgi >= PIPELINE_NR_SGIS)
		fail("not an SGI");
	record_op(FAKE_SGI, sgi)->cpumask = cpumask;
	for (unsigned int c = 0; c < nr_cpus; c++) {
		if ((cpumask >> c) & 1 && !cpus[c].pending[sgi]) {
			cpus[c].pending[sgi] = true;
			cpus[c].nr_pending++;
		}
	}
	if ((cpumask >> cur) & 1)
		take_interrupts();
}

void arch_idle(void)
{
	if (!arch_hard_irqs_disabled())
		fail("arch_idle() with hard irqs on");
	cpus[cur].idle_calls++;
	if (idle_hook)
		idle_hook(cur);
}

void arch_report(int kind, unsigned int cpu, int irq, int stage, uintptr_t pc, const char *msg)
{
	struct fake_report_rec *r = add_reports();

	r->seq = fake_next_seq();
	r->kind = kind;
	r->cpu = cpu;
	r->irq = irq;
	r->stage = stage;
	r->pc = pc;
	r->msg = msg;
	if (getenv("FAKE_ARCH_VERBOSE"))
		fprintf(stderr, "pipeline report %d: cpu %u irq %d stage %d pc %#lx: %s\n", kind, cpu, irq, stage,
			(unsigned long)pc, msg ? msg : "");
}

void arch_trace_event(unsigned int id, uint32_t value)
{
	struct fake_trace_rec *t;

	if (!trace_recording)
		return;
	t = add_traces();
	t->seq = fake_next_seq();
	t->cpu = cur;
	t->id = id;
	t->value = value;
}

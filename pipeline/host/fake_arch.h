/*
 * A fake machine for the pipeline's host tests: N CPUs simulated deterministically in one thread.
 *
 * The test decides which CPU runs (fake_set_cpu) and raises interrupts at a fake GIC-like controller. Interrupts are
 * taken the way the hardware would, at the first point where the running CPU has hard irqs on: when they are
 * raised, when the CPU's hard irqs are enabled, when the test switches to that CPU. Taking one calls
 * handle_irq_pipelined() with hard irqs off and restores them afterwards, nesting like real traps.
 *
 * Controller rules: one priority for everything, so an acknowledged interrupt blocks the others on that CPU until
 * its EOI; the lowest pending unmasked number is acknowledged first; IDs below 32 are banked per CPU (mask too);
 * SGIs start unmasked, everything else masked (the pipeline unmasks what is requested).
 *
 * Everything observable is recorded with a global sequence number: controller operations, trace events, reports.
 */
#ifndef PIPELINE_FAKE_ARCH_H
#define PIPELINE_FAKE_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The controller's ID space; PIPELINE_NR_HW_IRQS and up are beyond the pipeline's range (to test that check). */
#define FAKE_NR_IRQS 1024

enum fake_ctrl_kind {
	FAKE_ACK,
	FAKE_EOI,
	FAKE_MASK,
	FAKE_UNMASK,
	FAKE_SGI,
};

struct fake_ctrl_op {
	unsigned long seq;
	unsigned int cpu;
	enum fake_ctrl_kind kind;
	unsigned int irq;	/* SGI number for FAKE_SGI */
	uint32_t cpumask;	/* FAKE_SGI: targets */
	bool bad;		/* FAKE_EOI of an interrupt that was not active */
};

struct fake_trace_rec {
	unsigned long seq;
	unsigned int cpu;
	unsigned int id;
	uint32_t value;
};

struct fake_report_rec {
	unsigned long seq;
	int kind;
	unsigned int cpu;
	int irq;
	int stage;
	uintptr_t pc;
	const char *msg;
};

/* Everything back to power-on: ncpus CPUs, CPU 0 running, hard irqs on everywhere, nothing pending, no records. */
void fake_reset(unsigned int ncpus);

/* Run cpu from now on (and take its pending interrupts if its hard irqs are on). */
void fake_set_cpu(unsigned int cpu);
unsigned int fake_current_cpu(void);

/* An edge at the controller: irq pending for cpu. */
void fake_raise_irq(unsigned int cpu, unsigned int irq);
/* Take the running CPU's pending interrupts now, if it can. */
void fake_deliver(void);

bool fake_irq_pending(unsigned int cpu, unsigned int irq);
bool fake_irq_masked(unsigned int cpu, unsigned int irq);
bool fake_irq_active(unsigned int cpu, unsigned int irq);
bool fake_hard_irqs_on(unsigned int cpu);
/* Force a CPU's hard irq flag, without taking anything. */
void fake_set_hard_irqs(unsigned int cpu, bool on);

/* handle_irq_pipelined() calls made by the fake on cpu, and the value the last one returned. */
unsigned int fake_traps(unsigned int cpu);
bool fake_last_trap_result(unsigned int cpu);
unsigned int fake_spurious_acks(unsigned int cpu);

/* arch_idle() calls on cpu; the hook (if any) runs inside arch_idle, e.g. to raise the IRQ that ends the wait. */
unsigned int fake_idle_calls(unsigned int cpu);
void fake_set_idle_hook(void (*hook)(unsigned int cpu));

/* Called on the way out of a trap whose handle_irq_pipelined() returned true (in-band, unstalled), hard irqs off:
 * the arch's IRQ-exit work (the fake kernel runs soft interrupts there). Cleared by fake_reset(). */
void fake_set_irq_exit_hook(void (*hook)(unsigned int cpu));

/* Records. */
unsigned long fake_next_seq(void);
void fake_clear_records(void);
void fake_set_trace_recording(bool on);
size_t fake_nr_ctrl_ops(void);
const struct fake_ctrl_op *fake_ctrl_op(size_t i);
size_t fake_nr_traces(void);
const struct fake_trace_rec *fake_trace(size_t i);
size_t fake_nr_reports(void);
const struct fake_report_rec *fake_report(size_t i);

#ifdef __cplusplus
}
#endif

#endif /* PIPELINE_FAKE_ARCH_H */

/*
 * The scenario table: how a Python scenario (python/oobsim/) reaches the scenario runtime firmware
 * (firmware/scenario/). A binary table of little-endian 32-bit words, written by python/oobsim/table.py, loaded by
 * the simulator (`oobsim run ... --scenario-table FILE`) into guest memory over the symbol SCENARIO_TABLE_SYMBOL of
 * the ELF before the first instruction, and validated again by the firmware before it starts anything.
 *
 * Layout: a header, then nr_sources source records, nr_responders responder records and nr_phases phase records, in
 * that order, each record SCENARIO_RECORD_SIZE bytes. Reserved words are 0 (checked). The checksum is FNV-1a (32 bit)
 * over bytes [SCENARIO_HEADER_SIZE, size).
 *
 * What the firmware prints (python/oobsim parses it; one line each, nothing else starts with "scenario"):
 *   scenario: start <pipelined|classic> cpus=<n> duration=<cycles> sources=<n> responders=<n> phases=<n>
 *   ... the run ...
 *   scenario-counters cpu=<c> compute=<k> irq_save=<k> irq_work=<k> oob_call=<k> xcall=<k> irqs=<k> wakeups=<k>
 *     oob_ipi=<k> oob_ipis=<k>
 *     (one per CPU: phases completed by kind, device IRQs handled by scenario handlers on that CPU, responder
 *     wake-ups on that CPU, oob_ipi phases completed, runs of the oob IPI handler on that CPU (one per oob_ipi
 *     phase run of any CPU that targets it); fields are only ever added at the end of the line)
 *   scenario-source channel=<c> spi=<s> handled=<k> count=<device COUNT> overrun=<device OVERRUN>
 *     (one per source record)
 *   scenario-responder cpu=<c> fired=<k> wakeups=<k> missed=<k> latency_min=<cycles> latency_max=<cycles>
 *     latency_sum=<cycles>
 *     (one per responder record, in table order: timer firings signalled, wake-ups of the thread, grid points
 *     skipped because the handler came after them; latency = the thread's first cycle after its wait returned minus
 *     the timer's compare value (the grid point), as tests/pipeline_firmware/oob_responder.c measures it, for both
 *     kernels; min and max 0 without wake-ups)
 *   scenario: end cycle=<mcycle of CPU 0 at the end>
 * and on a bad table: "scenario: bad table: <what is wrong>" (exit SCENARIO_EXIT_BAD_TABLE); without a table:
 * "scenario: no table loaded (...)" (exit SCENARIO_EXIT_NO_TABLE); when a kernel call fails:
 * "scenario: failed: <what>" (exit SCENARIO_EXIT_FAILED). firmware/scenario/README.md has the details.
 *
 * Times: `duration` and the responders' grid points (period, 2 * period, ...) are absolute mcycle values, counted
 * from reset (boot and set-up take some of them). The run_oob_call() phase marks its function's work with the trace
 * HINTs SCENARIO_HINT_OOB_CALL_FN_BEGIN/END, which the simulator knows as oob_call_fn_begin/end only when told:
 * `oobsim run ... --trace-hint 250=oob_call_fn_begin --trace-hint 251=oob_call_fn_end` (then run_oob_call_overhead
 * excludes the work; without them it includes it).
 *
 * Keep python/oobsim/table.py in step with this file (tests/python checks the constants against it).
 */
#ifndef OOBSIM_SCENARIO_TABLE_H
#define OOBSIM_SCENARIO_TABLE_H

#include <stdint.h>

#define SCENARIO_TABLE_SYMBOL	"oobsim_scenario_table"
#define SCENARIO_MAGIC		0x4e43534fu	/* "OSCN" */
#define SCENARIO_VERSION	1u
#define SCENARIO_TABLE_MAX	8192u		/* bytes the firmware reserves */
#define SCENARIO_HEADER_SIZE	64u
#define SCENARIO_RECORD_SIZE	32u
#define SCENARIO_MAX_SOURCES	32u		/* = the IRQ-source channels of the platform */
#define SCENARIO_MAX_RESPONDERS	8u		/* one per CPU at most */
#define SCENARIO_MAX_PHASES	128u		/* in all */
#define SCENARIO_MAX_PHASES_PER_CPU 16u
#define SCENARIO_MAX_CPUS	8u

/* Exit codes of the scenario firmware besides 0 (ran to the end). */
#define SCENARIO_EXIT_BAD_TABLE	90		/* the table failed a check; the console says which */
#define SCENARIO_EXIT_NO_TABLE	91		/* no table was loaded (magic 0) */
#define SCENARIO_EXIT_FAILED	92		/* a kernel call of the workload failed; the console says which */

/* Trace HINT ids (outside the pipeline's 256..383) around the function of a SCENARIO_PHASE_OOB_CALL phase. */
#define SCENARIO_HINT_OOB_CALL_FN_BEGIN	250	/* --trace-hint 250=oob_call_fn_begin */
#define SCENARIO_HINT_OOB_CALL_FN_END	251	/* --trace-hint 251=oob_call_fn_end */

/* header.flags */
#define SCENARIO_F_PIPELINED	0x1u	/* written for the pipelined kernel (0: classic); must match the ELF */

struct scenario_header {
	uint32_t magic;
	uint32_t version;
	uint32_t size;		/* bytes of the whole table, header included */
	uint32_t checksum;	/* FNV-1a 32 of bytes [SCENARIO_HEADER_SIZE, size) */
	uint32_t cpus;		/* CPUs the scenario is for: must equal the platform's */
	uint32_t duration;	/* cycles: every CPU runs its workload until mcycle >= duration, then CPU 0 exits */
	uint32_t flags;		/* SCENARIO_F_* */
	uint32_t nr_sources;
	uint32_t nr_responders;
	uint32_t nr_phases;
	uint32_t spis;		/* SPIs of the platform's GIC: interrupt IDs 32 .. 32 + spis - 1 */
	uint32_t seed;		/* the scenario's seed (informational: the IRQ sources draw from it on the simulator side) */
	uint32_t reserved[4];
};

/* A device interrupt: IRQ-source channel `channel` raises SPI `spi`; the firmware requests it with a handler that
 * works `work` cycles. Several channels may share one SPI (then they must agree on flags, cpu and work). */
#define SCENARIO_SRC_OOB	0x1u	/* IRQF_OOB: handled on the oob stage (classic: in the trap, like any other) */
#define SCENARIO_SRC_LEVEL	0x2u	/* level-triggered: the handler acks at the device (else edge) */

struct scenario_source {
	uint32_t channel;	/* 0 .. SCENARIO_MAX_SOURCES - 1 */
	uint32_t spi;		/* 32 .. 32 + spis - 1, and the SPI the channel is wired to (the device's SPI register) */
	uint32_t flags;		/* SCENARIO_SRC_* */
	uint32_t cpu;		/* the CPU the SPI is routed to (GICD_ITARGETSR) */
	uint32_t work;		/* cycles of busy work in the handler, 0 .. duration */
	uint32_t reserved[3];
};

/* A latmus-like responder: CPU `cpu`'s GIC timer (PPI 30, IRQF_OOB) fires every `period` cycles (at period,
 * 2 * period, ...); its handler signals an oob event that wakes an oob thread of priority `prio` on that CPU (classic:
 * an in-band thread above the others), which works `work` cycles and waits again. */
struct scenario_responder {
	uint32_t cpu;
	uint32_t period;	/* cycles, > 0 */
	uint32_t work;		/* cycles, < period (else the thread could never catch up with its timer) */
	uint32_t prio;		/* 1 .. 99 */
	uint32_t reserved[4];
};

/* One phase of a CPU's in-band workload. A CPU runs its phases in table order, each `repeat` times, and starts over
 * until the duration is reached. A CPU without phases idles (serving interrupts). */
enum scenario_phase_kind {
	SCENARIO_PHASE_COMPUTE = 1,	/* busy work for `cycles` cycles, interrupts enabled */
	SCENARIO_PHASE_IRQ_SAVE = 2,	/* busy work for `cycles` cycles inside local_irq_save()/local_irq_restore() */
	SCENARIO_PHASE_IRQ_WORK = 3,	/* irq_work_queue() a work of `cycles` cycles; wait until it ran */
	SCENARIO_PHASE_OOB_CALL = 4,	/* run_oob_call() of a function working `cycles` cycles */
	SCENARIO_PHASE_XCALL = 5,	/* xc_broadcast()/xc_unicast() of a function working `cycles` cycles, xc_wait() */
	SCENARIO_PHASE_OOB_IPI = 6,	/* irq_send_oob_ipi(CALL_FUNCTION_OOB_IPI) to the CPU mask `target`; wait for all */
	SCENARIO_PHASE_MAX = SCENARIO_PHASE_OOB_IPI,
};

/*
 * SCENARIO_PHASE_OOB_IPI: one irq_send_oob_ipi(CALL_FUNCTION_OOB_IPI, target) (a single GICD_SGIR write) to the
 * CPUs of the mask `target` (non-zero, bits below cpus; the sender may be one of them). On each target the
 * IPI's per-CPU IRQF_OOB handler (pipelined: on the oob stage whatever in-band does; classic: in the trap, hard irqs
 * off) works `cycles` cycles and counts the run; the sender waits, preemptible and with interrupts on, until every
 * target has run the handler for this send, then the phase completes. Sends of several CPUs may overlap: the GIC
 * keeps an SGI pending per source CPU and the handler knows its sender from GICC_IAR, so every send gets its own
 * handler run on every target and `oob_ipis` is exactly the sends that targeted the CPU. Feeds ipi_delivery_oob
 * (one sample per target and send) on both kernels.
 */

/* phase.flags for SCENARIO_PHASE_XCALL */
#define SCENARIO_XCALL_HIGH	0x1u	/* high priority (XC_HIGHPRI); else low */
#define SCENARIO_XCALL_UNICAST	0x2u	/* to CPU `target` only; else broadcast */

struct scenario_phase {
	uint32_t cpu;
	uint32_t kind;		/* enum scenario_phase_kind */
	uint32_t cycles;	/* the phase's work, cycles, 0 .. duration (0: the bare cost of the operation) */
	uint32_t repeat;	/* >= 1 */
	uint32_t flags;		/* SCENARIO_XCALL_* for XCALL, else 0 */
	uint32_t target;	/* XCALL unicast: the target CPU; OOB_IPI: the mask of target CPUs; else 0 */
	uint32_t reserved[2];
};

#endif /* OOBSIM_SCENARIO_TABLE_H */

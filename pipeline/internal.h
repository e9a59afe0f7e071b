/*
 * Private state of the interrupt pipeline, shared by its .c files.
 *
 * Per-CPU data is only touched by its own CPU with hard irqs off (or with single stores an interrupt cannot tear),
 * so it needs no atomics; the arch hooks are compiler barriers, which keeps those accesses in place around them.
 * What other CPUs write (in-band IPI messages, IRQ descriptors, irq_work claims) uses C11 atomics or a spinlock.
 */
#ifndef PIPELINE_INTERNAL_H
#define PIPELINE_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipeline/pipeline.h"

_Static_assert(PIPELINE_NR_IRQS % 32 == 0, "the logs hold whole 32-bit words");
_Static_assert(PIPELINE_MAX_CPUS >= 1 && PIPELINE_MAX_CPUS <= 32, "cpumasks are 32-bit words");
_Static_assert(OOB_IPI_BASE + OOB_NR_IPI <= PIPELINE_NR_SGIS, "oob IPIs are SGIs");
_Static_assert(PIPELINE_NR_INBAND_IPIS <= 32, "in-band IPI messages are bits of one word");
_Static_assert(XC_IPI_MSG < PIPELINE_NR_INBAND_IPIS, "the xcall IPI is an in-band IPI message");
_Static_assert(PIPELINE_INBAND_IPI_IRQ_BASE + PIPELINE_NR_INBAND_IPIS <= PIPELINE_NR_IRQS,
	       "synthetic IRQs fit the number space");

/* ---- IRQ logs: a summary word over leaf words, one bit per IRQ --------------------------------------------------- */

#define LOG_LEAF_WORDS (PIPELINE_NR_IRQS / 32)
#define LOG_SUMMARY_WORDS ((LOG_LEAF_WORDS + 31) / 32)

struct irq_log {
	uint32_t summary[LOG_SUMMARY_WORDS];	/* bit l: leaf[l] is not zero */
	uint32_t leaf[LOG_LEAF_WORDS];		/* bit b of leaf[l]: IRQ 32 * l + b is pending */
};

struct irq_stage_data {
	unsigned int stalled;
	struct irq_log log;
};

struct pipeline_cpu {
	struct irq_stage_data stages[2];	/* indexed by enum irq_stage */
	enum irq_stage current;
	unsigned int in_pipeline;		/* > 0 while handle_irq_pipelined() dispatches: replay comes later */
	unsigned int hardirq_depth;		/* > 0 while handlers run (in_hardirq()) */
	struct irq_work *work_head, *work_tail;	/* irq_work queued here, oldest first */
	atomic_uint inband_ipis;		/* in-band IPI messages not yet received (bit = message) */
};

extern struct pipeline_cpu pipeline_cpus[PIPELINE_MAX_CPUS];

static inline struct pipeline_cpu *this_pipeline_cpu(void)
{
	return &pipeline_cpus[arch_cpu_id()];
}

/* CPUs the pipeline serves: those the arch has, up to the size of its tables. */
static inline uint32_t pipeline_online_mask(void)
{
	unsigned int n = arch_num_cpus();

	if (n > PIPELINE_MAX_CPUS)
		n = PIPELINE_MAX_CPUS;
	return n >= 32 ? ~UINT32_C(0) : (UINT32_C(1) << n) - 1;
}

/* Count trailing zeros of a non-zero word, without libgcc (rv32ima has no ctz instruction): de Bruijn. */
static inline unsigned int ctz32(uint32_t w)
{
	static const unsigned char pos[32] = {
		0, 1, 28, 2, 29, 14, 24, 3, 30, 22, 20, 15, 25, 17, 4, 8,
		31, 27, 13, 23, 21, 19, 16, 7, 26, 12, 18, 6, 11, 5, 10, 9,
	};

	return pos[((w & -w) * UINT32_C(0x077CB531)) >> 27];
}

void log_set(struct irq_log *log, unsigned int irq);
int log_pull(struct irq_log *log);
int log_first(const struct irq_log *log);
bool log_test(const struct irq_log *log, unsigned int irq);
void log_clear(struct irq_log *log);
/* Every CPU back to in-band, both stages unstalled with empty logs, outside the pipeline (both kernels' init). */
void pipeline_cpus_reset(void);

static inline bool log_pending(const struct irq_log *log)
{
	uint32_t any = 0;

	for (unsigned int i = 0; i < LOG_SUMMARY_WORDS; i++)
		any |= log->summary[i];
	return any != 0;
}

static inline bool stage_pending(const struct pipeline_cpu *pc, enum irq_stage st)
{
	return log_pending(&pc->stages[st].log);
}

static inline bool stage_stalled(const struct pipeline_cpu *pc, enum irq_stage st)
{
	return pc->stages[st].stalled != 0;
}

/* ---- Stall bits, each write traced ------------------------------------------------------------------------------- */

static inline void stall_inband_bit(struct pipeline_cpu *pc)
{
	pc->stages[IRQ_STAGE_INBAND].stalled = 1;
	arch_trace(PIPELINE_TRACE_INBAND_STALL, 0);
}

static inline void unstall_inband_bit(struct pipeline_cpu *pc)
{
	pc->stages[IRQ_STAGE_INBAND].stalled = 0;
	arch_trace(PIPELINE_TRACE_INBAND_UNSTALL, 0);
}

static inline void stall_oob_bit(struct pipeline_cpu *pc)
{
	pc->stages[IRQ_STAGE_OOB].stalled = 1;
	arch_trace(PIPELINE_TRACE_OOB_STALL, 0);
}

static inline void unstall_oob_bit(struct pipeline_cpu *pc)
{
	pc->stages[IRQ_STAGE_OOB].stalled = 0;
	arch_trace(PIPELINE_TRACE_OOB_UNSTALL, 0);
}

static inline void stall_stage(struct pipeline_cpu *pc, enum irq_stage st)
{
	if (st == IRQ_STAGE_OOB)
		stall_oob_bit(pc);
	else
		stall_inband_bit(pc);
}

static inline void unstall_stage(struct pipeline_cpu *pc, enum irq_stage st)
{
	if (st == IRQ_STAGE_OOB)
		unstall_oob_bit(pc);
	else
		unstall_inband_bit(pc);
}

static inline void switch_stage(struct pipeline_cpu *pc, enum irq_stage st)
{
	pc->current = st;
	arch_trace(PIPELINE_TRACE_STAGE_SWITCH, st);
}

/* ---- The oob stage ----------------------------------------------------------------------------------------------- */

extern atomic_uint pipeline_oob_present;

static inline bool oob_present(void)
{
	return atomic_load_explicit(&pipeline_oob_present, memory_order_relaxed) != 0;
}

/* The oob stall bit only holds back in-band delivery while there is an oob stage. */
static inline bool oob_blocks_inband(const struct pipeline_cpu *pc)
{
	return oob_present() && stage_stalled(pc, IRQ_STAGE_OOB);
}

/* ---- Reports ----------------------------------------------------------------------------------------------------- */

void pipeline_report(enum pipeline_report_kind kind, int irq, uintptr_t pc, const char *msg);
void pipeline_debug_fail(enum pipeline_report_kind kind, int irq, uintptr_t pc, const char *msg);
void pipeline_reports_init(void);

#ifdef PIPELINE_DEBUG
#define PIPELINE_DEBUG_ON 1
#else
#define PIPELINE_DEBUG_ON 0
#endif

/*
 * Debug check: true (after reporting) if cond holds in a PIPELINE_DEBUG build, so the caller can recover; always
 * false otherwise, and then the compiler drops cond entirely.
 */
#define pipeline_check(cond, kind, irq, pc, msg)						\
	((PIPELINE_DEBUG_ON && (cond)) ? (pipeline_debug_fail((kind), (irq), (pc), (msg)), true) : false)

/* In-band-only entry points call this first. */
#define check_inband(pc, what)									\
	pipeline_check(this_pipeline_cpu()->current == IRQ_STAGE_OOB, PIPELINE_DEBUG_INBAND_FROM_OOB, -1, (pc), \
		       what " called on the oob stage")

#define check_hard_irqs_off(pc, what)								\
	pipeline_check(!arch_hard_irqs_disabled(), PIPELINE_DEBUG_HARD_IRQS_ON, -1, (pc),	\
		       what " called with hard irqs on")

/* ---- Between the files ------------------------------------------------------------------------------------------- */

/* pipeline.c */
void post_stage(struct pipeline_cpu *pc, enum irq_stage st, unsigned int irq);
void dispatch_irq(struct pipeline_cpu *pc, unsigned int irq, bool hw);
void sync_stage(struct pipeline_cpu *pc, enum irq_stage st);
void __synchronize_pipeline(struct pipeline_cpu *pc);
void __inband_irq_enable(struct pipeline_cpu *pc);

/* manage.c: IRQ descriptors and handlers */
void irq_descs_init(void);
bool irq_handled_oob(unsigned int irq);
irqreturn_t run_oob_handlers(unsigned int irq);
irqreturn_t run_inband_handlers(unsigned int irq);
void note_interrupt(unsigned int irq, irqreturn_t ret);
void release_irq(unsigned int irq);
uintptr_t irq_handler_address(unsigned int irq);
int setup_pipeline_percpu_irq(unsigned int irq, irq_handler_t handler, const char *name);

/* irq_work.c, ipi.c */
void irq_work_init(void);
void receive_inband_ipis(struct pipeline_cpu *pc);

/* ---- A spinlock for the data CPUs share (take it with hard irqs off) --------------------------------------------- */

typedef struct {
	atomic_uint locked;
} pipeline_spinlock_t;

static inline void pipeline_spin_lock(pipeline_spinlock_t *lock)
{
	while (atomic_exchange_explicit(&lock->locked, 1, memory_order_acquire))
		while (atomic_load_explicit(&lock->locked, memory_order_relaxed))
			;
}

static inline void pipeline_spin_unlock(pipeline_spinlock_t *lock)
{
	atomic_store_explicit(&lock->locked, 0, memory_order_release);
}

#endif /* PIPELINE_INTERNAL_H */

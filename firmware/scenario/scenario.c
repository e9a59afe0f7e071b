/*
 * The scenario runtime: one program on the kernel of firmware/pipeline/, built pipelined and classic, that runs the
 * workload a scenario table describes (firmware/include/oobsim/scenario_table.h, written by python/oobsim/table.py,
 * loaded by `oobsim run --scenario-table FILE` over oobsim_scenario_table before the first instruction).
 *
 * CPU 0 validates the whole table while the others wait, sets up the device interrupts, the oob stage, the timer
 * PPI and, if a phase sends oob IPIs, their handler; every CPU then creates its responder thread, arms its timer,
 * and runs its phases until the duration. At the end every CPU stops its timer and masks its device interrupts, and
 * CPU 0 prints the counters. firmware/scenario/README.md describes the behaviour, the output and the limits.
 */
#include "kernel/kernel.h"
#include "oobsim/oobsim.h"
#include "oobsim/scenario_table.h"

_Static_assert(sizeof(struct scenario_header) == SCENARIO_HEADER_SIZE, "header layout");
_Static_assert(sizeof(struct scenario_source) == SCENARIO_RECORD_SIZE, "source record layout");
_Static_assert(sizeof(struct scenario_responder) == SCENARIO_RECORD_SIZE, "responder record layout");
_Static_assert(sizeof(struct scenario_phase) == SCENARIO_RECORD_SIZE, "phase record layout");
_Static_assert(SCENARIO_HEADER_SIZE + SCENARIO_RECORD_SIZE * (SCENARIO_MAX_SOURCES + SCENARIO_MAX_RESPONDERS +
	       SCENARIO_MAX_PHASES) <= SCENARIO_TABLE_MAX, "a table of the largest counts fits");
_Static_assert(PIPELINE_MAX_CPUS <= SCENARIO_MAX_CPUS, "every CPU the kernel runs has a slot in cpus[]");

/*
 * The simulator writes the table here after loading the ELF's segments. In .data, not .bss: start.S clears .bss on
 * hart 0 before main(), which would wipe it.
 */
__attribute__((aligned(8), used, section(".data.oobsim_scenario_table")))
uint8_t oobsim_scenario_table[SCENARIO_TABLE_MAX];

#define FNV1A_BASIS	0x811c9dc5u
#define FNV1A_PRIME	0x01000193u

#define NR_ELEMENTS(array)	(sizeof(array) / sizeof((array)[0]))

/* The table, once validated (read-only from then on). */
static const struct scenario_header *table;
static const struct scenario_source *sources;
static const struct scenario_responder *responder_recs;
static const struct scenario_phase *phase_recs;

/* One requested SPI: the source records that share it (they agree on flags, cpu and work). */
struct spi_group {
	uint32_t spi, flags, cpu, work;
	uint32_t nr;
	uint32_t channel[SCENARIO_MAX_SOURCES];
	uint32_t source[SCENARIO_MAX_SOURCES];
};

static struct spi_group spi_groups[SCENARIO_MAX_SOURCES];
static uint32_t nr_spi_groups;

/* Per source record: the device's COUNT as the handler last read it, i.e. the events its handlers have seen. */
static volatile uint32_t source_handled[SCENARIO_MAX_SOURCES];

struct responder {
	struct oob_event ev;
	struct kthread *thread;
	int prio;
	uint32_t work;
	volatile uint64_t last_fire;	/* compare value of the latest signalled firing */
	volatile uint32_t fired, wakeups, missed;
	volatile uint32_t latency_min, latency_max;
	volatile uint64_t latency_sum;
};

/* The per-CPU GIC timer drives the responder's grid and, on a CPU without phases, the wake-up at the duration. */
struct cpu_timer {
	uint64_t grid_next;		/* the responder's next grid point (k * period) */
	uint64_t deadline_cmp;		/* compare value armed for the wake-up at the duration */
	uint64_t armed;			/* compare value armed now; 0: not armed */
	uint32_t period;		/* 0: no responder */
	bool wake_at_deadline;
	bool stopped;
};

static struct cpu_state {
	struct responder *responder;
	struct cpu_timer timer;
	uint32_t nr_phases;
	uint32_t phase[SCENARIO_MAX_PHASES_PER_CPU];
	volatile uint32_t done[SCENARIO_PHASE_MAX + 1];	/* phases completed, by kind */
	volatile uint32_t irqs;				/* device IRQs handled here (amo_add: handlers nest) */
	const char *setup_error;
	struct irq_work work;
	volatile uint32_t work_cycles, work_runs;
	/*
	 * oob_ipi phases. Sequence numbers per (sender, target) pair rather than one flag or count per target: when two
	 * CPUs fan out at once, a target's handler run for one sender must not be taken for the other's. Each counter
	 * has one writer: oob_ipi_sent[] this CPU as a sender, oob_ipi_acked[] this CPU's handler (runs do not nest).
	 */
	volatile uint32_t oob_ipi_cycles;			/* the handler's work for this CPU's current send */
	uint32_t oob_ipi_sent[SCENARIO_MAX_CPUS];		/* by target: sends of this CPU to it */
	volatile uint32_t oob_ipi_acked[SCENARIO_MAX_CPUS];	/* by sender: handler runs here for its sends */
	volatile uint32_t oob_ipis;				/* oob IPI handler runs here */
} cpus[SCENARIO_MAX_CPUS];

/* Handler runs whose GICC_IAR did not name CALL_FUNCTION_OOB_IPI and a CPU of the table (never expected: the report
 * fails if any); such a run releases every sender waiting for this CPU rather than leave them hanging. */
static volatile uint32_t oob_ipi_unattributed;
static bool oob_ipi_requested;

static struct responder responders[SCENARIO_MAX_RESPONDERS];

enum { WAIT_TABLE, SET_UP, GO };
static volatile uint32_t run_state;
static struct hart_barrier barrier = HART_BARRIER_INIT;

static const char *const responder_names[SCENARIO_MAX_CPUS] = {
	"responder/0", "responder/1", "responder/2", "responder/3",
	"responder/4", "responder/5", "responder/6", "responder/7",
};

static const char *const kind_names[SCENARIO_PHASE_MAX + 1] = {
	"?", "compute", "irq_save", "irq_work", "oob_call", "xcall", "oob_ipi",
};

/* The low word of mcycle, one CSR read: for differences shorter than 2^32 cycles (busy work, latencies). */
static inline uint32_t cycles(void)
{
	return csr_read(mcycle);
}

/* All of mcycle: for absolute cycles (the duration, the timer's compare values). */
static inline uint64_t cycles64(void)
{
	return csr_read64(mcycle);
}

/* Busy work: mcycle-based, no memory access, so nothing another CPU does changes how long it takes. */
static inline void spin_cycles(uint32_t n)
{
	uint32_t start = cycles();

	while (cycles() - start < n)
		cpu_relax();
}

/*
 * A preemption point for loops that may reach no other: a thread woken by an in-band IPI that was replayed from the
 * log rather than taken by the trap (inside irq_work_queue(), at the end of run_oob_call(), in kernel_idle()) only
 * gets its CPU at the next IRQ exit, local_irq_enable/restore() or preempt_enable(), and this kernel has no tick to
 * bring one. Without it an xcall thread could wait for ever behind a loop of irq_work or oob_call phases.
 */
static inline void cond_resched(void)
{
	kernel_preempt_point(KERNEL_PREEMPT_ENABLE);
}

/*
 * Every CPU meets here. The others may still need this CPU's xcall thread to finish their phases: a thread woken
 * before the barrier by a replayed IPI gets the CPU at the preemption point first, and the xcall IPIs that come while
 * it spins are taken by the trap (in-band is unstalled there) and switch to their thread at the IRQ exit.
 */
static void sync_cpus(void)
{
	cond_resched();
	hart_barrier_wait(&barrier, kernel_cpus());
}

static uint32_t fnv1a(const uint8_t *p, uint32_t n)
{
	uint32_t h = FNV1A_BASIS;

	for (uint32_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= FNV1A_PRIME;
	}
	return h;
}

/* ---- Validation -------------------------------------------------------------------------------------------------- */

/* One console line "scenario: <what>: <message>", whole even if another CPU prints meanwhile; returns `exit_code`. */
static __attribute__((format(printf, 3, 0))) int vprint_exit_line(int exit_code, const char *what, const char *fmt,
								   va_list ap)
{
	console_lock();
	printf("scenario: %s: ", what);
	vprintf(fmt, ap);
	printf("\n");
	console_unlock();
	return exit_code;
}

static __attribute__((format(printf, 1, 2))) int bad(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vprint_exit_line(SCENARIO_EXIT_BAD_TABLE, "bad table", fmt, ap);
	va_end(ap);
	return ret;
}

/* The record is named as the other messages name it: "header" (index < 0), "source 3", ... */
static int check_reserved(const char *kind, int index, const uint32_t *words, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (!words[i])
			continue;
		if (index < 0)
			return bad("%s: reserved[%u] is 0x%08x, not 0", kind, (unsigned int)i, (unsigned int)words[i]);
		return bad("%s %d: reserved[%u] is 0x%08x, not 0", kind, index, (unsigned int)i, (unsigned int)words[i]);
	}
	return 0;
}

static int validate_header(const struct scenario_header *h)
{
	uint32_t records, expected, sum, gic_spis;
	int err;

	if (h->magic != SCENARIO_MAGIC)
		return bad("header: magic 0x%08x is not 0x%08x (\"OSCN\")", (unsigned int)h->magic, SCENARIO_MAGIC);
	if (h->version != SCENARIO_VERSION)
		return bad("header: version %u, this firmware reads version %u", (unsigned int)h->version,
			   SCENARIO_VERSION);
	if (h->size < SCENARIO_HEADER_SIZE || h->size > SCENARIO_TABLE_MAX)
		return bad("header: size %u is not in [%u, %u]", (unsigned int)h->size, SCENARIO_HEADER_SIZE,
			   SCENARIO_TABLE_MAX);
	if (h->nr_sources > SCENARIO_MAX_SOURCES)
		return bad("header: nr_sources %u is above %u", (unsigned int)h->nr_sources, SCENARIO_MAX_SOURCES);
	if (h->nr_responders > SCENARIO_MAX_RESPONDERS)
		return bad("header: nr_responders %u is above %u", (unsigned int)h->nr_responders,
			   SCENARIO_MAX_RESPONDERS);
	if (h->nr_phases > SCENARIO_MAX_PHASES)
		return bad("header: nr_phases %u is above %u", (unsigned int)h->nr_phases, SCENARIO_MAX_PHASES);
	records = h->nr_sources + h->nr_responders + h->nr_phases;
	expected = SCENARIO_HEADER_SIZE + records * SCENARIO_RECORD_SIZE;
	if (h->size != expected)
		return bad("header: size %u, but %u sources, %u responders and %u phases make %u bytes",
			   (unsigned int)h->size, (unsigned int)h->nr_sources, (unsigned int)h->nr_responders,
			   (unsigned int)h->nr_phases, (unsigned int)expected);
	sum = fnv1a(oobsim_scenario_table + SCENARIO_HEADER_SIZE, h->size - SCENARIO_HEADER_SIZE);
	if (h->checksum != sum)
		return bad("header: checksum 0x%08x, but bytes [%u, %u) hash to 0x%08x (FNV-1a 32)",
			   (unsigned int)h->checksum, SCENARIO_HEADER_SIZE, (unsigned int)h->size, (unsigned int)sum);
	if ((err = check_reserved("header", -1, h->reserved, NR_ELEMENTS(h->reserved))))
		return err;
	if (h->cpus != kernel_cpus())
		return bad("header: cpus %u, but the platform has %u", (unsigned int)h->cpus, kernel_cpus());
	if (h->flags & ~SCENARIO_F_PIPELINED)
		return bad("header: flags 0x%08x has unknown bits 0x%08x", (unsigned int)h->flags,
			   (unsigned int)(h->flags & ~SCENARIO_F_PIPELINED));
	if (!!(h->flags & SCENARIO_F_PIPELINED) != KERNEL_PIPELINED)
		return bad("header: flags say the %s kernel, but this firmware is built for the %s kernel",
			   h->flags & SCENARIO_F_PIPELINED ? "pipelined" : "classic", KERNEL_MODE_NAME);
	if (h->duration == 0)
		return bad("header: duration 0");
	gic_spis = gic_num_irqs() - GIC_SPI_BASE;
	if (h->spis > gic_spis)
		return bad("header: spis %u, but the GIC has %u (GICD_TYPER)", (unsigned int)h->spis,
			   (unsigned int)gic_spis);
	return 0;
}

static int validate_sources(const struct scenario_header *h)
{
	uint32_t channels = irqsrc_channels();
	int err;

	if (channels > SCENARIO_MAX_SOURCES)
		channels = SCENARIO_MAX_SOURCES;
	for (uint32_t i = 0; i < h->nr_sources; i++) {
		const struct scenario_source *s = &sources[i];
		uint32_t wired;

		if ((err = check_reserved("source", (int)i, s->reserved, NR_ELEMENTS(s->reserved))))
			return err;
		if (s->channel >= channels)
			return bad("source %u: channel %u is not below %u (the IRQ-source device's channels, at most %u)",
				   (unsigned int)i, (unsigned int)s->channel, (unsigned int)channels,
				   SCENARIO_MAX_SOURCES);
		for (uint32_t j = 0; j < i; j++)
			if (sources[j].channel == s->channel)
				return bad("source %u: channel %u is already source %u's", (unsigned int)i,
					   (unsigned int)s->channel, (unsigned int)j);
		if (s->spi < GIC_SPI_BASE || s->spi - GIC_SPI_BASE >= h->spis)
			return bad("source %u: spi %u is not in [%u, %u)", (unsigned int)i, (unsigned int)s->spi,
				   GIC_SPI_BASE, (unsigned int)(GIC_SPI_BASE + h->spis));
		if (s->spi >= PIPELINE_NR_HW_IRQS)
			return bad("source %u: spi %u is beyond the pipeline's IRQs (below %u)", (unsigned int)i,
				   (unsigned int)s->spi, PIPELINE_NR_HW_IRQS);
		wired = irqsrc_spi(s->channel);
		if (wired != s->spi)
			return bad("source %u: spi %u, but IRQ-source channel %u drives SPI %u (its SPI register)",
				   (unsigned int)i, (unsigned int)s->spi, (unsigned int)s->channel, (unsigned int)wired);
		if (s->flags & ~(SCENARIO_SRC_OOB | SCENARIO_SRC_LEVEL))
			return bad("source %u: flags 0x%08x has unknown bits 0x%08x", (unsigned int)i,
				   (unsigned int)s->flags,
				   (unsigned int)(s->flags & ~(SCENARIO_SRC_OOB | SCENARIO_SRC_LEVEL)));
		if (s->cpu >= h->cpus)
			return bad("source %u: cpu %u is not below cpus %u", (unsigned int)i, (unsigned int)s->cpu,
				   (unsigned int)h->cpus);
		if (s->work > h->duration)
			return bad("source %u: work %u is longer than the duration %u", (unsigned int)i,
				   (unsigned int)s->work, (unsigned int)h->duration);
		for (uint32_t j = 0; j < i; j++) {
			const struct scenario_source *o = &sources[j];

			if (o->spi != s->spi)
				continue;
			if (o->flags != s->flags)
				return bad("source %u: shares spi %u with source %u but its flags 0x%x differ from 0x%x",
					   (unsigned int)i, (unsigned int)s->spi, (unsigned int)j,
					   (unsigned int)s->flags, (unsigned int)o->flags);
			if (o->cpu != s->cpu)
				return bad("source %u: shares spi %u with source %u but its cpu %u differs from %u",
					   (unsigned int)i, (unsigned int)s->spi, (unsigned int)j, (unsigned int)s->cpu,
					   (unsigned int)o->cpu);
			if (o->work != s->work)
				return bad("source %u: shares spi %u with source %u but its work %u differs from %u",
					   (unsigned int)i, (unsigned int)s->spi, (unsigned int)j, (unsigned int)s->work,
					   (unsigned int)o->work);
		}
	}
	return 0;
}

static int validate_responders(const struct scenario_header *h)
{
	int owner[SCENARIO_MAX_CPUS];
	int err;

	for (uint32_t c = 0; c < SCENARIO_MAX_CPUS; c++)
		owner[c] = -1;
	for (uint32_t i = 0; i < h->nr_responders; i++) {
		const struct scenario_responder *r = &responder_recs[i];

		if ((err = check_reserved("responder", (int)i, r->reserved, NR_ELEMENTS(r->reserved))))
			return err;
		if (r->cpu >= h->cpus)
			return bad("responder %u: cpu %u is not below cpus %u", (unsigned int)i, (unsigned int)r->cpu,
				   (unsigned int)h->cpus);
		if (owner[r->cpu] >= 0)
			return bad("responder %u: cpu %u already has responder %d (one per cpu)", (unsigned int)i,
				   (unsigned int)r->cpu, owner[r->cpu]);
		owner[r->cpu] = (int)i;
		if (r->period == 0)
			return bad("responder %u: period 0", (unsigned int)i);
		if (r->work >= r->period)
			return bad("responder %u: work %u is not below the period %u", (unsigned int)i,
				   (unsigned int)r->work, (unsigned int)r->period);
		if (r->prio < OOB_PRIO_MIN || r->prio > OOB_PRIO_MAX)
			return bad("responder %u: prio %u is not in [%u, %u]", (unsigned int)i, (unsigned int)r->prio,
				   OOB_PRIO_MIN, OOB_PRIO_MAX);
	}
	return 0;
}

static int validate_phases(const struct scenario_header *h)
{
	uint32_t per_cpu[SCENARIO_MAX_CPUS] = { 0 };
	int err;

	for (uint32_t i = 0; i < h->nr_phases; i++) {
		const struct scenario_phase *p = &phase_recs[i];

		if ((err = check_reserved("phase", (int)i, p->reserved, NR_ELEMENTS(p->reserved))))
			return err;
		if (p->cpu >= h->cpus)
			return bad("phase %u: cpu %u is not below cpus %u", (unsigned int)i, (unsigned int)p->cpu,
				   (unsigned int)h->cpus);
		if (++per_cpu[p->cpu] > SCENARIO_MAX_PHASES_PER_CPU)
			return bad("phase %u: cpu %u has more than %u phases", (unsigned int)i, (unsigned int)p->cpu,
				   SCENARIO_MAX_PHASES_PER_CPU);
		if (p->kind < SCENARIO_PHASE_COMPUTE || p->kind > SCENARIO_PHASE_MAX)
			return bad("phase %u: kind %u is not a phase kind (%u..%u)", (unsigned int)i,
				   (unsigned int)p->kind, SCENARIO_PHASE_COMPUTE, SCENARIO_PHASE_MAX);
		if (p->cycles > h->duration)
			return bad("phase %u: cycles %u is longer than the duration %u", (unsigned int)i,
				   (unsigned int)p->cycles, (unsigned int)h->duration);
		if (p->repeat == 0)
			return bad("phase %u: repeat 0", (unsigned int)i);
		if (p->kind != SCENARIO_PHASE_XCALL && p->flags)
			return bad("phase %u: flags 0x%08x on a %s phase (only xcall phases take flags)", (unsigned int)i,
				   (unsigned int)p->flags, kind_names[p->kind]);
		if (p->kind == SCENARIO_PHASE_OOB_IPI) {
			if (!p->target)
				return bad("phase %u: target 0 on a oob_ipi phase (a mask of the CPUs to send to, not empty)",
					   (unsigned int)i);
			if (p->target >> h->cpus)
				return bad("phase %u: target 0x%08x has CPUs 0x%08x not below cpus %u", (unsigned int)i,
					   (unsigned int)p->target, (unsigned int)(p->target >> h->cpus << h->cpus),
					   (unsigned int)h->cpus);
			continue;
		}
		if (p->kind != SCENARIO_PHASE_XCALL) {
			if (p->target)
				return bad("phase %u: target %u on a %s phase (must be 0)", (unsigned int)i,
					   (unsigned int)p->target, kind_names[p->kind]);
			continue;
		}
		if (p->flags & ~(SCENARIO_XCALL_HIGH | SCENARIO_XCALL_UNICAST))
			return bad("phase %u: flags 0x%08x has unknown bits 0x%08x", (unsigned int)i,
				   (unsigned int)p->flags,
				   (unsigned int)(p->flags & ~(SCENARIO_XCALL_HIGH | SCENARIO_XCALL_UNICAST)));
		if (p->flags & SCENARIO_XCALL_UNICAST) {
			if (p->target >= h->cpus)
				return bad("phase %u: target %u is not below cpus %u", (unsigned int)i,
					   (unsigned int)p->target, (unsigned int)h->cpus);
		} else if (p->target) {
			return bad("phase %u: target %u on a broadcast (must be 0)", (unsigned int)i,
				   (unsigned int)p->target);
		}
	}
	return 0;
}

/* CPU 0, before any other CPU reads the table: 0, or the exit code after the console line that says why. */
static int validate_table(void)
{
	const struct scenario_header *h = (const struct scenario_header *)oobsim_scenario_table;
	const uint8_t *records = oobsim_scenario_table + SCENARIO_HEADER_SIZE;
	int err;

	if (h->magic == 0) {
		printf("scenario: no table loaded (run it with oobsim run ... --scenario-table FILE)\n");
		return SCENARIO_EXIT_NO_TABLE;
	}
	if ((err = validate_header(h)))
		return err;
	sources = (const struct scenario_source *)records;
	responder_recs = (const struct scenario_responder *)(sources + h->nr_sources);
	phase_recs = (const struct scenario_phase *)(responder_recs + h->nr_responders);
	if ((err = validate_sources(h)) || (err = validate_responders(h)) || (err = validate_phases(h)))
		return err;
	table = h;
	return 0;
}

/* ---- Handlers ---------------------------------------------------------------------------------------------------- */

/*
 * A device interrupt: every channel on the SPI. A level line is lowered at the device first and the handler waits
 * until the ACK has landed (irqsrc_ack()), so that the line is low before the EOI (else the GIC fires again) and
 * COUNT, read after it, includes every event that came before: a later one raises the line again.
 */
static irqreturn_t source_handler(int irq, void *dev_id)
{
	const struct spi_group *g = dev_id;

	(void)irq;
	amo_add(&cpus[hartid()].irqs, 1);
	if (g->flags & SCENARIO_SRC_LEVEL) {
		for (uint32_t i = 0; i < g->nr; i++)
			mmio_write32(irqsrc_reg(g->channel[i], OOBSIM_IRQSRC_ACK), 1u);
		for (uint32_t i = 0; i < g->nr; i++)
			while (irqsrc_status(g->channel[i]) & OOBSIM_IRQSRC_STATUS_ACK_PENDING)
				;
	}
	for (uint32_t i = 0; i < g->nr; i++)
		source_handled[g->source[i]] = irqsrc_count(g->channel[i]);
	spin_cycles(g->work);
	return IRQ_HANDLED;
}

static void timer_arm(unsigned int cpu, uint64_t when)
{
	cpus[cpu].timer.armed = when;
	gic_timer_start(cpu, when, 0);
}

/* Hard irqs off. The next firing: the responder's next grid point after now, or the wake-up at the duration. */
static void timer_rearm(unsigned int cpu, uint64_t now)
{
	struct cpu_timer *t = &cpus[cpu].timer;
	uint64_t next = UINT64_MAX;

	t->armed = 0;
	if (t->stopped)
		return;
	if (t->period) {
		while (t->grid_next <= now) {
			t->grid_next += t->period;
			cpus[cpu].responder->missed++;
		}
		next = t->grid_next;
	}
	if (t->wake_at_deadline && t->deadline_cmp < next)
		next = t->deadline_cmp;
	if (next != UINT64_MAX)
		timer_arm(cpu, next);
}

/* PPI 30, IRQF_OOB (pipelined: on the oob stage whatever in-band does; classic: in the trap). */
static irqreturn_t timer_handler(int irq, void *dev_id)
{
	unsigned int cpu = hartid();
	struct cpu_timer *t = &cpus[cpu].timer;
	uint64_t fired = t->armed;

	(void)irq;
	(void)dev_id;
	gic_timer_ack(cpu);
	if (t->stopped || !fired)
		return IRQ_HANDLED;
	if (t->period && fired == t->grid_next) {
		struct responder *r = cpus[cpu].responder;

		r->fired++;
		r->last_fire = fired;
		oob_event_signal(&r->ev);
		t->grid_next += t->period;
	}
	if (t->wake_at_deadline && fired == t->deadline_cmp)
		t->wake_at_deadline = false;
	timer_rearm(cpu, cycles64());
	return IRQ_HANDLED;
}

static void responder_thread(void *arg)
{
	struct responder *r = arg;

	for (;;) {
		uint32_t woke, latency;

		oob_event_wait(&r->ev);
		woke = cycles();
		latency = woke - (uint32_t)r->last_fire;
		if (!r->wakeups || latency < r->latency_min)
			r->latency_min = latency;
		if (latency > r->latency_max)
			r->latency_max = latency;
		r->latency_sum += latency;
		r->wakeups++;
		spin_cycles(r->work);
	}
}

/* ---- Phases ------------------------------------------------------------------------------------------------------ */

static void irq_work_fn(struct irq_work *work)
{
	struct cpu_state *cs = (struct cpu_state *)((char *)work - offsetof(struct cpu_state, work));

	spin_cycles(cs->work_cycles);
	cs->work_runs++;
}

static int oob_call_fn(void *arg)
{
	uint32_t n = (uint32_t)(uintptr_t)arg;

	arch_trace(SCENARIO_HINT_OOB_CALL_FN_BEGIN, n);
	spin_cycles(n);
	arch_trace(SCENARIO_HINT_OOB_CALL_FN_END, n);
	return 0;
}

static void xcall_fn(void *arg1, void *arg2)
{
	(void)arg2;
	spin_cycles((uint32_t)(uintptr_t)arg1);
}

/*
 * CALL_FUNCTION_OOB_IPI, per-CPU, IRQF_OOB (pipelined: on the oob stage; classic: in the trap). A hardware IRQ's
 * handler runs right after its acknowledge on both kernels, so the kernel's last GICC_IAR is this SGI's and names
 * the sender. The count goes up after the work: the sender's phase includes it.
 */
static irqreturn_t oob_ipi_handler(int irq, void *dev_id)
{
	unsigned int cpu = hartid();
	uint32_t iar = this_kernel_cpu()->iar, sender = gic_iar_source(iar);

	(void)dev_id;
	if (gic_iar_id(iar) != (uint32_t)irq || sender >= table->cpus) {
		oob_ipi_unattributed++;
		for (unsigned int s = 0; s < table->cpus; s++)
			cpus[cpu].oob_ipi_acked[s] = READ_ONCE(cpus[s].oob_ipi_sent[cpu]);
		cpus[cpu].oob_ipis++;
		return IRQ_HANDLED;
	}
	spin_cycles(cpus[sender].oob_ipi_cycles);
	cpus[cpu].oob_ipis++;
	cpus[cpu].oob_ipi_acked[sender]++;
	return IRQ_HANDLED;
}

/* One oob IPI to the CPUs of `mask`, then wait until each has run the handler for it. Interrupts stay on: this CPU
 * may be a target itself, or another sender's, meanwhile. */
static void send_oob_ipi(struct cpu_state *cs, uint32_t mask, uint32_t work)
{
	unsigned int me = (unsigned int)(cs - cpus);

	cs->oob_ipi_cycles = work;
	for (uint32_t m = mask; m; m &= m - 1)
		cs->oob_ipi_sent[(unsigned int)__builtin_ctz(m)]++;
	mb();	/* the work and the sequence numbers before the SGI that makes the targets read them */
	irq_send_oob_ipi(CALL_FUNCTION_OOB_IPI, mask);
	for (uint32_t m = mask; m; m &= m - 1) {
		unsigned int target = (unsigned int)__builtin_ctz(m);

		while (READ_ONCE(cpus[target].oob_ipi_acked[me]) != cs->oob_ipi_sent[target])
			cond_resched();
	}
}

static void run_phase(struct cpu_state *cs, const struct scenario_phase *p)
{
	unsigned long flags;
	uint32_t before;
	uint64_t ticket;

	switch (p->kind) {
	case SCENARIO_PHASE_COMPUTE:
		spin_cycles(p->cycles);
		break;
	case SCENARIO_PHASE_IRQ_SAVE:
		local_irq_save(flags);
		spin_cycles(p->cycles);
		local_irq_restore(flags);
		break;
	case SCENARIO_PHASE_IRQ_WORK:
		/* Pipelined, in-band and unstalled: it runs inside irq_work_queue(); classic: from the self-SGI. */
		cs->work_cycles = p->cycles;
		before = cs->work_runs;
		irq_work_queue(&cs->work);
		while (READ_ONCE(cs->work_runs) == before)
			cond_resched();
		break;
	case SCENARIO_PHASE_OOB_CALL:
		run_oob_call(oob_call_fn, (void *)(uintptr_t)p->cycles);
		break;
	case SCENARIO_PHASE_XCALL:
		if (p->flags & SCENARIO_XCALL_UNICAST)
			ticket = xc_unicast(p->flags & SCENARIO_XCALL_HIGH ? XC_HIGHPRI : 0, xcall_fn,
					    (void *)(uintptr_t)p->cycles, NULL, p->target);
		else
			ticket = xc_broadcast(p->flags & SCENARIO_XCALL_HIGH ? XC_HIGHPRI : 0, xcall_fn,
					      (void *)(uintptr_t)p->cycles, NULL);
		xc_wait(ticket);
		break;
	case SCENARIO_PHASE_OOB_IPI:
		send_oob_ipi(cs, p->target, p->cycles);
		break;
	}
	cs->done[p->kind]++;
}

/* The duration is an absolute mcycle value (the boot and the set-up count). */
static bool duration_reached(void)
{
	return cycles64() >= table->duration;
}

/* The deadline is checked before every run of a phase: one that started in time runs to its end. */
static void run_phases(struct cpu_state *cs)
{
	for (;;) {
		for (uint32_t i = 0; i < cs->nr_phases; i++) {
			const struct scenario_phase *p = &phase_recs[cs->phase[i]];

			for (uint32_t k = 0; k < p->repeat; k++) {
				if (duration_reached())
					return;
				cond_resched();
				run_phase(cs, p);
			}
		}
	}
}

/* A CPU without phases sleeps until the duration; its timer wakes it then. The check is made with hard irqs off, so
 * a firing after it makes the WFI of kernel_idle() return at once rather than being taken and lost before it. */
static void idle_until_duration(void)
{
	for (;;) {
		unsigned long flags = hard_local_irq_save();

		if (duration_reached()) {
			hard_local_irq_restore(flags);
			return;
		}
		kernel_idle();
		cond_resched();
	}
}

/* ---- Set-up and report ------------------------------------------------------------------------------------------- */

static __attribute__((format(printf, 1, 2))) int failed(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vprint_exit_line(SCENARIO_EXIT_FAILED, "failed", fmt, ap);
	va_end(ap);
	return ret;
}

/* CPU 0, after validation: the oob stage, the device interrupts, the timer PPI, and which CPU runs what. */
static int set_up_global(void)
{
	int ret;

	if ((ret = enable_oob_stage("scenario")))
		return failed("enable_oob_stage() returned %d", ret);
	for (uint32_t i = 0; i < table->nr_sources; i++) {
		const struct scenario_source *s = &sources[i];
		struct spi_group *g = NULL;

		for (uint32_t k = 0; k < nr_spi_groups; k++)
			if (spi_groups[k].spi == s->spi)
				g = &spi_groups[k];
		if (!g) {
			g = &spi_groups[nr_spi_groups++];
			g->spi = s->spi;
			g->flags = s->flags;
			g->cpu = s->cpu;
			g->work = s->work;
			g->nr = 0;
		}
		g->channel[g->nr] = s->channel;
		g->source[g->nr] = i;
		g->nr++;
	}
	for (uint32_t k = 0; k < nr_spi_groups; k++) {
		struct spi_group *g = &spi_groups[k];

		gic_set_edge(g->spi, !(g->flags & SCENARIO_SRC_LEVEL));
		kernel_irq_set_affinity(g->spi, UINT32_C(1) << g->cpu);
		ret = request_irq(g->spi, source_handler, g->flags & SCENARIO_SRC_OOB ? IRQF_OOB : 0, "scenario", g);
		if (ret)
			return failed("request_irq(%u) returned %d", (unsigned int)g->spi, ret);
	}
	ret = __request_percpu_irq(OOBSIM_TIMER_PPI, timer_handler, IRQF_OOB, "scenario-timer", NULL);
	if (ret)
		return failed("__request_percpu_irq(%u) returned %d", OOBSIM_TIMER_PPI, ret);
	/* Only when a phase sends it: other tables get no IRQ action or enable more than before the phase existed. */
	for (uint32_t i = 0; i < table->nr_phases && !oob_ipi_requested; i++)
		oob_ipi_requested = phase_recs[i].kind == SCENARIO_PHASE_OOB_IPI;
	if (oob_ipi_requested) {
		ret = __request_percpu_irq(CALL_FUNCTION_OOB_IPI, oob_ipi_handler, IRQF_OOB, "scenario-oob-ipi", NULL);
		if (ret)
			return failed("__request_percpu_irq(%u) returned %d", CALL_FUNCTION_OOB_IPI, ret);
	}

	for (uint32_t i = 0; i < table->nr_responders; i++) {
		const struct scenario_responder *rec = &responder_recs[i];

		responders[i].prio = (int)rec->prio;
		responders[i].work = rec->work;
		cpus[rec->cpu].responder = &responders[i];
		cpus[rec->cpu].timer.period = rec->period;
	}
	for (uint32_t i = 0; i < table->nr_phases; i++) {
		struct cpu_state *cs = &cpus[phase_recs[i].cpu];

		cs->phase[cs->nr_phases++] = i;
	}
	return 0;
}

static bool needs_timer(const struct cpu_state *cs)
{
	return cs->responder || !cs->nr_phases;
}

/* Every CPU, its own: the responder thread (it runs to its first wait before oob_thread_create() returns). */
static void set_up_cpu(unsigned int cpu)
{
	struct cpu_state *cs = &cpus[cpu];

	init_irq_work(&cs->work, irq_work_fn);
	if (cs->responder) {
		oob_event_init(&cs->responder->ev);
		cs->responder->thread = oob_thread_create(cpu, responder_names[cpu], cs->responder->prio,
							  responder_thread, cs->responder);
		if (!cs->responder->thread) {
			cs->setup_error = "oob_thread_create() of the responder returned NULL";
			return;
		}
	}
	if (needs_timer(cs))
		enable_percpu_irq(OOBSIM_TIMER_PPI, 0);
	/* On every CPU, phases or not: any CPU may be a target. It stays enabled to the end (see stop_cpu()). */
	if (oob_ipi_requested)
		enable_percpu_irq(CALL_FUNCTION_OOB_IPI, 0);
}

/* The first grid point after now, and the wake-up at the duration for a CPU without phases. */
static void start_timer(unsigned int cpu)
{
	struct cpu_state *cs = &cpus[cpu];
	struct cpu_timer *t = &cs->timer;
	unsigned long flags;
	uint64_t now;

	if (!needs_timer(cs))
		return;
	flags = hard_local_irq_save();
	now = cycles64();
	if (t->period)
		t->grid_next = (now / t->period + 1) * t->period;
	if (!cs->nr_phases && now < table->duration) {
		t->wake_at_deadline = true;
		t->deadline_cmp = table->duration;
	}
	timer_rearm(cpu, now);
	hard_local_irq_restore(flags);
}

/* The end on this CPU: no timer firing and no device interrupt of the scenario is handled here any more. The oob IPI
 * stays enabled: a CPU still in its last oob_ipi phase may be waiting for this one (nobody sends after the barrier). */
static void stop_cpu(unsigned int cpu)
{
	struct cpu_state *cs = &cpus[cpu];
	unsigned long flags;

	if (needs_timer(cs)) {
		flags = hard_local_irq_save();
		cs->timer.stopped = true;
		gic_timer_stop(cpu);
		hard_local_irq_restore(flags);
		disable_percpu_irq(OOBSIM_TIMER_PPI);
	}
	for (uint32_t k = 0; k < nr_spi_groups; k++)
		if (spi_groups[k].cpu == cpu)
			disable_irq(spi_groups[k].spi);
}

static int check_reports(void)
{
	for (int kind = 0; kind < PIPELINE_NR_DEBUG_CHECKS; kind++)
		if (kernel_last_report(kind))
			return failed("pipeline debug check %d: %s", kind, kernel_last_report(kind)->msg);
	for (int kind = PIPELINE_FAIL_XCALL_CONTEXT; kind <= PIPELINE_FAIL_XCALL_CPU; kind++)
		if (kernel_last_report(kind))
			return failed("xcall assertion %d: %s", kind, kernel_last_report(kind)->msg);
	if (oob_ipi_unattributed)
		return failed("%u oob IPI handler runs without a GICC_IAR naming the IPI and its sender",
			      (unsigned int)oob_ipi_unattributed);
	return 0;
}

/* The cycle is when the set-up ended: how much of the duration the boot and the set-up took. */
static void print_start_line(void)
{
	uint64_t now = cycles64();

	printf("scenario: start %s cpus=%u duration=%u sources=%u responders=%u phases=%u cycle=%llu\n",
	       KERNEL_MODE_NAME, (unsigned int)table->cpus, (unsigned int)table->duration,
	       (unsigned int)table->nr_sources, (unsigned int)table->nr_responders, (unsigned int)table->nr_phases,
	       (unsigned long long)now);
}

static void print_report(void)
{
	for (unsigned int c = 0; c < table->cpus; c++) {
		const struct cpu_state *cs = &cpus[c];

		printf("scenario-counters cpu=%u compute=%u irq_save=%u irq_work=%u oob_call=%u xcall=%u irqs=%u "
		       "wakeups=%u oob_ipi=%u oob_ipis=%u\n", c, (unsigned int)cs->done[SCENARIO_PHASE_COMPUTE],
		       (unsigned int)cs->done[SCENARIO_PHASE_IRQ_SAVE], (unsigned int)cs->done[SCENARIO_PHASE_IRQ_WORK],
		       (unsigned int)cs->done[SCENARIO_PHASE_OOB_CALL], (unsigned int)cs->done[SCENARIO_PHASE_XCALL],
		       (unsigned int)cs->irqs, cs->responder ? (unsigned int)cs->responder->wakeups : 0u,
		       (unsigned int)cs->done[SCENARIO_PHASE_OOB_IPI], (unsigned int)cs->oob_ipis);
	}
	for (uint32_t i = 0; i < table->nr_sources; i++) {
		const struct scenario_source *s = &sources[i];

		printf("scenario-source channel=%u spi=%u handled=%u count=%u overrun=%u\n", (unsigned int)s->channel,
		       (unsigned int)s->spi, (unsigned int)source_handled[i], (unsigned int)irqsrc_count(s->channel),
		       (unsigned int)irqsrc_overrun(s->channel));
	}
	for (uint32_t i = 0; i < table->nr_responders; i++) {
		const struct responder *r = &responders[i];

		printf("scenario-responder cpu=%u fired=%u wakeups=%u missed=%u latency_min=%u latency_max=%u "
		       "latency_sum=%llu\n", (unsigned int)responder_recs[i].cpu, (unsigned int)r->fired,
		       (unsigned int)r->wakeups, (unsigned int)r->missed, (unsigned int)r->latency_min,
		       (unsigned int)r->latency_max, (unsigned long long)r->latency_sum);
	}
}

int kernel_main(unsigned int cpu)
{
	struct cpu_state *cs = &cpus[cpu];
	int ret;

	if (cpu == 0) {
		if ((ret = validate_table()) || (ret = set_up_global()))
			return ret;
		mb();
		run_state = SET_UP;
	} else {
		while (READ_ONCE(run_state) == WAIT_TABLE)
			cpu_relax();
		mb();
	}

	set_up_cpu(cpu);
	sync_cpus();
	if (cpu == 0) {
		for (unsigned int c = 0; c < table->cpus; c++)
			if (cpus[c].setup_error)
				return failed("cpu %u: %s", c, cpus[c].setup_error);
		print_start_line();
		mb();
		run_state = GO;
	} else {
		while (READ_ONCE(run_state) != GO)
			cpu_relax();
		mb();
	}

	start_timer(cpu);
	if (cs->nr_phases)
		run_phases(cs);
	else
		idle_until_duration();
	stop_cpu(cpu);
	sync_cpus();
	if (cpu != 0)
		return 0;

	print_report();
	if ((ret = check_reports()))
		return ret;
	printf("scenario: end cycle=%llu\n", (unsigned long long)cycles64());
	return 0;
}

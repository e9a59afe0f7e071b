/*
 * Exact interrupt latency through the GIC: from the cycle an interrupt line changes to the cycle the trap handler's
 * first instruction starts, for a sleeping (WFI) and for a busy receiver, asserted against the formulas of
 * docs/timing-model.md ("Exact interrupt latency"):
 *
 *   P = C + gic_latency                                   MEIP rises (C: the cycle the line changes)
 *   sleeping in WFI (since w = WFI start + wfi_cycles):   H = max(P, w) + wfi_wakeup_cycles + trap_entry_cycles
 *   busy, mstatus.MIE = 1:                                H = b + trap_entry_cycles,
 *                                                         b = the first instruction boundary at or after P
 *
 * with C, per source:
 *   GIC timer (PPI 30, CTRL.ENABLE):     C = CMP, the compare value it fires at
 *   IRQ-source channel (SPI):            C = the event cycle (--irq-source at=...; the channel's LAST_CYCLE)
 *   SGI:                                 C = T, the cycle the store to GICD_SGIR starts
 *
 * How the cycles are measured, exactly:
 *   - H: mtvec points at exact_vector, whose first instruction is `csrr tp, mcycle` (mcycle reads the cycle its
 *     instruction starts), before the runtime's trap entry; the handler takes it from the frame. Nothing in the
 *     firmware uses tp.
 *   - b: the busy receiver runs a sled of NOPs (one instruction boundary every base_cpi cycles) that starts at a
 *     measured cycle S; mepc says which NOP was interrupted, so b = S + k * base_cpi.
 *   - w: `csrr mcycle` right before the WFI: the WFI starts csr_cycles later. T (SGI) likewise: `csrr` then the store.
 *
 * The timing parameters come from CMake (-DTIMING_*), which runs this test with the same values as --timing options
 * (tests/firmware/CMakeLists.txt); the IRQ sources (--irq-source) likewise come with -DSPI_*.
 *
 * Cases: the timer on every hart (WFI, busy); an IRQ-source SPI to hart 0 (WFI, busy); an SGI from hart 0 to every
 * other hart (WFI, busy).
 */
#include "fwtest_gic.h"

#if !defined(TIMING_BASE_CPI) || !defined(TIMING_CSR_CYCLES) || !defined(TIMING_GIC_LATENCY) ||                    \
	!defined(TIMING_TRAP_ENTRY_CYCLES) || !defined(TIMING_WFI_CYCLES) || !defined(TIMING_WFI_WAKEUP_CYCLES)
#error "the timing parameters come from CMake: oobsim_fw_test(... TIMING ...)"
#endif
#if !defined(SPI_WFI_ID) || !defined(SPI_WFI_CHANNEL) || !defined(SPI_WFI_AT) || !defined(SPI_BUSY_ID) ||          \
	!defined(SPI_BUSY_CHANNEL) || !defined(SPI_BUSY_AT)
#error "the IRQ sources come from CMake: oobsim_fw_test(... ARGS --irq-source ... DEFINES SPI_...)"
#endif

#define SLED_LEN	4096	/* NOPs */
#define PRIO		0x80
#define SGI_EXACT	3

#define MAXH	OOBSIM_MAX_HARTS

/* The interrupted code sees tp restored to 0 (its value everywhere in this firmware). */
__asm__(".section .text.exact_vector, \"ax\", @progbits\n"
	".balign 4\n"
	".globl exact_vector\n"
	"exact_vector:\n"
	"	csrr	tp, mcycle\n"
	"	j	trap_entry\n");
extern const uint32_t exact_vector[];

/* The sled's first NOP (defined in run_sled()). */
extern const uint32_t exact_sled[];

/* What the handler saw, per hart. */
static volatile struct {
	uint32_t count;		/* interrupts handled (not spurious) */
	uint32_t spurious;
	uint32_t handler;	/* mcycle at the handler's first instruction */
	uint32_t mepc;
	uint32_t iar;
} rec[MAXH];

/* Results for the summary: latency H - C per case and hart. */
enum { TIMER_WFI, TIMER_BUSY, SPI_WFI, SPI_BUSY, SGI_WFI, SGI_BUSY, CASES };
static const char *const case_name[CASES] = {
	"timer PPI 30, receiver in WFI", "timer PPI 30, receiver busy", "SPI (IRQ source), receiver in WFI",
	"SPI (IRQ source), receiver busy", "SGI, receiver in WFI", "SGI, receiver busy",
};
static volatile uint32_t latency[CASES][MAXH];
static volatile uint32_t measured[CASES][MAXH];	/* 1 when the case ran on that hart */

static struct hart_barrier barrier = HART_BARRIER_INIT;
static volatile uint32_t sgi_ready[MAXH];	/* receiver: about to sleep (1) / about to run the sled (2) */
static volatile uint32_t sgi_sent_at[MAXH];	/* T, the SGIR store's start cycle, + published flag below */
static volatile uint32_t sgi_sent[MAXH];

void trap_handler(struct trap_frame *f)
{
	uint32_t me = hartid();
	uint32_t h = f->regs[4];
	uint32_t iar, id;

	f->regs[4] = 0;
	if (f->mcause != FWTEST_MCAUSE_GIC)
		trap_unexpected(f);
	iar = gic_ack();
	id = gic_iar_id(iar);
	if (id == OOBSIM_GIC_SPURIOUS) {
		rec[me].spurious++;
		return;
	}
	rec[me].handler = h;
	rec[me].mepc = f->mepc;
	rec[me].iar = iar;
	if (id == OOBSIM_TIMER_PPI)
		gic_timer_ack(me);
	else if (id == SPI_WFI_ID)
		irqsrc_ack(SPI_WFI_CHANNEL);
	else if (id == SPI_BUSY_ID)
		irqsrc_ack(SPI_BUSY_CHANNEL);
	else if (id != SGI_EXACT)
		FAIL("unexpected interrupt %u", (unsigned int)id);
	gic_eoi(iar);
	rec[me].count++;
}

/* a - b as a signed distance, for cycle stamps in 32 bits (the run is far shorter than 2^31 cycles). */
static inline int32_t cdiff(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

/* SLED_LEN NOPs with mstatus.MIE set; returns the cycle the first NOP starts. */
static __attribute__((noinline, noclone)) uint32_t run_sled(void)
{
	uint32_t c;

	__asm__ volatile("csrsi	mstatus, 8\n"
			 "csrr	%0, mcycle\n"
			 ".globl exact_sled\n"
			 "exact_sled:\n"
			 ".rept " "4096" "\n"
			 "nop\n"
			 ".endr\n"
			 "csrci	mstatus, 8\n"
			 : "=&r"(c) : : "memory");
	return c + TIMING_CSR_CYCLES;
}
_Static_assert(SLED_LEN == 4096, "keep the .rept count in run_sled() in step");

/* WFI with mstatus.MIE set; returns the cycle the WFI starts and, in *after, where the interrupt returns to. */
static __attribute__((noinline, noclone)) uint32_t sleep_once(uint32_t *after)
{
	uint32_t c, a;

	__asm__ volatile("la	%1, 1f\n"
			 "csrsi	mstatus, 8\n"
			 "csrr	%0, mcycle\n"
			 "wfi\n"
			 "1:\n"
			 "csrci	mstatus, 8\n"
			 : "=&r"(c), "=&r"(a) : : "memory");
	*after = a;
	return c + TIMING_CSR_CYCLES;
}

/* A store of `value` to GICD_SGIR; returns the cycle the store starts. */
static inline uint32_t send_sgi_timed(uint32_t value)
{
	uint32_t c;

	__asm__ volatile("csrr	%0, mcycle\n"
			 "sw	%1, 0(%2)\n"
			 : "=&r"(c)
			 : "r"(value), "r"(OOBSIM_GICD_BASE + OOBSIM_GICD_SGIR)
			 : "memory");
	return c + TIMING_CSR_CYCLES;
}

static void expect_one_interrupt(uint32_t me, uint32_t before, uint32_t id, const char *what)
{
	CHECK(rec[me].count == before + 1, "%s: %u interrupts taken, expected 1", what,
	      (unsigned int)(rec[me].count - before));
	CHECK_EQ(what, gic_iar_id(rec[me].iar), id);
}

/* The receiver slept in WFI from `wfi_start`; the line changed at `line`. */
static void check_wfi(int kase, uint32_t me, uint32_t line, uint32_t wfi_start, uint32_t after)
{
	const char *what = case_name[kase];
	uint32_t p = line + TIMING_GIC_LATENCY;
	uint32_t w = wfi_start + TIMING_WFI_CYCLES;
	uint32_t expected = (cdiff(p, w) > 0 ? p : w) + TIMING_WFI_WAKEUP_CYCLES + TIMING_TRAP_ENTRY_CYCLES;

	CHECK(cdiff(p, wfi_start) > 0, "%s: set-up too slow: MEIP rose at %u, before the WFI started at %u", what,
	      (unsigned int)p, (unsigned int)wfi_start);
	CHECK(rec[me].mepc == after, "%s: mepc 0x%08x, expected the instruction after the WFI (0x%08x)", what,
	      (unsigned int)rec[me].mepc, (unsigned int)after);
	if (rec[me].handler != expected)
		FAIL("%s: handler started at cycle %u, expected %u = max(line %u + gic_latency %u, asleep from %u) + "
		     "wfi_wakeup_cycles %u + trap_entry_cycles %u (off by %d)",
		     what, (unsigned int)rec[me].handler, (unsigned int)expected, (unsigned int)line,
		     TIMING_GIC_LATENCY, (unsigned int)w, TIMING_WFI_WAKEUP_CYCLES, TIMING_TRAP_ENTRY_CYCLES,
		     (int)cdiff(rec[me].handler, expected));
	latency[kase][me] = rec[me].handler - line;
	measured[kase][me] = 1;
}

/* The receiver ran the sled from cycle `s`; the line changed at `line`. */
static void check_busy(int kase, uint32_t me, uint32_t line, uint32_t s)
{
	const char *what = case_name[kase];
	uint32_t p = line + TIMING_GIC_LATENCY;
	uint32_t sled = (uint32_t)(uintptr_t)exact_sled;
	uint32_t k, b, first;

	CHECK(cdiff(p, s) > 0, "%s: set-up too slow: MEIP rose at %u, before the sled started at %u", what,
	      (unsigned int)p, (unsigned int)s);
	CHECK(rec[me].mepc >= sled && rec[me].mepc < sled + 4 * SLED_LEN,
	      "%s: interrupted at 0x%08x, outside the sled 0x%08x..", what, (unsigned int)rec[me].mepc,
	      (unsigned int)sled);
	k = (rec[me].mepc - sled) / 4;
	b = s + k * TIMING_BASE_CPI;
	/* The first boundary at or after P: boundaries are at s + j * base_cpi. */
	first = s + (p - s + TIMING_BASE_CPI - 1) / TIMING_BASE_CPI * TIMING_BASE_CPI;
	if (b != first)
		FAIL("%s: trap taken at boundary %u (NOP %u of the sled from %u), expected the first boundary at or "
		     "after MEIP = line %u + gic_latency %u, i.e. %u",
		     what, (unsigned int)b, (unsigned int)k, (unsigned int)s, (unsigned int)line, TIMING_GIC_LATENCY,
		     (unsigned int)first);
	if (rec[me].handler != b + TIMING_TRAP_ENTRY_CYCLES)
		FAIL("%s: handler started at cycle %u, expected boundary %u + trap_entry_cycles %u", what,
		     (unsigned int)rec[me].handler, (unsigned int)b, TIMING_TRAP_ENTRY_CYCLES);
	latency[kase][me] = rec[me].handler - line;
	measured[kase][me] = 1;
}

/* Every hart: its own timer, fired while it sleeps and while it is busy. */
static void timer_cases(uint32_t me)
{
	uint32_t before, wfi_start, after, s, cmp;

	before = rec[me].count;
	cmp = (uint32_t)timer_counter() + 3000 + 500 * me;
	gic_timer_start(me, cmp, 0);
	wfi_start = sleep_once(&after);
	expect_one_interrupt(me, before, OOBSIM_TIMER_PPI, "timer interrupt (WFI)");
	check_wfi(TIMER_WFI, me, cmp, wfi_start, after);

	before = rec[me].count;
	cmp = (uint32_t)timer_counter() + 1500 + 100 * me;
	gic_timer_start(me, cmp, 0);
	s = run_sled();
	expect_one_interrupt(me, before, OOBSIM_TIMER_PPI, "timer interrupt (busy)");
	check_busy(TIMER_BUSY, me, cmp, s);
	gic_timer_stop(me);
}

/* Hart 0: the two IRQ-source channels, one-shot level lines at cycles fixed on the command line. */
static void spi_cases(void)
{
	uint32_t before, wfi_start, after, s;

	CHECK(cdiff(SPI_WFI_AT, (uint32_t)timer_counter()) > 2000, "set-up too slow: SPI_WFI_AT (%u) is too early",
	      (unsigned int)SPI_WFI_AT);
	before = rec[0].count;
	wfi_start = sleep_once(&after);
	expect_one_interrupt(0, before, SPI_WFI_ID, "IRQ-source SPI (WFI)");
	CHECK_EQ("LAST_CYCLE of the channel (its event cycle)", (uint32_t)irqsrc_last_cycle(SPI_WFI_CHANNEL),
		 SPI_WFI_AT);
	check_wfi(SPI_WFI, 0, SPI_WFI_AT, wfi_start, after);

	CHECK(cdiff(SPI_BUSY_AT, (uint32_t)timer_counter()) > 1500, "set-up too slow: SPI_BUSY_AT (%u) is too early",
	      (unsigned int)SPI_BUSY_AT);
	WAIT_UNTIL(cdiff(SPI_BUSY_AT, (uint32_t)timer_counter()) < 1000, "the counter to get near SPI_BUSY_AT");
	before = rec[0].count;
	s = run_sled();
	expect_one_interrupt(0, before, SPI_BUSY_ID, "IRQ-source SPI (busy)");
	CHECK_EQ("LAST_CYCLE of the channel (its event cycle)", (uint32_t)irqsrc_last_cycle(SPI_BUSY_CHANNEL),
		 SPI_BUSY_AT);
	check_busy(SPI_BUSY, 0, SPI_BUSY_AT, s);
}

/* Hart 0 sends SGI_EXACT to `r`, asleep (mode 1) or busy (mode 2), once `r` says it is ready. */
static void sgi_sender(uint32_t r, uint32_t mode)
{
	WAIT_UNTIL(READ_ONCE(sgi_ready[r]) == mode, "the receiver to get ready");
	delay_cycles(mode == 1 ? 1000 : 300);
	sgi_sent_at[r] = send_sgi_timed(OOBSIM_GICD_SGIR_TO_LIST | (1u << (16 + r)) | SGI_EXACT);
	WRITE_ONCE(sgi_sent[r], mode);
}

static void sgi_receiver(uint32_t me)
{
	uint32_t before, wfi_start, after, s;

	before = rec[me].count;
	WRITE_ONCE(sgi_ready[me], 1);
	wfi_start = sleep_once(&after);
	expect_one_interrupt(me, before, SGI_EXACT, "SGI (WFI)");
	CHECK_EQ("SGI source CPU", gic_iar_source(rec[me].iar), 0);
	WAIT_UNTIL(READ_ONCE(sgi_sent[me]) == 1, "the sender to publish its send cycle");
	check_wfi(SGI_WFI, me, sgi_sent_at[me], wfi_start, after);

	before = rec[me].count;
	WRITE_ONCE(sgi_ready[me], 2);
	s = run_sled();
	expect_one_interrupt(me, before, SGI_EXACT, "SGI (busy)");
	CHECK_EQ("SGI source CPU", gic_iar_source(rec[me].iar), 0);
	WAIT_UNTIL(READ_ONCE(sgi_sent[me]) == 2, "the sender to publish its send cycle");
	check_busy(SGI_BUSY, me, sgi_sent_at[me], s);
}

static void print_summary(uint32_t n)
{
	console_lock();
	printf("gic_timer_exact: timing base_cpi=%u csr_cycles=%u gic_latency=%u trap_entry_cycles=%u wfi_cycles=%u "
	       "wfi_wakeup_cycles=%u\n",
	       TIMING_BASE_CPI, TIMING_CSR_CYCLES, TIMING_GIC_LATENCY, TIMING_TRAP_ENTRY_CYCLES, TIMING_WFI_CYCLES,
	       TIMING_WFI_WAKEUP_CYCLES);
	printf("gic_timer_exact: line change to first handler instruction, cycles, per receiving hart:\n");
	for (int k = 0; k < CASES; k++) {
		printf("  %-34s", case_name[k]);
		for (uint32_t h = 0; h < n; h++) {
			if (measured[k][h])
				printf(" %4u", (unsigned int)latency[k][h]);
			else
				printf("    -");
		}
		printf("\n");
	}
	console_unlock();
}

int main(void)
{
	uint32_t me = hartid();
	uint32_t n = fwtest_harts();

	if (me >= n)
		return 0;

	csr_write(mtvec, (uint32_t)(uintptr_t)exact_vector);
	fwtest_gic_cpu_setup(PRIO);
	gic_enable_irq(OOBSIM_TIMER_PPI);	/* banked: every hart enables its own */
	if (me == 0) {
		fwtest_gic_spi_setup(SPI_WFI_ID, PRIO, 1u, false);
		fwtest_gic_spi_setup(SPI_BUSY_ID, PRIO, 1u, false);
	}
	hart_barrier_wait(&barrier, n);

	timer_cases(me);
	hart_barrier_wait(&barrier, n);

	if (me == 0)
		spi_cases();
	hart_barrier_wait(&barrier, n);

	for (uint32_t r = 1; r < n; r++) {
		if (me == 0) {
			sgi_sender(r, 1);
			sgi_sender(r, 2);
		} else if (me == r) {
			sgi_receiver(me);
		}
		hart_barrier_wait(&barrier, n);
	}

	/* Nothing more may come: every case took exactly one interrupt, and no GICC_IAR read found nothing. */
	irq_global_enable();
	delay_cycles(2000);
	irq_global_disable();
	hart_barrier_wait(&barrier, n);
	if (me != 0)
		return 0;
	for (uint32_t h = 0; h < n; h++) {
		CHECK(rec[h].count == 4u, "hart %u took %u interrupts in all, expected 4",
		      (unsigned int)h, (unsigned int)rec[h].count);
		CHECK(rec[h].spurious == 0, "hart %u read GICC_IAR %u times with nothing to acknowledge",
		      (unsigned int)h, (unsigned int)rec[h].spurious);
	}

	print_summary(n);
	printf("gic_timer_exact: PASS (%u harts: every latency equals its formula)\n", (unsigned int)n);
	return 0;
}

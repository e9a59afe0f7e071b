/*
 * An interrupt-heavy program, for the fast-vs-reference equivalence tests and as a soak test of the GIC path: every
 * hart computes while it takes
 *   - its own periodic GIC timer (PPI 30, priority 0x40), every TIMER_PERIOD + 1000 * hart cycles;
 *   - SGIs (priority 0x80) from the other harts: a ring (SGI 1 to the next hart), "every CPU but me" (SGI 2) and
 *     "only me" (SGI 3), sent between compute chunks;
 *   - SPIs (priority 0xc0) from the IRQ-source channels configured on the command line (seeded random, bursts; edge
 *     and level): channel k goes to hart k % N, except channel ALL_CHANNEL, which targets every hart (1-of-N).
 *     The SPI handler re-opens mstatus.MIE while it works, so timers and SGIs preempt it.
 *
 * Self-checks, all independent of the timing profile:
 *   - each hart's checksum equals the same computation redone at the end with interrupts off;
 *   - timer: interrupts handled + (1 if the last firing was still FIRED when the timer stopped) = the firings,
 *     (CMP now - first CMP) / period;
 *   - SGIs: a sender sends again only once the receiver has taken the previous one (so none merge); each receiver
 *     took exactly what each source sent it, per SGI, with GICC_IAR naming the source;
 *   - SPIs: a level channel was handled COUNT - OVERRUN times (once per rise of the line), an edge channel COUNT
 *     times (its events are far enough apart that none merge), summed over the harts.
 */
#include "fwtest_gic.h"

#ifndef IRQ_CHANNELS
#error "the IRQ sources come from CMake: oobsim_fw_test(... ARGS --irq-source ... DEFINES IRQ_CHANNELS=n ...)"
#endif
#ifndef ALL_CHANNEL
#define ALL_CHANNEL	(~0u)
#endif

#define MAXH		OOBSIM_MAX_HARTS
#define MAXCH		8
#define TIMER_PERIOD	10000u
#define CHUNKS		200u	/* compute chunks per hart */
#define CHUNK_ITERS	128u
#define BUF_WORDS	1024u

#define SGI_RING	1
#define SGI_OTHERS	2
#define SGI_SELF	3
#define NSGI		4

#define PRIO_TIMER	0x40
#define PRIO_SGI	0x80
#define PRIO_SPI	0xc0

_Static_assert(IRQ_CHANNELS <= MAXCH, "too many channels for the tables");

static struct hart_barrier barrier = HART_BARRIER_INIT;
static uint32_t buf[MAXH][BUF_WORDS];

static volatile uint32_t chan_of_spi[1024];		/* SPI id - 32 -> channel + 1 */
static volatile uint32_t chan_level[MAXCH];
static volatile uint32_t spi_handled[MAXCH][MAXH];
static volatile uint32_t timer_handled[MAXH];
static volatile uint32_t spurious[MAXH];
static volatile uint32_t outstanding[NSGI][MAXH][MAXH];	/* [sgi][source][target]: sent, not yet taken */
static volatile uint32_t sent[NSGI][MAXH][MAXH];	/* [sgi][source][target] */
static volatile uint32_t recv[NSGI][MAXH][MAXH];	/* [sgi][target][source] */
static volatile uint32_t handler_work[MAXH];
static volatile uint32_t max_depth[MAXH], depth[MAXH];

static void take_spi(struct trap_frame *f, uint32_t me, uint32_t id)
{
	uint32_t ch = chan_of_spi[id - GIC_SPI_BASE];
	uint32_t acc = handler_work[me];

	if (ch == 0)
		FAIL("SPI %u has no channel", (unsigned int)id);
	ch--;
	spi_handled[ch][me]++;
	/* Work with interrupts open: a timer or an SGI (higher group priority) may preempt us. The frame holds the
	 * mepc and mstatus a nested trap overwrites. */
	irq_global_enable();
	for (uint32_t i = 0; i < 40; i++)
		acc = acc * 1103515245u + 12345u + i;
	handler_work[me] = acc;
	if (chan_level[ch])
		irqsrc_ack(ch);
	irq_global_disable();
	csr_write(mstatus, f->mstatus);
}

void trap_handler(struct trap_frame *f)
{
	uint32_t me = hartid();
	uint32_t iar, id, src;

	if (f->mcause != FWTEST_MCAUSE_GIC)
		trap_unexpected(f);
	if (++depth[me] > max_depth[me])
		max_depth[me] = depth[me];
	iar = gic_ack();
	id = gic_iar_id(iar);
	if (id == OOBSIM_GIC_SPURIOUS) {
		spurious[me]++;	/* e.g. a 1-of-N SPI another hart took first */
		depth[me]--;
		return;
	}
	if (id == OOBSIM_TIMER_PPI) {
		gic_timer_ack(me);
		timer_handled[me]++;
	} else if (id < GIC_SGI_COUNT) {
		src = gic_iar_source(iar);
		if (id >= NSGI || id == 0)
			FAIL("unexpected SGI %u", (unsigned int)id);
		if (!outstanding[id][src][me])
			FAIL("SGI %u from CPU %u that was not sent", (unsigned int)id, (unsigned int)src);
		outstanding[id][src][me] = 0;
		recv[id][me][src]++;
	} else {
		take_spi(f, me, id);
	}
	depth[me]--;
	gic_eoi(iar);
}

/* One chunk of the computation: LCG-driven loads and stores over the hart's buffer, multiplies, a division. */
static uint32_t chunk(uint32_t *b, uint32_t acc, uint32_t c)
{
	uint32_t x = acc ^ (c * 0x9e3779b9u);

	for (uint32_t i = 0; i < CHUNK_ITERS; i++) {
		x = x * 1664525u + 1013904223u;
		uint32_t j = (x >> 8) & (BUF_WORDS - 1);
		uint32_t v = b[j];

		if (v & 1)
			acc += v ^ (x >> 3);
		else
			acc ^= v * 0x85ebca6bu;
		if ((x & 0x3f) == 0x15)
			acc += v / ((x >> 20) | 1);
		b[j] = v + acc;
	}
	return acc;
}

static uint32_t compute(uint32_t me, void (*between)(uint32_t me, uint32_t c))
{
	uint32_t *b = buf[me];
	uint32_t acc = me + 1;

	for (uint32_t i = 0; i < BUF_WORDS; i++)
		b[i] = i * 0x27d4eb2du + me;
	for (uint32_t c = 0; c < CHUNKS; c++) {
		acc = chunk(b, acc, c);
		if (between)
			between(me, c);
	}
	return acc;
}

static void send_sgi_to(uint32_t sgi, uint32_t me, uint32_t r)
{
	outstanding[sgi][me][r] = 1;
	sent[sgi][me][r]++;
}

/* Between chunks: SGIs, each only when the previous one of its kind has been taken. */
static void send_sgis(uint32_t me, uint32_t c)
{
	uint32_t n = fwtest_harts();

	if (n > 1 && c % 3 == 0) {
		uint32_t r = (me + 1) % n;

		if (!READ_ONCE(outstanding[SGI_RING][me][r])) {
			send_sgi_to(SGI_RING, me, r);
			iomb();	/* the bookkeeping before the SGI */
			gic_send_sgi(SGI_RING, (uint8_t)(1u << r));
		}
	}
	if (n > 1 && c % 7 == 0) {
		bool clear = true;

		for (uint32_t r = 0; r < n; r++)
			if (r != me && READ_ONCE(outstanding[SGI_OTHERS][me][r]))
				clear = false;
		if (clear) {
			for (uint32_t r = 0; r < n; r++)
				if (r != me)
					send_sgi_to(SGI_OTHERS, me, r);
			iomb();
			gic_send_sgi_others(SGI_OTHERS);
		}
	}
	if (c % 11 == 0 && !READ_ONCE(outstanding[SGI_SELF][me][me])) {
		send_sgi_to(SGI_SELF, me, me);
		iomb();
		gic_send_sgi_self(SGI_SELF);
	}
}

static bool sources_done(void)
{
	for (uint32_t ch = 0; ch < IRQ_CHANNELS; ch++)
		if (irqsrc_status(ch) & (OOBSIM_IRQSRC_STATUS_ACTIVE | OOBSIM_IRQSRC_STATUS_LINE |
					 OOBSIM_IRQSRC_STATUS_ACK_PENDING))
			return false;
	return true;
}

static void open_for(uint32_t cycles)
{
	irq_global_enable();
	delay_cycles(cycles);
	irq_global_disable();
}

/* A barrier that keeps taking interrupts: a hart that waits here with MIE off would hold back its SPIs (and lose
 * edges) for as long as the slowest hart takes to arrive. */
static void barrier_open(uint32_t n)
{
	irq_global_enable();
	hart_barrier_wait(&barrier, n);
	irq_global_disable();
}

int main(void)
{
	uint32_t me = hartid();
	uint32_t n = fwtest_harts();
	uint32_t period = TIMER_PERIOD + 1000 * me;
	uint32_t sum, again, fired, firings;
	uint64_t first_cmp;

	if (me >= n)
		return 0;

	fwtest_gic_cpu_setup(PRIO_SGI);
	gic_set_priority(OOBSIM_TIMER_PPI, PRIO_TIMER);
	gic_enable_irq(OOBSIM_TIMER_PPI);
	if (me == 0) {
		CHECK(irqsrc_channels() >= IRQ_CHANNELS, "only %u IRQ-source channels", (unsigned int)irqsrc_channels());
		for (uint32_t ch = 0; ch < IRQ_CHANNELS; ch++) {
			uint32_t id = irqsrc_spi(ch);
			bool level = irqsrc_status(ch) & OOBSIM_IRQSRC_STATUS_LEVEL;

			chan_of_spi[id - GIC_SPI_BASE] = ch + 1;
			chan_level[ch] = level;
			fwtest_gic_spi_setup(id, PRIO_SPI, ch == ALL_CHANNEL ? (uint8_t)((1u << n) - 1)
									   : (uint8_t)(1u << (ch % n)),
					     !level);
		}
	}
	hart_barrier_wait(&barrier, n);
	/* An edge that came before its SPI was set to edge-triggered would be lost (SPIs reset level-sensitive). */
	if (me == 0)
		for (uint32_t ch = 0; ch < IRQ_CHANNELS; ch++)
			CHECK(irqsrc_count(ch) == 0, "set-up too slow: channel %u had %u events before it (start the "
			      "channels later)", (unsigned int)ch, (unsigned int)irqsrc_count(ch));

	/* The storm. */
	first_cmp = timer_counter() + period;
	gic_timer_start(me, first_cmp, period);
	irq_global_enable();
	sum = compute(me, send_sgis);
	gic_timer_stop(me);
	open_for(3000);	/* the stop lands; anything in flight is taken */

	fired = gic_timer_status(me) & OOBSIM_TIMER_STATUS_FIRED;
	firings = (uint32_t)((gic_timer_cmp(me) - first_cmp) / period);
	CHECK(timer_handled[me] + fired == firings, "timer: %u interrupts handled + FIRED %u, but it fired %u times",
	      (unsigned int)timer_handled[me], (unsigned int)fired, (unsigned int)firings);
	CHECK(firings > 10, "timer: only %u firings: the computation is too short for this test",
	      (unsigned int)firings);

	/* Let the IRQ sources run out, taking their interrupts. */
	barrier_open(n);
	WAIT_UNTIL((open_for(500), sources_done()), "the IRQ sources to run out");
	open_for(5000);
	barrier_open(n);

	again = compute(me, NULL);
	CHECK(sum == again, "checksum %08x with interrupts, %08x without", (unsigned int)sum, (unsigned int)again);
	hart_barrier_wait(&barrier, n);
	if (me != 0)
		return 0;

	uint32_t sgis = 0, spis = 0, timers = 0, spur = 0;

	for (uint32_t s = 1; s < NSGI; s++)
		for (uint32_t a = 0; a < n; a++)
			for (uint32_t b = 0; b < n; b++) {
				if (recv[s][b][a] != sent[s][a][b])
					FAIL("SGI %u from hart %u to hart %u: sent %u, taken %u", (unsigned int)s,
					     (unsigned int)a, (unsigned int)b, (unsigned int)sent[s][a][b],
					     (unsigned int)recv[s][b][a]);
				sgis += recv[s][b][a];
			}
	for (uint32_t ch = 0; ch < IRQ_CHANNELS; ch++) {
		uint32_t handled = 0, count = irqsrc_count(ch), overrun = irqsrc_overrun(ch);
		uint32_t want = chan_level[ch] ? count - overrun : count;

		for (uint32_t h = 0; h < n; h++)
			handled += spi_handled[ch][h];
		if (handled != want)
			FAIL("channel %u (SPI %u, %s): handled %u times, expected %u (COUNT %u, OVERRUN %u)",
			     (unsigned int)ch, (unsigned int)irqsrc_spi(ch), chan_level[ch] ? "level" : "edge",
			     (unsigned int)handled, (unsigned int)want, (unsigned int)count, (unsigned int)overrun);
		printf("gic_irq_heavy: channel %u (SPI %u, %s): %u events, %u overruns, handled %u times\n",
		       (unsigned int)ch, (unsigned int)irqsrc_spi(ch), chan_level[ch] ? "level" : "edge",
		       (unsigned int)count, (unsigned int)overrun, (unsigned int)handled);
		spis += handled;
	}
	for (uint32_t h = 0; h < n; h++) {
		timers += timer_handled[h];
		spur += spurious[h];
		printf("gic_irq_heavy: hart %u: %u timer interrupts, nesting depth up to %u\n", (unsigned int)h,
		       (unsigned int)timer_handled[h], (unsigned int)max_depth[h]);
	}
	printf("gic_irq_heavy: PASS (%u harts: %u timer, %u SGI, %u SPI interrupts; %u spurious IAR reads)\n",
	       (unsigned int)n, (unsigned int)timers, (unsigned int)sgis, (unsigned int)spis, (unsigned int)spur);
	return 0;
}

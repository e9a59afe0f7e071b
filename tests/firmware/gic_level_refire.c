/*
 * A level-sensitive SPI from an IRQ-source channel re-fires after every EOI until the firmware acknowledges it at
 * the device (docs/irq-sources.md, "Servicing a level source"): the GIC cannot forget a line that is still high.
 *
 *  A. Channel LEVEL_CH raises SPI LEVEL_SPI once (one-shot, level). The handler ends the interrupt at the GIC without
 *     acknowledging the device REFIRES - 1 times: after each EOI the interrupt is pending again at once (GICD_ISPENDR,
 *     GICC_HPPIR), and GICD_ICPENDR cannot clear it while the line is high. The REFIRES-th time the handler writes
 *     ACK, waits until the ACK has reached the device (the line is low), then writes EOIR: no more interrupts. The
 *     handler runs exactly REFIRES times for one device event (COUNT 1, OVERRUN 0).
 *  B. Channel PERIODIC_CH raises SPI PERIODIC_SPI at three periodic events. Each rise is taken PER_RISE times (ACK
 *     on the last); on the second rise's last entry the handler waits, the line still high, for the third event:
 *     that event is an overrun (the line just stays high), so the device counts COUNT 3, OVERRUN 1, and the handler
 *     runs 2 * PER_RISE times in all.
 * The channels are configured on the CTest command line (tests/firmware/CMakeLists.txt) with the same numbers as the
 * -D defines below. Hart 0 takes every interrupt; the other harts have nothing to do.
 */
#include "fwtest_gic.h"

#if !defined(LEVEL_CH) || !defined(LEVEL_SPI) || !defined(LEVEL_AT) || !defined(PERIODIC_CH) ||                  \
	!defined(PERIODIC_SPI) || !defined(PERIODIC_EVENTS)
#error "the IRQ sources come from CMake: oobsim_fw_test(... ARGS --irq-source ... DEFINES ...)"
#endif

#define REFIRES		5	/* A: handler entries for the one event */
#define PER_RISE	3	/* B: handler entries per rise of the line */
#define PRIO		0x60

static volatile uint32_t level_entries, periodic_entries, spurious;
static volatile uint32_t rise_entries;		/* B: entries for the current rise */
static volatile uint32_t rises_done;		/* B: rises acknowledged at the device */
static volatile uint32_t entry_cycle[REFIRES];	/* A: counter at each entry, for the report */

static void check_pending_again(uint32_t id)
{
	CHECK(gic_irq_pending(id), "SPI %u not pending again after EOI with its level line high", (unsigned int)id);
	CHECK_EQ("GICC_HPPIR after EOI with the line still high", gic_highest_pending(), id);
}

static void level_entry(uint32_t iar)
{
	uint32_t k = level_entries;

	entry_cycle[k] = (uint32_t)timer_counter();
	CHECK(k < REFIRES, "SPI %u taken a %u-th time after its device was acknowledged", LEVEL_SPI,
	      (unsigned int)k + 1);
	CHECK_EQ("COUNT of the level channel (one event, however often it re-fires)", irqsrc_count(LEVEL_CH), 1);
	CHECK(irqsrc_status(LEVEL_CH) & OOBSIM_IRQSRC_STATUS_LINE, "level line low in its handler");
	CHECK(gic_irq_active(LEVEL_SPI), "SPI %u not active after GICC_IAR", LEVEL_SPI);
	CHECK_EQ("GICC_RPR in the handler", gic_running_priority(), PRIO);
	level_entries = k + 1;
	if (k + 1 < REFIRES) {
		if (k == 1) {
			/* The line is high: clearing the pending state does not stick (it is active and pending). */
			gic_clear_pending(LEVEL_SPI);
			CHECK(gic_irq_pending(LEVEL_SPI), "GICD_ICPENDR cleared a level interrupt whose line is high");
		}
		gic_eoi(iar);
		check_pending_again(LEVEL_SPI);
		return;
	}
	irqsrc_ack(LEVEL_CH);
	CHECK(!(irqsrc_status(LEVEL_CH) & OOBSIM_IRQSRC_STATUS_LINE), "level line still high after its ACK landed");
	CHECK(!gic_irq_pending(LEVEL_SPI), "SPI %u still pending after the device was acknowledged", LEVEL_SPI);
	gic_eoi(iar);
}

static void periodic_entry(uint32_t iar)
{
	uint32_t k = ++rise_entries;

	periodic_entries++;
	CHECK(irqsrc_status(PERIODIC_CH) & OOBSIM_IRQSRC_STATUS_LINE, "periodic level line low in its handler");
	if (k < PER_RISE) {
		gic_eoi(iar);
		check_pending_again(PERIODIC_SPI);
		return;
	}
	if (rises_done == 1) {
		/* The second rise: let the third event find the line still high. */
		WAIT_UNTIL(irqsrc_count(PERIODIC_CH) == PERIODIC_EVENTS, "the last periodic event");
		CHECK_EQ("OVERRUN after an event found the line high", irqsrc_overrun(PERIODIC_CH), 1);
	}
	irqsrc_ack(PERIODIC_CH);
	rise_entries = 0;
	rises_done++;
	gic_eoi(iar);
}

void trap_handler(struct trap_frame *f)
{
	uint32_t iar, id;

	if (f->mcause != FWTEST_MCAUSE_GIC)
		trap_unexpected(f);
	iar = gic_ack();
	id = gic_iar_id(iar);
	OOBSIM_TRACE(30, id);
	if (id == LEVEL_SPI)
		level_entry(iar);
	else if (id == PERIODIC_SPI)
		periodic_entry(iar);
	else if (id == OOBSIM_GIC_SPURIOUS)
		spurious++;
	else
		FAIL("unexpected interrupt %u", (unsigned int)id);
}

/* Sleep until *count reaches `want` (test and WFI with MIE off; MIE opened only to take what woke us). */
static void wait_for(volatile uint32_t *count, uint32_t want, const char *what)
{
	uint32_t spins = 0;

	irq_global_disable();
	while (*count < want) {
		if (++spins == FWTEST_SPIN_LIMIT)
			FAIL("timed out waiting for %s", what);
		wfi();
		irq_global_enable();
		irq_global_disable();
	}
}

/* With interrupts open for a while: nothing more may come. */
static void quiet_period(void)
{
	irq_global_enable();
	delay_cycles(20000);
	irq_global_disable();
}

int main(void)
{
	if (hartid() != 0)
		return 0;

	fwtest_gic_cpu_setup(PRIO);
	fwtest_gic_spi_setup(LEVEL_SPI, PRIO, 1u, false);
	fwtest_gic_spi_setup(PERIODIC_SPI, PRIO, 1u, false);
	CHECK_EQ("SPI of the level channel", irqsrc_spi(LEVEL_CH), LEVEL_SPI);
	CHECK_EQ("SPI of the periodic channel", irqsrc_spi(PERIODIC_CH), PERIODIC_SPI);
	CHECK((uint32_t)timer_counter() < LEVEL_AT, "set-up too slow: LEVEL_AT (%u) has passed", LEVEL_AT);

	/* A. */
	wait_for(&level_entries, REFIRES, "the level interrupt to re-fire");
	quiet_period();
	CHECK_EQ("handler entries for one level event", level_entries, REFIRES);
	CHECK_EQ("COUNT of the level channel", irqsrc_count(LEVEL_CH), 1);
	CHECK_EQ("OVERRUN of the level channel", irqsrc_overrun(LEVEL_CH), 0);
	CHECK_EQ("STATUS of the level channel at the end (level, line low, no events left)", irqsrc_status(LEVEL_CH),
		 OOBSIM_IRQSRC_STATUS_LEVEL);
	CHECK_EQ("LAST_CYCLE of the level channel", (uint32_t)irqsrc_last_cycle(LEVEL_CH), LEVEL_AT);
	printf("gic_level_refire: A: one level event at cycle %u taken %u times (EOI without device ACK %u times), "
	       "first at counter %u, re-fired every %u cycles\n",
	       LEVEL_AT, REFIRES, REFIRES - 1, (unsigned int)entry_cycle[0],
	       (unsigned int)(entry_cycle[1] - entry_cycle[0]));

	/* B. */
	wait_for(&rises_done, PERIODIC_EVENTS - 1, "the periodic level interrupts");
	quiet_period();
	CHECK_EQ("handler entries for the periodic channel", periodic_entries, (PERIODIC_EVENTS - 1) * PER_RISE);
	CHECK_EQ("rises of the periodic line acknowledged", rises_done, PERIODIC_EVENTS - 1);
	CHECK_EQ("COUNT of the periodic channel", irqsrc_count(PERIODIC_CH), PERIODIC_EVENTS);
	CHECK_EQ("OVERRUN of the periodic channel", irqsrc_overrun(PERIODIC_CH), 1);
	CHECK_EQ("STATUS of the periodic channel at the end", irqsrc_status(PERIODIC_CH), OOBSIM_IRQSRC_STATUS_LEVEL);
	printf("gic_level_refire: B: %u periodic events, 1 overrun, %u rises each taken %u times\n", PERIODIC_EVENTS,
	       PERIODIC_EVENTS - 1, PER_RISE);

	CHECK_EQ("spurious reads of GICC_IAR", spurious, 0);
	printf("gic_level_refire: PASS\n");
	return 0;
}

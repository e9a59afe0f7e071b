/*
 * Nested interrupts through the GIC: preemption by group priority (GICC_BPR), the running priority (GICC_RPR) and
 * the completion order.
 *
 * Three edge-triggered SPIs from IRQ-source channels, all to hart 0, each firing twice (two rounds, ROUND_PERIOD
 * apart), in the order LOW, MID, HIGH a few thousand cycles apart:
 *   LOW  priority 0xa8      MID  priority 0xa0      HIGH priority 0x40
 * A handler that may be preempted saves what a nested trap overwrites (mepc and mstatus: the trap frame holds them;
 * runtime restores mepc, the handler restores mstatus), re-enables mstatus.MIE, and closes it again before its EOI.
 *
 * Round 1, GICC_BPR = 3: the group priority is bits [7:4], so MID (0xa0) and LOW (0xa8) are in the same group and
 * MID does not preempt LOW although its priority is higher; HIGH (group 0x40) does.
 *   taken:    LOW (RPR 0xa8), HIGH (RPR 0x40, nested in LOW), MID (RPR 0xa0, after LOW's EOI)
 *   ended:    HIGH, LOW, MID
 *   While LOW runs with MIE open, MID stays pending (GICC_HPPIR names it); after HIGH's EOI the running priority is
 *   LOW's again.
 * Round 2, GICC_BPR = 2 (the minimum): every priority bit counts, so MID preempts LOW and HIGH preempts MID.
 *   taken:    LOW (0xa8), MID (0xa0, in LOW), HIGH (0x40, in MID)
 *   ended:    HIGH, MID, LOW
 * After each round GICC_RPR is idle (0xff) again.
 */
#include "fwtest_gic.h"

#if !defined(LOW_SPI) || !defined(MID_SPI) || !defined(HIGH_SPI) || !defined(ROUND1_AT) || !defined(ROUND_PERIOD)
#error "the IRQ sources come from CMake: oobsim_fw_test(... ARGS --irq-source ... DEFINES ...)"
#endif

enum { LOW, MID, HIGH, ROLES };
static const uint32_t spi[ROLES] = { LOW_SPI, MID_SPI, HIGH_SPI };
static const uint8_t prio[ROLES] = { 0xa8, 0xa0, 0x40 };
static const char *const role_name[ROLES] = { "LOW", "MID", "HIGH" };

#define MAX_LOG	8

static volatile uint32_t round_no;		/* 1 or 2: set by main before the round's events */
static volatile uint32_t depth;			/* handlers running on hart 0 */
static volatile struct {
	uint32_t role, rpr, depth;
} taken[MAX_LOG];
static volatile uint32_t ntaken;
static volatile uint32_t ended[MAX_LOG];	/* roles, in the order their EOI was written */
static volatile uint32_t nended;
static volatile uint32_t done[ROLES];		/* ended in this round */
static volatile uint32_t spurious;
static volatile uint32_t low_rpr_after_high;	/* round 1: GICC_RPR in LOW once HIGH has ended */
static volatile uint32_t hppir_in_low;		/* round 1: GICC_HPPIR in LOW while MID waits */

static int role_of(uint32_t id)
{
	for (int r = 0; r < ROLES; r++)
		if (spi[r] == id)
			return r;
	return -1;
}

static bool was_taken(int role)
{
	for (uint32_t k = 0; k < ntaken; k++)
		if (taken[k].role == (uint32_t)role)
			return true;
	return false;
}

/* Let higher group priorities in: the frame has saved mepc (the runtime restores it) and mstatus. */
static inline void nest_open(void)
{
	irq_global_enable();
}

/* Close again and put back the mstatus of this trap (MPIE: the interrupted code's MIE; a nested MRET changed it). */
static inline void nest_close(const struct trap_frame *f)
{
	irq_global_disable();
	csr_write(mstatus, f->mstatus);
}

void trap_handler(struct trap_frame *f)
{
	uint32_t iar, id, k;
	int role;

	if (f->mcause != FWTEST_MCAUSE_GIC)
		trap_unexpected(f);
	iar = gic_ack();
	id = gic_iar_id(iar);
	if (id == OOBSIM_GIC_SPURIOUS) {
		spurious++;
		return;
	}
	role = role_of(id);
	if (role < 0)
		FAIL("unexpected interrupt %u", (unsigned int)id);
	k = ntaken++;
	CHECK(k < MAX_LOG, "too many interrupts");
	taken[k].role = (uint32_t)role;
	taken[k].rpr = gic_running_priority();
	taken[k].depth = depth;
	OOBSIM_TRACE(40, (uint32_t)role << 8 | depth);
	depth++;

	if (role == LOW) {
		nest_open();
		if (round_no == 1) {
			WAIT_UNTIL(gic_irq_pending(MID_SPI), "MID to be pending");
			hppir_in_low = gic_highest_pending();
			WAIT_UNTIL(READ_ONCE(done[HIGH]), "HIGH to preempt LOW and end");
			low_rpr_after_high = gic_running_priority();
			/* MID has had every chance to preempt: it must still be pending, not taken. */
			delay_cycles(2000);
			CHECK(!was_taken(MID), "round 1: MID (same group as LOW with BPR 3) preempted LOW");
			CHECK(gic_irq_pending(MID_SPI) && !gic_irq_active(MID_SPI), "round 1: MID not pending in LOW");
		} else {
			WAIT_UNTIL(READ_ONCE(done[MID]), "MID to preempt LOW and end");
		}
		nest_close(f);
	} else if (role == MID && round_no == 2) {
		nest_open();
		WAIT_UNTIL(READ_ONCE(done[HIGH]), "HIGH to preempt MID and end");
		CHECK_EQ("round 2: GICC_RPR in MID once HIGH has ended", gic_running_priority(), prio[MID]);
		nest_close(f);
	} else if (role == HIGH) {
		CHECK(gic_irq_active(LOW_SPI), "HIGH ran while LOW was not active");
		if (round_no == 1)
			CHECK(gic_irq_pending(MID_SPI) && !gic_irq_active(MID_SPI),
			      "round 1: MID should be pending, not active, while HIGH runs");
		else
			CHECK(gic_irq_active(MID_SPI), "round 2: HIGH ran while MID was not active");
	}

	depth--;
	ended[nended++] = (uint32_t)role;
	done[role] = 1;
	gic_eoi(iar);
}

static void wait_round_end(void)
{
	uint32_t spins = 0;

	irq_global_disable();
	while (nended < 3) {
		if (++spins == FWTEST_SPIN_LIMIT)
			FAIL("timed out waiting for round %u", (unsigned int)round_no);
		wfi();
		irq_global_enable();
		irq_global_disable();
	}
	/* Nothing more in this round. */
	irq_global_enable();
	delay_cycles(5000);
	irq_global_disable();
}

static void check_round(const int want_taken[3], const uint32_t want_depth[3], const int want_ended[3])
{
	CHECK_EQ("interrupts taken in the round", ntaken, 3);
	CHECK_EQ("interrupts ended in the round", nended, 3);
	for (int k = 0; k < 3; k++) {
		if (taken[k].role != (uint32_t)want_taken[k])
			FAIL("round %u: interrupt #%d taken was %s, expected %s", (unsigned int)round_no, k + 1,
			     role_name[taken[k].role], role_name[want_taken[k]]);
		if (ended[k] != (uint32_t)want_ended[k])
			FAIL("round %u: interrupt #%d ended was %s, expected %s", (unsigned int)round_no, k + 1,
			     role_name[ended[k]], role_name[want_ended[k]]);
		if (taken[k].rpr != prio[want_taken[k]])
			FAIL("round %u: GICC_RPR in %s was 0x%02x, expected its priority 0x%02x", (unsigned int)round_no,
			     role_name[want_taken[k]], (unsigned int)taken[k].rpr, (unsigned int)prio[want_taken[k]]);
		if (taken[k].depth != want_depth[k])
			FAIL("round %u: %s taken at nesting depth %u, expected %u", (unsigned int)round_no,
			     role_name[want_taken[k]], (unsigned int)taken[k].depth, (unsigned int)want_depth[k]);
	}
	CHECK_EQ("GICC_RPR after the round (idle)", gic_running_priority(), 0xff);
	CHECK_EQ("nesting depth after the round", depth, 0);
	console_lock();
	printf("gic_nested_preemption: round %u, BPR %u: taken", (unsigned int)round_no,
	       (unsigned int)gicc_read(OOBSIM_GICC_BPR));
	for (int k = 0; k < 3; k++)
		printf(" %s (depth %u, RPR 0x%02x)", role_name[want_taken[k]], (unsigned int)want_depth[k],
		       (unsigned int)prio[want_taken[k]]);
	printf("; ended %s, %s, %s\n", role_name[want_ended[0]], role_name[want_ended[1]], role_name[want_ended[2]]);
	console_unlock();
}

static void start_round(uint32_t r, uint32_t bpr, uint32_t at)
{
	CHECK((uint32_t)timer_counter() < at, "set-up too slow: round %u starts at cycle %u", (unsigned int)r,
	      (unsigned int)at);
	gic_set_binary_point(bpr);
	CHECK_EQ("GICC_BPR read back", gicc_read(OOBSIM_GICC_BPR), bpr);
	ntaken = nended = 0;
	for (int k = 0; k < ROLES; k++)
		done[k] = 0;
	round_no = r;
}

int main(void)
{
	if (hartid() != 0)
		return 0;

	fwtest_gic_cpu_setup(0xf0);
	for (int r = 0; r < ROLES; r++)
		fwtest_gic_spi_setup(spi[r], prio[r], 1u, true);

	start_round(1, 3, ROUND1_AT);
	wait_round_end();
	{
		static const int t[3] = { LOW, HIGH, MID }, e[3] = { HIGH, LOW, MID };
		static const uint32_t d[3] = { 0, 1, 0 };

		check_round(t, d, e);
	}
	CHECK_EQ("round 1: GICC_HPPIR in LOW while MID was pending", hppir_in_low, MID_SPI);
	CHECK_EQ("round 1: GICC_RPR in LOW after HIGH's EOI (priority drop)", low_rpr_after_high, prio[LOW]);

	start_round(2, 2, ROUND1_AT + ROUND_PERIOD);
	wait_round_end();
	{
		static const int t[3] = { LOW, MID, HIGH }, e[3] = { HIGH, MID, LOW };
		static const uint32_t d[3] = { 0, 1, 2 };

		check_round(t, d, e);
	}

	CHECK_EQ("spurious reads of GICC_IAR", spurious, 0);
	printf("gic_nested_preemption: PASS\n");
	return 0;
}

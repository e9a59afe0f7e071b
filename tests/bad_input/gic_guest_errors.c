/*
 * Bad GIC accesses from a guest that handles its traps (the .S tests next to this one have no handler and end in
 * exit status 106). Every access below must trap precisely, with the cause and mtval docs/platform.md gives, and the
 * program goes on after it; oobsim reports the first refused access and the first bus error with their reasons and
 * counts the rest (checked by the CTest regular expression). Then accesses that are not errors: IDs past the SPIs that
 * exist are RAZ/WI, and writes to read-only registers are ignored (and counted, reported once per register).
 * Exits 0 when every access behaved.
 */
#include "fwtest.h"

#define GICD(off)	(OOBSIM_GICD_BASE + (off))
#define GICC(off)	(OOBSIM_GICC_BASE + (off))

static volatile uint32_t traps, last_cause, last_tval;

void trap_handler(struct trap_frame *f)
{
	if (trap_is_interrupt(f))
		trap_unexpected(f);
	traps++;
	last_cause = f->mcause;
	last_tval = f->mtval;
	f->mepc += 4;	/* skip the access (no compressed instructions) */
}

enum kind { LW, LH, LB, SW, SH, SB };

static void access(enum kind k, uint32_t addr)
{
	volatile void *p = (volatile void *)(uintptr_t)addr;

	switch (k) {
	case LW: (void)*(volatile uint32_t *)p; break;
	case LH: (void)*(volatile uint16_t *)p; break;
	case LB: (void)*(volatile uint8_t *)p; break;
	case SW: *(volatile uint32_t *)p = 0; break;
	case SH: *(volatile uint16_t *)p = 0; break;
	case SB: *(volatile uint8_t *)p = 0; break;
	}
}

static void expect_trap(const char *what, enum kind k, uint32_t addr, uint32_t cause)
{
	uint32_t before = traps;

	access(k, addr);
	if (traps != before + 1)
		FAIL("%s (0x%08x): %u traps, expected 1", what, (unsigned int)addr, (unsigned int)(traps - before));
	if (last_cause != cause || last_tval != addr)
		FAIL("%s: mcause %u mtval 0x%08x, expected mcause %u (%s) mtval 0x%08x", what, (unsigned int)last_cause,
		     (unsigned int)last_tval, (unsigned int)cause, trap_cause_name(cause), (unsigned int)addr);
}

int main(void)
{
	if (hartid() != 0)
		return 0;

	/* Misaligned: the core traps before the access reaches the GIC (no bus error). */
	expect_trap("misaligned word load from GICD_TYPER + 2", LW, GICD(OOBSIM_GICD_TYPER + 2), EXC_LOAD_MISALIGNED);
	expect_trap("misaligned word store to GICC_PMR + 1", SW, GICC(OOBSIM_GICC_PMR + 1), EXC_STORE_MISALIGNED);
	/* Sizes the register does not take: refused by the GIC, a bus error for the core. */
	expect_trap("halfword load from GICD_CTLR", LH, GICD(OOBSIM_GICD_CTLR), EXC_LOAD_ACCESS);
	expect_trap("halfword store to GICD_IPRIORITYR", SH, GICD(OOBSIM_GICD_IPRIORITYR + 32), EXC_STORE_ACCESS);
	expect_trap("byte store to GICC_EOIR", SB, GICC(OOBSIM_GICC_EOIR), EXC_STORE_ACCESS);
	/* Offsets with no register: reserved, not implemented (GICC_APR0), past the end of a window. */
	expect_trap("load from reserved GICD offset 0xd00", LW, GICD(0xd00), EXC_LOAD_ACCESS);
	expect_trap("load from GICC_APR0 (not implemented)", LW, GICC(0xd0), EXC_LOAD_ACCESS);
	expect_trap("store past the distributor window", SW, GICD(OOBSIM_GICD_SIZE), EXC_STORE_ACCESS);
	expect_trap("load past the CPU-interface window", LW, GICC(OOBSIM_GICC_SIZE), EXC_LOAD_ACCESS);

	/* Not errors: interrupt IDs past the SPIs that exist (--spis 64: IDs 32..95) read as zero, ignore writes. */
	uint32_t before = traps;

	gic_enable_irq(200);
	CHECK(!gic_irq_enabled(200), "ID 200 (no such SPI) reads as enabled");
	gic_set_priority(300, 0x80);
	CHECK_EQ("IPRIORITYR of ID 300 (no such SPI)", gicd_read8(OOBSIM_GICD_IPRIORITYR + 300), 0);
	gic_set_pending(96);
	CHECK(!gic_irq_pending(96), "ID 96 (no such SPI) reads as pending");
	/* Read-only registers: the writes are ignored. */
	uint32_t typer = gicd_read(OOBSIM_GICD_TYPER);

	gicd_write(OOBSIM_GICD_TYPER, ~typer);
	gicd_write(OOBSIM_GICD_TYPER, 0);
	CHECK_EQ("GICD_TYPER after writes", gicd_read(OOBSIM_GICD_TYPER), typer);
	gicc_write(OOBSIM_GICC_RPR, 0x10);
	CHECK_EQ("GICC_RPR after a write", gicc_read(OOBSIM_GICC_RPR), 0xff);
	gicd_write8(OOBSIM_GICD_ITARGETSR + 30, 0x0f);	/* a PPI's targets: read-only */
	CHECK_EQ("ITARGETSR of PPI 30 after a write (the reading CPU's bit)", gicd_read8(OOBSIM_GICD_ITARGETSR + 30),
		 1);
	CHECK_EQ("traps taken by accesses that are not errors", traps, before);

	printf("gic_guest_errors: PASS (%u traps, each with the documented cause and address)\n", (unsigned int)traps);
	return 0;
}

/*
 * Synchronous exceptions and trap vectoring, checked one by one on hart 0.
 *
 * Each case runs one faulting instruction at a known label and checks what the handler saw: mcause, mepc (the
 * label), mtval, and that exactly one trap was taken. The handler then skips the instruction (mepc += 4), so the
 * case also shows that a handler can resume past a fault. Loads that fault must leave their destination register
 * alone and stores that fault must leave memory alone: the traps are precise. Cases: illegal instructions,
 * misaligned accesses (to devices; RAM performs them), access faults (unmapped loads, stores, AMOs and fetches),
 * a misaligned jump, ecall, ebreak.
 *
 * Then mtvec in vectored mode: exceptions still go to the base, the software interrupt goes to base + 4 * 3.
 */
#include "fwtest.h"

#define UNMAPPED	0x20000000u	/* nothing lives there */
#define UNMAPPED_GAP	0x10008000u	/* between the UART and the timer block */
#define SENTINEL	0xdeadbeefu

static volatile struct {
	uint32_t count;
	uint32_t mcause, mepc, mtval, mstatus;
	uint32_t resume_at_ra;	/* resume at the frame's ra instead of mepc + 4 (the fault was at a jump target) */
} trap;

/* Entries taken through the vector table, by vector number. */
volatile uint32_t vec_hits[16];

void trap_handler(struct trap_frame *f)
{
	trap.count++;
	trap.mcause = f->mcause;
	trap.mepc = f->mepc;
	trap.mtval = f->mtval;
	trap.mstatus = f->mstatus;

	/* A simulator bug could make a trap repeat forever; stop with the evidence instead. */
	if (trap.count > 1000)
		trap_unexpected(f);

	if (trap_is_interrupt(f)) {
		if (f->mcause != (MCAUSE_INTERRUPT | IRQ_M_SOFT))
			trap_unexpected(f);
		msip_ack();
		return;
	}
	if (trap.resume_at_ra) {
		trap.resume_at_ra = 0;
		f->mepc = f->regs[1];
	} else {
		f->mepc += 4;
	}
}

/*
 * The vector table: entry n counts a hit in vec_hits[n] and goes on to the common trap_entry, so the C handler is
 * the same in both modes and the counters tell which entry the hart jumped to.
 */
__asm__(
	"	.section .text.vector_table, \"ax\", @progbits\n"
	"	.balign 256\n"
	"	.globl vector_table\n"
	"vector_table:\n"
	"	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	j vec_\\n\n"
	"	.endr\n"
	"	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"vec_\\n:\n"
	"	addi sp, sp, -16\n"
	"	sw t0, 0(sp)\n"
	"	sw t1, 4(sp)\n"
	"	la t0, vec_hits\n"
	"	lw t1, 4*\\n(t0)\n"
	"	addi t1, t1, 1\n"
	"	sw t1, 4*\\n(t0)\n"
	"	lw t1, 4(sp)\n"
	"	lw t0, 0(sp)\n"
	"	addi sp, sp, 16\n"
	"	j trap_entry\n"
	"	.endr\n"
	"	.text\n");

void vector_table(void);

static void expect(const char *what, uint32_t before, uint32_t mcause, uint32_t mepc, uint32_t mtval)
{
	if (trap.count != before + 1)
		FAIL("%s: %u traps taken, expected 1", what, (unsigned int)(trap.count - before));
	if (trap.mcause != mcause)
		FAIL("%s: mcause 0x%08x (%s), expected 0x%08x (%s)", what, (unsigned int)trap.mcause,
		     trap_cause_name(trap.mcause), (unsigned int)mcause, trap_cause_name(mcause));
	if (trap.mepc != mepc)
		FAIL("%s: mepc 0x%08x, expected 0x%08x", what, (unsigned int)trap.mepc, (unsigned int)mepc);
	if (trap.mtval != mtval)
		FAIL("%s: mtval 0x%08x, expected 0x%08x", what, (unsigned int)trap.mtval, (unsigned int)mtval);
}

static void expect_none(const char *what, uint32_t before)
{
	if (trap.count != before)
		FAIL("%s: unexpected trap, mcause 0x%08x (%s) mepc 0x%08x mtval 0x%08x", what,
		     (unsigned int)trap.mcause, trap_cause_name(trap.mcause), (unsigned int)trap.mepc,
		     (unsigned int)trap.mtval);
}

/* An instruction word that must be illegal; mtval must hold the word. */
#define ILLEGAL(word)							\
	do {								\
		uint32_t pc, before = trap.count;			\
		__asm__ volatile("la %0, 1f\n1:\t.word " #word		\
				 : "=&r"(pc) : : "memory");		\
		expect("illegal instruction " #word, before,		\
		       EXC_ILLEGAL_INSN, pc, word);			\
	} while (0)

/* A load that must trap with cause; its destination register must keep its old value. */
#define LOAD_TRAP(insn, addr, cause)					\
	do {								\
		uint32_t pc, v = SENTINEL, before = trap.count;		\
		uint32_t a = (addr);					\
		__asm__ volatile("la %1, 1f\n1:\t" insn " %0, 0(%2)"	\
				 : "+r"(v), "=&r"(pc) : "r"(a) : "memory");\
		expect(insn " at " #addr, before, cause, pc, a);	\
		CHECK_EQ(insn " at " #addr ": destination after the trap", v, SENTINEL);\
	} while (0)

/* A store that must trap with cause (memory is checked by the caller). */
#define STORE_TRAP(insn, addr, cause)					\
	do {								\
		uint32_t pc, before = trap.count;			\
		uint32_t a = (addr);					\
		__asm__ volatile("la %0, 1f\n1:\t" insn " %1, 0(%2)"	\
				 : "=&r"(pc) : "r"(0xa5a5a5a5u), "r"(a) : "memory");\
		expect(insn " at " #addr, before, cause, pc, a);	\
	} while (0)

/* A load that must not trap; returns the value. */
#define LOAD_OK(insn, addr)						\
	({								\
		uint32_t v, before = trap.count;			\
		__asm__ volatile(insn " %0, 0(%1)"			\
				 : "=r"(v) : "r"(addr) : "memory");	\
		expect_none(insn " at " #addr, before);			\
		v;							\
	})

static uint8_t buf[16] __attribute__((aligned(16)));

static void fill_buf(void)
{
	for (unsigned int i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
}

static void check_buf(const char *what)
{
	for (unsigned int i = 0; i < sizeof(buf); i++) {
		if (buf[i] != i)
			FAIL("%s: memory changed by a store that trapped (byte %u is 0x%02x)", what, i,
			     (unsigned int)buf[i]);
	}
}

static void test_illegal(void)
{
	ILLEGAL(0xfe000033);	/* OP with funct7 = 0x7f: no such instruction in RV32IM */
	ILLEGAL(0x00000000);	/* all zeroes: illegal by definition */
	ILLEGAL(0xf1401073);	/* csrrw x0, mhartid, x0: a write to a read-only CSR */
	ILLEGAL(0x10002073);	/* csrrs x0, sstatus, x0: no S-mode, no sstatus */
	ILLEGAL(0x10200073);	/* sret: no S-mode */
	printf("traps: illegal instructions ok\n");
}

/*
 * Misaligned accesses. The ISA lets a platform either perform them or trap; this one performs them on RAM (as two
 * accesses, with a timing penalty: models/cpu/hart.cpp) and traps them on devices, whose registers only take
 * aligned accesses. AMOs and LR/SC must be aligned everywhere.
 */
static void test_misaligned(void)
{
	uintptr_t b = (uintptr_t)buf;
	uintptr_t dev = OOBSIM_UART_BASE + OOBSIM_UART_STATUS;	/* reading it has no side effect */

	/* RAM: performed, little-endian, no trap. */
	fill_buf();
	CHECK_EQ("lw at buf + 1", LOAD_OK("lw", b + 1), 0x04030201);
	CHECK_EQ("lw at buf + 2", LOAD_OK("lw", b + 2), 0x05040302);
	CHECK_EQ("lh at buf + 1", LOAD_OK("lh", b + 1), 0x0201);
	CHECK_EQ("lhu at buf + 3", LOAD_OK("lhu", b + 3), 0x0403);
	CHECK_EQ("lb at buf + 1", LOAD_OK("lb", b + 1), 0x01);
	CHECK_EQ("lh at buf + 2", LOAD_OK("lh", b + 2), 0x0302);
	buf[14] = 0x80;
	CHECK_EQ("lh at buf + 13 (sign-extended)", LOAD_OK("lh", b + 13), 0xffff800d);
	fill_buf();

	uint32_t before = trap.count;

	__asm__ volatile("sw %0, 0(%1)" : : "r"(0xa1a2a3a4u), "r"(b + 5) : "memory");
	__asm__ volatile("sh %0, 0(%1)" : : "r"(0xb1b2u), "r"(b + 11) : "memory");
	expect_none("misaligned sw/sh to RAM", before);
	CHECK_EQ("bytes 4..7 after sw at buf + 5", *(volatile uint32_t *)(b + 4), 0xa2a3a404);
	CHECK_EQ("bytes 8..11 after sw at buf + 5 and sh at buf + 11", *(volatile uint32_t *)(b + 8),
		 0xb20a09a1);
	CHECK_EQ("bytes 12..15 after sh at buf + 11", *(volatile uint32_t *)(b + 12), 0x0f0e0db1);
	fill_buf();

	/* Devices: load and store address misaligned, mtval = the address, nothing loaded or stored. */
	LOAD_TRAP("lw", dev + 1, EXC_LOAD_MISALIGNED);
	LOAD_TRAP("lw", dev + 2, EXC_LOAD_MISALIGNED);
	LOAD_TRAP("lh", dev + 1, EXC_LOAD_MISALIGNED);
	LOAD_TRAP("lhu", dev + 3, EXC_LOAD_MISALIGNED);
	STORE_TRAP("sw", OOBSIM_UART_BASE + OOBSIM_UART_TX + 1, EXC_STORE_MISALIGNED);
	STORE_TRAP("sh", OOBSIM_UART_BASE + OOBSIM_UART_TX + 1, EXC_STORE_MISALIGNED);
	STORE_TRAP("sw", OOBSIM_TIMER_BASE + OOBSIM_TIMER_CMP_LO + 2, EXC_STORE_MISALIGNED);

	/* AMOs and LR/SC in RAM: a misaligned AMO may raise either the misaligned or the access fault (the A
	 * extension allows both); LR is a load, SC and AMOs are stores. */
	uint32_t pc, v = SENTINEL;

	before = trap.count;
	__asm__ volatile("la %1, 1f\n1:\tamoadd.w %0, %0, (%2)" : "+r"(v), "=&r"(pc) : "r"(b + 2) : "memory");
	CHECK(trap.count == before + 1, "misaligned amoadd.w: %u traps", (unsigned int)(trap.count - before));
	CHECK(trap.mcause == EXC_STORE_MISALIGNED || trap.mcause == EXC_STORE_ACCESS,
	      "misaligned amoadd.w: mcause 0x%08x", (unsigned int)trap.mcause);
	CHECK_EQ("misaligned amoadd.w: mepc", trap.mepc, pc);
	CHECK_EQ("misaligned amoadd.w: mtval", trap.mtval, b + 2);
	CHECK_EQ("misaligned amoadd.w: destination after the trap", v, SENTINEL);

	before = trap.count;
	__asm__ volatile("la %1, 1f\n1:\tlr.w %0, (%2)" : "+r"(v), "=&r"(pc) : "r"(b + 1) : "memory");
	CHECK(trap.count == before + 1, "misaligned lr.w: %u traps", (unsigned int)(trap.count - before));
	CHECK(trap.mcause == EXC_LOAD_MISALIGNED || trap.mcause == EXC_LOAD_ACCESS,
	      "misaligned lr.w: mcause 0x%08x", (unsigned int)trap.mcause);
	CHECK_EQ("misaligned lr.w: mepc", trap.mepc, pc);
	CHECK_EQ("misaligned lr.w: mtval", trap.mtval, b + 1);
	CHECK_EQ("misaligned lr.w: destination after the trap", v, SENTINEL);

	before = trap.count;
	__asm__ volatile("la %1, 1f\n1:\tsc.w %0, %0, (%2)" : "+r"(v), "=&r"(pc) : "r"(b + 3) : "memory");
	CHECK(trap.count == before + 1, "misaligned sc.w: %u traps", (unsigned int)(trap.count - before));
	CHECK(trap.mcause == EXC_STORE_MISALIGNED || trap.mcause == EXC_STORE_ACCESS,
	      "misaligned sc.w: mcause 0x%08x", (unsigned int)trap.mcause);
	CHECK_EQ("misaligned sc.w: mepc", trap.mepc, pc);
	CHECK_EQ("misaligned sc.w: mtval", trap.mtval, b + 3);
	CHECK_EQ("misaligned sc.w: destination after the trap", v, SENTINEL);
	check_buf("misaligned AMO, LR and SC");
	printf("traps: misaligned accesses ok (RAM: performed; devices, AMO, LR/SC: trap)\n");
}

static void test_access_fault(void)
{
	LOAD_TRAP("lw", UNMAPPED, EXC_LOAD_ACCESS);
	LOAD_TRAP("lbu", UNMAPPED + 1, EXC_LOAD_ACCESS);
	LOAD_TRAP("lw", UNMAPPED_GAP, EXC_LOAD_ACCESS);
	STORE_TRAP("sw", UNMAPPED, EXC_STORE_ACCESS);
	STORE_TRAP("sb", UNMAPPED + 3, EXC_STORE_ACCESS);
	STORE_TRAP("sw", UNMAPPED_GAP, EXC_STORE_ACCESS);

	uint32_t pc, v = SENTINEL, before = trap.count;

	__asm__ volatile("la %1, 1f\n1:\tamoadd.w %0, %0, (%2)" : "+r"(v), "=&r"(pc) : "r"(UNMAPPED) : "memory");
	expect("amoadd.w at UNMAPPED", before, EXC_STORE_ACCESS, pc, UNMAPPED);
	CHECK_EQ("amoadd.w at UNMAPPED: destination after the trap", v, SENTINEL);

	/* A fetch from nowhere: the fault is at the target, so the handler resumes at the return address. */
	before = trap.count;
	trap.resume_at_ra = 1;
	__asm__ volatile("jalr ra, 0(%0)" : : "r"(UNMAPPED) : "ra", "memory");
	expect("fetch from UNMAPPED", before, EXC_INSN_ACCESS, UNMAPPED, UNMAPPED);
	printf("traps: access faults ok\n");
}

static void test_jump_misaligned(void)
{
	uint32_t pc, target, before = trap.count;

	/* Reported on the jump itself (mepc = the jalr, mtval = the target); the jump is not taken. A hart that
	 * ignored bit 1 would land on the instruction after and the count would show it. */
	__asm__ volatile("la %0, 1f\n"
			 "la %1, 2f + 2\n"
			 "1:\tjalr x0, 0(%1)\n"
			 "2:"
			 : "=&r"(pc), "=&r"(target) : : "memory");
	expect("jalr to a 2-byte aligned target", before, EXC_INSN_MISALIGNED, pc, target);
	printf("traps: misaligned jump ok\n");
}

static void test_ecall_ebreak(void)
{
	uint32_t pc, before = trap.count;

	__asm__ volatile("la %0, 1f\n1:\tecall" : "=&r"(pc) : : "memory");
	expect("ecall", before, EXC_ECALL_M, pc, 0);

	before = trap.count;
	__asm__ volatile("la %0, 1f\n1:\tebreak" : "=&r"(pc) : : "memory");
	expect("ebreak", before, EXC_BREAKPOINT, pc, pc);

	/* A trace HINT is not a trap (and not an illegal instruction). */
	before = trap.count;
	OOBSIM_TRACE(7, pc);
	expect_none("slti x0 trace hint", before);
	printf("traps: ecall, ebreak, hint ok\n");
}

static void test_vectored(void)
{
	uint32_t me = hartid();
	uint32_t base = (uint32_t)(uintptr_t)vector_table;
	uint32_t pc, before;

	csr_write(mtvec, base | MTVEC_VECTORED);
	CHECK_EQ("mtvec read back in vectored mode", csr_read(mtvec), base | MTVEC_VECTORED);

	/* Exceptions go to the base even in vectored mode. */
	before = trap.count;
	__asm__ volatile("la %0, 1f\n1:\tecall" : "=&r"(pc) : : "memory");
	expect("ecall, vectored mtvec", before, EXC_ECALL_M, pc, 0);
	CHECK_EQ("vector 0 entries after ecall", vec_hits[0], 1);

	/* MSIP enabled in mie but mstatus.MIE off: pending, visible in mip, not taken. */
	before = trap.count;
	irq_enable_msip();
	send_msip(me);
	WAIT_UNTIL(csr_read(mip) & MIP_MSIP, "mip.MSIP after writing our own MSIP");
	delay_cycles(100);
	expect_none("MSIP pending with mstatus.MIE = 0", before);

	/* Now taken, through entry 3. */
	irq_global_enable();
	WAIT_UNTIL(trap.count != before, "the software interrupt with mstatus.MIE = 1");
	irq_global_disable();
	CHECK_EQ("software interrupt: mcause", trap.mcause, MCAUSE_INTERRUPT | IRQ_M_SOFT);
	CHECK_EQ("software interrupt: mtval", trap.mtval, 0);
	CHECK_EQ("software interrupt: entries through vector 3", vec_hits[3], 1);
	CHECK_EQ("software interrupt: entries through vector 0", vec_hits[0], 1);
	CHECK((trap.mstatus & MSTATUS_MPIE) && !(trap.mstatus & MSTATUS_MIE),
	      "mstatus in the handler 0x%08x: MPIE should hold the old MIE (1) and MIE be 0",
	      (unsigned int)trap.mstatus);
	CHECK_EQ("mstatus.MPP in the handler", trap.mstatus & MSTATUS_MPP, MSTATUS_MPP);
	for (unsigned int v = 0; v < 16; v++) {
		if (v != 0 && v != 3 && vec_hits[v])
			FAIL("vector %u was entered %u times", v, (unsigned int)vec_hits[v]);
	}

	/* Back to direct mode: the same interrupt arrives at the base, past the table. */
	csr_write(mtvec, (uint32_t)(uintptr_t)trap_entry);
	before = trap.count;
	send_msip(me);
	irq_global_enable();
	WAIT_UNTIL(trap.count != before, "the software interrupt in direct mode");
	irq_global_disable();
	irq_disable_msip();
	CHECK_EQ("direct mode: mcause", trap.mcause, MCAUSE_INTERRUPT | IRQ_M_SOFT);
	CHECK_EQ("direct mode: entries through vector 3", vec_hits[3], 1);
	printf("traps: vectored and direct mtvec ok\n");
}

static void test_csrs(void)
{
	uint32_t misa = csr_read(misa);

	/* misa may read 0 (not implemented); if not, it must say RV32 with I, M, A and no C. */
	if (misa) {
		CHECK_EQ("misa.MXL", misa >> 30, 1);
		CHECK((misa & 0x1101) == 0x1101, "misa 0x%08x lacks I, M or A", (unsigned int)misa);
		CHECK(!(misa & 0x4), "misa 0x%08x claims C", (unsigned int)misa);
	}
	csr_write(mscratch, 0x12345678);
	CHECK_EQ("mscratch", csr_read(mscratch), 0x12345678);
	CHECK_EQ("mscratch swap", csr_swap(mscratch, 0), 0x12345678);
	CHECK_EQ("mscratch after swap", csr_read(mscratch), 0);
}

int main(void)
{
	if (hartid() != 0)
		return 0;

	test_csrs();
	test_illegal();
	test_misaligned();
	test_access_fault();
	test_jump_misaligned();
	test_ecall_ebreak();
	test_vectored();
	printf("traps: PASS (%u traps taken)\n", (unsigned int)trap.count);
	return 0;
}

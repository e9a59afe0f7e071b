/*
 * The default trap handler: a program that does not expect traps gets a clear report instead of a hang.
 */
#include <stdint.h>

#include "oobsim/console.h"
#include "oobsim/csr.h"
#include "oobsim/platform.h"
#include "oobsim/trap.h"

#include <stddef.h>

/* boot/trap.S addresses the frame with the TRAP_FRAME_* offsets; keep both in step. */
_Static_assert(offsetof(struct trap_frame, regs) == TRAP_FRAME_REGS, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, mepc) == TRAP_FRAME_MEPC, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, mcause) == TRAP_FRAME_MCAUSE, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, mtval) == TRAP_FRAME_MTVAL, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, mstatus) == TRAP_FRAME_MSTATUS, "trap frame layout");
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "trap frame layout");

const char *trap_cause_name(uint32_t mcause)
{
	static const char *const exceptions[] = {
		[EXC_INSN_MISALIGNED] = "instruction address misaligned",
		[EXC_INSN_ACCESS] = "instruction access fault",
		[EXC_ILLEGAL_INSN] = "illegal instruction",
		[EXC_BREAKPOINT] = "breakpoint",
		[EXC_LOAD_MISALIGNED] = "load address misaligned",
		[EXC_LOAD_ACCESS] = "load access fault",
		[EXC_STORE_MISALIGNED] = "store/AMO address misaligned",
		[EXC_STORE_ACCESS] = "store/AMO access fault",
		[EXC_ECALL_M] = "environment call from M-mode",
	};
	uint32_t code = mcause & ~MCAUSE_INTERRUPT;

	if (mcause & MCAUSE_INTERRUPT) {
		switch (code) {
		case IRQ_M_SOFT:
			return "machine software interrupt";
		case IRQ_M_TIMER:
			return "machine timer interrupt";
		case IRQ_M_EXT:
			return "machine external interrupt";
		default:
			return "unknown interrupt";
		}
	}
	if (code < sizeof(exceptions) / sizeof(exceptions[0]) && exceptions[code])
		return exceptions[code];
	return "unknown exception";
}

void trap_unexpected(struct trap_frame *f)
{
	static const char *const names[32] = {
		"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
		"a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
	};

	console_lock();
	printf("\n*** unhandled trap on hart %u: %s\n", (unsigned int)hartid(), trap_cause_name(f->mcause));
	printf("    mcause %08x  mepc %08x  mtval %08x  mstatus %08x\n",
	       (unsigned int)f->mcause, (unsigned int)f->mepc, (unsigned int)f->mtval, (unsigned int)f->mstatus);
	for (int i = 0; i < 32; i++)
		printf("    %-4s %08x%s", names[i], (unsigned int)f->regs[i], i % 4 == 3 ? "\n" : "");
	console_unlock();
	sim_exit(99);
}

__attribute__((weak)) void trap_handler(struct trap_frame *f)
{
	trap_unexpected(f);
}

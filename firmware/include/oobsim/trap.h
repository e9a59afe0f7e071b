/*
 * Traps: the frame the trap entry (boot/trap.S) builds on the stack, and the C handler it calls.
 *
 * A program overrides the weak default trap_handler() by defining its own; the default prints the trap and ends the
 * simulation with exit code 99. The entry restores every register from the frame and mepc from frame->mepc, so a
 * handler can skip the faulting instruction (f->mepc += 4) or change a register the interrupted code will see.
 */
#ifndef OOBSIM_TRAP_H
#define OOBSIM_TRAP_H

/* Frame layout, shared with boot/trap.S. regs[] is indexed by register number (regs[0] is always 0). */
#define TRAP_FRAME_REGS		0
#define TRAP_FRAME_MEPC		128
#define TRAP_FRAME_MCAUSE	132
#define TRAP_FRAME_MTVAL	136
#define TRAP_FRAME_MSTATUS	140
#define TRAP_FRAME_SIZE		144	/* a multiple of 16: the ABI's stack alignment */

/* Exception codes (mcause without MCAUSE_INTERRUPT). */
#define EXC_INSN_MISALIGNED	0
#define EXC_INSN_ACCESS		1
#define EXC_ILLEGAL_INSN	2
#define EXC_BREAKPOINT		3
#define EXC_LOAD_MISALIGNED	4
#define EXC_LOAD_ACCESS		5
#define EXC_STORE_MISALIGNED	6
#define EXC_STORE_ACCESS	7
#define EXC_ECALL_M		11

#ifndef __ASSEMBLER__

#include <stdint.h>

#include "oobsim/csr.h"

struct trap_frame {
	uint32_t regs[32];	/* x0..x31 at the trap; regs[2] is sp before the frame was pushed */
	uint32_t mepc;		/* written back to mepc before mret */
	uint32_t mcause;
	uint32_t mtval;
	uint32_t mstatus;	/* as the trap left it (MPIE, MPP); informational, not written back */
};

/* The direct-mode trap entry start.S installs in mtvec. Also usable as the target of a vector table entry. */
void trap_entry(void);

/* Called by trap_entry with the frame; weak default in lib/trap.c. */
void trap_handler(struct trap_frame *f);

/* What the default handler does: print the trap, the registers and end the simulation with code 99. */
__attribute__((noreturn)) void trap_unexpected(struct trap_frame *f);

/* "illegal instruction", "machine software interrupt", ... for messages. */
const char *trap_cause_name(uint32_t mcause);

static inline int trap_is_interrupt(const struct trap_frame *f)
{
	return (f->mcause & MCAUSE_INTERRUPT) != 0;
}

#endif /* !__ASSEMBLER__ */

#endif /* OOBSIM_TRAP_H */

/*
 * The default trap entry (mtvec, direct mode).
 *
 * Saves every integer register in a struct trap_frame on the interrupted stack, adds mepc/mcause/mtval/mstatus,
 * calls trap_handler(frame), then restores mepc from the frame and every register (sp last) and returns with mret.
 * The frame lives on the current stack: there is only machine mode, so the interrupted code's stack is the only
 * one, and a nested trap (a handler that re-enables interrupts, or faults) simply stacks another frame.
 */
#include "oobsim/trap.h"

#define SAVE(r, n)	sw	r, (TRAP_FRAME_REGS + 4 * (n))(sp)
#define LOAD(r, n)	lw	r, (TRAP_FRAME_REGS + 4 * (n))(sp)

	.section .text.trap_entry, "ax", @progbits
	/* mtvec ignores its two low bits as the address; 4 is the architectural minimum, 64 keeps it cache-friendly. */
	.balign	64
	.globl	trap_entry
	.type	trap_entry, @function
trap_entry:
	addi	sp, sp, -TRAP_FRAME_SIZE
	SAVE(x0, 0)	/* so a dump of the frame shows x0 as it is, not stack garbage */
	SAVE(x1, 1)
	SAVE(x3, 3)
	SAVE(x4, 4)
	SAVE(x5, 5)
	SAVE(x6, 6)
	SAVE(x7, 7)
	SAVE(x8, 8)
	SAVE(x9, 9)
	SAVE(x10, 10)
	SAVE(x11, 11)
	SAVE(x12, 12)
	SAVE(x13, 13)
	SAVE(x14, 14)
	SAVE(x15, 15)
	SAVE(x16, 16)
	SAVE(x17, 17)
	SAVE(x18, 18)
	SAVE(x19, 19)
	SAVE(x20, 20)
	SAVE(x21, 21)
	SAVE(x22, 22)
	SAVE(x23, 23)
	SAVE(x24, 24)
	SAVE(x25, 25)
	SAVE(x26, 26)
	SAVE(x27, 27)
	SAVE(x28, 28)
	SAVE(x29, 29)
	SAVE(x30, 30)
	SAVE(x31, 31)
	/* The interrupted sp, as it was before this frame. */
	addi	t0, sp, TRAP_FRAME_SIZE
	SAVE(t0, 2)

	csrr	t0, mepc
	sw	t0, TRAP_FRAME_MEPC(sp)
	csrr	t0, mcause
	sw	t0, TRAP_FRAME_MCAUSE(sp)
	csrr	t0, mtval
	sw	t0, TRAP_FRAME_MTVAL(sp)
	csrr	t0, mstatus
	sw	t0, TRAP_FRAME_MSTATUS(sp)

	mv	a0, sp
	call	trap_handler

	/* The handler may have moved mepc on (to skip the instruction) or changed registers in the frame. */
	lw	t0, TRAP_FRAME_MEPC(sp)
	csrw	mepc, t0

	LOAD(x1, 1)
	LOAD(x3, 3)
	LOAD(x4, 4)
	LOAD(x5, 5)
	LOAD(x6, 6)
	LOAD(x7, 7)
	LOAD(x8, 8)
	LOAD(x9, 9)
	LOAD(x10, 10)
	LOAD(x11, 11)
	LOAD(x12, 12)
	LOAD(x13, 13)
	LOAD(x14, 14)
	LOAD(x15, 15)
	LOAD(x16, 16)
	LOAD(x17, 17)
	LOAD(x18, 18)
	LOAD(x19, 19)
	LOAD(x20, 20)
	LOAD(x21, 21)
	LOAD(x22, 22)
	LOAD(x23, 23)
	LOAD(x24, 24)
	LOAD(x25, 25)
	LOAD(x26, 26)
	LOAD(x27, 27)
	LOAD(x28, 28)
	LOAD(x29, 29)
	LOAD(x30, 30)
	LOAD(x31, 31)
	/* sp last: it addresses the frame until here. */
	LOAD(x2, 2)
	mret
	.size	trap_entry, . - trap_entry

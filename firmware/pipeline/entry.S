/*
 * The kernel's trap entry (mtvec, direct mode), shared by the pipelined and the classic kernel.
 *
 * Machine external interrupts take the fast path: only the registers a C function may clobber are saved (the
 * callee-saved ones survive the call by the ABI), with mepc and mstatus, before kernel_irq_trap(). mepc and mstatus
 * must be in the frame: the pipeline runs in-band handlers with hard irqs on inside handle_irq_pipelined(), so
 * another interrupt may nest and overwrite both CSRs. On the way out mstatus (MIE clear, MPIE/MPP as trapped) is
 * written back first, so nothing can be taken any more, then mepc, and mret restores MIE from MPIE.
 *
 * Every other trap saves the whole struct trap_frame (oobsim/trap.h) and calls kernel_exception(), which may change
 * any register but sp, and mepc, in the frame.
 *
 * The frame lives on the interrupted stack: there is only machine mode, and a nested trap stacks another frame.
 */
#include "oobsim/csr.h"
#include "oobsim/trap.h"

#define SAVE(r, n)	sw	r, (TRAP_FRAME_REGS + 4 * (n))(sp)
#define LOAD(r, n)	lw	r, (TRAP_FRAME_REGS + 4 * (n))(sp)

	.section .text.kernel_trap_entry, "ax", @progbits
	.balign	64
	.globl	kernel_trap_entry
	.type	kernel_trap_entry, @function
kernel_trap_entry:
	addi	sp, sp, -TRAP_FRAME_SIZE
	/* Caller-saved registers: ra, t0-t2, a0-a7, t3-t6. */
	SAVE(x1, 1)
	SAVE(x5, 5)
	SAVE(x6, 6)
	SAVE(x7, 7)
	SAVE(x10, 10)
	SAVE(x11, 11)
	SAVE(x12, 12)
	SAVE(x13, 13)
	SAVE(x14, 14)
	SAVE(x15, 15)
	SAVE(x16, 16)
	SAVE(x17, 17)
	SAVE(x28, 28)
	SAVE(x29, 29)
	SAVE(x30, 30)
	SAVE(x31, 31)
	csrr	t0, mepc
	sw	t0, TRAP_FRAME_MEPC(sp)
	csrr	t1, mstatus
	sw	t1, TRAP_FRAME_MSTATUS(sp)
	csrr	t2, mcause
	sw	t2, TRAP_FRAME_MCAUSE(sp)
	mv	a0, sp
	li	t3, MCAUSE_INTERRUPT | IRQ_M_EXT
	bne	t2, t3, .Lfull_frame
	call	kernel_irq_trap

.Lreturn:
	lw	t0, TRAP_FRAME_MSTATUS(sp)
	csrw	mstatus, t0
	lw	t0, TRAP_FRAME_MEPC(sp)
	csrw	mepc, t0
	LOAD(x1, 1)
	LOAD(x5, 5)
	LOAD(x6, 6)
	LOAD(x7, 7)
	LOAD(x10, 10)
	LOAD(x11, 11)
	LOAD(x12, 12)
	LOAD(x13, 13)
	LOAD(x14, 14)
	LOAD(x15, 15)
	LOAD(x16, 16)
	LOAD(x17, 17)
	LOAD(x28, 28)
	LOAD(x29, 29)
	LOAD(x30, 30)
	LOAD(x31, 31)
	addi	sp, sp, TRAP_FRAME_SIZE
	mret

	/* Anything else: the rest of the frame, for a handler that looks at (or changes) every register. */
.Lfull_frame:
	SAVE(x0, 0)
	SAVE(x3, 3)
	SAVE(x4, 4)
	SAVE(x8, 8)
	SAVE(x9, 9)
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
	addi	t0, sp, TRAP_FRAME_SIZE
	SAVE(t0, 2)
	csrr	t0, mtval
	sw	t0, TRAP_FRAME_MTVAL(sp)
	call	kernel_exception
	LOAD(x3, 3)
	LOAD(x4, 4)
	LOAD(x8, 8)
	LOAD(x9, 9)
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
	j	.Lreturn
	.size	kernel_trap_entry, . - kernel_trap_entry

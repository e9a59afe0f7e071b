/*
 * Reset entry for every hart.
 *
 * The simulator starts all harts at the ELF entry in the same cycle. Each one takes its own stack and the default
 * trap entry; hart 0 alone clears .bss and then lets the others go by setting boot_release, so no hart touches
 * .bss (or runs C) before it is zeroed. Then every hart calls main(). Hart 0's return value becomes the simulation's
 * exit code; any other hart that returns parks for good.
 */
#include "oobsim/csr.h"
#include "oobsim/platform.h"

	.section .text.start, "ax", @progbits
	.globl	_start
	.type	_start, @function
_start:
	/* gp first: C code compiled with relaxation may reach small data through it. It must not be relaxed into
	 * a gp-relative form of itself. */
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop

	/* Nothing may be taken before there is a stack and a trap entry. */
	csrw	mie, zero
	csrci	mstatus, MSTATUS_MIE
	la	t0, trap_entry
	csrw	mtvec, t0

	/* A hart beyond the reserved stacks has nowhere to run C: it parks. */
	csrr	a0, mhartid
	li	t1, OOBSIM_MAX_HARTS
	bgeu	a0, t1, park

	/* sp = __stack_top - hartid * STACK_SIZE */
	la	sp, __stack_top
	li	t1, OOBSIM_STACK_SIZE
	mul	t1, t1, a0
	sub	sp, sp, t1

	bnez	a0, wait_release

	/* Hart 0: clear .bss (both ends are 16-byte aligned by link.ld), then release the others. */
	la	t0, __bss_start
	la	t1, __bss_end
	bgeu	t0, t1, 2f
1:	sw	zero, 0(t0)
	sw	zero, 4(t0)
	sw	zero, 8(t0)
	sw	zero, 12(t0)
	addi	t0, t0, 16
	bltu	t0, t1, 1b
2:
	/* The cleared .bss must be visible before the flag that says so. */
	fence	rw, w
	la	t0, boot_release
	li	t1, 1
	sw	t1, 0(t0)
	j	call_main

wait_release:
	/* Spin on the flag in .data (set by the loader to 0, never by zeroing .bss). Only loads: cheap and harmless. */
	la	t0, boot_release
1:	lw	t1, 0(t0)
	beqz	t1, 1b
	fence	r, rw

call_main:
	call	main

	/* Hart 0: main's return value (still in a0) is the exit code; oobsim_main_returned() does not return. */
	csrr	t0, mhartid
	bnez	t0, park
	call	oobsim_main_returned

park:
	/* Nothing enabled in mie, so WFI sleeps for good and costs the simulator no host time. */
	csrci	mstatus, MSTATUS_MIE
	csrw	mie, zero
1:	wfi
	j	1b
	.size	_start, . - _start

	.section .data, "aw", @progbits
	.balign	4
	/* In .data, not .bss: the waiting harts read it while hart 0 is still clearing .bss. */
boot_release:
	.word	0

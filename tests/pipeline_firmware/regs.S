/*
 * Register preservation across traps, for nested.c.
 *
 *   uint32_t regs_spin(volatile uint32_t *flag)  fill every register but zero, sp, gp, tp and a0 (the flag's address)
 *                                                with a pattern, spin until *flag != 0, check the pattern
 *   uint32_t regs_ecall(void)                    fill every register but zero, sp, gp and tp, execute ECALL, check
 *
 * Both return 0 if every register came back intact, else the number of the first one that did not. The callee-saved
 * registers are kept for the C caller. Register x<n> holds PATTERN(n).
 */
#define PATTERN(n)	(0x5a5a0000 + (n) * 0x111)

	.macro	save_callee
	addi	sp, sp, -64
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	sw	s1, 8(sp)
	sw	s2, 12(sp)
	sw	s3, 16(sp)
	sw	s4, 20(sp)
	sw	s5, 24(sp)
	sw	s6, 28(sp)
	sw	s7, 32(sp)
	sw	s8, 36(sp)
	sw	s9, 40(sp)
	sw	s10, 44(sp)
	sw	s11, 48(sp)
	.endm

	.macro	restore_callee_and_return
	lw	ra, 0(sp)
	lw	s0, 4(sp)
	lw	s1, 8(sp)
	lw	s2, 12(sp)
	lw	s3, 16(sp)
	lw	s4, 20(sp)
	lw	s5, 24(sp)
	lw	s6, 28(sp)
	lw	s7, 32(sp)
	lw	s8, 36(sp)
	lw	s9, 40(sp)
	lw	s10, 44(sp)
	lw	s11, 48(sp)
	addi	sp, sp, 64
	ret
	.endm

	/* x31 (t6) is the scratch register of the check, so it is checked first. */
	.macro	check_regs regs:vararg
	.irp	n, \regs
	li	t6, PATTERN(\n)
	beq	x\n, t6, 2f
	li	a0, \n
	j	9f
2:
	.endr
	.endm

	.text
	.globl	regs_spin
	.type	regs_spin, @function
regs_spin:
	save_callee
	.irp	n, 1, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	li	x\n, PATTERN(\n)
	.endr
1:	lw	t6, 0(a0)
	beqz	t6, 1b
	check_regs 1, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	li	a0, 0
9:	restore_callee_and_return
	.size	regs_spin, . - regs_spin

	.globl	regs_ecall
	.type	regs_ecall, @function
regs_ecall:
	save_callee
	.irp	n, 1, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	li	x\n, PATTERN(\n)
	.endr
	li	x31, PATTERN(31)
	ecall
	/* t6 (x31) is the check's scratch register: keep its value aside first, check it last. */
	sw	t6, 52(sp)
	check_regs 1, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	lw	t6, 52(sp)
	li	t5, PATTERN(31)
	li	a0, 31
	bne	t6, t5, 9f
	li	a0, 0
9:	restore_callee_and_return
	.size	regs_ecall, . - regs_ecall

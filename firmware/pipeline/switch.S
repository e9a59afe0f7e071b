/*
 * Context switch of the kernel's threads (in-band and companion-core alike), RISC-V ilp32.
 *
 * void kernel_switch_to(struct kthread_context *prev, struct kthread_context *next)
 *   saves ra, sp and the callee-saved registers s0-s11 into prev, loads them from next and returns into next: a
 *   thread switched out resumes as if its call to kernel_switch_to() had just returned. The caller-saved registers
 *   need no saving (the ABI lets a call clobber them); gp is the same for everybody and tp is unused. Called with
 *   hard irqs off, so no interrupt sees a half-switched state; sp changes in one instruction, so a trap would always
 *   find a valid stack anyway.
 *
 * A new thread's context (kthread_alloc()) has ra = kthread_entry, sp = the top of its stack and s0 = the thread:
 * the first switch to it "returns" into kthread_entry, which calls kthread_start(thread) and never returns.
 */
	.section .text.kernel_switch_to, "ax", @progbits
	.balign	4
	.globl	kernel_switch_to
	.type	kernel_switch_to, @function
kernel_switch_to:
	sw	ra, 0(a0)
	sw	sp, 4(a0)
	sw	s0, 8(a0)
	sw	s1, 12(a0)
	sw	s2, 16(a0)
	sw	s3, 20(a0)
	sw	s4, 24(a0)
	sw	s5, 28(a0)
	sw	s6, 32(a0)
	sw	s7, 36(a0)
	sw	s8, 40(a0)
	sw	s9, 44(a0)
	sw	s10, 48(a0)
	sw	s11, 52(a0)
	lw	ra, 0(a1)
	lw	sp, 4(a1)
	lw	s0, 8(a1)
	lw	s1, 12(a1)
	lw	s2, 16(a1)
	lw	s3, 20(a1)
	lw	s4, 24(a1)
	lw	s5, 28(a1)
	lw	s6, 32(a1)
	lw	s7, 36(a1)
	lw	s8, 40(a1)
	lw	s9, 44(a1)
	lw	s10, 48(a1)
	lw	s11, 52(a1)
	ret
	.size	kernel_switch_to, . - kernel_switch_to

	.globl	kthread_entry
	.type	kthread_entry, @function
kthread_entry:
	mv	a0, s0
	call	kthread_start
1:	j	1b
	.size	kthread_entry, . - kthread_entry

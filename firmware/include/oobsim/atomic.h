/*
 * Atomic memory operations (the A extension) and memory ordering.
 *
 * Each AMO is written out as its instruction rather than left to the __atomic builtins, so a program states exactly
 * which instruction it exercises (the firmware tests depend on that) and nothing ever becomes a libatomic call.
 * All AMOs here are .aqrl: sequentially consistent, which is what the callers reason with.
 */
#ifndef OOBSIM_ATOMIC_H
#define OOBSIM_ATOMIC_H

#include <stdint.h>

/* Compiler-only barrier. */
#define barrier()	__asm__ volatile("" : : : "memory")

/* Full fences: harts and devices see the accesses before the fence before those after it. */
#define mb()		__asm__ volatile("fence rw, rw" : : : "memory")
#define rmb()		__asm__ volatile("fence r, r" : : : "memory")
#define wmb()		__asm__ volatile("fence w, w" : : : "memory")
/* Orders normal memory accesses against device (I/O) accesses, e.g. a mailbox write before the MSIP write. */
#define iomb()		__asm__ volatile("fence iorw, iorw" : : : "memory")

/* One access of the whole variable, never cached in a register, never torn or merged. */
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))

/* In a spin loop: keeps the loop from being optimised into one read. */
static inline void cpu_relax(void)
{
	barrier();
}

#define __AMO_OP(name, insn, type)					\
static inline type name(volatile type *p, type v)			\
{									\
	type old;							\
	__asm__ volatile(insn ".aqrl %0, %2, %1"				\
		     : "=r"(old), "+A"(*p) : "r"(v) : "memory");	\
	return old;							\
}

/* Each returns the value in memory before the operation. */
__AMO_OP(amo_swap, "amoswap.w", uint32_t)
__AMO_OP(amo_add, "amoadd.w", uint32_t)
__AMO_OP(amo_and, "amoand.w", uint32_t)
__AMO_OP(amo_or, "amoor.w", uint32_t)
__AMO_OP(amo_xor, "amoxor.w", uint32_t)
__AMO_OP(amo_min, "amomin.w", int32_t)
__AMO_OP(amo_max, "amomax.w", int32_t)
__AMO_OP(amo_minu, "amominu.w", uint32_t)
__AMO_OP(amo_maxu, "amomaxu.w", uint32_t)

#undef __AMO_OP

/*
 * LR/SC loops are whole asm statements: between lr.w and sc.w the compiler must not put anything (a spill, a call)
 * that the constrained-loop rules of the ISA forbid.
 */

/* Compare and swap: stores desired if *p == expected; returns the old value either way. */
static inline uint32_t atomic_cas(volatile uint32_t *p, uint32_t expected, uint32_t desired)
{
	uint32_t old, fail;

	__asm__ volatile("1:	lr.w.aqrl %0, %2\n"
		     "	bne %0, %3, 2f\n"
		     "	sc.w.aqrl %1, %4, %2\n"
		     "	bnez %1, 1b\n"
		     "2:"
		     : "=&r"(old), "=&r"(fail), "+A"(*p)
		     : "r"(expected), "r"(desired)
		     : "memory");
	return old;
}

/*
 * Add with an LR/SC retry loop; returns the old value. *retries (if not NULL) is increased by the number of
 * failed store-conditionals, which tells how much the reservation was contended.
 */
static inline uint32_t lrsc_add(volatile uint32_t *p, uint32_t v, uint32_t *retries)
{
	uint32_t old, fail, n = 0;

	__asm__ volatile("	j 2f\n"
		     "1:	addi %2, %2, 1\n"
		     "2:	lr.w.aqrl %0, %3\n"
		     "	add %1, %0, %4\n"
		     "	sc.w.aqrl %1, %1, %3\n"
		     "	bnez %1, 1b"
		     : "=&r"(old), "=&r"(fail), "+r"(n), "+A"(*p)
		     : "r"(v)
		     : "memory");
	if (retries)
		*retries += n;
	return old;
}

#endif /* OOBSIM_ATOMIC_H */

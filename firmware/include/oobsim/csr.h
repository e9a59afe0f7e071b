/*
 * Machine-mode CSR access and the bits of the CSRs the runtime uses.
 *
 * The CSR is named, not numbered (csr_read(mhartid)), so the assembler checks the name and the disassembly of a
 * firmware reads like its source.
 */
#ifndef OOBSIM_CSR_H
#define OOBSIM_CSR_H

/* Constants usable from both C and assembly (gas takes no `u` suffix). */
#ifdef __ASSEMBLER__
#define __CSR_U(x)	x
#else
#define __CSR_U(x)	x##u
#endif

/* mstatus */
#define MSTATUS_MIE	(__CSR_U(1) << 3)
#define MSTATUS_MPIE	(__CSR_U(1) << 7)
#define MSTATUS_MPP	(__CSR_U(3) << 11)

/* mip and mie share the bit positions: MSIP/MSIE, MTIP/MTIE, MEIP/MEIE. */
#define IRQ_M_SOFT	3
#define IRQ_M_TIMER	7
#define IRQ_M_EXT	11
#define MIP_MSIP	(__CSR_U(1) << IRQ_M_SOFT)
#define MIP_MTIP	(__CSR_U(1) << IRQ_M_TIMER)
#define MIP_MEIP	(__CSR_U(1) << IRQ_M_EXT)

/* mtvec: the low two bits select the mode. */
#define MTVEC_DIRECT	__CSR_U(0)
#define MTVEC_VECTORED	__CSR_U(1)

/* mcause: the top bit marks an interrupt; the rest is the exception code. */
#define MCAUSE_INTERRUPT	__CSR_U(0x80000000)

#ifndef __ASSEMBLER__

#include <stdint.h>

#define __csr_str(x) #x

/* The "memory" clobbers keep the compiler from moving memory accesses across a CSR access that may change what
 * they mean (enabling interrupts, for one). */
#define csr_read(csr)							\
	({								\
		uint32_t __v;						\
		__asm__ volatile("csrr %0, " __csr_str(csr)			\
			     : "=r"(__v) : : "memory");			\
		__v;							\
	})

#define csr_write(csr, val)						\
	({								\
		uint32_t __v = (uint32_t)(val);				\
		__asm__ volatile("csrw " __csr_str(csr) ", %0"		\
			     : : "rK"(__v) : "memory");			\
	})

/* Atomically exchange: returns the old value. */
#define csr_swap(csr, val)						\
	({								\
		uint32_t __v = (uint32_t)(val);				\
		__asm__ volatile("csrrw %0, " __csr_str(csr) ", %1"		\
			     : "=r"(__v) : "rK"(__v) : "memory");	\
		__v;							\
	})

/* Set bits; csr_read_set() also returns the value before. */
#define csr_read_set(csr, val)						\
	({								\
		uint32_t __v = (uint32_t)(val);				\
		__asm__ volatile("csrrs %0, " __csr_str(csr) ", %1"		\
			     : "=r"(__v) : "rK"(__v) : "memory");	\
		__v;							\
	})

#define csr_set(csr, val)						\
	({								\
		uint32_t __v = (uint32_t)(val);				\
		__asm__ volatile("csrs " __csr_str(csr) ", %0"		\
			     : : "rK"(__v) : "memory");			\
	})

/* Clear bits; csr_read_clear() also returns the value before. */
#define csr_read_clear(csr, val)					\
	({								\
		uint32_t __v = (uint32_t)(val);				\
		__asm__ volatile("csrrc %0, " __csr_str(csr) ", %1"		\
			     : "=r"(__v) : "rK"(__v) : "memory");	\
		__v;							\
	})

#define csr_clear(csr, val)						\
	({								\
		uint32_t __v = (uint32_t)(val);				\
		__asm__ volatile("csrc " __csr_str(csr) ", %0"		\
			     : : "rK"(__v) : "memory");			\
	})

/*
 * 64-bit mcycle/minstret on RV32: the high half may carry between the two reads, so re-read until it is stable.
 */
#define csr_read64(csr)							\
	({								\
		uint32_t __hi, __lo, __hi2;				\
		do {							\
			__hi = csr_read(csr##h);			\
			__lo = csr_read(csr);				\
			__hi2 = csr_read(csr##h);			\
		} while (__hi != __hi2);				\
		((uint64_t)__hi << 32) | __lo;				\
	})

#endif /* !__ASSEMBLER__ */

#endif /* OOBSIM_CSR_H */

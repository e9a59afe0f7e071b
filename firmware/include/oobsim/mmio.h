/*
 * Device register access. Every device in the platform has 32-bit registers, and an access through a volatile
 * pointer is one lw/sw, which the simulator turns into one bus transaction.
 */
#ifndef OOBSIM_MMIO_H
#define OOBSIM_MMIO_H

#include <stdint.h>

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t val)
{
	*(volatile uint32_t *)addr = val;
}

#endif /* OOBSIM_MMIO_H */

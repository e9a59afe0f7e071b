/*
 * Which hart am I, how many are there, and how to stop the simulation.
 */
#ifndef OOBSIM_PLATFORM_H
#define OOBSIM_PLATFORM_H

/* The most harts the platform has (GIC and timer block); firmware/link.ld reserves a stack for each (keep the two
 * in step). Plain numbers: boot/start.S uses them too. */
#define OOBSIM_MAX_HARTS	8
#define OOBSIM_STACK_SIZE	16384

#ifndef __ASSEMBLER__

#include <stdint.h>

#include "memory_map.h"
#include "oobsim/csr.h"
#include "oobsim/mmio.h"

static inline uint32_t hartid(void)
{
	return csr_read(mhartid);
}

/* The number of harts the simulator was started with (--cpus). */
static inline uint32_t ncpus(void)
{
	return mmio_read32(OOBSIM_SIMCTRL_BASE + OOBSIM_SIMCTRL_NCPUS);
}

/* The core clock in kHz, to turn cycles of the timer counter into time. */
static inline uint32_t sim_clock_khz(void)
{
	return mmio_read32(OOBSIM_SIMCTRL_BASE + OOBSIM_SIMCTRL_CLOCK_KHZ);
}

/* Guest address of the scenario descriptor the simulator was given, 0 if none. */
static inline uint32_t sim_scenario(void)
{
	return mmio_read32(OOBSIM_SIMCTRL_BASE + OOBSIM_SIMCTRL_SCENARIO);
}

/* Sleep until an interrupt enabled in mie is pending (taken or not, depending on mstatus.MIE). */
static inline void wfi(void)
{
	__asm__ volatile("wfi" : : : "memory");
}

/*
 * Stop the simulation with this exit code. Interrupts are masked first: the simulator stops at the write, but
 * should it let this hart go on for a moment, no handler may run and print after the program has ended.
 */
static inline __attribute__((noreturn)) void sim_exit(int code)
{
	csr_clear(mstatus, MSTATUS_MIE);
	csr_write(mie, 0);
	mmio_write32(OOBSIM_SIMCTRL_BASE + OOBSIM_SIMCTRL_EXIT, (uint32_t)code);
	for (;;)
		wfi();
}

/* Where start.S goes when hart 0's main() returns: its value becomes the exit code. */
__attribute__((noreturn)) void oobsim_main_returned(int code);

#endif /* !__ASSEMBLER__ */

#endif /* OOBSIM_PLATFORM_H */

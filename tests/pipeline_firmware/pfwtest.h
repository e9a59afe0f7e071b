/*
 * Helpers for the firmware tests of the interrupt pipeline (programs on the kernel of firmware/pipeline/, built
 * with oobsim_add_pipeline_firmware()). The checks are tests/firmware/include/fwtest.h's: a failure prints where
 * and why and exits 1; success is CPU 0's kernel_main() returning 0.
 */
#ifndef PFWTEST_H
#define PFWTEST_H

#include "fwtest.h"
#include "kernel/kernel.h"

/* Every CPU of the kernel meets here. */
static inline void pfw_sync_cpus(void)
{
	static struct hart_barrier barrier = HART_BARRIER_INIT;

	hart_barrier_wait(&barrier, kernel_cpus());
}

/* The low word of the cycle counter: mcycle counts core cycles since reset on every hart (the same count as the
 * timer block's counter), so values read on different CPUs compare. */
static inline uint32_t cycles(void)
{
	return csr_read(mcycle);
}

/* Busy in-band work for `n` cycles from `start` (no memory access, no device: nothing another CPU can disturb). */
static inline void spin_until(uint32_t start, uint32_t n)
{
	while (cycles() - start < n)
		cpu_relax();
}

/* No debug check of the pipeline failed, and no xcall assertion, since boot. */
static inline void pfw_check_no_debug_reports(void)
{
	for (int kind = 0; kind < PIPELINE_NR_DEBUG_CHECKS; kind++)
		CHECK(!kernel_last_report(kind), "debug check %d failed: %s", kind, kernel_last_report(kind)->msg);
	for (int kind = PIPELINE_FAIL_XCALL_CONTEXT; kind <= PIPELINE_FAIL_XCALL_CPU; kind++)
		CHECK(!kernel_last_report(kind), "xcall assertion %d failed: %s", kind, kernel_last_report(kind)->msg);
}

#endif /* PFWTEST_H */

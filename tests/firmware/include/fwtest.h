/*
 * Helpers for the self-checking firmware tests: a failed check prints where and why, then ends the simulation
 * with exit code 1, from whichever hart noticed. Success is hart 0's main() returning 0.
 */
#ifndef OOBSIM_FWTEST_H
#define OOBSIM_FWTEST_H

#include <stdarg.h>
#include <stdint.h>

#include "oobsim/oobsim.h"

/* How long a test waits for another hart or a device before calling it a hang (loop iterations, not cycles, so
 * the limit does not depend on the timing profile). */
#define FWTEST_SPIN_LIMIT	2000000u

/* cond is the failed condition's text (or NULL); it is printed with %s, never used as a format. */
static inline __attribute__((noreturn, format(printf, 4, 5)))
void fwtest_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	console_lock();
	printf("FAIL [hart %u] %s:%d: ", (unsigned int)hartid(), file, line);
	if (cond)
		printf("check (%s) failed: ", cond);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	console_unlock();
	sim_exit(1);
}

/* Just the file name: the absolute path of the build machine says nothing useful in a log. */
#ifdef __FILE_NAME__
#define FWTEST_FILE	__FILE_NAME__
#else
#define FWTEST_FILE	__FILE__
#endif

#define FAIL(...)	fwtest_fail(FWTEST_FILE, __LINE__, NULL, __VA_ARGS__)

/* CHECK(cond, fmt, args...): the message says what was being checked. */
#define CHECK(cond, ...)						\
	do {								\
		if (!(cond))						\
			fwtest_fail(FWTEST_FILE, __LINE__, #cond, __VA_ARGS__);\
	} while (0)

/* Equality of two 32-bit values, both shown in hex and decimal when they differ. */
#define CHECK_EQ(what, actual, expected)				\
	do {								\
		uint32_t __a = (uint32_t)(actual);			\
		uint32_t __e = (uint32_t)(expected);			\
		if (__a != __e)						\
			FAIL("%s: got 0x%08x (%u), expected 0x%08x (%u)",\
			     (what), (unsigned int)__a, (unsigned int)__a,\
			     (unsigned int)__e, (unsigned int)__e);	\
	} while (0)

/* Spin until cond holds; a hang becomes a failure that names what was awaited. */
#define WAIT_UNTIL(cond, what)						\
	do {								\
		uint32_t __n = 0;					\
		while (!(cond)) {					\
			if (++__n == FWTEST_SPIN_LIMIT)			\
				FAIL("timed out waiting for %s", (what));\
			cpu_relax();					\
		}							\
	} while (0)

/* Busy-wait for about this many cycles on the hart's own cycle counter (no device access, no shared memory). */
static inline void delay_cycles(uint32_t cycles)
{
	uint32_t start = csr_read(mcycle);

	while (csr_read(mcycle) - start < cycles)
		cpu_relax();
}

/* The number of harts a test uses: all the simulator has, up to the platform's maximum. */
static inline uint32_t fwtest_harts(void)
{
	uint32_t n = ncpus();

	return n > OOBSIM_MAX_HARTS ? OOBSIM_MAX_HARTS : n;
}

#endif /* OOBSIM_FWTEST_H */

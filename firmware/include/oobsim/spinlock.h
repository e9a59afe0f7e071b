/*
 * A test-and-test-and-set spinlock on amoswap.w.
 *
 * Waiters spin on a plain load and try the AMO only when the lock looks free, so a contended lock costs loads, not a
 * stream of AMOs. The acquire takes amoswap.w.aq and the release amoswap.w.rl: the critical section can move
 * neither above the one nor below the other.
 */
#ifndef OOBSIM_SPINLOCK_H
#define OOBSIM_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "oobsim/atomic.h"

typedef struct {
	volatile uint32_t locked;
} spinlock_t;

#define SPINLOCK_INIT	{ 0 }

static inline bool spin_trylock(spinlock_t *l)
{
	uint32_t old;

	__asm__ volatile("amoswap.w.aq %0, %2, %1"
		     : "=r"(old), "+A"(l->locked) : "r"(1u) : "memory");
	return old == 0;
}

static inline void spin_lock(spinlock_t *l)
{
	while (!spin_trylock(l)) {
		while (READ_ONCE(l->locked))
			cpu_relax();
	}
}

static inline void spin_unlock(spinlock_t *l)
{
	__asm__ volatile("amoswap.w.rl zero, zero, %0" : "+A"(l->locked) : : "memory");
}

#endif /* OOBSIM_SPINLOCK_H */

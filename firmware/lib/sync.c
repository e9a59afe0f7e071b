/*
 * Hart rendezvous (see oobsim/sync.h).
 */
#include <stdint.h>

#include "oobsim/atomic.h"
#include "oobsim/sync.h"

void hart_barrier_wait(struct hart_barrier *b, uint32_t n)
{
	/* Read the generation before arriving: once the count is full it may change at any moment. */
	uint32_t gen = READ_ONCE(b->generation);

	if (amo_add(&b->count, 1) == n - 1) {
		/* Last to arrive: reset for the next round before letting anybody into it. */
		WRITE_ONCE(b->count, 0);
		amo_add(&b->generation, 1);
	} else {
		while (READ_ONCE(b->generation) == gen)
			cpu_relax();
	}
	mb();
}

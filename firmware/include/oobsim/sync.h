/*
 * Rendezvous of harts: every participant waits in hart_barrier_wait() until all n have arrived.
 *
 * Reusable: the last arrival resets the count and then bumps the generation the others spin on, so a hart that
 * rushes into the next round finds a clean count.
 */
#ifndef OOBSIM_SYNC_H
#define OOBSIM_SYNC_H

#include <stdint.h>

struct hart_barrier {
	volatile uint32_t count;
	volatile uint32_t generation;
};

#define HART_BARRIER_INIT	{ 0, 0 }

void hart_barrier_wait(struct hart_barrier *b, uint32_t n);

#endif /* OOBSIM_SYNC_H */

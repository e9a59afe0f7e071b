/*
 * Trace points. `slti x0, rs1, id` is a HINT: it changes no architectural state, and the simulator reports it as
 * trace event `id` carrying the value of rs1, at zero cycles, so tracing never changes the timing it observes.
 * The "memory" clobber pins the trace point between the memory accesses around it in the source, which is where a
 * reader of the trace expects it.
 */
#ifndef OOBSIM_TRACE_H
#define OOBSIM_TRACE_H

#include <stdint.h>

#include "memory_map.h"

#define OOBSIM_TRACE(id, value)						\
	do {								\
		_Static_assert((long long)(id) >= 0 && (id) <= OOBSIM_HINT_ID_MAX,	\
			       "trace id must be 0..OOBSIM_HINT_ID_MAX");\
		__asm__ volatile("slti x0, %0, %1"				\
			     : : "r"((uint32_t)(value)), "i"(id)	\
			     : "memory");				\
	} while (0)

#endif /* OOBSIM_TRACE_H */

/*
 * Everything a firmware usually needs from the runtime, in one include.
 */
#ifndef OOBSIM_OOBSIM_H
#define OOBSIM_OOBSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memory_map.h"
#include "oobsim/atomic.h"
#include "oobsim/console.h"
#include "oobsim/csr.h"
#include "oobsim/gic.h"
#include "oobsim/irq.h"
#include "oobsim/mmio.h"
#include "oobsim/platform.h"
#include "oobsim/spinlock.h"
#include "oobsim/string.h"
#include "oobsim/sync.h"
#include "oobsim/timer.h"
#include "oobsim/trace.h"
#include "oobsim/trap.h"

#endif /* OOBSIM_OOBSIM_H */

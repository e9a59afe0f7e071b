/*
 * The C side of start-up (boot/start.S).
 */
#include "oobsim/platform.h"

/* Reached when hart 0's main() returns: the C runtime's exit() in this freestanding world. */
void oobsim_main_returned(int code)
{
	sim_exit(code);
}

/* Device-access cost: 10^6 reads of the UART STATUS register, then exit. Each iteration is one device load and two
 * ALU instructions, so host time per iteration is mostly the simulator's device-access path. */
#include "memory_map.h"
	.globl	_start
_start:
	csrr	t0, mhartid
	bnez	t0, park
	li	s0, 1000000
	li	t0, OOBSIM_UART_BASE
1:	lw	t1, OOBSIM_UART_STATUS(t0)
	addi	s0, s0, -1
	bnez	s0, 1b
	li	t0, OOBSIM_SIMCTRL_BASE
	sw	zero, OOBSIM_SIMCTRL_EXIT(t0)
park:	wfi
	j	park

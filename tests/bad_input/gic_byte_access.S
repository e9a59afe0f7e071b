# A byte load from GICD_CTLR, a register that takes 32-bit accesses only, with no handler installed.
.globl _start
_start:
    li t0, 0x08000000
    lb t1, 0(t0)

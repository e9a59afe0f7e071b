# A load from a reserved offset of the GIC distributor (0xd00: no register there), with no handler installed.
.globl _start
_start:
    li t0, 0x08001000
    lw t1, -0x300(t0)

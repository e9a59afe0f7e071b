# A store where nothing is mapped, with no handler installed.
.globl _start
_start:
    li t0, 0x20000000
    sw zero, 0(t0)

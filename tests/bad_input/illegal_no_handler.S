# An illegal instruction with no handler installed.
.globl _start
_start:
    .word 0xffffffff

# A trap with no handler installed (mtvec is 0 at reset).
.globl _start
_start:
    nop
    ecall

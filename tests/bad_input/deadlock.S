# Every core sleeps with no interrupt enabled: nothing can ever wake them.
.globl _start
_start:
    wfi
    j _start

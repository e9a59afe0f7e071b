# Runaway firmware: loops forever (the cycle limit must stop it).
.globl _start
_start:
    j _start

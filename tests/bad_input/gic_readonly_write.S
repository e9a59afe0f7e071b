# Two writes to the read-only GICD_TYPER (ignored, reported once, counted), then a clean exit with code 0.
.globl _start
_start:
    li t0, 0x08000000
    sw zero, 4(t0)
    sw zero, 4(t0)
    lw t1, 4(t0)
    li t0, 0x10030000
    sw zero, 0(t0)
1:  j 1b

/*
 * The oobsim platform memory map: the one place that fixes where every device lives and what its registers are.
 * Shared by the simulator (C++) and the firmware (C11, freestanding), so it holds only preprocessor constants.
 * See docs/platform.md for the behaviour behind each register.
 */
#ifndef OOBSIM_MEMORY_MAP_H
#define OOBSIM_MEMORY_MAP_H

/* ---- GICv2 (ARM IHI 0048B) ---------------------------------------------------------------------------------- */
#define OOBSIM_GICD_BASE 0x08000000u /* distributor, 4 KiB */
#define OOBSIM_GICD_SIZE 0x00001000u
#define OOBSIM_GICC_BASE 0x08010000u /* CPU interface, banked by the accessing CPU */
#define OOBSIM_GICC_SIZE 0x00001000u

/* ---- Console UART ------------------------------------------------------------------------------------------- */
#define OOBSIM_UART_BASE 0x10000000u
#define OOBSIM_UART_SIZE 0x00001000u
#define OOBSIM_UART_TX 0x00u     /* write: the low byte goes to the console */
#define OOBSIM_UART_STATUS 0x04u /* read: bit 0 = ready to transmit (always 1) */
#define OOBSIM_UART_STATUS_TX_READY 0x1u

/* ---- Per-CPU timers and software interrupts ------------------------------------------------------------------
 * One block of OOBSIM_TIMER_STRIDE bytes per CPU, then the free-running counter (the cycle count since reset).
 * MSIP drives mip.MSIP of that CPU (any CPU may write it: this is how cores interrupt each other without the GIC).
 * CMP is an absolute compare value against the counter; mip.MTIP of that CPU is high while counter >= CMP.
 */
#define OOBSIM_TIMER_BASE 0x10010000u
#define OOBSIM_TIMER_SIZE 0x00010000u
#define OOBSIM_TIMER_STRIDE 0x100u
#define OOBSIM_TIMER_MSIP 0x00u   /* bit 0: software interrupt pending */
#define OOBSIM_TIMER_CMP_LO 0x08u /* compare, low word (reset: 0xffffffff) */
#define OOBSIM_TIMER_CMP_HI 0x0cu /* compare, high word (reset: 0xffffffff) */
#define OOBSIM_TIMER_COUNTER_LO 0xf000u /* read-only: counter low word (relative to OOBSIM_TIMER_BASE) */
#define OOBSIM_TIMER_COUNTER_HI 0xf004u /* read-only: counter high word */

/* ---- Programmable IRQ sources (scenario stimulus) ----------------------------------------------------------- */
#define OOBSIM_IRQSRC_BASE 0x10020000u
#define OOBSIM_IRQSRC_SIZE 0x00010000u

/* ---- Simulation control ------------------------------------------------------------------------------------- */
#define OOBSIM_SIMCTRL_BASE 0x10030000u
#define OOBSIM_SIMCTRL_SIZE 0x00001000u
#define OOBSIM_SIMCTRL_EXIT 0x00u          /* write: stop the simulation with this exit code */
#define OOBSIM_SIMCTRL_SCENARIO 0x04u      /* read: guest address of the scenario descriptor (0: none) */
#define OOBSIM_SIMCTRL_NCPUS 0x08u         /* read: number of CPUs */
#define OOBSIM_SIMCTRL_CLOCK_KHZ 0x0cu     /* read: core clock in kHz */

/* ---- RAM ---------------------------------------------------------------------------------------------------- */
#define OOBSIM_RAM_BASE 0x80000000u
#define OOBSIM_RAM_DEFAULT_SIZE 0x04000000u /* 64 MiB */

/* ---- Trace HINTs ---------------------------------------------------------------------------------------------
 * `slti x0, rs1, ID` is a HINT the RISC-V ISA designates for custom use: it changes no state. The simulator reports
 * it as trace event ID (0..2047) with the value of rs1, and it costs zero cycles and is not counted in minstret.
 */
#define OOBSIM_HINT_ID_MAX 2047

#endif /* OOBSIM_MEMORY_MAP_H */

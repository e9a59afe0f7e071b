/*
 * The oobsim platform memory map: the one place that fixes where every device lives and what its registers are.
 * Shared by the simulator (C++) and the firmware (C11, freestanding), so it holds only preprocessor constants.
 * See docs/platform.md for the behaviour behind each register.
 */
#ifndef OOBSIM_MEMORY_MAP_H
#define OOBSIM_MEMORY_MAP_H

/* ---- GICv2 (ARM IHI 0048B) ----------------------------------------------------------------------------------
 * Register offsets as the architecture fixes them (IHI 0048B tables 4-1 and 4-2), for the registers oobsim implements;
 * docs/platform.md says what each does here. Arrays: "+ 4 * (id / 32)" is one bit per interrupt ID, "+ id" one byte
 * per ID (byte-accessible), "+ 4 * (id / 16)" two bits per ID. */
#define OOBSIM_GICD_BASE 0x08000000u /* distributor, 4 KiB */
#define OOBSIM_GICD_SIZE 0x00001000u
#define OOBSIM_GICC_BASE 0x08010000u /* CPU interface, banked by the accessing CPU */
#define OOBSIM_GICC_SIZE 0x00001000u
#define OOBSIM_GICD_CTLR 0x000u       /* bit 0: forward pending interrupts to the CPU interfaces */
#define OOBSIM_GICD_TYPER 0x004u      /* read-only: ITLinesNumber [4:0], CPUNumber [7:5] */
#define OOBSIM_GICD_IIDR 0x008u       /* read-only */
#define OOBSIM_GICD_IGROUPR 0x080u    /* + 4 * (id / 32); RAZ/WI: every interrupt is Group 0 */
#define OOBSIM_GICD_ISENABLER 0x100u  /* + 4 * (id / 32) */
#define OOBSIM_GICD_ICENABLER 0x180u  /* + 4 * (id / 32) */
#define OOBSIM_GICD_ISPENDR 0x200u    /* + 4 * (id / 32) */
#define OOBSIM_GICD_ICPENDR 0x280u    /* + 4 * (id / 32) */
#define OOBSIM_GICD_ISACTIVER 0x300u  /* + 4 * (id / 32) */
#define OOBSIM_GICD_ICACTIVER 0x380u  /* + 4 * (id / 32) */
#define OOBSIM_GICD_IPRIORITYR 0x400u /* + id */
#define OOBSIM_GICD_ITARGETSR 0x800u  /* + id */
#define OOBSIM_GICD_ICFGR 0xc00u      /* + 4 * (id / 16); bit 2 * (id % 16) + 1: 1 edge, 0 level */
#define OOBSIM_GICD_SGIR 0xf00u       /* write-only */
#define OOBSIM_GICD_CPENDSGIR 0xf10u  /* + sgi; bit n: pending from CPU n */
#define OOBSIM_GICD_SPENDSGIR 0xf20u  /* + sgi */
#define OOBSIM_GICD_ICPIDR2 0xfe8u    /* read-only: ArchRev [7:4] = 2 */
#define OOBSIM_GICD_SGIR_TO_LIST (0u << 24)   /* TargetListFilter: the CPUs in CPUTargetList [23:16] */
#define OOBSIM_GICD_SGIR_TO_OTHERS (1u << 24) /* every CPU but the one writing */
#define OOBSIM_GICD_SGIR_TO_SELF (2u << 24)   /* only the CPU writing */
#define OOBSIM_GICC_CTLR 0x00u  /* bit 0: signal interrupts to the CPU (mip.MEIP) */
#define OOBSIM_GICC_PMR 0x04u   /* priority mask: only priorities below it are signalled */
#define OOBSIM_GICC_BPR 0x08u   /* binary point: group priority = priority bits above it (minimum 2) */
#define OOBSIM_GICC_IAR 0x0cu   /* read-only: acknowledge; ID [9:0], source CPU of an SGI [12:10] */
#define OOBSIM_GICC_EOIR 0x10u  /* write-only: end of interrupt (priority drop and deactivation) */
#define OOBSIM_GICC_RPR 0x14u   /* read-only: running priority (0xff when idle) */
#define OOBSIM_GICC_HPPIR 0x18u /* read-only: highest priority pending interrupt */
#define OOBSIM_GICC_IIDR 0xfcu  /* read-only */
#define OOBSIM_GIC_SPURIOUS 1023u /* what GICC_IAR reads when no interrupt can be acknowledged */

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
/* GIC timer mode: with CTRL.ENABLE the comparator also raises the CPU's private peripheral interrupt (PPI 30). It
 * fires once when the counter reaches CMP (or at once if the CMP written is already past); with CTRL.PERIODIC the
 * timer then adds RELOAD to CMP (drift-free) and fires again. FIRED holds the PPI high until cleared. */
#define OOBSIM_TIMER_CTRL 0x10u   /* read-write, reset 0 */
#define OOBSIM_TIMER_CTRL_ENABLE 0x1u   /* the comparator drives PPI 30 */
#define OOBSIM_TIMER_CTRL_PERIODIC 0x2u /* on firing, CMP += RELOAD (RELOAD 0: one-shot) */
#define OOBSIM_TIMER_RELOAD 0x14u /* read-write, reset 0: the period in cycles */
#define OOBSIM_TIMER_STATUS 0x18u /* bit 0 FIRED (write 1 to clear); bit 1 CLEARING (read-only) */
#define OOBSIM_TIMER_STATUS_FIRED 0x1u    /* the comparator fired; the PPI is high while FIRED and ENABLE */
#define OOBSIM_TIMER_STATUS_CLEARING 0x2u /* a write of 1 to FIRED has not reached the timer yet */
#define OOBSIM_TIMER_PPI 30u              /* the GIC interrupt ID of every CPU's timer (a PPI, as on ARM) */

/* ---- Programmable IRQ sources (scenario stimulus) ----------------------------------------------------------- */
#define OOBSIM_IRQSRC_BASE 0x10020000u
#define OOBSIM_IRQSRC_SIZE 0x00010000u
/* One block of OOBSIM_IRQSRC_STRIDE bytes per channel, then the global registers. Channel k drives one SPI (by
 * default 32 + k); the simulator (CLI, Python) programs when its events come; firmware reads and acknowledges. */
#define OOBSIM_IRQSRC_STRIDE 0x20u
#define OOBSIM_IRQSRC_STATUS 0x00u /* read-only, bits below */
#define OOBSIM_IRQSRC_STATUS_LINE 0x1u        /* the channel's output line is high */
#define OOBSIM_IRQSRC_STATUS_LEVEL 0x2u       /* level-triggered (held until ACK); 0: edge (one-cycle pulse) */
#define OOBSIM_IRQSRC_STATUS_ACTIVE 0x4u      /* configured, and more events are to come */
#define OOBSIM_IRQSRC_STATUS_ACK_PENDING 0x8u /* an ACK was written and has not reached the device yet */
#define OOBSIM_IRQSRC_ACK 0x04u           /* write bit 0 = 1: lower a level line (reads 0) */
#define OOBSIM_IRQSRC_COUNT 0x08u         /* read-only: events so far (including overruns) */
#define OOBSIM_IRQSRC_OVERRUN 0x0cu       /* read-only: events that found the level line still high */
#define OOBSIM_IRQSRC_LAST_CYCLE_LO 0x10u /* read-only: cycle of the last event, low word */
#define OOBSIM_IRQSRC_LAST_CYCLE_HI 0x14u /* read-only: cycle of the last event, high word */
#define OOBSIM_IRQSRC_SPI 0x18u           /* read-only: the GIC interrupt ID the channel drives */
#define OOBSIM_IRQSRC_CHANNELS 0xf000u    /* read-only: number of channels (relative to OOBSIM_IRQSRC_BASE) */
#define OOBSIM_IRQSRC_MAX_CHANNELS 1024u

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

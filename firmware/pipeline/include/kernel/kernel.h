/*
 * The small oobsim kernel: boot of every hart, the trap entry and the interrupt pipeline (pipeline/) over the GIC,
 * built either way from the same program sources:
 *
 *  - pipelined (default): Dovetail's two stages. local_irq_*() stall the in-band stage only (virtual interrupt
 *    disable); every interrupt enters handle_irq_pipelined(); IRQF_OOB handlers run at once on the oob stage, the
 *    others are logged and replayed when in-band accepts them.
 *  - classic (KERNEL_CLASSIC, `CLASSIC` in oobsim_add_pipeline_firmware()): no pipeline. local_irq_*() mask
 *    interrupts in the CPU (mstatus.MIE) and every handler, IRQF_OOB or not, runs in the trap with hard irqs off,
 *    as in a kernel without Dovetail. The rest of the API (request_irq, irq_work, IPIs, run_oob_call, ...) is there
 *    with its classic meaning, so the same workload builds and runs both ways.
 *
 * A program defines kernel_main(); the kernel calls it on every CPU once that CPU is up (GIC CPU interface on, trap
 * entry installed, hard irqs on, in-band unstalled). CPU 0's return value is the simulation's exit code; other
 * CPUs that return go idle (still serving interrupts). docs/pipeline.md, "The firmware kernel", has the details.
 */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "oobsim/trap.h"
#include "pipeline/pipeline.h"

#ifdef KERNEL_CLASSIC
#define KERNEL_PIPELINED 0
#else
#define KERNEL_PIPELINED 1
#endif
#define KERNEL_MODE_NAME (KERNEL_PIPELINED ? "pipelined" : "classic")

#ifdef KERNEL_CLASSIC
/*
 * The classic mapping of the protection API: local_irq_*() are the CPU's interrupt enable, as in a kernel without
 * an interrupt pipeline. (inband_irq_*() and oob_irq_*() are functions of the classic kernel doing the same.)
 */
#undef local_irq_save
#undef local_irq_restore
#undef local_irq_disable
#undef local_irq_enable
#undef irqs_disabled
#define local_irq_save(flags)				\
	do {						\
		(flags) = arch_hard_irq_save();		\
	} while (0)
#define local_irq_restore(flags) arch_hard_irq_restore(flags)
#define local_irq_disable() arch_hard_irq_disable()
#define local_irq_enable() arch_hard_irq_enable()
#define irqs_disabled() arch_hard_irqs_disabled()

/* The classic kernel runs irq_work from this SGI, raised on the CPU itself (the arch_irq_work_raise() of Linux).
 * Programs built both ways should leave it alone. */
#define KERNEL_CLASSIC_IRQ_WORK_SGI 15
#endif

/* The in-band kernel (threads, preemption, wait queues, soft interrupts; local_irq_enable/restore become
 * preemption points) and the companion core. */
#include "kernel/sched.h"
#include "kernel/oob.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- What the program provides ----------------------------------------------------------------------------------- */

/* Called on every CPU (0 .. kernel_cpus()-1), in-band, hard irqs on, unstalled, in the CPU's thread "main/N", once
 * every CPU is online (kernel_mp_online()). CPU 0's return value is the exit code of the simulation; on another CPU,
 * returning ends main/N (the CPU's other threads, or its idle thread, run on). */
int kernel_main(unsigned int cpu);

/* Optional (weak, empty by default): called on CPU 0 at boot, in-band, hard irqs off, before the other CPUs are
 * released (cold: xcalls run synchronously, with ticket 0). */
void kernel_early_init(void);

/*
 * Optional hooks (weak defaults in kernel.c):
 * - kernel_irq_exit_work(): the normal IRQ-exit work (where a full kernel would run softirqs and preempt). Called
 *   on the way out of an external-interrupt trap, hard irqs off, when handle_irq_pipelined() returned "in-band and
 *   unstalled" (classic: after every external interrupt). The default does nothing.
 * - kernel_exception(): any trap other than a machine external interrupt (exceptions, MSIP/MTIP if a program
 *   enables them in mie). The frame is complete (every register, mepc, mcause, mtval, mstatus); registers and mepc
 *   are written back on return. The default is trap_unexpected(): print and exit 99.
 */
void kernel_irq_exit_work(struct trap_frame *f);
void kernel_exception(struct trap_frame *f);

/* ---- Per-CPU kernel data ----------------------------------------------------------------------------------------- */

struct kernel_cpu {
	uint32_t iar;		/* raw GICC_IAR of the last acknowledge (SGI source CPU for the EOI) */
	uint32_t irq_traps;	/* external-interrupt traps taken */
	uint32_t irq_exits;	/* ... of which returned in-band and unstalled (kernel_irq_exit_work() ran) */
	uint32_t spurious;	/* acknowledges that found nothing (IAR 1020-1023) */
	uint32_t sgis_sent;	/* arch_irq_send_sgi() calls made by this CPU (GICD_SGIR writes) */
};

extern struct kernel_cpu kernel_cpu_data[PIPELINE_MAX_CPUS];

static inline struct kernel_cpu *this_kernel_cpu(void)
{
	return &kernel_cpu_data[arch_cpu_id()];
}

/* The number of CPUs the kernel runs on. */
static inline unsigned int kernel_cpus(void)
{
	return arch_num_cpus();
}

/* One step of the idle loop: inband_idle() (pipelined: replays a non-empty log instead of sleeping); classic: WFI
 * with hard irqs off, then take what woke us. Returns with hard irqs on. */
void kernel_idle(void);

/* Route an SPI to a set of CPUs (GICD_ITARGETSR); at boot every SPI goes to CPU 0. */
void kernel_irq_set_affinity(unsigned int irq, uint32_t cpumask);

/* Print "[kernel] panic on cpu <n>: <msg>" and end the simulation with exit code 98. */
__attribute__((noreturn)) void kernel_panic(const char *msg);

/* xcall (pipeline/xcall.h) on this kernel: the xcall/N thread of a CPU; set-up at boot (kxcall.c). */
struct kthread *kernel_xcall_thread(unsigned int cpu);
void kernel_xcall_init(void);
void kernel_xcall_init_cpu(unsigned int cpu);

/* ---- Reports (what arch_report() printed) ------------------------------------------------------------------------ */

/*
 * Every arch_report() is printed on the console as
 *   [pipeline] <what> on cpu <n>, <stage> stage, irq <irq|->, pc 0x<pc>: <msg>
 * with <what> "debug check failed", "warning" or "info", and recorded here by kind, so that a program can check
 * what was reported. kind: enum pipeline_report_kind.
 */
struct kernel_report {
	unsigned int count;	/* reports of this kind (debug checks are reported once per pipeline_init()) */
	unsigned int cpu;
	int irq;
	int stage;
	uintptr_t pc;
	const char *msg;
};

#define KERNEL_NR_REPORT_KINDS 48
/* The last report of that kind, or NULL if none. */
const struct kernel_report *kernel_last_report(int kind);

#ifdef KERNEL_CLASSIC
void classic_handle_irq(void);
#endif

#ifdef __cplusplus
}
#endif

#endif /* KERNEL_KERNEL_H */

/*
 * Compile-time sizes and fixed IRQ numbers of the interrupt pipeline.
 *
 * Every value can be overridden with -D; the defaults fit the oobsim platform (a GICv2 with up to 8 CPUs, whose
 * interrupt IDs are used as IRQ numbers unchanged). The error codes are here because <errno.h> is not part of a
 * freestanding C implementation.
 */
#ifndef PIPELINE_CONFIG_H
#define PIPELINE_CONFIG_H

/* Largest number of CPUs the per-CPU tables hold; arch_num_cpus() says how many are there. At most 32 (cpumasks
 * are 32-bit words). */
#ifndef PIPELINE_MAX_CPUS
#define PIPELINE_MAX_CPUS 8
#endif

/*
 * IRQ numbers. 0..PIPELINE_NR_HW_IRQS-1 are the interrupt controller's own IDs (GIC: 0-15 SGIs, 16-31 PPIs, then
 * SPIs). The synthetic IRQs that only software raises (irq_work, in-band IPI messages) come after them, so one
 * number space covers both and the logs treat them alike. 992 + 32 = 1024 IRQs: 32 leaf words under one summary
 * word, and only the GIC's 28 highest SPI IDs (992-1019) are out of reach.
 */
#ifndef PIPELINE_NR_HW_IRQS
#define PIPELINE_NR_HW_IRQS 992
#endif
#ifndef PIPELINE_NR_SYNTHETIC_IRQS
#define PIPELINE_NR_SYNTHETIC_IRQS 32
#endif
#define PIPELINE_NR_IRQS (PIPELINE_NR_HW_IRQS + PIPELINE_NR_SYNTHETIC_IRQS)

/* IRQs below this number are banked per CPU by the controller (GIC SGIs and PPIs): per-CPU lines by default. */
#ifndef PIPELINE_NR_PERCPU_HW_IRQS
#define PIPELINE_NR_PERCPU_HW_IRQS 32
#endif
/* IRQs below this number are software-generated interrupts (GIC SGIs), the IPI vectors. */
#ifndef PIPELINE_NR_SGIS
#define PIPELINE_NR_SGIS 16
#endif

/* The synthetic IRQs. All are per-CPU: each CPU raises them for itself. */
#define PIPELINE_SYNTHETIC_IRQ_BASE PIPELINE_NR_HW_IRQS
#define PIPELINE_IRQ_WORK_IRQ (PIPELINE_SYNTHETIC_IRQ_BASE + 0)       /* runs queued irq_work in-band */
#define PIPELINE_INBAND_IPI_IRQ_BASE (PIPELINE_SYNTHETIC_IRQ_BASE + 1) /* in-band IPI message 0 */
#ifndef PIPELINE_NR_INBAND_IPIS
#define PIPELINE_NR_INBAND_IPIS 8
#endif
#define INBAND_IPI_IRQ(msg) (PIPELINE_INBAND_IPI_IRQ_BASE + (msg))

/*
 * SGI assignment. One SGI carries every in-band IPI message (the messages are per-CPU bits); each oob IPI has an
 * SGI of its own, so that it is never held back behind in-band traffic.
 */
#define PIPELINE_INBAND_IPI_SGI 0
#define OOB_IPI_BASE 1
#define TIMER_OOB_IPI (OOB_IPI_BASE + 0)
#define RESCHEDULE_OOB_IPI (OOB_IPI_BASE + 1)
#define CALL_FUNCTION_OOB_IPI (OOB_IPI_BASE + 2)
#define OOB_NR_IPI 3

/* Room for the actions request_irq() allocates (setup_irq() brings its own). No allocator in a freestanding build. */
#ifndef PIPELINE_NR_ACTIONS
#define PIPELINE_NR_ACTIONS 64
#endif

/*
 * Spurious-line detection (see note_interrupt() in manage.c): a line is disabled when PIPELINE_SPURIOUS_LIMIT of
 * its interrupts were left unhandled (every handler returned IRQ_NONE, or it had none) within one window of
 * PIPELINE_SPURIOUS_WINDOW interrupts of that line. Windows are consecutive, counted from the line's setup.
 */
#ifndef PIPELINE_SPURIOUS_LIMIT
#define PIPELINE_SPURIOUS_LIMIT 1000
#endif
#ifndef PIPELINE_SPURIOUS_WINDOW
#define PIPELINE_SPURIOUS_WINDOW 100000
#endif

/* Negated error codes, with the values Linux and newlib use (so a later <errno.h> redefines them identically). */
#ifndef ENOENT
#define ENOENT 2
#endif
#ifndef ENOMEM
#define ENOMEM 12
#endif
#ifndef EBUSY
#define EBUSY 16
#endif
#ifndef EINVAL
#define EINVAL 22
#endif

#endif /* PIPELINE_CONFIG_H */

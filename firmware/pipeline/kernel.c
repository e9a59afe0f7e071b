/*
 * Boot and traps of the small kernel, pipelined or classic (KERNEL_CLASSIC).
 *
 * The runtime's start.S brings every hart to main() on its own stack. Here hart 0 sizes and initialises the
 * pipeline (pipeline_init(), per-CPU stage data for every CPU), the scheduler, xcall, the companion core and the GIC
 * distributor, then releases the other harts; each hart installs the kernel's trap entry, turns its GIC CPU
 * interface on, enables the external interrupt in mie, makes its boot context the thread main/N and creates its
 * idle and xcall threads, opens hard irqs, waits for every CPU to be online and calls the program's kernel_main().
 */
#include "kernel/kernel.h"
#include "oobsim/atomic.h"
#include "oobsim/console.h"
#include "oobsim/csr.h"
#include "oobsim/gic.h"
#include "oobsim/platform.h"

unsigned int kernel_nr_cpus = 1;
struct kernel_cpu kernel_cpu_data[PIPELINE_MAX_CPUS];

/* Set once by hart 0, after everything the others read is initialised (start.S cleared .bss before any hart ran
 * C, so the others find it 0 until then). */
static volatile uint32_t kernel_released;

void kernel_trap_entry(void);
void kernel_irq_trap(struct trap_frame *f);

__attribute__((weak)) void kernel_irq_exit_work(struct trap_frame *f)
{
	(void)f;
}

__attribute__((weak)) void kernel_exception(struct trap_frame *f)
{
	trap_unexpected(f);
}

__attribute__((weak)) void kernel_early_init(void)
{
}

/* The fast path of kernel_trap_entry: a machine external interrupt (the GIC's MEIP), hard irqs off. */
void kernel_irq_trap(struct trap_frame *f)
{
	struct kernel_cpu *kc = this_kernel_cpu();

	kc->irq_traps++;
#ifdef KERNEL_CLASSIC
	classic_handle_irq();
#else
	if (!handle_irq_pipelined())
		return;
#endif
	kc->irq_exits++;
	kernel_irq_exit_work(f);
	sched_irq_exit();
}

void kernel_idle(void)
{
	inband_idle();
}

void kernel_irq_set_affinity(unsigned int irq, uint32_t cpumask)
{
	if (irq >= GIC_SPI_BASE && irq < PIPELINE_NR_HW_IRQS)
		gic_set_targets(irq, (uint8_t)cpumask);
}

/* Hart 0, once: every interrupt at the same priority (0, the reset value), every SPI to CPU 0, distributor on. */
static void gic_dist_init(void)
{
	uint32_t n = gic_num_irqs();

	for (uint32_t id = GIC_SPI_BASE; id < n; id += 4)
		gicd_write(OOBSIM_GICD_ITARGETSR + id, 0x01010101u);
	gic_dist_enable();
}

int main(void)
{
	unsigned int cpu = hartid();
	int ret;

	if (cpu >= PIPELINE_MAX_CPUS)
		return 0;	/* start.S parks it */
	if (cpu == 0) {
		unsigned int n = ncpus();

		kernel_nr_cpus = n > PIPELINE_MAX_CPUS ? PIPELINE_MAX_CPUS : n;
		pipeline_init();
		sched_init();
		kernel_xcall_init();
		oob_core_init();
		gic_dist_init();
		kernel_early_init();
		mb();
		kernel_released = 1;
	} else {
		while (!kernel_released)
			cpu_relax();
		mb();
	}

	csr_write(mtvec, (uintptr_t)kernel_trap_entry);
	gic_cpu_enable();
	csr_write(mie, MIP_MEIP);
	sched_init_cpu(cpu);
	kernel_xcall_init_cpu(cpu);
	oob_core_init_cpu(cpu);
	hard_local_irq_enable();
	sched_cpu_online(cpu);

	ret = kernel_main(cpu);
	if (cpu == 0)
		return ret;
	kthread_exit();
}

/*
 * The kernel's trap entry keeps the interrupted context, also across nested traps (firmware/pipeline/entry.S):
 * in-band handlers run inside handle_irq_pipelined() with hard irqs on, so an interrupt may nest and overwrite
 * mepc and mstatus, which the entry therefore keeps in the frame. On every CPU:
 *  1. The timer (PPI 30, in-band handler) interrupts code that holds a pattern in every register (regs.S). Its
 *     handler, run by the replay with hard irqs on, sends this CPU an oob IPI, which is taken inside it (a nested
 *     trap) and handled on the oob stage. Expected: the oob handler ran nested in the in-band one; the interrupted
 *     code finds every register intact and resumes where it was (mepc); hard irqs on, in-band unstalled after.
 *  2. ECALL with hard irqs off. The exception handler (kernel_exception(), full frame) opens hard irqs and takes an
 *     oob IPI. Expected: back after the ECALL hard irqs are off again (mstatus written back from the frame, not
 *     left as the nested trap's mret set it), every register intact.
 */
#include "pfwtest.h"

#define FIRE_DELAY	300u

uint32_t regs_spin(volatile uint32_t *flag);
uint32_t regs_ecall(void);

static volatile struct {
	uint32_t spin_flag;
	uint32_t in_inband, inband_count;
	uint32_t oob_count, oob_nested, oob_bad_context;
	uint32_t ecall_count, ecall_mpie;
} cpus[OOBSIM_MAX_HARTS];

static irqreturn_t oob_ipi(int irq, void *dev_id)
{
	unsigned int cpu = hartid();

	(void)irq;
	(void)dev_id;
	cpus[cpu].oob_count++;
	cpus[cpu].oob_nested += cpus[cpu].in_inband;
	if (!running_oob() || !hard_irqs_disabled())
		cpus[cpu].oob_bad_context++;
	return IRQ_HANDLED;
}

static void send_self_oob_ipi_and_wait(unsigned int cpu)
{
	uint32_t before = cpus[cpu].oob_count;

	irq_send_oob_ipi(TIMER_OOB_IPI, PIPELINE_CPU_MASK(cpu));
	WAIT_UNTIL(cpus[cpu].oob_count != before, "the oob IPI, nested");
}

static irqreturn_t inband_timer(int irq, void *dev_id)
{
	unsigned int cpu = hartid();

	(void)irq;
	(void)dev_id;
	CHECK(!hard_irqs_disabled() && running_inband(), "cpu %u: in-band handler without hard irqs", cpu);
	cpus[cpu].in_inband = 1;
	send_self_oob_ipi_and_wait(cpu);
	cpus[cpu].in_inband = 0;
	gic_timer_ack(cpu);
	cpus[cpu].inband_count++;
	cpus[cpu].spin_flag = 1;
	return IRQ_HANDLED;
}

void kernel_exception(struct trap_frame *f)
{
	unsigned int cpu = hartid();

	if (f->mcause != EXC_ECALL_M)
		trap_unexpected(f);
	f->mepc += 4;
	cpus[cpu].ecall_mpie = f->mstatus & MSTATUS_MPIE;
	hard_local_irq_enable();
	send_self_oob_ipi_and_wait(cpu);
	hard_local_irq_disable();
	cpus[cpu].ecall_count++;
}

int kernel_main(unsigned int cpu)
{
	unsigned long flags;
	uint32_t bad;

	if (cpu == 0) {
		CHECK_EQ("enable_oob_stage()", enable_oob_stage("nested"), 0);
		CHECK_EQ("request of the timer PPI (in-band)",
			 __request_percpu_irq(OOBSIM_TIMER_PPI, inband_timer, 0, "timer", NULL), 0);
		CHECK_EQ("request of the oob IPI", __request_percpu_irq(TIMER_OOB_IPI, oob_ipi, IRQF_OOB, "oob-ipi",
									 NULL), 0);
	}
	pfw_sync_cpus();
	enable_percpu_irq(OOBSIM_TIMER_PPI, 0);
	enable_percpu_irq(TIMER_OOB_IPI, 0);

	/* 1. Interrupt nested in an in-band handler. */
	gic_timer_start(cpu, csr_read64(mcycle) + FIRE_DELAY, 0);
	bad = regs_spin(&cpus[cpu].spin_flag);
	CHECK_EQ("first register changed across the nested interrupts (0: none)", bad, 0);
	CHECK_EQ("in-band timer handler calls", cpus[cpu].inband_count, 1);
	CHECK_EQ("oob IPIs taken inside the in-band handler", cpus[cpu].oob_nested, 1);
	CHECK(!hard_irqs_disabled() && !irqs_disabled() && running_inband(), "cpu %u: state after the nested "
	      "interrupts", cpu);
	gic_timer_stop(cpu);

	/* 2. Interrupt nested in an exception taken with hard irqs off. */
	flags = hard_local_irq_save();
	bad = regs_ecall();
	CHECK(hard_irqs_disabled(), "cpu %u: hard irqs on after an ECALL made with them off", cpu);
	hard_local_irq_restore(flags);
	CHECK_EQ("first register changed across the ECALL (0: none)", bad, 0);
	CHECK_EQ("ECALLs handled", cpus[cpu].ecall_count, 1);
	CHECK_EQ("mstatus.MPIE at the ECALL (hard irqs were off)", cpus[cpu].ecall_mpie, 0);
	CHECK_EQ("oob IPIs taken", cpus[cpu].oob_count, 2);
	CHECK_EQ("oob handler calls not on oob with hard irqs off", cpus[cpu].oob_bad_context, 0);

	pfw_sync_cpus();
	if (cpu == 0)
		printf("nested: PASS (%u cpus): registers, mepc and mstatus kept across nested traps\n", kernel_cpus());
	return 0;
}

/*
 * Your own firmware (docs/tutorials/your-own-firmware.md): two device interrupts arrive while in-band code is inside
 * a local_irq_save() section; one has an oob handler, the other an in-band one.
 *
 * The simulator's IRQ sources raise them (the command line says when: --irq-source ...,spi=40 and ...,spi=41). CPU 0
 * enters local_irq_save() at cycle SECTION_START and leaves it at SECTION_END; each handler notes the cycle it ran at,
 * its stage, and the cycle of its device event (the channel's LAST_CYCLE register). The same source builds on the
 * pipelined kernel and, with CLASSIC, on the classic one: compare.
 */
#include "kernel/kernel.h"
#include "oobsim/oobsim.h"
#include "oobsim/trace.h"

#define OOB_SPI		40u	/* IRQ-source channel 0 */
#define INBAND_SPI	41u	/* IRQ-source channel 1 */
#define SECTION_START	60000u
#define SECTION_END	70000u
#define SECTION_HINT	100	/* my own trace point: oobsim run ... --trace-hint 100=my_section */

static volatile struct {
	uint32_t raised, handled;
	bool on_oob, ran;
} seen[2];

static irqreturn_t handler(int irq, void *dev_id)
{
	unsigned int channel = irq - OOB_SPI;
	uintptr_t regs = OOBSIM_IRQSRC_BASE + channel * OOBSIM_IRQSRC_STRIDE;

	(void)dev_id;
	seen[channel].handled = csr_read(mcycle);
	seen[channel].raised = mmio_read32(regs + OOBSIM_IRQSRC_LAST_CYCLE_LO);
	seen[channel].on_oob = running_oob();
	seen[channel].ran = true;
	return IRQ_HANDLED;
}

static void report(unsigned int channel, const char *kind)
{
	uint32_t raised = seen[channel].raised, handled = seen[channel].handled;

	if (!seen[channel].ran) {
		printf("  irq %u (%s handler): never ran (is --irq-source ...,spi=%u given?)\n", OOB_SPI + channel, kind,
		       OOB_SPI + channel);
		return;
	}
	printf("  irq %u (%s handler): raised at %u, handled at %u (+%u), %s the section, on the %s stage\n",
	       OOB_SPI + channel, kind, (unsigned int)raised, (unsigned int)handled, (unsigned int)(handled - raised),
	       handled < SECTION_END ? "inside" : "after", seen[channel].on_oob ? "oob" : "in-band");
}

int kernel_main(unsigned int cpu)
{
	unsigned long flags;

	if (cpu != 0)
		return 0;
	enable_oob_stage("my_firmware");	/* the classic kernel only notes the name */
	gic_set_edge(OOB_SPI, true);		/* the IRQ sources make one-cycle pulses */
	gic_set_edge(INBAND_SPI, true);
	request_irq(OOB_SPI, handler, IRQF_OOB, "my-oob-device", NULL);
	request_irq(INBAND_SPI, handler, 0, "my-inband-device", NULL);

	while (csr_read(mcycle) < SECTION_START)
		cpu_relax();
	local_irq_save(flags);
	OOBSIM_TRACE(SECTION_HINT, 1);
	while (csr_read(mcycle) < SECTION_END)
		cpu_relax();
	OOBSIM_TRACE(SECTION_HINT, 0);
	local_irq_restore(flags);

	printf("my_firmware (%s): local_irq_save() section from cycle %u to %u\n", KERNEL_MODE_NAME, SECTION_START,
	       SECTION_END);
	report(0, "oob");
	report(1, "in-band");
	return 0;
}

/*
 * Shared by the tracing test firmware: the GIC set-up and an interrupt handler that emits the interrupt pipeline's
 * trace events (pipeline/include/pipeline/trace_events.h) the way handle_irq_pipelined() does, so that the event log,
 * the VCD, the Perfetto trace and the metrics have something to show before the real pipeline runs as firmware.
 *
 * SPI_OOB and the oob IPI SGI are handled "oob" at once; SPI_INBAND is held (EOI'd), logged in-band and replayed
 * before the handler returns. Ids 100..102 and 42 are not the pipeline's: the tests name 100..102 on the command
 * line (--trace-hint 100=thread_switch ...), 42 stays unnamed.
 */
#ifndef TRACE_FW_H
#define TRACE_FW_H

#include "oobsim/oobsim.h"
#include "pipeline/trace_events.h"

#define HINT_THREAD	100	/* --trace-hint 100=thread_switch */
#define HINT_FN_BEGIN	101	/* --trace-hint 101=oob_call_fn_begin */
#define HINT_FN_END	102	/* --trace-hint 102=oob_call_fn_end */
#define HINT_MARK	42	/* left unnamed */

#define SPI_OOB		40	/* IRQ-source channel 0 */
#define SPI_INBAND	41	/* IRQ-source channel 1 */
#define SGI_OOB_IPI	1

static volatile uint32_t gic_ready, hart1_ready, done;
static volatile uint32_t ipis_seen[2], spi_oob_seen, spi_inband_seen;

void trap_handler(struct trap_frame *f)
{
	uint32_t me = hartid();
	uint32_t logged = 0;

	if (f->mcause != (MCAUSE_INTERRUPT | IRQ_M_EXT))
		trap_unexpected(f);
	OOBSIM_TRACE(PIPELINE_TRACE_ENTRY, 0);
	OOBSIM_TRACE(PIPELINE_TRACE_STAGE_SWITCH, 1);
	for (;;) {
		uint32_t iar = gic_ack();
		uint32_t id = gic_iar_id(iar);

		if (id >= 1020)
			break;
		OOBSIM_TRACE(PIPELINE_TRACE_IRQ_ACK, id);
		if (id == SPI_INBAND) {
			/* In-band: held at the controller, logged, replayed once back in-band. */
			OOBSIM_TRACE(PIPELINE_TRACE_IRQ_EOI, id);
			gic_eoi(iar);
			OOBSIM_TRACE(PIPELINE_TRACE_IRQ_LOG_INBAND, id);
			logged = id;
			continue;
		}
		if (id == SGI_OOB_IPI)
			OOBSIM_TRACE(PIPELINE_TRACE_OOB_IPI_RECEIVE, id);
		OOBSIM_TRACE(PIPELINE_TRACE_OOB_STALL, 0);
		OOBSIM_TRACE(PIPELINE_TRACE_HANDLER_ENTRY_OOB, id);
		if (id == SGI_OOB_IPI)
			ipis_seen[me & 1]++;
		else
			spi_oob_seen++;
		OOBSIM_TRACE(PIPELINE_TRACE_HANDLER_EXIT_OOB, id);
		OOBSIM_TRACE(PIPELINE_TRACE_OOB_UNSTALL, 0);
		OOBSIM_TRACE(PIPELINE_TRACE_IRQ_EOI, id);
		gic_eoi(iar);
		if (id == SPI_OOB)
			OOBSIM_TRACE(HINT_THREAD, 7);	/* the responder thread runs */
	}
	OOBSIM_TRACE(PIPELINE_TRACE_STAGE_SWITCH, 0);
	if (logged) {
		OOBSIM_TRACE(PIPELINE_TRACE_REPLAY_BEGIN, 0);
		OOBSIM_TRACE(PIPELINE_TRACE_INBAND_STALL, 0);
		OOBSIM_TRACE(PIPELINE_TRACE_IRQ_PULL_INBAND, logged);
		OOBSIM_TRACE(PIPELINE_TRACE_HANDLER_ENTRY_INBAND, logged);
		spi_inband_seen++;
		OOBSIM_TRACE(PIPELINE_TRACE_HANDLER_EXIT_INBAND, logged);
		OOBSIM_TRACE(PIPELINE_TRACE_INBAND_UNSTALL, 0);
		OOBSIM_TRACE(PIPELINE_TRACE_REPLAY_END, 0);
	}
	OOBSIM_TRACE(PIPELINE_TRACE_EXIT, 1);
}

/* Hart 0 sets up the distributor; every hart its CPU interface. Returns with interrupts enabled. */
static void trace_fw_gic_setup(void)
{
	if (hartid() == 0) {
		gic_dist_enable();
		for (uint32_t id = SPI_OOB; id <= SPI_INBAND; id++) {
			gic_set_edge(id, true);
			gic_set_priority(id, 0x80);
			gic_set_targets(id, 1);
			gic_enable_irq(id);
		}
		gic_ready = 1;
	} else {
		while (!gic_ready)
			cpu_relax();
	}
	gic_cpu_enable();
	irq_enable_meip();
	irq_global_enable();
	if (hartid() == 1)
		hart1_ready = 1;
	else
		while (!hart1_ready)
			cpu_relax();
}

/* Sleep until *flag reaches `value`, without the lost-wake-up race: WFI with MIE off still wakes. */
static void wait_for(volatile uint32_t *flag, uint32_t value)
{
	for (;;) {
		irq_global_disable();
		if (*flag >= value)
			break;
		wfi();
		irq_global_enable();
	}
	irq_global_enable();
}

/* A run_oob_call() as the pipeline traces it, around `work` cycles of fn. */
static void fake_run_oob_call(uint32_t work)
{
	uint32_t flags = irq_save();

	OOBSIM_TRACE(PIPELINE_TRACE_RUN_OOB_CALL_ENTRY, (uint32_t)(uintptr_t)&fake_run_oob_call);
	OOBSIM_TRACE(PIPELINE_TRACE_STAGE_SWITCH, 1);
	OOBSIM_TRACE(PIPELINE_TRACE_OOB_STALL, 0);
	OOBSIM_TRACE(HINT_FN_BEGIN, 0);
	for (volatile uint32_t i = 0; i < work; i++)
		;
	OOBSIM_TRACE(HINT_FN_END, 0);
	OOBSIM_TRACE(PIPELINE_TRACE_OOB_UNSTALL, 0);
	OOBSIM_TRACE(PIPELINE_TRACE_STAGE_SWITCH, 0);
	OOBSIM_TRACE(PIPELINE_TRACE_RUN_OOB_CALL_EXIT, 0);
	irq_restore(flags);
}

static void send_oob_ipi(uint32_t cpumask)
{
	OOBSIM_TRACE(PIPELINE_TRACE_OOB_IPI_SEND, SGI_OOB_IPI << 16 | cpumask);
	gic_send_sgi(SGI_OOB_IPI, (uint8_t)cpumask);
}

#endif /* TRACE_FW_H */

/*
 * A small, fully deterministic tracing scenario on two harts (tests/trace/test_outputs.py checks its event log, VCD,
 * Perfetto trace and metrics). Run with:
 *   --cpus 2 --irq-source mode=oneshot,at=20000,spi=40 --irq-source mode=oneshot,at=40000,spi=41
 *   --trace-hint 100=thread_switch --trace-hint 101=oob_call_fn_begin --trace-hint 102=oob_call_fn_end
 *
 * Hart 0: an in-band critical section, a run_oob_call(), an unnamed hint, an oob IPI (SGI 1) to hart 1, then it
 * sleeps until the oob SPI 40 (at cycle 20000) and the in-band SPI 41 (at 40000) have been handled.
 * Hart 1: sleeps until the IPI comes, then until hart 0 is done.
 */
#include "trace_fw.h"

int main(void)
{
	trace_fw_gic_setup();
	if (hartid() == 1) {
		wait_for(&ipis_seen[1], 1);
		while (!done)
			cpu_relax();
		return 0;
	}
	if (hartid() != 0)
		return 0;

	OOBSIM_TRACE(HINT_THREAD, 1);
	OOBSIM_TRACE(PIPELINE_TRACE_INBAND_STALL, 0);
	for (volatile int i = 0; i < 20; i++)
		;
	OOBSIM_TRACE(PIPELINE_TRACE_INBAND_UNSTALL, 0);
	fake_run_oob_call(30);
	OOBSIM_TRACE(HINT_MARK, 0x1234);

	send_oob_ipi(1u << 1);
	while (!ipis_seen[1])
		cpu_relax();
	wait_for(&spi_oob_seen, 1);
	wait_for(&spi_inband_seen, 1);
	OOBSIM_TRACE(HINT_THREAD, 0);
	printf("trace scenario: IPI, oob SPI and in-band SPI handled\n");
	done = 1;
	return 0;
}

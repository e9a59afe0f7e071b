/*
 * Runs until --max-cycles stops it, with a steady stream of traced interrupts: for the tracing benchmark
 * (bench/trace_memory.sh: memory must not grow with the run length) and the cycles-identical test. Run with:
 *   --cpus 2 --irq-source mode=periodic,period=2000,spi=40 --irq-source mode=periodic,period=5003,spi=41
 *
 * Hart 0 works with in-band critical sections and run_oob_call()s, and sends hart 1 an oob IPI every 8 rounds;
 * the IRQ sources interrupt it all the time. Hart 1 sleeps until its IPIs come.
 */
#include "trace_fw.h"

int main(void)
{
	trace_fw_gic_setup();
	if (hartid() == 1) {
		for (uint32_t n = 1;; n++)
			wait_for(&ipis_seen[1], n);
	}
	if (hartid() != 0)
		return 0;

	for (uint32_t round = 0;; round++) {
		OOBSIM_TRACE(PIPELINE_TRACE_INBAND_STALL, 0);
		for (volatile int i = 0; i < 40; i++)
			;
		OOBSIM_TRACE(PIPELINE_TRACE_INBAND_UNSTALL, 0);
		fake_run_oob_call(25);
		if (round % 8 == 0)
			send_oob_ipi(1u << 1);
		OOBSIM_TRACE(HINT_MARK, round);
	}
}

"""Eight-core oob IPI fan-out. CPU 0 of an 8-CPU platform sends an oob IPI (`irq_send_oob_ipi()` of
CALL_FUNCTION_OOB_IPI: one GICD_SGIR write) to the seven other CPUs; each runs its oob handler, which works 200 cycles,
and CPU 0 waits until all seven have before going on. Between fan-outs it also broadcasts a high-priority cross call,
whose in-band IPI message takes the pipeline's in-band path to the same seven CPUs: `ipi_delivery_oob` and
`ipi_delivery_inband` side by side. CPUs 1 to 7 are under load: computation and 1500-cycle local_irq_save() sections
(the pipelined kernel delivers oob IPIs inside them; the classic one holds every IPI until the restore), random
in-band device interrupts on CPUs 3 and 6 (the seed sets their arrivals), and a latmus-like oob responder on every
CPU, all on the same 40 us grid. The budget bounds the oob IPI delivery to every target (p99 and max), checks that
every send reached all seven targets, and bounds the cross calls and the responders under the same load; on the
classic kernel it checks that the sections do hold the IPIs.
"""

import oobsim


def scenario(seed: int = 1) -> oobsim.Scenario:
    sc = oobsim.Scenario("oob-ipi-fanout", platform=oobsim.Platform(cpus=8), duration="1.5 ms", seed=seed)
    sc.workload(0, [oobsim.oob_ipi(work=200, targets="others"), oobsim.compute(2_000),
                    oobsim.xcall(work=100, priority="high"), oobsim.compute(2_000)])
    sc.workload(list(range(1, 8)), [oobsim.compute(2_500), oobsim.irq_save(1_500)])
    for cpu in (3, 6):
        sc.irq_source(spi=40 + cpu, mode="random", dist="exp", mean="5 us", handler="inband", work=300, cpu=cpu)
    for cpu in range(8):
        sc.responder(cpu=cpu, period="40 us", work=400, prio=70)
    return sc

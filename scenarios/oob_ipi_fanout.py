"""Eight-core IPI fan-out. CPU 0 of an 8-CPU platform broadcasts high-priority cross calls to all eight CPUs: each is
one GICD_SGIR write that interrupts the seven others (`sgi_delivery`: the GIC's SGI fan-out, one sample per target),
the pipeline's IPI message reaches each target (`ipi_delivery_inband`) and the function starts there
(`xcall_issue_to_remote_start`). Every CPU also runs a latmus-like oob responder, all on the same 40 us grid, so eight
oob threads wake in the same cycle on eight cores while the IPIs fly; CPUs 1 to 7 compute in-band in between. The
budget bounds the delivery latency to every target and the responders' wake-up latency with all eight busy.
"""

import oobsim


def scenario(seed: int = 1) -> oobsim.Scenario:
    sc = oobsim.Scenario("oob-ipi-fanout", platform=oobsim.Platform(cpus=8), duration="1.5 ms", seed=seed)
    sc.workload(0, [oobsim.xcall(work=100, priority="high"), oobsim.compute(3_000)])
    sc.workload(list(range(1, 8)), [oobsim.compute(2_500)])
    for cpu in range(8):
        sc.responder(cpu=cpu, period="40 us", work=400, prio=70)
    return sc

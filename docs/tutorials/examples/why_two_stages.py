"""Why two stages (docs/tutorials/why-two-stages.md): one workload, on the pipelined and on the classic kernel.

CPU 1 runs an ordinary in-band workload: computation with interrupts enabled, and critical sections of 1000, 3000
and 8000 cycles inside local_irq_save()/local_irq_restore(). A device raises an interrupt at random (Poisson
arrivals, 7 us apart on average, a fixed seed) whose handler, registered IRQF_OOB, works 100 cycles on CPU 1. The
question: how long does the device wait for its handler?
"""

import oobsim


def scenario(seed: int = 1) -> oobsim.Scenario:
    sc = oobsim.Scenario("why-two-stages", platform=oobsim.Platform(cpus=2), duration="2 ms", seed=seed)
    sc.workload(1, [oobsim.compute(2_000), oobsim.irq_save(1_000), oobsim.compute(4_000), oobsim.irq_save(8_000),
                    oobsim.compute(3_000), oobsim.irq_save(3_000)])
    sc.irq_source(spi=40, mode="random", mean="7 us", handler="oob", work=100, cpu=1)
    return sc

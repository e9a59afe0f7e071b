"""My driver: a device interrupt every 20 us on CPU 1 whose handler (IRQF_OOB, 300 cycles) must run within 1 us,
whatever the rest of the system does: CPU 1 runs in-band work with local_irq_save() sections and takes random
in-band device interrupts, and CPU 0 sends it cross calls. Budget: my_driver.toml.
"""

import oobsim


def scenario(seed: int = 1) -> oobsim.Scenario:
    sc = oobsim.Scenario("my-driver", platform=oobsim.Platform(cpus=2), duration="2 ms", seed=seed)
    sc.irq_source(spi=40, mode="periodic", period="20 us", handler="oob", work=300, cpu=1)
    sc.irq_source(spi=41, mode="random", mean="5 us", handler="inband", work=200, cpu=1)
    sc.workload(1, [oobsim.compute(3_000), oobsim.irq_save(4_000)])
    sc.workload(0, [oobsim.compute(10_000), oobsim.xcall(work=500, priority="high", target=1)])
    return sc

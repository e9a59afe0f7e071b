"""Pipelined against classic. The same workload on both kernels (`oobsim compare` prints them side by side): CPU 1
runs long local_irq_save() sections (5000 cycles) between short computations, while a device raises an oob-flagged
interrupt on CPU 1 every 9 us and a responder thread on CPU 1 is woken every 30 us. On the pipelined kernel the
sections only stall the in-band stage, so the device handler and the responder run within a few hundred cycles. On
the classic kernel local_irq_save() masks interrupts for real: the handler waits for the end of the section, and
the responder (an in-band thread there) with it. The budget checks both: [budgets] the pipelined run, [classic] the
classic one, whose worst latencies must show the wait for the section.
"""

import oobsim


def scenario(seed: int = 1) -> oobsim.Scenario:
    sc = oobsim.Scenario("pipelined-vs-classic", platform=oobsim.Platform(cpus=2), duration="2 ms", seed=seed)
    sc.workload(1, [oobsim.irq_save(5_000), oobsim.compute(1_000)])
    sc.irq_source(spi=40, mode="periodic", period="9 us", phase=100, handler="oob", work=100, cpu=1)
    sc.responder(cpu=1, period="30 us", work=300, prio=90)
    return sc

"""An IRQ storm on a shared line. Three IRQ-source channels drive the same level-triggered SPI 48, routed to CPU 2:
bursts of 8 events 50 cycles apart every 20 us, Poisson arrivals with a 3 us mean, and a 4 us periodic source. One
oob handler serves the line (it acknowledges every channel at the device, then works 150 cycles); events that find
the line still high merge into one interrupt (overruns). CPU 2 also runs in-band work, which the storm starves but
does not stop. CPU 3 runs a latmus-like responder: the storm is on another CPU, so its wake-up latency must not move.
The budget bounds the handler latency under the storm, checks that the device counted the events and the handler saw
them (all but the last few, which come after the end), and that the responder on CPU 3 kept its latency and missed
no period.
"""

import oobsim


def scenario(seed: int = 1) -> oobsim.Scenario:
    sc = oobsim.Scenario("irq-storm", platform=oobsim.Platform(cpus=4), duration="2 ms", seed=seed)
    for settings in (dict(mode="burst", count=8, gap=50, every="20 us"),
                     dict(mode="random", dist="exp", mean="3 us"),
                     dict(mode="periodic", period="4 us", phase=777)):
        sc.irq_source(spi=48, handler="oob", work=150, cpu=2, trigger="level", **settings)
    sc.workload(2, [oobsim.compute(2_000), oobsim.irq_save(500)])
    sc.responder(cpu=3, period="25 us", work=300, prio=80)
    return sc

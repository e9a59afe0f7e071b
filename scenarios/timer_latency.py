"""Timer latency, latmus style. A responder on CPU 1 is woken every 20 us by its GIC timer: the timer's oob handler
signals an oob event and the responder thread (priority 90) runs, works 500 cycles and waits again -- what EVL's
latmus measures. CPU 1 meanwhile runs an in-band workload with local_irq_save() sections and irq_work, takes random
in-band device interrupts, and CPU 0 sends it cross calls. On the pipelined kernel none of that in-band activity may
delay the responder: `oob_responder_wakeup` (device timer edge -> the oob thread runs) and the firmware's own
measure (timer compare value -> first cycle of the thread) stay within a few hundred cycles, and no period is missed.
"""

import oobsim


def scenario(seed: int = 1) -> oobsim.Scenario:
    plat = oobsim.Platform(cpus=4)
    sc = oobsim.Scenario("timer-latency", platform=plat, duration="3 ms", seed=seed)
    sc.responder(cpu=1, period="20 us", work=500, prio=90)
    sc.workload(1, [oobsim.compute(3_000), oobsim.irq_save(2_000), oobsim.irq_work(200)])
    sc.workload(0, [oobsim.compute(4_000), oobsim.xcall(work=200, priority="low", target=1)])
    sc.irq_source(spi=40, mode="random", dist="exp", mean=7_000, handler="inband", work=300, cpu=1)
    return sc

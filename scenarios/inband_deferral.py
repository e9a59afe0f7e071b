"""In-band critical sections: deferral and replay. CPU 0 alternates 8000-cycle local_irq_save() sections with 2000
cycles of plain computation while two devices interrupt it: an in-band one every 5 us and an oob one every 7 us. On
the pipelined kernel local_irq_save() only stalls the in-band stage: an in-band IRQ that arrives inside a section is
logged (`irq_logged_inband`) and replayed when the section ends, so its handler may wait up to the section's length
(`irq_to_inband_handler`), while the oob IRQ is handled at once whatever in-band does (`irq_to_oob_handler`). The
budget asserts both: the deferral really happens (the log holds IRQs for thousands of cycles) and it never reaches the
oob stage.
"""

import oobsim


def scenario(seed: int = 1) -> oobsim.Scenario:
    sc = oobsim.Scenario("inband-deferral", platform=oobsim.Platform(cpus=2), duration="2 ms", seed=seed)
    sc.workload(0, [oobsim.irq_save(8_000), oobsim.compute(2_000)])
    sc.irq_source(spi=40, mode="periodic", period="5 us", handler="inband", work=100, cpu=0)
    sc.irq_source(spi=41, mode="periodic", period="7 us", phase=1_234, handler="oob", work=100, cpu=0)
    return sc

"""Cross calls broadcast under load. CPU 0 alternately broadcasts a high-priority cross call (the function runs from
a soft interrupt on every CPU) and a low-priority one (it runs in each CPU's xcall thread), each working 200 cycles,
and waits for each with xc_wait(). CPUs 1 to 3 are busy: computation, local_irq_save() sections that hold off the
IPI, and random in-band device interrupts on CPU 2. The budget bounds the time from the issue to the function starting
on the remote CPUs (`xcall_issue_to_remote_start`) and to xc_wait() returning (`xcall_issue_to_wait_return`).
"""

import oobsim


def scenario(seed: int = 1) -> oobsim.Scenario:
    sc = oobsim.Scenario("xcall-broadcast", platform=oobsim.Platform(cpus=4), duration="2 ms", seed=seed)
    sc.workload(0, [oobsim.xcall(work=200, priority="high"), oobsim.compute(2_000),
                    oobsim.xcall(work=200, priority="low"), oobsim.compute(2_000)])
    sc.workload([1, 2, 3], [oobsim.compute(3_000), oobsim.irq_save(1_500)])
    sc.irq_source(spi=40, mode="random", dist="exp", mean="4 us", handler="inband", work=200, cpu=2)
    return sc

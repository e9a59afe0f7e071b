"""run_oob_call() escalation. CPUs 0 and 1 repeatedly escalate a 1000-cycle function to the oob stage with
run_oob_call() between stretches of in-band computation, while oob device interrupts arrive on CPU 0 at random (Poisson, 6 us mean).
The function runs with the oob stage stalled, so an oob IRQ that comes during it waits until the call returns:
`irq_to_oob_handler` is bounded by the function's length plus the pipeline's entry. `run_oob_call_overhead` is the
cost of the escalation itself (the call minus the function's own work, marked by the firmware's trace HINTs): a
constant number of cycles, the same every time.
"""

import oobsim


def scenario(seed: int = 1) -> oobsim.Scenario:
    sc = oobsim.Scenario("run-oob-call", platform=oobsim.Platform(cpus=2), duration="2 ms", seed=seed)
    for cpu in (0, 1):
        sc.workload(cpu, [oobsim.run_oob_call(1_000), oobsim.compute(1_500 + 500 * cpu)])
    sc.irq_source(spi=40, mode="random", dist="exp", mean="6 us", handler="oob", work=100, cpu=0)
    return sc

"""Why two stages, from Python: run one scenario on both kernels and compare how long the device waited."""
import oobsim

pipelined = oobsim.load_scenario_file("docs/tutorials/examples/why_two_stages.py")
classic = pipelined.replace(pipeline=False)

for name, sc in (("pipelined", pipelined), ("classic", classic)):
    res = sc.run()
    # The handler is IRQF_OOB: on the pipelined kernel it runs on the oob stage; the classic kernel has one stage.
    m = res.metrics["irq_to_oob_handler" if sc.platform.pipeline else "irq_to_inband_handler"]
    print(f"{name:9}  {m.count} IRQs handled, device -> handler: p50 {m.p50}, p99 {m.p99}, max {m.max} cycles"
          f" (worst at cycle {m.max_at_cycle})")
    # The histogram: [lower bound in cycles, samples]; count them per 1000 cycles.
    per_k = {}
    for lower, n in m.histogram:
        per_k[lower // 1000] = per_k.get(lower // 1000, 0) + n
    print("           per 1000 cycles:", ", ".join(f"{k * 1000}+: {n}" for k, n in sorted(per_k.items())))

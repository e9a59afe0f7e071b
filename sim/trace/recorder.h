// The simulator side of tracing: registers with the models' observer interfaces (hart, cluster, GIC, IRQ sources),
// turns each callback into a trace::Event and pushes it to an EventStream, which orders the events and hands them to
// the writers and the metrics. Nothing here runs unless tracing was asked for: the models call observers only when
// one is registered, and the harts then run their observed loop (Hart::run<true>).
#pragma once

#include "event_stream.h"
#include "models/cpu/cluster.h"
#include "models/cpu/hart.h"
#include "models/gic/gic.h"
#include "sim/irq_sources.h"

namespace oobsim {

class Platform;

namespace trace {

class Recorder : public HintObserver,
                 public CpuEventObserver,
                 public CoreIrqObserver,
                 public GicObserver,
                 public IrqSourceObserver {
public:
    explicit Recorder(EventStream& stream) : stream_(stream) {}

    // Registers with the platform's models, before the simulation starts. Trace HINTs come through the cluster's
    // hint observer: give this recorder as PlatformConfig::hints.
    void attach(Platform& platform);

    void on_hint(unsigned cpu, uint64_t cycle, uint32_t id, uint32_t value) override;
    void on_trap(unsigned cpu, uint64_t cycle, uint32_t mcause, uint32_t epc, uint32_t tval) override;
    void on_mret(unsigned cpu, uint64_t cycle, uint32_t pc, uint32_t target) override;
    void on_mie(unsigned cpu, uint64_t cycle, bool enabled) override;
    void on_sleep(unsigned cpu, uint64_t cycle) override;
    void on_wake(unsigned cpu, uint64_t cycle) override;
    void on_core_irq(unsigned cpu, uint64_t cycle, uint32_t bit, bool level) override;
    void on_gic(const GicTraceEvent& e) override;
    void on_source_line(uint64_t cycle, unsigned channel, unsigned spi, bool level) override;

private:
    // origin: 0 for device-side events, 1 + cpu for what the core's instruction did (see EventStream).
    void push(unsigned origin, uint64_t cycle, Kind kind, uint16_t cpu, uint32_t a = 0, uint32_t b = 0,
              uint32_t c = 0) {
        stream_.push(make_event(cycle, kind, cpu, a, b, c), origin);
    }
    EventStream& stream_;
};

}  // namespace trace
}  // namespace oobsim

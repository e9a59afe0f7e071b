// Something that consumes the event stream in time order: the event log, the VCD and Perfetto writers, the metrics.
#pragma once

#include <cstdint>

#include "event.h"

namespace oobsim::trace {

class EventSink {
public:
    virtual ~EventSink() = default;
    // Events come in time order: by cycle; within a cycle, device-side events first, then each core's in program
    // order, cores by id (the order of effects of docs/architecture.md).
    virtual void event(const Event& e) = 0;
    // The run ended at end_cycle (at or after every event): close what is open, write what is left.
    virtual void finish(uint64_t end_cycle) = 0;
};

}  // namespace oobsim::trace

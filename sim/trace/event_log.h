// The event log (--events FILE): one line per event, in time order, streamed (docs/observability.md):
//   CYCLE CPU NAME [KEY=VALUE ...]
// CPU is the core, or '-' for a device-side event that belongs to none (an SPI line, an IRQ-source channel).
#pragma once

#include <cstdio>
#include <string>

#include "event.h"
#include "hint_table.h"
#include "sink.h"

namespace oobsim::trace {

class EventLogWriter : public EventSink {
public:
    // Throws std::runtime_error when the file cannot be written.
    EventLogWriter(const std::string& path, const HintTable& hints, const Clock& clock, unsigned ncpus);
    ~EventLogWriter() override;
    void event(const Event& e) override;
    void finish(uint64_t end_cycle) override;

    // The line for one event, without the newline (also used by tests).
    static std::string format(const Event& e, const HintTable& hints);

private:
    std::FILE* f_;
    const HintTable& hints_;
};

}  // namespace oobsim::trace

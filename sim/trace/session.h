// Everything `oobsim run` does for --events, --vcd, --perfetto, --metrics and --histogram: the hint table, the event
// stream, the recorder and the writers, set up before the run and finished after it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "event_log.h"
#include "event_stream.h"
#include "hint_table.h"
#include "metrics.h"
#include "perfetto_writer.h"
#include "recorder.h"
#include "vcd_writer.h"

namespace oobsim {

class Platform;
struct TimingProfile;

namespace trace {

struct TraceOptions {
    std::string events, vcd, perfetto, metrics, histogram;  // output files ("" = not wanted)
    uint64_t histogram_cell_ns = 100;
    std::vector<std::string> hint_names;                     // --trace-hint ID=LABEL
    bool any() const { return !events.empty() || !vcd.empty() || !perfetto.empty() || metrics_wanted(); }
    bool metrics_wanted() const { return !metrics.empty() || !histogram.empty(); }
};

class TraceSession {
public:
    // Throws std::invalid_argument for a bad --trace-hint and std::runtime_error for a file that cannot be written.
    TraceSession(const TraceOptions& options, const TimingProfile& timing, unsigned ncpus);
    ~TraceSession();

    HintObserver* hint_observer() { return &recorder_; }
    void attach(Platform& platform) { recorder_.attach(platform); }
    // After the run: flushes the stream and writes every file. end_cycle: no event is later.
    void finish(uint64_t end_cycle);

    const LatencyMetrics* metrics() const { return metrics_.get(); }
    const EventStream& stream() const { return stream_; }

private:
    TraceOptions options_;
    HintTable hints_;
    Clock clock_;
    EventStream stream_;
    Recorder recorder_;
    std::unique_ptr<EventLogWriter> log_;
    std::unique_ptr<VcdWriter> vcd_;
    std::unique_ptr<PerfettoWriter> perfetto_;
    std::unique_ptr<LatencyMetrics> metrics_;
    bool finished_ = false;
};

}  // namespace trace
}  // namespace oobsim

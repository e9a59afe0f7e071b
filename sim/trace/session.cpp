#include "session.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "models/cpu/timing.h"

namespace oobsim::trace {

namespace {
// The scheduler delivers events at most min_cross_core_latency() cycles out of order (event_stream.h); the margin
// costs only buffer space.
uint64_t reorder_window(const TimingProfile& t) { return std::max<uint64_t>(4ull * t.min_cross_core_latency(), 1024); }

void write_file(const std::string& path, const std::string& text) {
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (!f) throw std::runtime_error("cannot write " + path);
    std::fwrite(text.data(), 1, text.size(), f);
    if (std::fclose(f) != 0) throw std::runtime_error("writing " + path + " failed");
}

void check_writable(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (!f) throw std::runtime_error("cannot write " + path);
    std::fclose(f);
}
}  // namespace

TraceSession::TraceSession(const TraceOptions& options, const TimingProfile& timing, unsigned ncpus)
    : options_(options), stream_(reorder_window(timing)), recorder_(stream_) {
    clock_.cycle_ps = timing.cycle_ps();
    clock_.clock_hz = timing.clock_hz;
    for (const std::string& spec : options_.hint_names) hints_.define_from_string(spec);
    if (!options_.events.empty()) {
        log_ = std::make_unique<EventLogWriter>(options_.events, hints_, clock_, ncpus);
        stream_.add_sink(log_.get());
    }
    if (!options_.vcd.empty()) {
        vcd_ = std::make_unique<VcdWriter>(options_.vcd, hints_, clock_, ncpus);
        stream_.add_sink(vcd_.get());
    }
    if (!options_.perfetto.empty()) {
        perfetto_ = std::make_unique<PerfettoWriter>(options_.perfetto, hints_, clock_, ncpus);
        stream_.add_sink(perfetto_.get());
    }
    if (options_.metrics_wanted()) {
        if (!options_.metrics.empty()) check_writable(options_.metrics);
        if (!options_.histogram.empty()) check_writable(options_.histogram);
        metrics_ = std::make_unique<LatencyMetrics>(hints_, clock_, ncpus);
        stream_.add_sink(metrics_.get());
    }
}

TraceSession::~TraceSession() = default;

void TraceSession::finish(uint64_t end_cycle) {
    if (finished_) return;
    finished_ = true;
    stream_.finish(end_cycle);
    if (metrics_ && !options_.metrics.empty()) write_file(options_.metrics, metrics_->json());
    if (metrics_ && !options_.histogram.empty())
        write_file(options_.histogram, metrics_->histogram_text(options_.histogram_cell_ns));
}

}  // namespace oobsim::trace

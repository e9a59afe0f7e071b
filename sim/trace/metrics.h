// Latency metrics computed from the event stream (definitions: docs/metrics.md). Plain C++: feed it events (it is an
// EventSink), then read the metrics, print the table, or write the JSON and the latmus-style histograms.
//
// Each metric keeps count, min, max, sum and a histogram: exact below 2048 cycles, then 1024 buckets per power of two
// (a bucket is under 0.1% of its value wide). Percentiles are nearest-rank (the smallest sample value with at least
// p% of the samples at or below it), read from the histogram (so exact below 2048 cycles), clamped to [min, max].
// Memory is bounded whatever the number of samples.
#pragma once

#include <cstdint>
#include <cstdio>
#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "event.h"
#include "hint_table.h"
#include "sink.h"

namespace oobsim::trace {

class Histogram {
public:
    static constexpr uint64_t kExactBelow = 2048;
    static constexpr unsigned kSubBuckets = 1024;  // per power of two above kExactBelow

    void add(uint64_t v);
    uint64_t count() const { return count_; }
    uint64_t min() const { return min_; }
    uint64_t max() const { return max_; }
    long double sum() const { return sum_; }
    double mean() const { return count_ ? double(sum_ / count_) : 0.0; }
    // Nearest rank; permille: 500 = p50, 999 = p99.9. 0 when empty.
    uint64_t percentile_permille(unsigned permille) const;
    // The lower bound of the bucket holding v (v itself below kExactBelow).
    static uint64_t bucket_of(uint64_t v);
    const std::map<uint64_t, uint64_t>& buckets() const { return buckets_; }

private:
    std::map<uint64_t, uint64_t> buckets_;  // bucket lower bound -> samples
    uint64_t count_ = 0, min_ = 0, max_ = 0;
    long double sum_ = 0;
};

struct Metric {
    std::string name;
    std::string definition;  // one line; docs/metrics.md has the full one
    Histogram hist;
    uint64_t max_from = 0, max_at = 0;  // the sample that set the max: its start and end cycles
    int max_cpu = -1;

    void add(uint64_t value, uint64_t from, uint64_t to, int cpu);
};

class LatencyMetrics : public EventSink {
public:
    LatencyMetrics(const HintTable& hints, const Clock& clock, unsigned ncpus);
    void event(const Event& e) override;
    void finish(uint64_t end_cycle) override;

    const std::vector<Metric>& metrics() const { return metrics_; }
    const Metric& get(const std::string& name) const;  // throws std::out_of_range
    uint64_t end_cycle() const { return end_cycle_; }

    // Machine-readable: {"clock_hz":..,"cycle_ps":..,"end_cycle":..,"metrics":{name:{...}}}.
    std::string json() const;
    // The human-readable table of the report.
    std::string table() const;
    // latmus-style histograms: '#' header lines per metric (min/avg/max in microseconds, sample count, the cycle of
    // the max), then one line per cell of `cell_ns` nanoseconds: "CELL COUNT COUNT ..." (one column per metric that
    // has samples, in the order of the "# columns:" line); the last cell collects anything beyond kMaxCells and is
    // marked with '+' when it does.
    static constexpr unsigned kMaxCells = 1000;
    std::string histogram_text(uint64_t cell_ns) const;

private:
    enum Id {
        kIrqToAck, kIrqToOobHandler, kIrqToInbandHandler, kIrqLoggedInband, kIrqLoggedOob, kRunOobCallOverhead,
        kIpiDeliveryOob, kIpiDeliveryInband, kSgiDelivery, kOobResponderWakeup, kXcallToRemoteStart,
        kXcallToWaitReturn, kOobHandler, kInbandHandler, kPipelineEntryExit, kInbandStalled, kCount
    };
    struct Raise {
        uint64_t cycle;
    };
    struct OobCall {
        uint64_t entry;
        uint64_t fn_time = 0;
        uint64_t fn_begin = 0;
        bool in_fn = false;
    };
    struct CpuState {
        std::unordered_map<uint32_t, uint64_t> taken;          // irq -> raise cycle, acked by this CPU, no handler yet
        std::unordered_map<uint32_t, uint64_t> logged[2];      // irq -> cycle it was logged (stage 0 in-band, 1 oob)
        std::vector<std::pair<uint64_t, uint64_t>> handlers;   // (stage << 32 | irq, entry cycle)
        std::vector<uint64_t> pipeline;                        // entry cycles
        std::vector<OobCall> oob_calls;
        bool inband_stalled = false;
        uint64_t stalled_at = 0;
        bool responder_armed = false;
        uint64_t responder_raise = 0;
    };
    void sample(Id id, uint64_t from, uint64_t to, int cpu) { metrics_[id].add(to - from, from, to, cpu); }
    void on_hint(unsigned cpu, uint64_t now, uint32_t id, uint32_t value);
    static void push_bounded(std::deque<uint64_t>& q, uint64_t v);

    const HintTable& hints_;
    Clock clock_;
    unsigned ncpus_;
    std::vector<Metric> metrics_;
    std::vector<CpuState> cpus_;
    std::unordered_map<uint32_t, uint8_t> line_level_;       // (cpu << 16 | id) -> level; cpu kNoCpu for SPIs
    std::unordered_map<uint32_t, uint64_t> raised_;          // (cpu << 16 | id) -> rising edge not yet acknowledged
    std::map<uint64_t, std::deque<uint64_t>> ipi_sends_;     // (target, kind, number) -> send cycles
    std::map<uint64_t, std::deque<uint64_t>> sgi_sends_;     // (target, sgi, source) -> send cycles
    struct Xcall {
        unsigned cpu;
        uint64_t issued;
    };
    std::map<uint32_t, Xcall> xcalls_;                       // ticket -> issue
    std::deque<uint32_t> xcall_order_;
    uint64_t end_cycle_ = 0;
};

}  // namespace oobsim::trace

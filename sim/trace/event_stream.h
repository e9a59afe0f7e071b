// Puts the events of a run in time order, with a bounded buffer, and hands them to the sinks.
//
// The scheduler does not produce events in time order: the fast mode runs one core up to L cycles (the smallest
// cross-core latency, TimingProfile::min_cross_core_latency()) ahead of the others, so an event may arrive after
// events up to L cycles later than itself, and never later than that (docs/architecture.md). The stream keeps the
// events of the last `window` cycles (window >= L), sorted by (cycle, origin, arrival), and passes on every event that
// is `window` cycles older than the newest one seen: memory stays bounded by the events of `window` cycles, however
// long the run. `origin` is 0 for device-side events (interrupt lines, wake-ups) and 1 + cpu for what a core's
// instruction did, so the order is the same in both scheduling modes.
//
// An event older than what was already passed on (which the scheduler's bound excludes) is still passed on, out of
// order, and counted: late_events() should be 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "sink.h"

namespace oobsim::trace {

class EventStream {
public:
    explicit EventStream(uint64_t window) : window_(window) {}

    void add_sink(EventSink* sink) { sinks_.push_back(sink); }
    bool has_sinks() const { return !sinks_.empty(); }
    void push(const Event& e, unsigned origin);
    // Passes on everything left, then tells the sinks the run ended at max(end_cycle, the last event's cycle).
    void finish(uint64_t end_cycle);

    uint64_t events() const { return seq_; }
    uint64_t late_events() const { return late_; }
    uint64_t max_lateness() const { return max_lateness_; }  // cycles
    size_t peak_buffered() const { return peak_; }
    uint64_t window() const { return window_; }

private:
    struct Entry {
        Event e;
        unsigned origin;
        uint64_t seq;
    };
    static bool before(const Entry& x, const Entry& y) {
        if (x.e.cycle != y.e.cycle) return x.e.cycle < y.e.cycle;
        if (x.origin != y.origin) return x.origin < y.origin;
        return x.seq < y.seq;
    }
    void dispatch(const Entry& en);

    uint64_t window_;
    std::vector<EventSink*> sinks_;
    std::deque<Entry> buffer_;  // sorted
    uint64_t seq_ = 0, max_seen_ = 0, late_ = 0, max_lateness_ = 0;
    size_t peak_ = 0;
    bool dispatched_any_ = false;
    Entry last_{};  // the last entry passed on
    bool finished_ = false;
};

}  // namespace oobsim::trace

#include "event_stream.h"

#include <algorithm>

namespace oobsim::trace {

void EventStream::dispatch(const Entry& en) {
    for (EventSink* s : sinks_) s->event(en.e);
    last_ = en;
    dispatched_any_ = true;
}

void EventStream::push(const Event& e, unsigned origin) {
    Entry en{e, origin, seq_++};
    if (dispatched_any_ && before(en, last_)) {
        // Older than what the sinks have seen: pass it on at once rather than lose it.
        ++late_;
        max_lateness_ = std::max(max_lateness_, last_.e.cycle - e.cycle);
        for (EventSink* s : sinks_) s->event(en.e);
        return;
    }
    // Events arrive nearly in order: find the place from the back.
    auto it = buffer_.end();
    while (it != buffer_.begin() && before(en, *(it - 1))) --it;
    buffer_.insert(it, en);
    peak_ = std::max(peak_, buffer_.size());
    if (e.cycle > max_seen_) max_seen_ = e.cycle;
    while (!buffer_.empty() && buffer_.front().e.cycle + window_ <= max_seen_) {
        dispatch(buffer_.front());
        buffer_.pop_front();
    }
}

void EventStream::finish(uint64_t end_cycle) {
    if (finished_) return;
    finished_ = true;
    for (const Entry& en : buffer_) dispatch(en);
    buffer_.clear();
    const uint64_t end = std::max(end_cycle, max_seen_);
    for (EventSink* s : sinks_) s->finish(end);
}

}  // namespace oobsim::trace

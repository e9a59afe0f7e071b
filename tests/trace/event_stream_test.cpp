// The event stream puts events in time order with a bounded buffer (sim/trace/event_stream.h).
#include <gtest/gtest.h>

#include <vector>

#include "sim/trace/event_stream.h"

using namespace oobsim::trace;

namespace {

struct Collector : EventSink {
    std::vector<Event> events;
    uint64_t end = 0;
    int finishes = 0;
    void event(const Event& e) override { events.push_back(e); }
    void finish(uint64_t end_cycle) override {
        end = end_cycle;
        ++finishes;
    }
};

Event hint(uint64_t cycle, uint16_t cpu, uint32_t value) { return make_event(cycle, Kind::Hint, cpu, 1, value); }

}  // namespace

TEST(EventStream, OrdersByCycleThenDevicesThenCoresThenArrival) {
    EventStream s(10);
    Collector c;
    s.add_sink(&c);
    // As the fast scheduler might deliver them: core 1 ran ahead, then core 0, then a device event.
    s.push(hint(105, 1, 0), 2);
    s.push(hint(107, 1, 1), 2);
    s.push(hint(100, 0, 2), 1);
    s.push(hint(105, 0, 3), 1);
    s.push(hint(105, 0, 4), 1);
    s.push(make_event(105, Kind::Line, kNoCpu, 40, 1), 0);
    s.finish(0);
    ASSERT_EQ(c.events.size(), 6u);
    const uint32_t expect_value[] = {2, 0, 3, 4, 0, 1};
    const Kind expect_kind[] = {Kind::Hint, Kind::Line, Kind::Hint, Kind::Hint, Kind::Hint, Kind::Hint};
    const uint64_t expect_cycle[] = {100, 105, 105, 105, 105, 107};
    const uint16_t expect_cpu[] = {0, kNoCpu, 0, 0, 1, 1};
    for (size_t i = 0; i < 6; ++i) {
        EXPECT_EQ(c.events[i].cycle, expect_cycle[i]) << i;
        EXPECT_EQ(c.events[i].kind, expect_kind[i]) << i;
        EXPECT_EQ(c.events[i].cpu, expect_cpu[i]) << i;
        if (expect_kind[i] == Kind::Hint) {
            EXPECT_EQ(c.events[i].b, expect_value[i]) << i;
        }
    }
    EXPECT_EQ(c.end, 107u);  // the last event's cycle when the end given is earlier
    EXPECT_EQ(c.finishes, 1);
    EXPECT_EQ(s.late_events(), 0u);
}

TEST(EventStream, PassesEventsOnOnceTheWindowIsBehindThem) {
    EventStream s(10);
    Collector c;
    s.add_sink(&c);
    s.push(hint(100, 0, 0), 1);
    s.push(hint(109, 0, 1), 1);
    EXPECT_TRUE(c.events.empty());  // 100 + 10 > 109: a later event could still come before it
    s.push(hint(110, 1, 2), 2);
    ASSERT_EQ(c.events.size(), 1u);
    EXPECT_EQ(c.events[0].cycle, 100u);
    s.finish(500);
    EXPECT_EQ(c.events.size(), 3u);
    EXPECT_EQ(c.end, 500u);
}

TEST(EventStream, MemoryIsBoundedByTheWindowNotTheRunLength) {
    EventStream s(64);
    Collector c;
    s.add_sink(&c);
    // A million events, two cores interleaved up to 20 cycles apart: the buffer holds about a window's worth.
    for (uint64_t i = 0; i < 1000000; ++i) s.push(hint(i + (i % 2 ? 0 : 20), uint16_t(i % 2), 0), 1 + i % 2);
    EXPECT_LT(s.peak_buffered(), 200u);
    s.finish(0);
    ASSERT_EQ(c.events.size(), 1000000u);
    for (size_t i = 1; i < c.events.size(); ++i) ASSERT_LE(c.events[i - 1].cycle, c.events[i].cycle) << i;
    EXPECT_EQ(s.late_events(), 0u);
}

TEST(EventStream, AnEventOlderThanTheWindowIsPassedOnAndCounted) {
    EventStream s(10);
    Collector c;
    s.add_sink(&c);
    s.push(hint(100, 0, 0), 1);
    s.push(hint(200, 0, 1), 1);  // passes 100 on
    s.push(hint(50, 1, 2), 2);   // too late: 100 is out already
    EXPECT_EQ(s.late_events(), 1u);
    EXPECT_EQ(s.max_lateness(), 50u);
    s.finish(0);
    ASSERT_EQ(c.events.size(), 3u);
    EXPECT_EQ(c.events[1].cycle, 50u);
}

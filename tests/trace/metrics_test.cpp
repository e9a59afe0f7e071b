// Latency metrics from a known synthetic event stream equal hand-computed values (docs/metrics.md).
#include <gtest/gtest.h>

#include <string>

#include "sim/trace/metrics.h"

using namespace oobsim::trace;

namespace {

Event hint(uint64_t cycle, uint16_t cpu, uint32_t id, uint32_t value) {
    return make_event(cycle, Kind::Hint, cpu, id, value);
}
Event line(uint64_t cycle, uint32_t id, bool level, uint16_t cpu = kNoCpu) {
    return make_event(cycle, Kind::Line, cpu, id, level);
}
Event iar(uint64_t cycle, uint16_t cpu, uint32_t id, uint32_t source = 0) {
    return make_event(cycle, Kind::Iar, cpu, id | source << 10);
}

struct Metrics : ::testing::Test {
    HintTable hints;
    Clock clock{500, 2000000000};  // 2 GHz: a cycle is 0.5 ns
    Metrics() {
        hints.define(100, "thread_switch");
        hints.define(101, "oob_call_fn_begin");
        hints.define(102, "oob_call_fn_end");
        hints.define(110, "xcall_issue");
        hints.define(111, "xcall_func_start");
        hints.define(112, "xcall_func_end");
        hints.define(113, "xcall_wait_return");
    }
};

}  // namespace

TEST(Histogram, PercentilesAreNearestRank) {
    Histogram h;
    for (uint64_t v = 1000; v >= 1; --v) h.add(v);  // order does not matter
    EXPECT_EQ(h.count(), 1000u);
    EXPECT_EQ(h.min(), 1u);
    EXPECT_EQ(h.max(), 1000u);
    EXPECT_DOUBLE_EQ(h.mean(), 500.5);
    EXPECT_EQ(h.percentile_permille(500), 500u);
    EXPECT_EQ(h.percentile_permille(900), 900u);
    EXPECT_EQ(h.percentile_permille(990), 990u);
    EXPECT_EQ(h.percentile_permille(999), 999u);
    EXPECT_EQ(h.percentile_permille(1000), 1000u);
    Histogram two;
    two.add(10);
    two.add(20);
    EXPECT_EQ(two.percentile_permille(500), 10u);  // rank ceil(0.5 * 2) = 1
    EXPECT_EQ(two.percentile_permille(900), 20u);
}

TEST(Histogram, LargeValuesKeepAThousandthPrecision) {
    EXPECT_EQ(Histogram::bucket_of(2047), 2047u);
    EXPECT_EQ(Histogram::bucket_of(2048), 2048u);
    EXPECT_EQ(Histogram::bucket_of(2049), 2048u);  // buckets 2 wide from 2048 to 4095
    EXPECT_EQ(Histogram::bucket_of(4097), 4096u);  // 4 wide from 4096
    for (uint64_t v : {5000ull, 123456ull, 987654321ull, 1ull << 40}) {
        const uint64_t b = Histogram::bucket_of(v);
        EXPECT_LE(b, v);
        EXPECT_LT(double(v - b), double(v) / 1000.0) << v;
    }
    Histogram h;
    h.add(1000003);
    h.add(7);
    EXPECT_EQ(h.percentile_permille(1000), 1000003u);  // the max is exact (clamped)
    EXPECT_EQ(h.percentile_permille(500), 7u);
}

TEST_F(Metrics, KnownStreamGivesHandComputedMetrics) {
    LatencyMetrics m(hints, clock, 3);
    // SPI 40 rises at 100; CPU 1 acknowledges it at 130, runs its oob handler 150..170, a thread switch at 190.
    m.event(line(100, 40, true));
    m.event(line(101, 40, false));
    m.event(hint(110, 1, PIPELINE_TRACE_ENTRY, 0));
    m.event(iar(130, 1, 40));
    m.event(hint(150, 1, PIPELINE_TRACE_HANDLER_ENTRY_OOB, 40));
    m.event(hint(170, 1, PIPELINE_TRACE_HANDLER_EXIT_OOB, 40));
    m.event(hint(190, 1, 100, 5));
    m.event(hint(200, 1, PIPELINE_TRACE_EXIT, 1));
    // SPI 41 rises at 200; CPU 0 takes it at 260, logs it in-band at 270, replays it at 300, handler 305..325.
    m.event(line(200, 41, true));
    m.event(iar(260, 0, 41));
    m.event(hint(270, 0, PIPELINE_TRACE_IRQ_LOG_INBAND, 41));
    m.event(hint(280, 0, PIPELINE_TRACE_IRQ_LOG_INBAND, 41));  // already logged: the first time counts
    m.event(hint(300, 0, PIPELINE_TRACE_IRQ_PULL_INBAND, 41));
    m.event(hint(305, 0, PIPELINE_TRACE_HANDLER_ENTRY_INBAND, 41));
    m.event(hint(325, 0, PIPELINE_TRACE_HANDLER_EXIT_INBAND, 41));
    // CPU 0's PPI 30 rises at 400, acknowledged at 410 (no handler events).
    m.event(line(400, 30, true, 0));
    m.event(iar(410, 0, 30));
    // oob IPI 1 from CPU 0 to CPUs 1 and 2 at 500, received at 540 and 575; two more to CPU 1 coalesce: one receipt.
    m.event(hint(500, 0, PIPELINE_TRACE_OOB_IPI_SEND, (1u << 16) | 0x6));
    m.event(hint(540, 1, PIPELINE_TRACE_OOB_IPI_RECEIVE, 1));
    m.event(hint(575, 2, PIPELINE_TRACE_OOB_IPI_RECEIVE, 1));
    m.event(hint(600, 0, PIPELINE_TRACE_OOB_IPI_SEND, (1u << 16) | 0x2));
    m.event(hint(610, 0, PIPELINE_TRACE_OOB_IPI_SEND, (1u << 16) | 0x2));
    m.event(hint(650, 1, PIPELINE_TRACE_OOB_IPI_RECEIVE, 1));
    m.event(hint(660, 1, PIPELINE_TRACE_INBAND_IPI_RECEIVE, 1));  // nothing was sent: no sample
    // SGI 3 to CPU 1 from CPU 0 (700) and CPU 2 (710), acknowledged by source at 725 and 740.
    m.event(make_event(700, Kind::Sgi, 0, 3, 0x2));
    m.event(make_event(710, Kind::Sgi, 2, 3, 0x2));
    m.event(iar(725, 1, 3, 0));
    m.event(iar(740, 1, 3, 2));
    // run_oob_call on CPU 0: 800..860 with fn 805..855; 900..912 unmarked; nested 950..970 around 955..960.
    m.event(hint(800, 0, PIPELINE_TRACE_RUN_OOB_CALL_ENTRY, 0x80001000));
    m.event(hint(805, 0, 101, 0));
    m.event(hint(855, 0, 102, 0));
    m.event(hint(860, 0, PIPELINE_TRACE_RUN_OOB_CALL_EXIT, 0));
    m.event(hint(900, 0, PIPELINE_TRACE_RUN_OOB_CALL_ENTRY, 0x80001000));
    m.event(hint(912, 0, PIPELINE_TRACE_RUN_OOB_CALL_EXIT, 0));
    m.event(hint(950, 0, PIPELINE_TRACE_RUN_OOB_CALL_ENTRY, 0x80001000));
    m.event(hint(955, 0, PIPELINE_TRACE_RUN_OOB_CALL_ENTRY, 0x80002000));
    m.event(hint(960, 0, PIPELINE_TRACE_RUN_OOB_CALL_EXIT, 0));
    m.event(hint(970, 0, PIPELINE_TRACE_RUN_OOB_CALL_EXIT, 0));
    // SPI 40 again: rises at 1000, taken by CPU 1 at 1100; it rises again only after falling (none at 1200).
    m.event(line(1000, 40, true));
    m.event(iar(1100, 1, 40));
    m.event(line(1200, 40, true));
    m.event(iar(1300, 1, 40));
    // In-band stall on CPU 2: 1000..1050 (repeated writes of the bit change nothing).
    m.event(hint(1000, 2, PIPELINE_TRACE_INBAND_STALL, 0));
    m.event(hint(1010, 2, PIPELINE_TRACE_INBAND_STALL, 0));
    m.event(hint(1050, 2, PIPELINE_TRACE_INBAND_UNSTALL, 0));
    m.event(hint(1060, 2, PIPELINE_TRACE_INBAND_UNSTALL, 0));
    // An xcall from CPU 0 (ticket 7): runs on CPU 1 at 2030, CPU 2 at 2045 and locally at 2050; xc_wait returns at 2100.
    m.event(hint(2000, 0, 110, 7));
    m.event(hint(2030, 1, 111, 7));
    m.event(hint(2045, 2, 111, 7));
    m.event(hint(2050, 0, 111, 7));
    m.event(hint(2060, 1, 112, 7));
    m.event(hint(2100, 0, 113, 7));
    // The oob log of CPU 0: IRQ 5 logged at 3000 (and again at 3010), pulled at 3040.
    m.event(hint(3000, 0, PIPELINE_TRACE_IRQ_LOG_OOB, 5));
    m.event(hint(3010, 0, PIPELINE_TRACE_IRQ_LOG_OOB, 5));
    m.event(hint(3040, 0, PIPELINE_TRACE_IRQ_PULL_OOB, 5));
    m.finish(4000);

    struct Expect {
        const char* name;
        uint64_t count, min, max;
        double mean;
        uint64_t p50, p90, p99, max_at, max_from;
        int max_cpu;
    };
    const Expect expected[] = {
        // samples: 30, 60, 10, 100
        {"irq_to_ack", 4, 10, 100, 50.0, 30, 100, 100, 1100, 1000, 1},
        {"irq_to_oob_handler", 1, 50, 50, 50.0, 50, 50, 50, 150, 100, 1},
        {"irq_to_inband_handler", 1, 105, 105, 105.0, 105, 105, 105, 305, 200, 0},
        {"irq_logged_inband", 1, 30, 30, 30.0, 30, 30, 30, 300, 270, 0},
        {"irq_logged_oob", 1, 40, 40, 40.0, 40, 40, 40, 3040, 3000, 0},
        // samples: 60 - 50 = 10, 12, 5 (inner), 20 (outer)
        {"run_oob_call_overhead", 4, 5, 20, 11.75, 10, 20, 20, 970, 950, 0},
        // samples: 40, 75, 50, 40
        {"ipi_delivery_oob", 4, 40, 75, 51.25, 40, 75, 75, 575, 500, 2},
        {"sgi_delivery", 2, 25, 30, 27.5, 25, 30, 30, 740, 710, 1},
        {"oob_responder_wakeup", 1, 90, 90, 90.0, 90, 90, 90, 190, 100, 1},
        {"xcall_issue_to_remote_start", 2, 30, 45, 37.5, 30, 45, 45, 2045, 2000, 2},
        {"xcall_issue_to_wait_return", 1, 100, 100, 100.0, 100, 100, 100, 2100, 2000, 0},
        {"oob_handler", 1, 20, 20, 20.0, 20, 20, 20, 170, 150, 1},
        {"inband_handler", 1, 20, 20, 20.0, 20, 20, 20, 325, 305, 0},
        {"pipeline_entry_exit", 1, 90, 90, 90.0, 90, 90, 90, 200, 110, 1},
        {"inband_stalled", 1, 50, 50, 50.0, 50, 50, 50, 1050, 1000, 2},
    };
    for (const Expect& e : expected) {
        SCOPED_TRACE(e.name);
        const Metric& x = m.get(e.name);
        EXPECT_EQ(x.hist.count(), e.count);
        EXPECT_EQ(x.hist.min(), e.min);
        EXPECT_EQ(x.hist.max(), e.max);
        EXPECT_DOUBLE_EQ(x.hist.mean(), e.mean);
        EXPECT_EQ(x.hist.percentile_permille(500), e.p50);
        EXPECT_EQ(x.hist.percentile_permille(900), e.p90);
        EXPECT_EQ(x.hist.percentile_permille(990), e.p99);
        EXPECT_EQ(x.hist.percentile_permille(999), e.max);
        EXPECT_EQ(x.max_at, e.max_at);
        EXPECT_EQ(x.max_from, e.max_from);
        EXPECT_EQ(x.max_cpu, e.max_cpu);
    }
    EXPECT_EQ(m.get("ipi_delivery_inband").hist.count(), 0u);

    // The JSON has both units (ns = cycles * 0.5 at 2 GHz) and the cycle of the max.
    const std::string json = m.json();
    EXPECT_NE(json.find("\"irq_to_ack\": {"), std::string::npos);
    EXPECT_NE(json.find("\"cycles\": {\"min\": 10, \"mean\": 50.000, \"p50\": 30, \"p90\": 100, \"p99\": 100, "
                        "\"p99.9\": 100, \"max\": 100}"),
              std::string::npos)
        << json;
    EXPECT_NE(json.find("\"ns\": {\"min\": 5.000, \"mean\": 25.000, \"p50\": 15.000, \"p90\": 50.000, \"p99\": 50.000, "
                        "\"p99.9\": 50.000, \"max\": 50.000}"),
              std::string::npos);
    EXPECT_NE(json.find("\"max_at_cycle\": 1100"), std::string::npos);
    EXPECT_NE(json.find("\"histogram\": [[10, 1], [30, 1], [60, 1], [100, 1]]"), std::string::npos);
    EXPECT_NE(json.find("\"ipi_delivery_inband\": {"), std::string::npos);

    // latmus-style text: 20 ns cells; irq_to_ack's samples are 5, 15, 30 and 50 ns.
    const std::string text = m.histogram_text(20);
    EXPECT_NE(text.find("# irq_to_ack min latency: 0.005\n"), std::string::npos) << text;
    EXPECT_NE(text.find("# irq_to_ack max latency: 0.050\n"), std::string::npos);
    EXPECT_NE(text.find("# irq_to_ack sample count: 4\n"), std::string::npos);
    EXPECT_NE(text.find("# irq_to_ack max at cycle: 1100\n"), std::string::npos);
    const size_t cols = text.find("# columns: cell irq_to_ack ");
    ASSERT_NE(cols, std::string::npos);
    // Cell 0 holds 5 and 15 ns, cell 1 30 ns, cell 2 50 ns: the first column after the cell number.
    const std::string rows = text.substr(text.find('\n', cols) + 1);
    EXPECT_EQ(rows.substr(0, 4), "0 2 ");
    EXPECT_NE(rows.find("\n1 1 "), std::string::npos);
    EXPECT_NE(rows.find("\n2 1 "), std::string::npos);

    const std::string table = m.table();
    EXPECT_NE(table.find("irq_to_ack"), std::string::npos);
    EXPECT_NE(table.find("xcall_issue_to_wait_return"), std::string::npos);
}

Event pending(uint64_t cycle, uint32_t id, bool is_pending, uint16_t cpu = kNoCpu) {
    return make_event(cycle, Kind::Pending, cpu, id, is_pending);
}

TEST_F(Metrics, AnEdgeTheGicDroppedBeforeAnyAcknowledgeGivesNoSample) {
    LatencyMetrics m(hints, clock, 2);
    // A level SPI rises at 100 and is lowered at 150 (its device acked by a handler of a line sharing it) before any
    // IAR: the GIC drops it. It rises again at 1000 and is taken at 1040: one sample, 40 cycles, not 940.
    m.event(line(100, 40, true));
    m.event(pending(100, 40, true));
    m.event(line(150, 40, false));
    m.event(pending(150, 40, false));
    m.event(line(1000, 40, true));
    m.event(pending(1000, 40, true));
    m.event(iar(1040, 1, 40));
    m.event(pending(1040, 40, false));  // the IAR's own pending change comes after it: no effect
    // The same for CPU 1's PPI 30, dropped by GICD_ICPENDR: the IAR at 2050 finds nothing outstanding.
    m.event(line(2000, 30, true, 1));
    m.event(line(2001, 30, false, 1));
    m.event(pending(2000, 30, true, 1));
    m.event(pending(2020, 30, false, 1));
    m.event(iar(2050, 1, 30));
    m.finish(3000);
    const auto& ack = m.get("irq_to_ack").hist;
    EXPECT_EQ(ack.count(), 1u);
    EXPECT_EQ(ack.min(), 40u);
    EXPECT_EQ(ack.max(), 40u);
}

TEST_F(Metrics, TimesAreNotMixedAcrossCpus) {
    LatencyMetrics m(hints, clock, 2);
    // CPU 1 stalls in-band, CPU 0 unstalls: nothing to measure.
    m.event(hint(10, 1, PIPELINE_TRACE_INBAND_STALL, 0));
    m.event(hint(20, 0, PIPELINE_TRACE_INBAND_UNSTALL, 0));
    // A handler exit on the wrong CPU or stage matches nothing.
    m.event(hint(30, 0, PIPELINE_TRACE_HANDLER_ENTRY_OOB, 40));
    m.event(hint(40, 1, PIPELINE_TRACE_HANDLER_EXIT_OOB, 40));
    m.event(hint(50, 0, PIPELINE_TRACE_HANDLER_EXIT_INBAND, 40));
    m.finish(100);
    EXPECT_EQ(m.get("inband_stalled").hist.count(), 0u);
    EXPECT_EQ(m.get("oob_handler").hist.count(), 0u);
    EXPECT_EQ(m.get("inband_handler").hist.count(), 0u);
    EXPECT_THROW(m.get("no_such_metric"), std::out_of_range);
}

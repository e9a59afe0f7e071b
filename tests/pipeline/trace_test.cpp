// Trace events (pipeline-semantics.md section 10): the ids, and the sequences the pipeline emits.
#include <set>

#include "pipeline_test.h"

namespace pt {
namespace {

using Trace = PipelineTest;
using T = std::vector<std::pair<unsigned, uint32_t>>;

struct EventInfo {
    unsigned id;
    const char* label;
};

const std::vector<EventInfo>& events() {
    static const std::vector<EventInfo> all = {
#define PT_EVENT(name, id, label, value) {id, label},
        PIPELINE_TRACE_EVENTS(PT_EVENT)
#undef PT_EVENT
    };
    return all;
}

TEST(TraceIds, AreUniqueInThePipelineRangeAndFitTheHint) {
    std::set<unsigned> ids;
    std::set<std::string> labels;
    for (const EventInfo& e : events()) {
        EXPECT_GE(e.id, static_cast<unsigned>(PIPELINE_TRACE_FIRST)) << e.label;
        EXPECT_LE(e.id, static_cast<unsigned>(PIPELINE_TRACE_LAST)) << e.label;
        EXPECT_GE(e.id, 1u);
        EXPECT_LE(e.id, 2047u) << "a HINT immediate is 12 bits, non-negative";
        EXPECT_TRUE(ids.insert(e.id).second) << "duplicate id " << e.id;
        EXPECT_TRUE(labels.insert(e.label).second) << "duplicate label " << e.label;
    }
    EXPECT_EQ(events().size(), 32u + 7 + 7 + 3);
    EXPECT_EQ(PIPELINE_TRACE_ENTRY, 256);
}

TEST_F(Trace, DeferredInbandIrqFromRaiseToReplay) {
    Probe p("dev");
    request(40, p);
    local_irq_disable();
    clear_records();
    fake_raise_irq(0, 40);
    EXPECT_EQ(all_traces(), (T{{PIPELINE_TRACE_ENTRY, 0},
                               {PIPELINE_TRACE_IRQ_ACK, 40},
                               {PIPELINE_TRACE_IRQ_EOI, 40},
                               {PIPELINE_TRACE_IRQ_LOG_INBAND, 40},
                               {PIPELINE_TRACE_EXIT, 0}}));
    clear_records();
    local_irq_enable();
    EXPECT_EQ(all_traces(), (T{{PIPELINE_TRACE_INBAND_UNSTALL, 0},
                               {PIPELINE_TRACE_REPLAY_BEGIN, 0},
                               {PIPELINE_TRACE_INBAND_STALL, 0},
                               {PIPELINE_TRACE_IRQ_PULL_INBAND, 40},
                               {PIPELINE_TRACE_HANDLER_ENTRY_INBAND, 40},
                               {PIPELINE_TRACE_HANDLER_EXIT_INBAND, 40},
                               {PIPELINE_TRACE_INBAND_UNSTALL, 0},
                               {PIPELINE_TRACE_REPLAY_END, 0}}));
}

TEST_F(Trace, HandlerEventsBracketTheHandler) {
    Probe p("dev");
    request(40, p);
    clear_records();
    fake_raise_irq(0, 40);
    ASSERT_EQ(calls().size(), 1u);
    unsigned long entry = 0, exit = 0;
    for (size_t i = 0; i < fake_nr_traces(); i++) {
        if (fake_trace(i)->id == PIPELINE_TRACE_HANDLER_ENTRY_INBAND) entry = fake_trace(i)->seq;
        if (fake_trace(i)->id == PIPELINE_TRACE_HANDLER_EXIT_INBAND) exit = fake_trace(i)->seq;
    }
    EXPECT_LT(entry, call(0).seq);
    EXPECT_GT(exit, call(0).seq);
}

TEST_F(Trace, StallEventsNameTheirStage) {
    local_irq_disable();
    local_irq_enable();
    oob_irq_disable();
    oob_irq_enable();
    EXPECT_EQ(all_traces(), (T{{PIPELINE_TRACE_INBAND_STALL, 0},
                               {PIPELINE_TRACE_INBAND_UNSTALL, 0},
                               {PIPELINE_TRACE_OOB_STALL, 0},
                               {PIPELINE_TRACE_OOB_UNSTALL, 0}}));
}

TEST_F(Trace, EventsCarryTheCpuThatEmittedThem) {
    fake_set_cpu(3);
    local_irq_disable();
    fake_set_cpu(1);
    local_irq_disable();
    ASSERT_EQ(fake_nr_traces(), 2u);
    EXPECT_EQ(fake_trace(0)->cpu, 3u);
    EXPECT_EQ(fake_trace(1)->cpu, 1u);
    local_irq_enable();
    fake_set_cpu(3);
    local_irq_enable();
    fake_set_cpu(0);
}

// Not recording traces changes nothing else: same handlers on the same stages, same controller operations.
TEST_F(Trace, RecordingOrNotChangesNothingElse) {
    std::vector<std::string> runs[2];
    std::string ops[2];
    for (int run = 0; run < 2; run++) {
        fake_reset(kCpus);
        pipeline_init();
        clear_records();
        fake_set_trace_recording(run == 0);
        Probe in("in"), oob("oob");
        enable_oob();
        request(40, in);
        request(41, oob, IRQF_OOB);
        local_irq_disable();
        fake_raise_irq(0, 40);
        fake_raise_irq(0, 41);
        local_irq_enable();
        for (const Call& c : calls()) runs[run].push_back(c.tag + "@" + std::to_string(c.stage));
        ops[run] = ctrl_ops();
        EXPECT_EQ(fake_nr_traces() > 0, run == 0);
    }
    EXPECT_EQ(runs[0], runs[1]);
    EXPECT_EQ(ops[0], ops[1]);
    EXPECT_EQ(runs[0], (std::vector<std::string>{"oob@1", "in@0"}));
}

}  // namespace
}  // namespace pt

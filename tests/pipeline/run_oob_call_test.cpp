// run_oob_call() and its epilogue matrix (pipeline-semantics.md section 4).
#include <algorithm>

#include "pipeline_test.h"

namespace pt {
namespace {

using S = std::vector<std::string>;
using T = std::vector<std::pair<unsigned, uint32_t>>;

class RunOobCall : public PipelineTest {
protected:
    void SetUp() override {
        PipelineTest::SetUp();
        enable_oob();
        request(40, in_);
        request(41, oob_, IRQF_OOB);
    }
    Probe in_{"in"};
    Probe oob_{"oob"};
};

// fn: record how it runs, raise one IRQ of each kind (they cannot run: hard irqs off, oob stalled), maybe switch.
struct Plan {
    bool switch_inband = false;
    int ret = 7;
};

extern "C" int plan_fn(void* arg) {
    auto* plan = static_cast<Plan*>(arg);
    record("fn");
    irq_inject_pipeline(41);
    irq_inject_pipeline(40);
    if (plan->switch_inband) switch_inband();
    return plan->ret;
}

TEST_F(RunOobCall, RunsFnOnOobStalledWithHardIrqsOffAndReturnsItsValue) {
    Plan plan;
    plan.ret = 42;
    clear_records();
    EXPECT_EQ(run_oob_call(plan_fn, &plan), 42);
    const Call& fn = calls().at(0);
    EXPECT_EQ(fn.tag, "fn");
    EXPECT_EQ(fn.stage, IRQ_STAGE_OOB);
    EXPECT_TRUE(fn.oob_stalled);
    EXPECT_TRUE(fn.hard_off);
    EXPECT_FALSE(fn.inband_stalled);
    EXPECT_FALSE(hard_irqs_disabled()) << "hard irq state restored";
    EXPECT_EQ(current_irq_stage(), IRQ_STAGE_INBAND);
    T entry_exit = traces({PIPELINE_TRACE_RUN_OOB_CALL_ENTRY, PIPELINE_TRACE_RUN_OOB_CALL_EXIT});
    ASSERT_EQ(entry_exit.size(), 2u);
    EXPECT_EQ(entry_exit[0].second, static_cast<uint32_t>(reinterpret_cast<uintptr_t>(&plan_fn)));
    EXPECT_EQ(entry_exit[1], (std::pair<unsigned, uint32_t>{PIPELINE_TRACE_RUN_OOB_CALL_EXIT, 42}));
}

// Row 1: oob -> oob: replay the oob log only if oob was unstalled on entry; the in-band log is left alone.
TEST_F(RunOobCall, OobToOobReplaysTheOobLogOnly) {
    Plan plan;
    enter_oob();
    run_oob_call(plan_fn, &plan);
    EXPECT_EQ(tags(), (S{"fn", "oob"}));
    EXPECT_EQ(call(1).stage, IRQ_STAGE_OOB);
    EXPECT_EQ(log_of(0, IRQ_STAGE_INBAND), std::vector<int>{40}) << "not synchronized on this path";
    EXPECT_EQ(current_irq_stage(), IRQ_STAGE_OOB);
    EXPECT_FALSE(stalled(IRQ_STAGE_OOB));
    leave_oob();
    sync_inband_irqs();
    EXPECT_EQ(tags(), (S{"fn", "oob", "in"}));
}

TEST_F(RunOobCall, OobToOobWithOobStalledOnEntryReplaysNothing) {
    Plan plan;
    enter_oob();
    oob_irq_disable();
    run_oob_call(plan_fn, &plan);
    EXPECT_EQ(tags(), S{"fn"});
    EXPECT_TRUE(stalled(IRQ_STAGE_OOB)) << "s was 1: oob stays stalled";
    EXPECT_EQ(log_of(0, IRQ_STAGE_OOB), std::vector<int>{41});
    oob_irq_enable();  // on oob: plays the oob log
    EXPECT_EQ(tags(), (S{"fn", "oob"}));
    leave_oob();
}

// Row 2: in-band -> oob: switch to in-band, then the oob log, then the in-band log.
TEST_F(RunOobCall, InbandToOobSwitchesBackThenSyncsOobThenInband) {
    Plan plan;
    clear_records();
    run_oob_call(plan_fn, &plan);
    ASSERT_EQ(tags(), (S{"fn", "oob", "in"}));
    EXPECT_EQ(call(1).stage, IRQ_STAGE_OOB);
    EXPECT_EQ(call(2).stage, IRQ_STAGE_INBAND);
    EXPECT_EQ(current_irq_stage(), IRQ_STAGE_INBAND);
    // The stage is in-band again before the oob log is played (on the oob stage, from in-band).
    T switches = traces({PIPELINE_TRACE_STAGE_SWITCH, PIPELINE_TRACE_HANDLER_ENTRY_OOB});
    T tail(switches.end() - 4, switches.end());
    EXPECT_EQ(tail, (T{{PIPELINE_TRACE_STAGE_SWITCH, 0},
                       {PIPELINE_TRACE_STAGE_SWITCH, 1},
                       {PIPELINE_TRACE_HANDLER_ENTRY_OOB, 41},
                       {PIPELINE_TRACE_STAGE_SWITCH, 0}}));
}

// Row 3: oob -> in-band (fn switched): sync both logs, oob first.
TEST_F(RunOobCall, OobToInbandSyncsOobThenInband) {
    Plan plan;
    plan.switch_inband = true;
    enter_oob();
    run_oob_call(plan_fn, &plan);
    ASSERT_EQ(tags(), (S{"fn", "oob", "in"}));
    EXPECT_EQ(call(1).stage, IRQ_STAGE_OOB);
    EXPECT_EQ(call(2).stage, IRQ_STAGE_INBAND);
    EXPECT_EQ(current_irq_stage(), IRQ_STAGE_INBAND) << "fn's switch stands";
    EXPECT_TRUE(hard_irqs_disabled()) << "hard irq state of the caller restored (off)";
    hard_local_irq_enable();
}

// Row 4: in-band -> in-band (fn switched back): sync both logs, oob first.
TEST_F(RunOobCall, InbandToInbandSyncsOobThenInband) {
    Plan plan;
    plan.switch_inband = true;
    run_oob_call(plan_fn, &plan);
    ASSERT_EQ(tags(), (S{"fn", "oob", "in"}));
    EXPECT_EQ(call(1).stage, IRQ_STAGE_OOB);
    EXPECT_EQ(call(2).stage, IRQ_STAGE_INBAND);
    EXPECT_EQ(current_irq_stage(), IRQ_STAGE_INBAND);
    EXPECT_FALSE(stalled(IRQ_STAGE_OOB));
}

// Every row, with the caller's in-band stage stalled or not: run_oob_call() never writes the in-band stall bit, and
// plays the in-band log only if that stage was already unstalled.
struct Row {
    bool from_oob;
    bool fn_switches_inband;
    bool inband_stalled;
};

class RunOobCallMatrix : public RunOobCall, public ::testing::WithParamInterface<Row> {};

TEST_P(RunOobCallMatrix, NeverTouchesTheInbandStallBit) {
    const Row row = GetParam();
    Plan plan;
    plan.switch_inband = row.fn_switches_inband;
    if (row.inband_stalled) local_irq_disable();
    if (row.from_oob) enter_oob();
    clear_records();
    run_oob_call(plan_fn, &plan);
    EXPECT_EQ(stalled(IRQ_STAGE_INBAND), row.inband_stalled);
    EXPECT_TRUE(traces({PIPELINE_TRACE_INBAND_STALL, PIPELINE_TRACE_INBAND_UNSTALL}).empty() ||
                !row.inband_stalled)
        << "no write to a stalled in-band bit";
    const bool oob_to_oob = row.from_oob && !row.fn_switches_inband;
    const bool inband_played = !oob_to_oob && !row.inband_stalled;
    EXPECT_EQ(log_of(0, IRQ_STAGE_INBAND).empty(), inband_played);
    EXPECT_TRUE(log_of(0, IRQ_STAGE_OOB).empty()) << "oob was unstalled on entry: its log is always played";
    // Put things back for the next test's sake.
    if (current_irq_stage() == IRQ_STAGE_OOB) {
        hard_local_irq_disable();
        switch_inband();
    }
    hard_local_irq_enable();
    if (row.inband_stalled) local_irq_enable();
    sync_inband_irqs();
    const std::vector<std::string> t = tags();
    EXPECT_EQ(std::count(t.begin(), t.end(), "in"), 1) << "the in-band IRQ ran once in the end";
}

INSTANTIATE_TEST_SUITE_P(Rows, RunOobCallMatrix,
                         ::testing::Values(Row{true, false, false}, Row{true, false, true}, Row{false, false, false},
                                           Row{false, false, true}, Row{true, true, false}, Row{true, true, true},
                                           Row{false, true, false}, Row{false, true, true}),
                         [](const ::testing::TestParamInfo<Row>& info) {
                             const Row& r = info.param;
                             return std::string(r.from_oob ? "Oob" : "Inband") + "To" +
                                    (r.fn_switches_inband ? "Inband" : "Oob") +
                                    (r.inband_stalled ? "_InbandStalled" : "_InbandUnstalled");
                         });

TEST_F(RunOobCall, InbandCallerStalledKeepsItsInbandIrqLogged) {
    Plan plan;
    local_irq_disable();
    run_oob_call(plan_fn, &plan);
    EXPECT_EQ(tags(), (S{"fn", "oob"}));
    EXPECT_EQ(log_of(0, IRQ_STAGE_INBAND), std::vector<int>{40});
    EXPECT_TRUE(stalled(IRQ_STAGE_INBAND));
    local_irq_enable();
    EXPECT_EQ(tags(), (S{"fn", "oob", "in"}));
}

TEST(RunOobCallNoStage, WithoutAnOobStageFnRunsInbandWithHardIrqsOff) {
    fake_reset(4);
    pipeline_init();
    calls().clear();
    Probe in("in");
    ASSERT_EQ(request_irq(40, probe_handler, 0, "in", &in), 0);
    Plan plan;
    plan.ret = -3;
    EXPECT_EQ(run_oob_call(plan_fn, &plan), -3);
    ASSERT_GE(calls().size(), 1u);
    EXPECT_EQ(call(0).stage, IRQ_STAGE_INBAND);
    EXPECT_TRUE(call(0).hard_off);
    EXPECT_EQ(calls().back().tag, "in") << "the in-band IRQ fn raised is played on the way out";
    EXPECT_FALSE(hard_irqs_disabled());
}

}  // namespace
}  // namespace pt

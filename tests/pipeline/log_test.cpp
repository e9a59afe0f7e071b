// IRQ logs and replay (pipeline-semantics.md sections 1 and 3): a log is a set per stage per CPU, replayed lowest
// IRQ first, the choice made again after every handler.
#include "pipeline_test.h"

namespace pt {
namespace {

using Log = PipelineTest;
using V = std::vector<int>;

TEST_F(Log, InbandIrqWaitsInTheLogWhileStalledThenRunsOnEnable) {
    Probe p("dev");
    request(40, p);
    local_irq_disable();
    fake_raise_irq(0, 40);
    EXPECT_TRUE(calls().empty());
    EXPECT_EQ(log_of(0, IRQ_STAGE_INBAND), V{40});
    EXPECT_TRUE(pipeline_log_pending(0, IRQ_STAGE_INBAND));
    local_irq_enable();
    EXPECT_EQ(called_irqs(), V{40});
    EXPECT_TRUE(log_of(0, IRQ_STAGE_INBAND).empty());
    EXPECT_FALSE(stalled(IRQ_STAGE_INBAND));
}

TEST_F(Log, UnstalledInbandIrqRunsAtOnceWithItsStageStalledAndHardIrqsOn) {
    Probe p("dev");
    request(40, p);
    fake_raise_irq(0, 40);
    ASSERT_EQ(calls().size(), 1u);
    const Call& c = call(0);
    EXPECT_EQ(c.stage, IRQ_STAGE_INBAND);
    EXPECT_TRUE(c.inband_stalled) << "in-band handlers run with the in-band stage stalled, like Linux irqs off";
    EXPECT_FALSE(c.hard_off) << "in-band handlers run with hard irqs on";
    EXPECT_FALSE(stalled(IRQ_STAGE_INBAND));
    EXPECT_TRUE(log_of(0, IRQ_STAGE_INBAND).empty());
}

TEST_F(Log, HeldLineIsMaskedAndEndedAtTheControllerUntilReplayed) {
    Probe p("dev");
    request(40, p);
    clear_records();
    local_irq_disable();
    fake_raise_irq(0, 40);
    EXPECT_EQ(ctrl_ops(), "ack 40, mask 40, eoi 40");
    EXPECT_TRUE(fake_irq_masked(0, 40));
    EXPECT_FALSE(fake_irq_active(0, 40));
    local_irq_enable();
    ASSERT_EQ(ctrl_ops(), "ack 40, mask 40, eoi 40, unmask 40");
    EXPECT_FALSE(fake_irq_masked(0, 40));
    ASSERT_EQ(calls().size(), 1u);
    EXPECT_LT(call(0).seq, fake_ctrl_op(3)->seq) << "the line is unmasked after its handler ran";
}

TEST_F(Log, HeldLineDeliversItsNextEdgeOnlyAfterRelease) {
    Probe p("dev");
    request(40, p);
    local_irq_disable();
    fake_raise_irq(0, 40);
    fake_raise_irq(0, 40);  // masked: stays pending at the controller
    EXPECT_TRUE(fake_irq_pending(0, 40));
    EXPECT_EQ(fake_traps(0), 1u);
    local_irq_enable();  // replay, unmask, the second edge comes in and runs at once
    EXPECT_EQ(called_irqs(), (V{40, 40}));
    EXPECT_EQ(fake_traps(0), 2u);
}

TEST_F(Log, RepeatedIrqIsLoggedOnceAndPlayedOnce) {
    Probe p("dev");
    request(40, p);
    local_irq_disable();
    EXPECT_EQ(irq_inject_pipeline(40), 0);
    EXPECT_EQ(irq_inject_pipeline(40), 0);
    EXPECT_EQ(irq_inject_pipeline(40), 0);
    EXPECT_EQ(log_of(0, IRQ_STAGE_INBAND), V{40});
    EXPECT_EQ(traces({PIPELINE_TRACE_IRQ_LOG_INBAND}).size(), 3u) << "each posting is traced";
    local_irq_enable();
    EXPECT_EQ(called_irqs(), V{40});
}

TEST_F(Log, ReplayTakesTheLowestIrqFirst) {
    Probe a("a"), b("b"), c("c");
    request(50, a);
    request(41, b);
    request(45, c);
    local_irq_disable();
    irq_inject_pipeline(50);
    irq_inject_pipeline(41);
    irq_inject_pipeline(45);
    EXPECT_EQ(pipeline_log_first(0, IRQ_STAGE_INBAND), 41);
    local_irq_enable();
    EXPECT_EQ(called_irqs(), (V{41, 45, 50}));
}

TEST_F(Log, LowerIrqLoggedByAHandlerGoesNext) {
    Probe low("low"), high("high"), top("top");
    Probe first("first", IRQ_HANDLED, [](int) {
        irq_inject_pipeline(60);  // higher than what is pending: after 50
        irq_inject_pipeline(41);  // lower than what is pending: next
    });
    request(45, first);
    request(50, high);
    request(41, low);
    request(60, top);
    local_irq_disable();
    irq_inject_pipeline(45);
    irq_inject_pipeline(50);
    local_irq_enable();
    EXPECT_EQ(called_irqs(), (V{45, 41, 50, 60}));
}

TEST_F(Log, LogSpansLeafWordsUnderTheSummary) {
    // 35 and 63 share a leaf word, 64 starts the next, 700 is far away, 5 is an SGI (per-CPU line).
    Probe a("a"), b("b"), c("c"), d("d"), e("e");
    request(35, a);
    request(63, b);
    request(64, c);
    request(700, d);
    request_percpu_everywhere(5, e);
    local_irq_disable();
    hard_local_irq_disable();
    for (unsigned irq : {700u, 64u, 35u, 63u, 5u}) irq_post_inband(irq);
    hard_local_irq_enable();
    EXPECT_EQ(log_of(0, IRQ_STAGE_INBAND), (V{5, 35, 63, 64, 700}));
    EXPECT_EQ(pipeline_log_first(0, IRQ_STAGE_INBAND), 5);
    EXPECT_TRUE(calls().empty()) << "hard_local_irq_enable() never replays";
    local_irq_enable();
    EXPECT_EQ(called_irqs(), (V{5, 35, 63, 64, 700}));
    EXPECT_FALSE(pipeline_log_pending(0, IRQ_STAGE_INBAND));
    EXPECT_EQ(pipeline_log_first(0, IRQ_STAGE_INBAND), -1);
}

TEST_F(Log, HighestIrqNumberRoundTrips) {
    const unsigned last = PIPELINE_NR_IRQS - 1;
    hard_local_irq_disable();
    local_irq_disable();
    irq_post_inband(last);
    irq_post_inband(0 + PIPELINE_NR_HW_IRQS - 1);
    EXPECT_EQ(log_of(0, IRQ_STAGE_INBAND), (V{PIPELINE_NR_HW_IRQS - 1, static_cast<int>(last)}));
    hard_local_irq_enable();
    local_irq_enable();
    EXPECT_FALSE(pipeline_log_pending(0, IRQ_STAGE_INBAND));
}

TEST_F(Log, LogsArePerCpu) {
    Probe p("dev");
    request(40, p);
    fake_set_cpu(1);
    local_irq_disable();
    fake_raise_irq(1, 40);
    EXPECT_EQ(log_of(1, IRQ_STAGE_INBAND), V{40});
    EXPECT_TRUE(log_of(0, IRQ_STAGE_INBAND).empty());
    fake_set_cpu(0);
    local_irq_disable();
    local_irq_enable();  // CPU 0's enable does not play CPU 1's log
    EXPECT_TRUE(calls().empty());
    fake_set_cpu(1);
    local_irq_enable();
    ASSERT_EQ(calls().size(), 1u);
    EXPECT_EQ(call(0).cpu, 1u);
}

TEST_F(Log, StallBitsArePerCpu) {
    fake_set_cpu(2);
    local_irq_disable();
    EXPECT_TRUE(pipeline_stage_stalled(2, IRQ_STAGE_INBAND));
    for (unsigned cpu : {0u, 1u, 3u}) EXPECT_FALSE(pipeline_stage_stalled(cpu, IRQ_STAGE_INBAND));
    local_irq_enable();
}

TEST_F(Log, NothingIsReplayedWhileOobIsStalled) {
    enable_oob();
    Probe in("in"), oob("oob");
    request(40, in);
    request(41, oob, IRQF_OOB);
    oob_irq_disable();
    irq_inject_pipeline(41);
    irq_inject_pipeline(40);
    EXPECT_EQ(log_of(0, IRQ_STAGE_OOB), V{41});
    EXPECT_EQ(log_of(0, IRQ_STAGE_INBAND), V{40});
    synchronize_pipeline();
    EXPECT_TRUE(calls().empty());
    oob_irq_enable();
    EXPECT_EQ(tags(), (std::vector<std::string>{"oob", "in"}));
}

TEST_F(Log, OobLogIsReplayedOnTheOobStageWithHardIrqsOff) {
    enable_oob();
    Probe oob("oob");
    request(41, oob, IRQF_OOB);
    oob_irq_disable();
    irq_inject_pipeline(41);
    EXPECT_TRUE(calls().empty());
    oob_irq_enable();
    ASSERT_EQ(calls().size(), 1u);
    EXPECT_EQ(call(0).stage, IRQ_STAGE_OOB);
    EXPECT_TRUE(call(0).hard_off);
    EXPECT_TRUE(call(0).oob_stalled);
    EXPECT_EQ(current_irq_stage(), IRQ_STAGE_INBAND);
    EXPECT_FALSE(stalled(IRQ_STAGE_OOB));
}

TEST_F(Log, SyncCurrentIrqStageReplaysTheCurrentStageIfUnstalled) {
    enable_oob();
    Probe in("in"), oob("oob");
    request(40, in);
    request(41, oob, IRQF_OOB);
    local_irq_disable();
    irq_inject_pipeline(40);
    hard_local_irq_disable();
    sync_current_irq_stage();
    EXPECT_TRUE(calls().empty()) << "in-band is stalled";
    EXPECT_TRUE(stalled(IRQ_STAGE_INBAND));
    irq_post_oob(41);
    hard_local_irq_enable();
    local_irq_enable();
    EXPECT_EQ(tags(), (std::vector<std::string>{"oob", "in"})) << "unstalling in-band plays the oob log first";
}

TEST_F(Log, SyncCurrentIrqStageIgnoresTheOtherStage) {
    enable_oob();
    Probe in("in"), oob("oob");
    request(40, in);
    request(41, oob, IRQF_OOB);
    hard_local_irq_disable();
    irq_post_oob(41);
    irq_post_inband(40);
    oob_irq_disable();
    sync_current_irq_stage();
    EXPECT_EQ(tags(), std::vector<std::string>{"in"}) << "in-band log played despite the oob stall and oob log";
    EXPECT_FALSE(stalled(IRQ_STAGE_INBAND));
    oob_irq_enable();
    EXPECT_EQ(tags(), (std::vector<std::string>{"in", "oob"}));
}

TEST_F(Log, ReplayTracesPullEachIrqBetweenBeginAndEnd) {
    Probe a("a"), b("b");
    request(41, a);
    request(40, b);
    local_irq_disable();
    irq_inject_pipeline(41);
    irq_inject_pipeline(40);
    clear_records();
    local_irq_enable();
    using T = std::vector<std::pair<unsigned, uint32_t>>;
    EXPECT_EQ(traces({PIPELINE_TRACE_REPLAY_BEGIN, PIPELINE_TRACE_REPLAY_END, PIPELINE_TRACE_IRQ_PULL_INBAND}),
              (T{{PIPELINE_TRACE_REPLAY_BEGIN, 0},
                 {PIPELINE_TRACE_IRQ_PULL_INBAND, 40},
                 {PIPELINE_TRACE_IRQ_PULL_INBAND, 41},
                 {PIPELINE_TRACE_REPLAY_END, 0}}));
}

}  // namespace
}  // namespace pt

// IRQ entry, handle_irq_pipelined() (pipeline-semantics.md section 2).
#include "pipeline_test.h"

namespace pt {
namespace {

using Entry = PipelineTest;
using V = std::vector<int>;
using S = std::vector<std::string>;
using T = std::vector<std::pair<unsigned, uint32_t>>;

TEST_F(Entry, OobHandlerRunsAtOnceWhileInbandIsStalled) {
    enable_oob();
    Probe p("oob");
    request(40, p, IRQF_OOB);
    local_irq_disable();
    clear_records();
    fake_raise_irq(0, 40);
    ASSERT_EQ(calls().size(), 1u);
    const Call& c = call(0);
    EXPECT_EQ(c.stage, IRQ_STAGE_OOB);
    EXPECT_TRUE(c.oob_stalled) << "oob handlers run with the oob stage stalled";
    EXPECT_TRUE(c.hard_off);
    EXPECT_TRUE(c.inband_stalled) << "the in-band stall bit is left alone";
    ASSERT_EQ(ctrl_ops(), "ack 40, eoi 40") << "an oob IRQ is not held: no mask";
    EXPECT_LT(c.seq, fake_ctrl_op(1)->seq) << "EOI after the handler";
    EXPECT_EQ(current_irq_stage(), IRQ_STAGE_INBAND) << "back to the stage we came from";
    EXPECT_FALSE(stalled(IRQ_STAGE_OOB)) << "oob stall state restored";
    EXPECT_TRUE(stalled(IRQ_STAGE_INBAND));
    EXPECT_FALSE(fake_last_trap_result(0)) << "in-band stalled: no IRQ-exit work for the arch";
    local_irq_enable();
}

TEST_F(Entry, StepsComeInOrder) {
    enable_oob();
    Probe p("oob");
    request(40, p, IRQF_OOB);
    clear_records();
    fake_raise_irq(0, 40);
    ASSERT_EQ(all_traces(), (T{{PIPELINE_TRACE_ENTRY, 0},
                               {PIPELINE_TRACE_STAGE_SWITCH, 1},
                               {PIPELINE_TRACE_IRQ_ACK, 40},
                               {PIPELINE_TRACE_OOB_STALL, 0},
                               {PIPELINE_TRACE_HANDLER_ENTRY_OOB, 40},
                               {PIPELINE_TRACE_HANDLER_EXIT_OOB, 40},
                               {PIPELINE_TRACE_OOB_UNSTALL, 0},
                               {PIPELINE_TRACE_IRQ_EOI, 40},
                               {PIPELINE_TRACE_STAGE_SWITCH, 0},
                               {PIPELINE_TRACE_EXIT, 1}}));
    // The hooks sit between the stage switch and the ack, and between the EOI and the switch back.
    ASSERT_EQ(hooks().enter_calls, 1);
    ASSERT_EQ(hooks().exit_calls, 1);
    unsigned long switch_oob_seq = fake_trace(1)->seq, ack_seq = fake_trace(2)->seq;
    unsigned long eoi_seq = fake_trace(7)->seq, switch_back_seq = fake_trace(8)->seq;
    EXPECT_LT(switch_oob_seq, hooks().last_enter_seq);
    EXPECT_LT(hooks().last_enter_seq, ack_seq);
    EXPECT_LT(eoi_seq, hooks().last_exit_seq);
    EXPECT_LT(hooks().last_exit_seq, switch_back_seq);
    EXPECT_TRUE(hooks().hard_off_in_enter);
    EXPECT_TRUE(hooks().hard_off_in_exit);
    EXPECT_TRUE(fake_last_trap_result(0));
}

TEST_F(Entry, InbandIrqIsLoggedThenReplayedAfterTheExitHook) {
    Probe p("dev");
    request(40, p);
    clear_records();
    fake_raise_irq(0, 40);
    ASSERT_EQ(calls().size(), 1u);
    EXPECT_LT(hooks().last_exit_seq, call(0).seq) << "in-band handlers run after irq_exit_pipeline()";
    EXPECT_EQ(traces({PIPELINE_TRACE_IRQ_LOG_INBAND, PIPELINE_TRACE_HANDLER_ENTRY_INBAND}),
              (T{{PIPELINE_TRACE_IRQ_LOG_INBAND, 40}, {PIPELINE_TRACE_HANDLER_ENTRY_INBAND, 40}}));
}

TEST_F(Entry, WithoutAnOobStageNoSwitchAndOobFlagIgnored) {
    Probe p("would-be-oob");
    request(40, p, IRQF_OOB);
    EXPECT_TRUE(irq_is_oob(40));
    local_irq_disable();
    clear_records();
    fake_raise_irq(0, 40);
    EXPECT_TRUE(calls().empty()) << "no oob stage: the handler is an in-band one, deferred";
    EXPECT_TRUE(traces({PIPELINE_TRACE_STAGE_SWITCH}).empty());
    EXPECT_EQ(log_of(0, IRQ_STAGE_INBAND), V{40});
    local_irq_enable();
    ASSERT_EQ(calls().size(), 1u);
    EXPECT_EQ(call(0).stage, IRQ_STAGE_INBAND);
    EXPECT_FALSE(call(0).hard_off);
}

TEST_F(Entry, EnterAndExitHooksRunOnEveryEntryEvenWithoutOobStage) {
    Probe p("dev");
    request(40, p);
    fake_raise_irq(0, 40);
    fake_raise_irq(0, 40);
    EXPECT_EQ(hooks().enter_calls, 2);
    EXPECT_EQ(hooks().exit_calls, 2);
}

TEST_F(Entry, EveryPendingIrqIsTakenInOneEntryThenReplayedLowestFirst) {
    Probe a("a"), b("b"), c("c");
    request(50, a);
    request(41, b);
    request(45, c);
    hard_local_irq_disable();
    fake_raise_irq(0, 50);
    fake_raise_irq(0, 45);
    fake_raise_irq(0, 41);
    EXPECT_EQ(fake_traps(0), 0u) << "hard irqs off: held at the controller";
    clear_records();
    hard_local_irq_enable();
    EXPECT_EQ(fake_traps(0), 1u);
    EXPECT_EQ(called_irqs(), (V{41, 45, 50}));
    EXPECT_EQ(traces({PIPELINE_TRACE_IRQ_ACK}),
              (T{{PIPELINE_TRACE_IRQ_ACK, 41}, {PIPELINE_TRACE_IRQ_ACK, 45}, {PIPELINE_TRACE_IRQ_ACK, 50}}));
    EXPECT_EQ(hooks().enter_calls, 1);
}

TEST_F(Entry, OobIrqsOfOneEntryRunBeforeAnyInbandOne) {
    enable_oob();
    Probe in("in"), oob("oob");
    request(35, in);
    request(60, oob, IRQF_OOB);
    hard_local_irq_disable();
    fake_raise_irq(0, 35);
    fake_raise_irq(0, 60);
    hard_local_irq_enable();
    EXPECT_EQ(tags(), (S{"oob", "in"})) << "35 is acked first but only logged; 60 runs during the entry";
}

TEST_F(Entry, ReturnsWhetherInbandAndUnstalled) {
    Probe p("dev");
    request(40, p);
    fake_raise_irq(0, 40);
    EXPECT_TRUE(fake_last_trap_result(0));
    local_irq_disable();
    fake_raise_irq(0, 40);
    EXPECT_FALSE(fake_last_trap_result(0));
    local_irq_enable();
}

TEST_F(Entry, FromOobTheCpuStaysOobAndInbandIrqsWait) {
    enable_oob();
    Probe in("in"), oob("oob");
    request(40, in);
    request(41, oob, IRQF_OOB);
    enter_oob();
    hard_local_irq_enable();  // oob code running with hard irqs on, oob unstalled
    fake_raise_irq(0, 41);
    fake_raise_irq(0, 40);
    EXPECT_EQ(tags(), S{"oob"});
    EXPECT_EQ(current_irq_stage(), IRQ_STAGE_OOB);
    EXPECT_EQ(log_of(0, IRQ_STAGE_INBAND), V{40});
    EXPECT_FALSE(fake_last_trap_result(0)) << "not in-band";
    hard_local_irq_disable();
    switch_inband();
    synchronize_pipeline();
    hard_local_irq_enable();
    EXPECT_EQ(tags(), (S{"oob", "in"}));
}

TEST_F(Entry, ExitHookSwitchingInbandGetsTheInbandLogPlayed) {
    enable_oob();
    Probe in("in");
    request(40, in);
    enter_oob();
    hard_local_irq_enable();
    hooks().on_exit = [] { switch_inband(); };  // a companion core rescheduling to an in-band task
    fake_raise_irq(0, 40);
    EXPECT_EQ(current_irq_stage(), IRQ_STAGE_INBAND);
    EXPECT_EQ(tags(), S{"in"});
    EXPECT_TRUE(fake_last_trap_result(0));
}

TEST_F(Entry, PendingOobLogIsReplayedOnExitWhenOnOob) {
    enable_oob();
    Probe a("oob-40"), b("oob-41");
    request(40, a, IRQF_OOB);
    request(41, b, IRQF_OOB);
    enter_oob();
    irq_post_oob(41);  // pending, oob unstalled, nobody synced yet
    hard_local_irq_enable();
    fake_raise_irq(0, 40);
    EXPECT_EQ(tags(), (S{"oob-40", "oob-41"}));
    EXPECT_EQ(call(1).stage, IRQ_STAGE_OOB);
    EXPECT_FALSE(pipeline_log_pending(0, IRQ_STAGE_OOB));
    leave_oob();
}

TEST_F(Entry, SpuriousEntryOnlyEntersAndLeaves) {
    hard_local_irq_disable();
    EXPECT_TRUE(handle_irq_pipelined());
    hard_local_irq_enable();
    EXPECT_EQ(all_traces(), (T{{PIPELINE_TRACE_ENTRY, 0}, {PIPELINE_TRACE_EXIT, 1}}));
    EXPECT_EQ(ctrl_ops(), "");
    EXPECT_EQ(fake_spurious_acks(0), 1u);
}

TEST_F(Entry, UnrequestedIrqIsHeldAndStaysMasked) {
    // A line nobody requested but that the controller signals anyway: logged, no handler, left masked.
    arch_irq_unmask(77);
    clear_records();
    fake_raise_irq(0, 77);
    EXPECT_TRUE(calls().empty());
    EXPECT_EQ(ctrl_ops(), "ack 77, mask 77, eoi 77");
    EXPECT_TRUE(fake_irq_masked(0, 77));
    EXPECT_FALSE(pipeline_log_pending(0, IRQ_STAGE_INBAND));
}

TEST_F(Entry, InbandHandlerMayBeInterruptedByAnOobIrq) {
    enable_oob();
    Probe oob("oob");
    Probe in("in", IRQ_HANDLED, [](int) {
        fake_raise_irq(0, 41);  // hard irqs are on in an in-band handler: taken at once
        record("in:after");
    });
    request(40, in);
    request(41, oob, IRQF_OOB);
    fake_raise_irq(0, 40);
    EXPECT_EQ(tags(), (S{"in", "oob", "in:after"}));
    EXPECT_EQ(fake_traps(0), 2u);
}

TEST_F(Entry, InbandIrqDuringAnInbandHandlerWaitsForTheSameReplay) {
    Probe second("second");
    Probe first("first", IRQ_HANDLED, [](int) {
        fake_raise_irq(0, 41);
        record("first:after");
    });
    request(45, first);
    request(41, second);
    fake_raise_irq(0, 45);
    EXPECT_EQ(tags(), (S{"first", "first:after", "second"})) << "in-band is stalled while its handlers run";
}

}  // namespace
}  // namespace pt

// Debug checks (pipeline-semantics.md section 8): each reports once (CPU, IRQ, stage, pc) and the pipeline goes on.
#include "pipeline_test.h"

namespace pt {
namespace {

using S = std::vector<std::string>;

class Debug : public PipelineTest {
protected:
    void SetUp() override {
        PipelineTest::SetUp();
        expect_debug_reports_ = true;
    }
};

TEST_F(Debug, InbandRoutineCalledFromOobIsReportedOnceWithItsContext) {
    enable_oob();
    Probe p("oob", IRQ_HANDLED, [](int) {
        unsigned long flags;
        local_irq_save(flags);  // in-band code from an oob handler: the "seemingly NMI" rule broken
        local_irq_restore(flags);
        (void)irqs_disabled();
        record("oob:after");
    });
    request(41, p, IRQF_OOB);
    fake_set_cpu(2);
    fake_raise_irq(2, 41);
    auto r = reports_of(PIPELINE_DEBUG_INBAND_FROM_OOB);
    ASSERT_EQ(r.size(), 1u) << "once, though three routines misbehaved";
    EXPECT_EQ(r[0].cpu, 2u);
    EXPECT_EQ(r[0].stage, IRQ_STAGE_OOB);
    EXPECT_EQ(r[0].irq, -1);
    EXPECT_NE(r[0].pc, 0u);
    EXPECT_GE(pipeline_debug_count(PIPELINE_DEBUG_INBAND_FROM_OOB), 3u);
    EXPECT_EQ(tags(), (S{"oob", "oob:after"})) << "and it kept going";
    fake_raise_irq(2, 41);
    EXPECT_EQ(reports_of(PIPELINE_DEBUG_INBAND_FROM_OOB).size(), 1u);
    EXPECT_EQ(calls().size(), 4u);
    fake_set_cpu(0);
}

TEST_F(Debug, RequestingFromOobIsAnInbandRoutineToo) {
    enable_oob();
    enter_oob();
    Probe p("dev");
    EXPECT_EQ(request_irq(40, probe_handler, 0, "dev", &p), 0);
    sync_inband_irqs();
    leave_oob();
    EXPECT_EQ(reports_of(PIPELINE_DEBUG_INBAND_FROM_OOB).size(), 1u);
    EXPECT_EQ(pipeline_debug_count(PIPELINE_DEBUG_INBAND_FROM_OOB), 2u);
}

TEST_F(Debug, LocalIrqEnableWithHardIrqsOff) {
    Probe p("dev");
    request(40, p);
    local_irq_disable();
    irq_inject_pipeline(40);
    hard_local_irq_disable();
    local_irq_enable();
    auto r = reports_of(PIPELINE_DEBUG_ENABLE_HARD_OFF);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].cpu, 0u);
    EXPECT_EQ(r[0].stage, IRQ_STAGE_INBAND);
    EXPECT_NE(r[0].pc, 0u);
    EXPECT_EQ(tags(), S{"dev"}) << "the log is replayed anyway";
    EXPECT_TRUE(hard_irqs_disabled()) << "and the caller's hard irq state kept";
    unsigned long flags;
    local_irq_save(flags);
    local_irq_restore(flags);  // restore to unstalled, hard irqs off: same kind, not reported again
    EXPECT_EQ(reports_of(PIPELINE_DEBUG_ENABLE_HARD_OFF).size(), 1u);
    EXPECT_EQ(pipeline_debug_count(PIPELINE_DEBUG_ENABLE_HARD_OFF), 2u);
    hard_local_irq_enable();
}

TEST_F(Debug, PostingToALogWithHardIrqsOn) {
    irq_post_inband(40);
    irq_post_oob(41);
    auto r = reports_of(PIPELINE_DEBUG_HARD_IRQS_ON);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].cpu, 0u);
    EXPECT_EQ(r[0].irq, 40);
    EXPECT_EQ(pipeline_log_first(0, IRQ_STAGE_INBAND), 40) << "posted all the same";
    EXPECT_EQ(pipeline_log_first(0, IRQ_STAGE_OOB), 41);
    sync_inband_irqs();
}

TEST_F(Debug, SynchronizingWithHardIrqsOn) {
    synchronize_pipeline();
    EXPECT_EQ(reports_of(PIPELINE_DEBUG_HARD_IRQS_ON).size(), 1u);
    EXPECT_FALSE(hard_irqs_disabled());
}

TEST_F(Debug, IrqNumberOutOfRangeWhenPosting) {
    hard_local_irq_disable();
    irq_post_inband(PIPELINE_NR_IRQS + 5);
    hard_local_irq_enable();
    auto r = reports_of(PIPELINE_DEBUG_IRQ_RANGE);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].irq, PIPELINE_NR_IRQS + 5);
    EXPECT_FALSE(pipeline_log_pending(0, IRQ_STAGE_INBAND)) << "ignored";
}

TEST_F(Debug, IrqNumberOutOfRangeFromTheController) {
    Probe p("dev");
    request(40, p);
    const unsigned bad = PIPELINE_NR_HW_IRQS + 3;  // the controller has it, the pipeline does not
    arch_irq_unmask(bad);
    fake_set_cpu(1);
    hard_local_irq_disable();
    fake_raise_irq(1, bad);
    fake_raise_irq(1, 40);
    hard_local_irq_enable();
    auto r = reports_of(PIPELINE_DEBUG_IRQ_RANGE);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].irq, static_cast<int>(bad));
    EXPECT_EQ(r[0].cpu, 1u);
    EXPECT_EQ(r[0].stage, IRQ_STAGE_INBAND);
    EXPECT_FALSE(fake_irq_active(1, bad)) << "ended at the controller, so it cannot block it";
    EXPECT_EQ(tags(), S{"dev"}) << "the next IRQ of the same entry is handled";
    fake_set_cpu(0);
}

TEST_F(Debug, OobHandlerSwitchingInbandIsReportedAndTheEntryCopes) {
    enable_oob();
    Probe p("migrant", IRQ_HANDLED, [](int) { switch_inband(); });
    request(41, p, IRQF_OOB);
    fake_raise_irq(0, 41);
    auto r = reports_of(PIPELINE_DEBUG_STAGE_MIGRATION);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].irq, 41);
    EXPECT_EQ(r[0].stage, IRQ_STAGE_INBAND) << "where it left us";
    EXPECT_EQ(r[0].pc, reinterpret_cast<uintptr_t>(&probe_handler)) << "the handler";
    EXPECT_EQ(current_irq_stage(), IRQ_STAGE_INBAND);
    EXPECT_FALSE(stalled(IRQ_STAGE_OOB));
    EXPECT_FALSE(stalled(IRQ_STAGE_INBAND));
}

TEST_F(Debug, InbandHandlerSwitchingOobIsReportedAndUndone) {
    enable_oob();
    Probe in("in"), migrant("migrant", IRQ_HANDLED, [](int) {
        hard_local_irq_disable();
        switch_oob();
        hard_local_irq_enable();
    });
    request(40, migrant);
    request(45, in);
    local_irq_disable();
    irq_inject_pipeline(45);
    irq_inject_pipeline(40);
    local_irq_enable();
    EXPECT_EQ(tags(), (S{"migrant", "in"}));
    EXPECT_EQ(call(1).stage, IRQ_STAGE_INBAND) << "the replay went back in-band";
    EXPECT_EQ(reports_of(PIPELINE_DEBUG_STAGE_MIGRATION).size(), 1u);
    EXPECT_EQ(current_irq_stage(), IRQ_STAGE_INBAND);
    EXPECT_FALSE(stalled(IRQ_STAGE_INBAND));
}

TEST_F(Debug, OobReplayHandlerSwitchingInbandGoesOnWithTheInbandLog) {
    enable_oob();
    Probe in("in"), later("oob-later");
    Probe migrant("migrant", IRQ_HANDLED, [](int) { switch_inband(); });
    request(41, migrant, IRQF_OOB);
    request(42, later, IRQF_OOB);
    request(40, in);
    enter_oob();
    oob_irq_disable();
    irq_inject_pipeline(41);
    irq_inject_pipeline(42);
    irq_post_inband(40);
    // Replay the oob log from oob: 41 switches in-band; the replay continues with the in-band log.
    oob_irq_enable();
    EXPECT_EQ(tags(), (S{"migrant", "in"}));
    EXPECT_EQ(call(1).stage, IRQ_STAGE_INBAND);
    EXPECT_EQ(log_of(0, IRQ_STAGE_OOB), std::vector<int>{42}) << "the rest of the oob log waits for oob";
    EXPECT_FALSE(stalled(IRQ_STAGE_OOB));
    EXPECT_FALSE(stalled(IRQ_STAGE_INBAND));
    EXPECT_EQ(current_irq_stage(), IRQ_STAGE_INBAND);
    EXPECT_EQ(reports_of(PIPELINE_DEBUG_STAGE_MIGRATION).size(), 1u);
}

TEST_F(Debug, OobStalledOnEntryIsReportedAndCleared) {
    enable_oob();
    Probe p("oob");
    request(41, p, IRQF_OOB);
    oob_irq_disable();
    fake_set_hard_irqs(0, true);  // broken state: oob stalled with hard irqs on
    fake_raise_irq(0, 41);
    auto r = reports_of(PIPELINE_DEBUG_OOB_STALLED_ON_ENTRY);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].cpu, 0u);
    EXPECT_EQ(tags(), S{"oob"}) << "fixed up: the oob handler ran";
    EXPECT_FALSE(stalled(IRQ_STAGE_OOB));
}

TEST_F(Debug, OobHandlerOpeningHardIrqsIsReported) {
    enable_oob();
    Probe p("oob", IRQ_HANDLED, [](int) { hard_local_irq_enable(); });
    request(41, p, IRQF_OOB);
    fake_raise_irq(0, 41);
    auto r = reports_of(PIPELINE_DEBUG_OOB_HARD_ENABLED);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].irq, 41);
    EXPECT_EQ(r[0].stage, IRQ_STAGE_OOB);
    EXPECT_FALSE(hard_irqs_disabled()) << "back from the trap";
    EXPECT_FALSE(stalled(IRQ_STAGE_OOB));
}

TEST_F(Debug, UnbalancedRestoreIsReported) {
    local_irq_restore(0);  // no save before it
    auto r = reports_of(PIPELINE_DEBUG_BOGUS_RESTORE);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].stage, IRQ_STAGE_INBAND);
    EXPECT_NE(r[0].pc, 0u);
    unsigned long flags;
    local_irq_save(flags);
    local_irq_restore(flags);
    EXPECT_EQ(pipeline_debug_count(PIPELINE_DEBUG_BOGUS_RESTORE), 1u) << "a balanced pair is fine";
}

TEST_F(Debug, ReportsAreReArmedByPipelineInit) {
    local_irq_restore(0);
    local_irq_restore(0);
    EXPECT_EQ(reports_of(PIPELINE_DEBUG_BOGUS_RESTORE).size(), 1u);
    pipeline_init();
    EXPECT_EQ(pipeline_debug_count(PIPELINE_DEBUG_BOGUS_RESTORE), 0u);
    local_irq_restore(0);
    EXPECT_EQ(reports_of(PIPELINE_DEBUG_BOGUS_RESTORE).size(), 2u);
}

TEST_F(Debug, IdleFromOobIsReported) {
    enable_oob();
    enter_oob();
    hard_local_irq_enable();
    inband_idle();
    EXPECT_EQ(reports_of(PIPELINE_DEBUG_INBAND_FROM_OOB).size(), 1u);
    leave_oob();
}

}  // namespace
}  // namespace pt

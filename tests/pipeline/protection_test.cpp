// The protection API (pipeline-semantics.md section 1): local_irq_* = inband_irq_* touch only the in-band stall bit,
// hard_local_irq_* only the CPU and never replay, oob_irq_* the oob stall bit together with hard irqs.
#include "pipeline_test.h"

namespace pt {
namespace {

using Protection = PipelineTest;
using V = std::vector<int>;
using S = std::vector<std::string>;

TEST_F(Protection, LocalIrqSaveAndRestoreOnlyTouchTheInbandStallBit) {
    unsigned long outer, inner;
    local_irq_save(outer);
    EXPECT_EQ(outer, 0u);
    EXPECT_TRUE(stalled(IRQ_STAGE_INBAND));
    EXPECT_TRUE(irqs_disabled());
    EXPECT_TRUE(fake_hard_irqs_on(0)) << "virtual disable: the CPU keeps taking interrupts";
    EXPECT_FALSE(stalled(IRQ_STAGE_OOB));
    local_irq_save(inner);
    EXPECT_NE(inner, 0u);
    local_irq_restore(inner);
    EXPECT_TRUE(stalled(IRQ_STAGE_INBAND)) << "restoring a stalled state keeps the stage stalled";
    local_irq_restore(outer);
    EXPECT_FALSE(stalled(IRQ_STAGE_INBAND));
    EXPECT_FALSE(irqs_disabled());
    EXPECT_TRUE(fake_hard_irqs_on(0));
}

TEST_F(Protection, InterruptsAreTakenWhileInbandIsStalled) {
    Probe p("dev");
    request(40, p);
    local_irq_disable();
    fake_raise_irq(0, 40);
    EXPECT_EQ(fake_traps(0), 1u) << "the hardware interrupt is taken; only the handler waits";
    EXPECT_TRUE(calls().empty());
    local_irq_enable();
}

TEST_F(Protection, RestoreToUnstalledReplays) {
    Probe p("dev");
    request(40, p);
    unsigned long flags;
    local_irq_save(flags);
    fake_raise_irq(0, 40);
    EXPECT_TRUE(calls().empty());
    local_irq_restore(flags);
    EXPECT_EQ(called_irqs(), V{40});
}

TEST_F(Protection, NestedRestoreReplaysOnlyAtTheOutermost) {
    Probe p("dev");
    request(40, p);
    unsigned long f1, f2;
    local_irq_save(f1);
    local_irq_save(f2);
    fake_raise_irq(0, 40);
    local_irq_restore(f2);
    EXPECT_TRUE(calls().empty());
    local_irq_restore(f1);
    EXPECT_EQ(called_irqs(), V{40});
}

TEST_F(Protection, LocalIrqEnableReplays) {
    Probe p("dev");
    request(40, p);
    local_irq_disable();
    fake_raise_irq(0, 40);
    local_irq_enable();
    ASSERT_EQ(called_irqs(), V{40});
    EXPECT_FALSE(call(0).hard_off);
    EXPECT_TRUE(fake_hard_irqs_on(0));
}

TEST_F(Protection, HardLocalIrqCallsNeverReplay) {
    Probe p("dev");
    request(40, p);
    hard_local_irq_disable();
    irq_post_inband(40);  // in-band unstalled, but nobody synchronized
    hard_local_irq_enable();
    unsigned long f = hard_local_irq_save();
    hard_local_irq_restore(f);
    hard_local_irq_disable();
    hard_local_irq_enable();
    EXPECT_TRUE(calls().empty());
    EXPECT_EQ(log_of(0, IRQ_STAGE_INBAND), V{40});
    EXPECT_FALSE(stalled(IRQ_STAGE_INBAND)) << "hard_local_irq_* leave the stall bit alone";
    sync_inband_irqs();
    EXPECT_EQ(called_irqs(), V{40});
}

TEST_F(Protection, HardIrqsOffHoldInterruptsAtTheController) {
    Probe p("dev");
    request(40, p);
    unsigned long f = hard_local_irq_save();
    EXPECT_TRUE(hard_irqs_disabled());
    fake_raise_irq(0, 40);
    EXPECT_EQ(fake_traps(0), 0u);
    EXPECT_TRUE(fake_irq_pending(0, 40));
    hard_local_irq_restore(f);
    EXPECT_EQ(called_irqs(), V{40});
    EXPECT_FALSE(hard_irqs_disabled());
}

TEST_F(Protection, OobIrqDisableStallsOobAndDisablesHardIrqs) {
    oob_irq_disable();
    EXPECT_TRUE(stalled(IRQ_STAGE_OOB));
    EXPECT_TRUE(oob_irqs_disabled());
    EXPECT_TRUE(hard_irqs_disabled());
    EXPECT_FALSE(stalled(IRQ_STAGE_INBAND));
    oob_irq_enable();
    EXPECT_FALSE(stalled(IRQ_STAGE_OOB));
    EXPECT_FALSE(hard_irqs_disabled());
}

TEST_F(Protection, OobIrqSaveAndRestore) {
    unsigned long outer = oob_irq_save();
    EXPECT_EQ(outer, 0u);
    EXPECT_TRUE(stalled(IRQ_STAGE_OOB));
    EXPECT_TRUE(hard_irqs_disabled());
    unsigned long inner = oob_irq_save();
    EXPECT_NE(inner, 0u);
    oob_irq_restore(inner);
    EXPECT_TRUE(stalled(IRQ_STAGE_OOB));
    EXPECT_TRUE(hard_irqs_disabled());
    oob_irq_restore(outer);
    EXPECT_FALSE(stalled(IRQ_STAGE_OOB));
    EXPECT_FALSE(hard_irqs_disabled());
}

TEST_F(Protection, OobStallBlocksInbandDelivery) {
    enable_oob();
    Probe p("dev");
    request(40, p);
    oob_irq_disable();
    EXPECT_EQ(irq_inject_pipeline(40), 0);
    EXPECT_TRUE(calls().empty()) << "in-band is unstalled, but oob is stalled";
    EXPECT_EQ(log_of(0, IRQ_STAGE_INBAND), V{40});
    sync_inband_irqs();
    EXPECT_TRUE(calls().empty());
    oob_irq_enable();
    EXPECT_EQ(called_irqs(), V{40});
}

TEST_F(Protection, LocalIrqEnableWhileOobIsStalledDefersToOobIrqEnable) {
    enable_oob();
    Probe p("dev");
    request(40, p);
    local_irq_disable();
    oob_irq_disable();
    irq_inject_pipeline(40);
    hard_local_irq_enable();  // (not a debug-check violation: oob stall with hard irqs on is just held)
    local_irq_enable();
    EXPECT_TRUE(calls().empty());
    oob_irq_enable();
    EXPECT_EQ(called_irqs(), V{40});
}

TEST_F(Protection, OobIrqEnablePlaysTheOobLogThenTheInbandOne) {
    enable_oob();
    Probe in("in"), oob("oob");
    request(40, in);
    request(41, oob, IRQF_OOB);
    oob_irq_disable();
    irq_inject_pipeline(40);
    irq_inject_pipeline(41);
    EXPECT_EQ(log_of(0, IRQ_STAGE_OOB), V{41});
    EXPECT_EQ(log_of(0, IRQ_STAGE_INBAND), V{40});
    oob_irq_enable();
    ASSERT_EQ(tags(), (S{"oob", "in"}));
    EXPECT_EQ(call(0).stage, IRQ_STAGE_OOB);
    EXPECT_EQ(call(1).stage, IRQ_STAGE_INBAND);
}

TEST_F(Protection, SyncInbandIrqsReplaysOnlyWhenUnstalled) {
    Probe p("dev");
    request(40, p);
    local_irq_disable();
    hard_local_irq_disable();
    irq_post_inband(40);
    hard_local_irq_enable();
    sync_inband_irqs();
    EXPECT_TRUE(calls().empty()) << "stalled: the log waits";
    EXPECT_TRUE(stalled(IRQ_STAGE_INBAND));
    local_irq_enable();
    EXPECT_EQ(called_irqs(), V{40});
}

TEST_F(Protection, SyncInbandIrqsRestoresTheHardIrqState) {
    Probe p("dev");
    request(40, p);
    hard_local_irq_disable();
    irq_post_inband(40);
    sync_inband_irqs();
    EXPECT_EQ(called_irqs(), V{40});
    EXPECT_FALSE(call(0).hard_off) << "handlers still get hard irqs on";
    EXPECT_TRUE(hard_irqs_disabled()) << "the caller's hard-off state is given back";
    hard_local_irq_enable();
}

TEST_F(Protection, InbandHandlerSeesIrqsDisabled) {
    bool seen = false;
    Probe p("dev", IRQ_HANDLED, [&](int) { seen = irqs_disabled(); });
    request(40, p);
    fake_raise_irq(0, 40);
    EXPECT_TRUE(seen);
    EXPECT_FALSE(irqs_disabled());
}

}  // namespace
}  // namespace pt

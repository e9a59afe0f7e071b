// irq_inject_pipeline() (pipeline-semantics.md section 3).
#include "pipeline_test.h"

namespace pt {
namespace {

using Inject = PipelineTest;
using V = std::vector<int>;

TEST_F(Inject, UnknownIrqIsEinval) {
    EXPECT_EQ(irq_inject_pipeline(PIPELINE_NR_IRQS), -EINVAL);
    EXPECT_EQ(irq_inject_pipeline(~0u), -EINVAL);
    EXPECT_EQ(all_traces().size(), 0u);
    EXPECT_EQ(hooks().enter_calls, 0);
}

TEST_F(Inject, OobIrqWhileOobIsStalledGoesToTheOobLog) {
    enable_oob();
    Probe p("oob");
    request(41, p, IRQF_OOB);
    oob_irq_disable();
    EXPECT_EQ(irq_inject_pipeline(41), 0);
    EXPECT_TRUE(calls().empty());
    EXPECT_EQ(log_of(0, IRQ_STAGE_OOB), V{41});
    EXPECT_TRUE(log_of(0, IRQ_STAGE_INBAND).empty());
    EXPECT_EQ(hooks().enter_calls, 0) << "posted directly, not through the entry";
    oob_irq_enable();
    ASSERT_EQ(called_irqs(), V{41});
    EXPECT_EQ(call(0).stage, IRQ_STAGE_OOB);
}

TEST_F(Inject, OobIrqRunsAtOnceOnOobEvenWithInbandStalled) {
    enable_oob();
    Probe p("oob");
    request(41, p, IRQF_OOB);
    local_irq_disable();
    EXPECT_EQ(irq_inject_pipeline(41), 0);
    ASSERT_EQ(calls().size(), 1u);
    EXPECT_EQ(call(0).stage, IRQ_STAGE_OOB);
    EXPECT_TRUE(call(0).hard_off);
    EXPECT_EQ(current_irq_stage(), IRQ_STAGE_INBAND);
    local_irq_enable();
}

TEST_F(Inject, TakesTheHardwarePathWithoutTheController) {
    Probe p("dev");
    request(40, p);
    clear_records();
    local_irq_disable();
    EXPECT_EQ(irq_inject_pipeline(40), 0);
    EXPECT_EQ(log_of(0, IRQ_STAGE_INBAND), V{40});
    EXPECT_EQ(hooks().enter_calls, 1);
    EXPECT_EQ(hooks().exit_calls, 1);
    EXPECT_EQ(ctrl_ops(), "") << "no ack, no mask, no EOI for a software event";
    local_irq_enable();
    EXPECT_EQ(called_irqs(), V{40});
    EXPECT_EQ(traces({PIPELINE_TRACE_IRQ_INJECT}), (std::vector<std::pair<unsigned, uint32_t>>{
                                                       {PIPELINE_TRACE_IRQ_INJECT, 40}}));
}

TEST_F(Inject, FromUnstalledInbandTheHandlerRunsBeforeReturn) {
    Probe p("dev");
    request(40, p);
    EXPECT_EQ(irq_inject_pipeline(40), 0);
    EXPECT_EQ(called_irqs(), V{40});
    EXPECT_FALSE(hard_irqs_disabled());
}

TEST_F(Inject, InbandIrqFromOobCodeWaitsForInband) {
    enable_oob();
    Probe p("dev");
    request(40, p);
    enter_oob();
    EXPECT_EQ(irq_inject_pipeline(40), 0);
    EXPECT_TRUE(calls().empty());
    EXPECT_EQ(current_irq_stage(), IRQ_STAGE_OOB);
    switch_inband();
    synchronize_pipeline();
    hard_local_irq_enable();
    EXPECT_EQ(called_irqs(), V{40});
}

}  // namespace
}  // namespace pt

// Idle entry (pipeline-semantics.md section 3): a CPU going idle replays a non-empty log instead of sleeping, and
// sleeps with hard irqs off so that the IRQ that wakes it is not lost.
#include "pipeline_test.h"

namespace pt {
namespace {

using Idle = PipelineTest;
using S = std::vector<std::string>;
using T = std::vector<std::pair<unsigned, uint32_t>>;

TEST_F(Idle, ReplaysTheLogInsteadOfSleeping) {
    Probe p("dev");
    request(40, p);
    local_irq_disable();  // the idle loop runs stalled, then goes idle
    fake_raise_irq(0, 40);
    inband_idle();
    EXPECT_EQ(tags(), S{"dev"});
    EXPECT_EQ(fake_idle_calls(0), 0u) << "did not sleep";
    EXPECT_FALSE(stalled(IRQ_STAGE_INBAND));
    EXPECT_FALSE(hard_irqs_disabled());
    EXPECT_EQ(traces({PIPELINE_TRACE_IDLE}), (T{{PIPELINE_TRACE_IDLE, 1}}));
}

static void raise_40_during_wfi(unsigned cpu) {
    EXPECT_TRUE(hard_irqs_disabled()) << "WFI with hard irqs off";
    record("wfi");
    fake_raise_irq(cpu, 40);  // held: hard irqs are off
    EXPECT_TRUE(calls().size() == 1) << "not taken inside the WFI";
}

TEST_F(Idle, SleepsWhenNothingIsPendingThenTakesTheWakingIrq) {
    Probe p("dev");
    request(40, p);
    fake_set_idle_hook(raise_40_during_wfi);
    clear_records();
    inband_idle();
    EXPECT_EQ(tags(), (S{"wfi", "dev"}));
    EXPECT_EQ(fake_idle_calls(0), 1u);
    EXPECT_FALSE(call(1).hard_off);
    EXPECT_FALSE(stalled(IRQ_STAGE_INBAND));
    EXPECT_FALSE(hard_irqs_disabled());
    EXPECT_EQ(traces({PIPELINE_TRACE_IDLE, PIPELINE_TRACE_IDLE_WAKE, PIPELINE_TRACE_HANDLER_ENTRY_INBAND}),
              (T{{PIPELINE_TRACE_IDLE, 0}, {PIPELINE_TRACE_IDLE_WAKE, 0}, {PIPELINE_TRACE_HANDLER_ENTRY_INBAND, 40}}));
}

TEST_F(Idle, AStalledCallerComesBackUnstalledAfterSleeping) {
    local_irq_disable();
    inband_idle();
    EXPECT_EQ(fake_idle_calls(0), 1u);
    EXPECT_FALSE(stalled(IRQ_STAGE_INBAND));
    EXPECT_FALSE(hard_irqs_disabled());
}

TEST_F(Idle, PendingOobLogAlsoKeepsTheCpuAwake) {
    enable_oob();
    Probe oob("oob");
    request(41, oob, IRQF_OOB);
    hard_local_irq_disable();
    irq_post_oob(41);
    hard_local_irq_enable();
    inband_idle();
    EXPECT_EQ(fake_idle_calls(0), 0u);
    ASSERT_EQ(tags(), S{"oob"});
    EXPECT_EQ(call(0).stage, IRQ_STAGE_OOB);
}

TEST_F(Idle, IdleLoopWithIrqsComingAndGoing) {
    Probe p("dev");
    request(40, p);
    for (int i = 0; i < 3; i++) {
        local_irq_disable();
        if (i == 1) fake_raise_irq(0, 40);
        inband_idle();
    }
    EXPECT_EQ(tags(), S{"dev"});
    EXPECT_EQ(fake_idle_calls(0), 2u) << "slept on rounds 0 and 2 only";
}

}  // namespace
}  // namespace pt

// Spurious-line disabling (pipeline-semantics.md section 6): a line is disabled, with a message, once
// PIPELINE_SPURIOUS_LIMIT of its interrupts went unhandled within one window of PIPELINE_SPURIOUS_WINDOW interrupts.
#include "pipeline_test.h"

namespace pt {
namespace {

class Spurious : public PipelineTest {
protected:
    void SetUp() override {
        PipelineTest::SetUp();
        fake_set_trace_recording(false);  // thousands of interrupts
    }
    // n interrupts of irq through the controller.
    static void raise(unsigned irq, int n) {
        for (int i = 0; i < n; i++) fake_raise_irq(0, irq);
    }
    // n interrupts of irq through irq_inject_pipeline() (same pipeline path, no controller: fast).
    static void inject(unsigned irq, int n) {
        for (int i = 0; i < n; i++) ASSERT_EQ(irq_inject_pipeline(irq), 0);
    }
    static size_t spurious_reports() { return reports_of(PIPELINE_WARN_SPURIOUS_IRQ).size(); }
};

TEST_F(Spurious, OobLineIsDisabledAtTheLimitOfUnhandledInterrupts) {
    enable_oob();
    Probe p("noisy", IRQ_NONE);
    request(40, p, IRQF_OOB);
    raise(40, PIPELINE_SPURIOUS_LIMIT - 1);
    EXPECT_FALSE(irq_is_disabled(40));
    EXPECT_EQ(spurious_reports(), 0u);
    fake_set_trace_recording(true);
    raise(40, 1);
    EXPECT_TRUE(irq_is_disabled(40));
    EXPECT_TRUE(fake_irq_masked(0, 40));
    auto w = reports_of(PIPELINE_WARN_SPURIOUS_IRQ);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].irq, 40);
    EXPECT_EQ(w[0].stage, IRQ_STAGE_OOB);
    EXPECT_EQ(w[0].pc, reinterpret_cast<uintptr_t>(&probe_handler));
    EXPECT_EQ(traces({PIPELINE_TRACE_IRQ_SPURIOUS}).size(), 1u);
    EXPECT_EQ(calls().size(), static_cast<size_t>(PIPELINE_SPURIOUS_LIMIT));
    raise(40, 1);
    EXPECT_EQ(calls().size(), static_cast<size_t>(PIPELINE_SPURIOUS_LIMIT)) << "disabled: no more calls";
    EXPECT_TRUE(fake_irq_pending(0, 40)) << "held at the controller";
}

TEST_F(Spurious, HandledInterruptsInTheWindowDoNotResetTheCount) {
    enable_oob();
    Probe p("mostly-noise", IRQ_NONE);
    request(40, p, IRQF_OOB);
    raise(40, PIPELINE_SPURIOUS_LIMIT - 1);
    p.ret = IRQ_HANDLED;
    raise(40, 500);
    EXPECT_FALSE(irq_is_disabled(40));
    p.ret = IRQ_NONE;
    raise(40, 1);
    EXPECT_TRUE(irq_is_disabled(40)) << "1000 unhandled out of 1500: spurious";
}

TEST_F(Spurious, CountsStartAgainWithEachWindow) {
    enable_oob();
    Probe p("noise", IRQ_NONE);
    request(40, p, IRQF_OOB);
    inject(40, PIPELINE_SPURIOUS_LIMIT - 1);
    p.ret = IRQ_HANDLED;
    inject(40, PIPELINE_SPURIOUS_WINDOW - (PIPELINE_SPURIOUS_LIMIT - 1));  // the window ends here
    p.ret = IRQ_NONE;
    inject(40, PIPELINE_SPURIOUS_LIMIT - 1);
    EXPECT_FALSE(irq_is_disabled(40)) << "999 in the old window, 999 in the new one";
    inject(40, 1);
    EXPECT_TRUE(irq_is_disabled(40));
    EXPECT_EQ(spurious_reports(), 1u);
}

TEST_F(Spurious, InbandLineIsDisabledTooAndStaysMaskedAfterReplay) {
    Probe p("noisy", IRQ_NONE);
    request(40, p);
    raise(40, PIPELINE_SPURIOUS_LIMIT);
    EXPECT_TRUE(irq_is_disabled(40));
    EXPECT_TRUE(fake_irq_masked(0, 40)) << "not released after its last replay";
    auto w = reports_of(PIPELINE_WARN_SPURIOUS_IRQ);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].stage, IRQ_STAGE_INBAND);
}

TEST_F(Spurious, EnableIrqBringsTheLineBackWithFreshCounts) {
    Probe p("noisy", IRQ_NONE);
    request(40, p);
    raise(40, PIPELINE_SPURIOUS_LIMIT);
    ASSERT_TRUE(irq_is_disabled(40));
    fake_set_hard_irqs(0, false);  // keep the pending edge at the controller for now
    enable_irq(40);
    EXPECT_FALSE(irq_is_disabled(40));
    EXPECT_FALSE(fake_irq_masked(0, 40));
    fake_set_hard_irqs(0, true);
    raise(40, PIPELINE_SPURIOUS_LIMIT - 1);
    EXPECT_FALSE(irq_is_disabled(40)) << "counting starts from zero again";
    EXPECT_EQ(spurious_reports(), 1u);
}

TEST_F(Spurious, ALineWithoutHandlerCountsAsUnhandled) {
    inject(45, PIPELINE_SPURIOUS_LIMIT);
    auto w = reports_of(PIPELINE_WARN_SPURIOUS_IRQ);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].irq, 45);
}

TEST_F(Spurious, OneClaimingHandlerOnASharedLineIsEnough) {
    Probe quiet("quiet", IRQ_NONE), busy("busy", IRQ_HANDLED);
    ASSERT_EQ(request_irq(40, probe_handler, IRQF_SHARED, "quiet", &quiet), 0);
    ASSERT_EQ(request_irq(40, probe_handler, IRQF_SHARED, "busy", &busy), 0);
    inject(40, 2 * PIPELINE_SPURIOUS_LIMIT);
    EXPECT_FALSE(irq_is_disabled(40));
    EXPECT_EQ(spurious_reports(), 0u);
}

TEST_F(Spurious, PercpuLinesAreNotAccounted) {
    Probe p("timer", IRQ_NONE);
    request_percpu_everywhere(30, p);
    raise(30, PIPELINE_SPURIOUS_LIMIT + 10);
    EXPECT_EQ(spurious_reports(), 0u);
    EXPECT_TRUE(irq_percpu_is_enabled(30));
}

}  // namespace
}  // namespace pt

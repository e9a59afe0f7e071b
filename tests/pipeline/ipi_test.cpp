// IPIs (pipeline-semantics.md section 7): oob IPIs on SGIs of their own, in-band IPI messages multiplexed on one SGI
// and fed to the pipeline as IRQs of their own.
#include "pipeline_test.h"

namespace pt {
namespace {

using Ipi = PipelineTest;
using S = std::vector<std::string>;
using T = std::vector<std::pair<unsigned, uint32_t>>;

TEST_F(Ipi, OobIpiToSelfRunsItsOobHandlerAtOnce) {
    enable_oob();
    Probe p("timer-ipi");
    request_percpu_everywhere(TIMER_OOB_IPI, p, IRQF_OOB);
    local_irq_disable();
    clear_records();
    irq_send_oob_ipi(TIMER_OOB_IPI, PIPELINE_CPU_MASK(0));
    ASSERT_EQ(calls().size(), 1u);
    EXPECT_EQ(call(0).stage, IRQ_STAGE_OOB);
    EXPECT_EQ(call(0).irq, TIMER_OOB_IPI);
    EXPECT_EQ(ctrl_ops(), "sgi 1->1, ack 1, eoi 1");
    EXPECT_EQ(traces({PIPELINE_TRACE_OOB_IPI_SEND, PIPELINE_TRACE_OOB_IPI_RECEIVE}),
              (T{{PIPELINE_TRACE_OOB_IPI_SEND, TIMER_OOB_IPI << 16 | 1}, {PIPELINE_TRACE_OOB_IPI_RECEIVE, 1}}));
    local_irq_enable();
}

TEST_F(Ipi, OobIpiToOtherCpusRunsThereWhenTheyRun) {
    enable_oob();
    Probe p("resched");
    request_percpu_everywhere(RESCHEDULE_OOB_IPI, p, IRQF_OOB);
    fake_set_cpu(3);
    local_irq_disable();  // does not matter to an oob IPI
    fake_set_cpu(0);
    irq_send_oob_ipi(RESCHEDULE_OOB_IPI, PIPELINE_CPU_MASK(1) | PIPELINE_CPU_MASK(3));
    EXPECT_TRUE(calls().empty());
    EXPECT_TRUE(fake_irq_pending(1, RESCHEDULE_OOB_IPI));
    EXPECT_TRUE(fake_irq_pending(3, RESCHEDULE_OOB_IPI));
    EXPECT_FALSE(fake_irq_pending(2, RESCHEDULE_OOB_IPI));
    fake_set_cpu(1);
    fake_set_cpu(3);
    ASSERT_EQ(calls().size(), 2u);
    EXPECT_EQ(call(0).cpu, 1u);
    EXPECT_EQ(call(1).cpu, 3u);
    EXPECT_EQ(call(1).stage, IRQ_STAGE_OOB);
    local_irq_enable();
    fake_set_cpu(0);
}

TEST_F(Ipi, OobIpiMayBeSentFromAnOobHandler) {
    enable_oob();
    Probe ipi("call-ipi");
    request_percpu_everywhere(CALL_FUNCTION_OOB_IPI, ipi, IRQF_OOB);
    Probe dev("dev", IRQ_HANDLED, [](int) { irq_send_oob_ipi(CALL_FUNCTION_OOB_IPI, PIPELINE_CPU_MASK(2)); });
    request(41, dev, IRQF_OOB);
    fake_raise_irq(0, 41);
    EXPECT_EQ(tags(), S{"dev"});
    fake_set_cpu(2);
    EXPECT_EQ(tags(), (S{"dev", "call-ipi"}));
    EXPECT_EQ(call(1).cpu, 2u);
    fake_set_cpu(0);
}

TEST_F(Ipi, WithoutAnOobStageAnOobIpiIsAnInbandIrq) {
    Probe p("timer-ipi");
    request_percpu_everywhere(TIMER_OOB_IPI, p, IRQF_OOB);
    local_irq_disable();
    irq_send_oob_ipi(TIMER_OOB_IPI, PIPELINE_CPU_MASK(0));
    EXPECT_TRUE(calls().empty());
    local_irq_enable();
    ASSERT_EQ(calls().size(), 1u);
    EXPECT_EQ(call(0).stage, IRQ_STAGE_INBAND);
}

TEST_F(Ipi, NotAnOobIpiIsRefused) {
    irq_send_oob_ipi(PIPELINE_INBAND_IPI_SGI, PIPELINE_CPU_MASK(1));
    irq_send_oob_ipi(OOB_IPI_BASE + OOB_NR_IPI, PIPELINE_CPU_MASK(1));
    irq_send_inband_ipi(PIPELINE_NR_INBAND_IPIS, PIPELINE_CPU_MASK(1));
    EXPECT_EQ(reports_of(PIPELINE_WARN_BAD_IPI).size(), 3u);
    EXPECT_EQ(ctrl_ops(), "") << "nothing sent";
}

TEST_F(Ipi, TargetsAreLimitedToTheCpusThatExist) {
    irq_send_oob_ipi(TIMER_OOB_IPI, 0xffu & ~PIPELINE_CPU_MASK(0));
    EXPECT_EQ(ctrl_ops(), "sgi 1->14");
}

TEST_F(Ipi, InbandIpiIsDeferredWhileTheReceiverIsStalled) {
    Probe p("call-func");
    request_percpu_everywhere(INBAND_IPI_IRQ(1), p);
    fake_set_cpu(1);
    local_irq_disable();
    fake_set_cpu(0);
    clear_records();
    irq_send_inband_ipi(1, PIPELINE_CPU_MASK(1));
    fake_set_cpu(1);
    EXPECT_TRUE(calls().empty());
    EXPECT_EQ(ctrl_ops(), "sgi 0->2, ack 0, eoi 0") << "the shared SGI is not held: only its message is";
    EXPECT_EQ(log_of(1, IRQ_STAGE_INBAND), std::vector<int>{INBAND_IPI_IRQ(1)});
    local_irq_enable();
    ASSERT_EQ(calls().size(), 1u);
    EXPECT_EQ(call(0).cpu, 1u);
    EXPECT_EQ(call(0).irq, INBAND_IPI_IRQ(1));
    EXPECT_EQ(traces({PIPELINE_TRACE_INBAND_IPI_SEND, PIPELINE_TRACE_INBAND_IPI_RECEIVE}),
              (T{{PIPELINE_TRACE_INBAND_IPI_SEND, 1 << 16 | 2}, {PIPELINE_TRACE_INBAND_IPI_RECEIVE, 1}}));
    fake_set_cpu(0);
}

TEST_F(Ipi, EachInbandMessageBecomesItsOwnIrqLowestFirst) {
    Probe m1("msg1"), m3("msg3");
    request_percpu_everywhere(INBAND_IPI_IRQ(1), m1);
    request_percpu_everywhere(INBAND_IPI_IRQ(3), m3);
    irq_send_inband_ipi(3, PIPELINE_CPU_MASK(2));
    irq_send_inband_ipi(1, PIPELINE_CPU_MASK(2));
    clear_records();
    fake_set_cpu(2);
    EXPECT_EQ(tags(), (S{"msg1", "msg3"}));
    EXPECT_EQ(ctrl_ops(), "ack 0, eoi 0") << "two messages, one SGI taken";
    fake_set_cpu(0);
}

TEST_F(Ipi, SameInbandMessageTwiceIsReceivedOnce) {
    Probe m("msg");
    request_percpu_everywhere(INBAND_IPI_IRQ(0), m);
    irq_send_inband_ipi(0, PIPELINE_CPU_MASK(1));
    irq_send_inband_ipi(0, PIPELINE_CPU_MASK(1));
    fake_set_cpu(1);
    EXPECT_EQ(tags(), S{"msg"});
    fake_set_cpu(0);
}

TEST_F(Ipi, InbandIpiToSelfRunsBeforeTheSendReturnsWhenUnstalled) {
    Probe m("msg");
    request_percpu_everywhere(INBAND_IPI_IRQ(2), m);
    irq_send_inband_ipi(2, PIPELINE_CPU_MASK(0) | PIPELINE_CPU_MASK(1));
    record("sent");
    EXPECT_EQ(tags(), (S{"msg", "sent"}));
    fake_set_cpu(1);
    EXPECT_EQ(tags(), (S{"msg", "sent", "msg"}));
    fake_set_cpu(0);
}

TEST_F(Ipi, InbandMessageMayBeHandledOobLikeAnyIrq) {
    enable_oob();
    Probe m("msg");
    request_percpu_everywhere(INBAND_IPI_IRQ(4), m, IRQF_OOB);
    local_irq_disable();
    irq_send_inband_ipi(4, PIPELINE_CPU_MASK(0));
    ASSERT_EQ(calls().size(), 1u);
    EXPECT_EQ(call(0).stage, IRQ_STAGE_OOB);
    local_irq_enable();
}

}  // namespace
}  // namespace pt

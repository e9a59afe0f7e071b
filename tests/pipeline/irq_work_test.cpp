// irq_work (pipeline-semantics.md section 7).
#include "pipeline_test.h"

namespace pt {
namespace {

using IrqWork = PipelineTest;
using S = std::vector<std::string>;
using T = std::vector<std::pair<unsigned, uint32_t>>;

struct TaggedWork {
    irq_work work;  // first: the callback gets &work
    std::string tag;
    int requeue = 0;
};

extern "C" void tagged_work_fn(irq_work* w) {
    auto* tw = reinterpret_cast<TaggedWork*>(w);
    record(tw->tag);
    if (tw->requeue > 0) {
        tw->requeue--;
        EXPECT_TRUE(irq_work_queue(w));
    }
}

TaggedWork make_work(const std::string& tag) {
    TaggedWork tw;
    init_irq_work(&tw.work, tagged_work_fn);
    tw.tag = tag;
    return tw;
}

TEST_F(IrqWork, QueuedFromOobRunsLaterInbandOnTheSameCpu) {
    enable_oob();
    TaggedWork tw = make_work("work");
    Probe p("oob", IRQ_HANDLED, [&](int) {
        EXPECT_TRUE(irq_work_queue(&tw.work));
        record("oob:queued");
    });
    request(41, p, IRQF_OOB);
    fake_set_cpu(2);
    local_irq_disable();
    fake_raise_irq(2, 41);
    EXPECT_EQ(tags(), (S{"oob", "oob:queued"})) << "not run from the oob handler";
    EXPECT_TRUE(irq_work_is_pending(&tw.work));
    EXPECT_EQ(log_of(2, IRQ_STAGE_INBAND), std::vector<int>{PIPELINE_IRQ_WORK_IRQ});
    local_irq_enable();
    ASSERT_EQ(tags(), (S{"oob", "oob:queued", "work"}));
    const Call& c = call(2);
    EXPECT_EQ(c.cpu, 2u);
    EXPECT_EQ(c.stage, IRQ_STAGE_INBAND);
    EXPECT_FALSE(c.hard_off);
    EXPECT_FALSE(irq_work_is_pending(&tw.work));
    EXPECT_EQ(tw.work.flags, 0u);
    fake_set_cpu(0);
}

TEST_F(IrqWork, QueuedFromOobOverUnstalledInbandRunsAtTheIrqExit) {
    enable_oob();
    TaggedWork tw = make_work("work");
    Probe p("oob", IRQ_HANDLED, [&](int) { irq_work_queue(&tw.work); });
    request(41, p, IRQF_OOB);
    fake_raise_irq(0, 41);
    ASSERT_EQ(tags(), (S{"oob", "work"}));
    EXPECT_EQ(call(1).stage, IRQ_STAGE_INBAND);
    EXPECT_LT(hooks().last_exit_seq, call(1).seq);
}

TEST_F(IrqWork, QueuedInbandWithHardIrqsOnAndUnstalledRunsBeforeReturning) {
    TaggedWork tw = make_work("work");
    EXPECT_TRUE(irq_work_queue(&tw.work));
    record("returned");
    EXPECT_EQ(tags(), (S{"work", "returned"}));
    EXPECT_EQ(traces({PIPELINE_TRACE_IRQ_WORK_QUEUE, PIPELINE_TRACE_IRQ_WORK_RUN, PIPELINE_TRACE_IRQ_WORK_DONE}),
              (T{{PIPELINE_TRACE_IRQ_WORK_QUEUE, static_cast<uint32_t>(reinterpret_cast<uintptr_t>(&tw.work))},
                 {PIPELINE_TRACE_IRQ_WORK_RUN, static_cast<uint32_t>(reinterpret_cast<uintptr_t>(&tw.work))},
                 {PIPELINE_TRACE_IRQ_WORK_DONE, static_cast<uint32_t>(reinterpret_cast<uintptr_t>(&tw.work))}}));
}

TEST_F(IrqWork, QueuedInbandWhileStalledWaitsForTheUnstall) {
    TaggedWork tw = make_work("work");
    local_irq_disable();
    EXPECT_TRUE(irq_work_queue(&tw.work));
    EXPECT_TRUE(calls().empty());
    local_irq_enable();
    EXPECT_EQ(tags(), S{"work"});
}

TEST_F(IrqWork, QueuedInbandWithHardIrqsOffWaitsForASync) {
    TaggedWork tw = make_work("work");
    hard_local_irq_disable();
    EXPECT_TRUE(irq_work_queue(&tw.work));
    hard_local_irq_enable();
    EXPECT_TRUE(calls().empty()) << "enabling hard irqs replays nothing";
    sync_inband_irqs();
    EXPECT_EQ(tags(), S{"work"});
}

TEST_F(IrqWork, QueueingAPendingWorkAgainIsRefusedAndItRunsOnce) {
    TaggedWork tw = make_work("work");
    local_irq_disable();
    EXPECT_TRUE(irq_work_queue(&tw.work));
    EXPECT_FALSE(irq_work_queue(&tw.work));
    local_irq_enable();
    EXPECT_EQ(tags(), S{"work"});
    EXPECT_TRUE(irq_work_queue(&tw.work)) << "done: may be queued again";
    EXPECT_EQ(tags(), (S{"work", "work"}));
}

TEST_F(IrqWork, AWorkMayQueueItselfAgain) {
    TaggedWork tw = make_work("again");
    tw.requeue = 2;
    EXPECT_TRUE(irq_work_queue(&tw.work));
    EXPECT_EQ(tags(), (S{"again", "again", "again"}));
    EXPECT_FALSE(irq_work_is_pending(&tw.work));
}

TEST_F(IrqWork, WorksRunInQueueingOrder) {
    TaggedWork a = make_work("a"), b = make_work("b"), c = make_work("c");
    local_irq_disable();
    irq_work_queue(&b.work);
    irq_work_queue(&c.work);
    irq_work_queue(&a.work);
    local_irq_enable();
    EXPECT_EQ(tags(), (S{"b", "c", "a"}));
}

TEST_F(IrqWork, WorksAreKeptPerCpu) {
    TaggedWork a = make_work("a"), b = make_work("b");
    fake_set_cpu(1);
    local_irq_disable();
    irq_work_queue(&a.work);
    fake_set_cpu(3);
    local_irq_disable();
    irq_work_queue(&b.work);
    local_irq_enable();
    ASSERT_EQ(tags(), S{"b"});
    EXPECT_EQ(call(0).cpu, 3u);
    fake_set_cpu(1);
    local_irq_enable();
    ASSERT_EQ(tags(), (S{"b", "a"}));
    EXPECT_EQ(call(1).cpu, 1u);
    fake_set_cpu(0);
}

}  // namespace
}  // namespace pt

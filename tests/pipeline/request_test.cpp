// Requesting and freeing IRQs (pipeline-semantics.md section 6).
#include "pipeline_test.h"

namespace pt {
namespace {

using Request = PipelineTest;
using S = std::vector<std::string>;

irqreturn_t noop_handler(int, void*) { return IRQ_HANDLED; }

TEST_F(Request, RequestIrqInstallsAndUnmasksTheLine) {
    Probe p("dev");
    EXPECT_TRUE(fake_irq_masked(0, 40));
    EXPECT_TRUE(irq_is_disabled(40));
    EXPECT_EQ(request_irq(40, probe_handler, 0, "dev", &p), 0);
    EXPECT_FALSE(fake_irq_masked(0, 40));
    EXPECT_FALSE(irq_is_disabled(40));
    const irqaction* act = irq_to_action(40);
    ASSERT_NE(act, nullptr);
    EXPECT_STREQ(act->name, "dev");
    EXPECT_EQ(act->dev_id, &p);
    EXPECT_EQ(act->irq, 40u);
    EXPECT_FALSE(irq_is_oob(40));
}

TEST_F(Request, BadArgumentsAreEinval) {
    Probe p("dev");
    EXPECT_EQ(request_irq(PIPELINE_NR_IRQS, probe_handler, 0, "x", &p), -EINVAL);
    EXPECT_EQ(request_irq(40, nullptr, 0, "x", &p), -EINVAL);
    EXPECT_EQ(request_threaded_irq(40, nullptr, nullptr, 0, "x", &p), -EINVAL);
    EXPECT_EQ(request_irq(40, probe_handler, IRQF_SHARED, "x", nullptr), -EINVAL)
        << "a shared line needs dev_ids to tell its actions apart";
    EXPECT_EQ(setup_irq(40, nullptr), -EINVAL);
    EXPECT_EQ(irq_to_action(40), nullptr);
}

TEST_F(Request, OobWithAThreadFunctionIsEinval) {
    Probe p("dev");
    EXPECT_EQ(request_threaded_irq(40, probe_handler, probe_thread_fn, IRQF_OOB, "x", &p), -EINVAL);
    irqaction act{};
    act.handler = probe_handler;
    act.thread_fn = probe_thread_fn;
    act.flags = IRQF_OOB;
    act.dev_id = &p;
    EXPECT_EQ(setup_irq(40, &act), -EINVAL);
    EXPECT_EQ(irq_to_action(40), nullptr);
    EXPECT_EQ(request_threaded_irq(40, probe_handler, probe_thread_fn, 0, "x", &p), 0) << "fine in-band";
}

TEST_F(Request, OobImpliesNoThreadAndClearsOneshot) {
    Probe p("dev");
    irqaction act{};
    act.handler = probe_handler;
    act.flags = IRQF_OOB | IRQF_ONESHOT;
    act.name = "early";
    act.dev_id = &p;
    EXPECT_EQ(setup_irq(41, &act), 0);
    EXPECT_TRUE(act.flags & IRQF_NO_THREAD);
    EXPECT_FALSE(act.flags & IRQF_ONESHOT);
    EXPECT_TRUE(act.flags & IRQF_OOB);
    EXPECT_TRUE(irq_is_oob(41));
    EXPECT_EQ(request_irq(42, probe_handler, IRQF_OOB | IRQF_ONESHOT, "req", &p), 0);
    EXPECT_EQ(irq_to_action(42)->flags & (IRQF_NO_THREAD | IRQF_ONESHOT), IRQF_NO_THREAD);
    EXPECT_EQ(request_irq(43, probe_handler, IRQF_ONESHOT, "inband", &p), 0);
    EXPECT_EQ(irq_to_action(43)->flags & (IRQF_NO_THREAD | IRQF_ONESHOT), IRQF_ONESHOT) << "only oob ones change";
}

TEST_F(Request, SetupIrqActionRunsAndIsNotPooled) {
    Probe p("early");
    irqaction act{};
    act.handler = probe_handler;
    act.name = "early";
    act.dev_id = &p;
    ASSERT_EQ(setup_irq(40, &act), 0);
    fake_raise_irq(0, 40);
    EXPECT_EQ(tags(), S{"early"});
    EXPECT_STREQ(static_cast<const char*>(free_irq(40, &p)), "early");
    EXPECT_EQ(act.handler, probe_handler) << "the caller's action is left as it was";
}

TEST_F(Request, SharedLinesMustAgreeOnOob) {
    enable_oob();
    Probe a("a"), b("b"), c("c");
    ASSERT_EQ(request_irq(40, probe_handler, IRQF_SHARED | IRQF_OOB, "a", &a), 0);
    EXPECT_EQ(request_irq(40, probe_handler, IRQF_SHARED, "b", &b), -EBUSY);
    auto w = reports_of(PIPELINE_WARN_FLAGS_MISMATCH);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].irq, 40);
    EXPECT_EQ(request_irq(40, probe_handler, IRQF_SHARED | IRQF_OOB, "c", &c), 0);
    local_irq_disable();
    fake_raise_irq(0, 40);
    EXPECT_EQ(tags(), (S{"a", "c"})) << "both oob handlers ran at once, in request order";
    local_irq_enable();
}

TEST_F(Request, InbandThenOobOnASharedLineIsEbusyToo) {
    Probe a("a"), b("b");
    ASSERT_EQ(request_irq(40, probe_handler, IRQF_SHARED, "a", &a), 0);
    EXPECT_EQ(request_irq(40, probe_handler, IRQF_SHARED | IRQF_OOB, "b", &b), -EBUSY);
    EXPECT_FALSE(irq_is_oob(40));
}

TEST_F(Request, SharedLinesMustAgreeOnShared) {
    Probe a("a"), b("b");
    ASSERT_EQ(request_irq(40, probe_handler, 0, "a", &a), 0);
    EXPECT_EQ(request_irq(40, probe_handler, IRQF_SHARED, "b", &b), -EBUSY);
    EXPECT_EQ(request_irq(40, probe_handler, 0, "b", &b), -EBUSY);
    ASSERT_EQ(request_irq(41, probe_handler, IRQF_SHARED, "a", &a), 0);
    EXPECT_EQ(request_irq(41, probe_handler, 0, "b", &b), -EBUSY);
}

TEST_F(Request, SharedLinesMustAgreeOnOneshot) {
    Probe a("a"), b("b");
    ASSERT_EQ(request_irq(40, probe_handler, IRQF_SHARED | IRQF_ONESHOT, "a", &a), 0);
    EXPECT_EQ(request_irq(40, probe_handler, IRQF_SHARED, "b", &b), -EBUSY);
}

TEST_F(Request, EveryHandlerOfASharedLineRuns) {
    Probe a("a", IRQ_NONE), b("b", IRQ_HANDLED);
    ASSERT_EQ(request_irq(40, probe_handler, IRQF_SHARED, "a", &a), 0);
    ASSERT_EQ(request_irq(40, probe_handler, IRQF_SHARED, "b", &b), 0);
    fake_raise_irq(0, 40);
    EXPECT_EQ(tags(), (S{"a", "b"}));
}

TEST_F(Request, FreeingTheLastActionClearsTheOobMark) {
    enable_oob();
    Probe a("a"), b("b"), c("c");
    ASSERT_EQ(request_irq(40, probe_handler, IRQF_SHARED | IRQF_OOB, "a", &a), 0);
    ASSERT_EQ(request_irq(40, probe_handler, IRQF_SHARED | IRQF_OOB, "b", &b), 0);
    EXPECT_STREQ(static_cast<const char*>(free_irq(40, &a)), "a");
    EXPECT_TRUE(irq_is_oob(40)) << "b is still there";
    EXPECT_FALSE(fake_irq_masked(0, 40));
    EXPECT_STREQ(static_cast<const char*>(free_irq(40, &b)), "b");
    EXPECT_FALSE(irq_is_oob(40));
    EXPECT_TRUE(fake_irq_masked(0, 40)) << "a line without handlers is masked";
    EXPECT_EQ(irq_to_action(40), nullptr);
    ASSERT_EQ(request_irq(40, probe_handler, 0, "c", &c), 0) << "an in-band handler may take the line now";
    local_irq_disable();
    fake_raise_irq(0, 40);
    EXPECT_TRUE(calls().empty()) << "in-band now: deferred";
    local_irq_enable();
    EXPECT_EQ(tags(), S{"c"});
}

TEST_F(Request, FreeingAnUnknownActionWarns) {
    Probe a("a"), b("b");
    ASSERT_EQ(request_irq(40, probe_handler, 0, "a", &a), 0);
    EXPECT_EQ(free_irq(40, &b), nullptr);
    EXPECT_EQ(reports_of(PIPELINE_WARN_FREE_UNKNOWN).size(), 1u);
    EXPECT_NE(irq_to_action(40), nullptr);
    EXPECT_NE(free_irq(40, &a), nullptr);
    EXPECT_EQ(free_irq(40, &a), nullptr);
    EXPECT_EQ(reports_of(PIPELINE_WARN_FREE_UNKNOWN).size(), 2u);
}

TEST_F(Request, PercpuAndSharedLinesTakeTheirOwnCalls) {
    Probe p("dev");
    EXPECT_TRUE(irq_is_percpu_devid(30));
    EXPECT_TRUE(irq_is_percpu_devid(3));
    EXPECT_FALSE(irq_is_percpu_devid(32));
    EXPECT_TRUE(irq_is_percpu_devid(PIPELINE_IRQ_WORK_IRQ));
    EXPECT_EQ(request_irq(30, probe_handler, 0, "x", &p), -EINVAL);
    EXPECT_EQ(__request_percpu_irq(40, probe_handler, 0, "x", &p), -EINVAL);
    EXPECT_EQ(__request_percpu_irq(30, probe_handler, IRQF_SHARED, "x", &p), -EINVAL);
    EXPECT_EQ(__request_percpu_irq(30, nullptr, 0, "x", &p), -EINVAL);
    EXPECT_EQ(__request_percpu_irq(30, probe_handler, 0, "x", &p), 0);
    EXPECT_EQ(__request_percpu_irq(30, probe_handler, 0, "y", &p), -EBUSY) << "one action per per-CPU line";
}

TEST_F(Request, PercpuLineStartsDisabledOnEveryCpu) {
    Probe p("timer");
    ASSERT_EQ(request_percpu_irq(30, probe_handler, "timer", &p), 0);
    EXPECT_TRUE(fake_irq_masked(0, 30));
    EXPECT_FALSE(irq_percpu_is_enabled(30));
    EXPECT_TRUE(irq_is_disabled(30));
    fake_set_cpu(2);
    enable_percpu_irq(30, 0);
    EXPECT_TRUE(irq_percpu_is_enabled(30));
    EXPECT_FALSE(fake_irq_masked(2, 30));
    EXPECT_TRUE(fake_irq_masked(1, 30)) << "banked per CPU";
    fake_raise_irq(2, 30);
    ASSERT_EQ(calls().size(), 1u);
    EXPECT_EQ(call(0).cpu, 2u);
    EXPECT_EQ(call(0).dev_id, &p) << "the per-CPU dev_id is passed as is";
    fake_set_cpu(0);
}

TEST_F(Request, PercpuHandlerRunsOnEveryCpu) {
    enable_oob();
    Probe p("tick");
    request_percpu_everywhere(30, p, IRQF_OOB);
    for (unsigned cpu = 0; cpu < kCpus; cpu++) {
        fake_set_cpu(cpu);
        fake_raise_irq(cpu, 30);
    }
    ASSERT_EQ(calls().size(), kCpus);
    for (unsigned cpu = 0; cpu < kCpus; cpu++) {
        EXPECT_EQ(call(cpu).cpu, cpu);
        EXPECT_EQ(call(cpu).stage, IRQ_STAGE_OOB);
    }
    fake_set_cpu(0);
}

TEST_F(Request, FreeIrqOnAPercpuLineWarnsAndDoesNothing) {
    Probe p("timer");
    request_percpu_everywhere(30, p);
    EXPECT_EQ(free_irq(30, &p), nullptr);
    auto w = reports_of(PIPELINE_WARN_FREE_PERCPU_IRQ);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].irq, 30);
    EXPECT_NE(irq_to_action(30), nullptr);
    fake_raise_irq(0, 30);
    EXPECT_EQ(tags(), S{"timer"}) << "still handled";
}

TEST_F(Request, FreePercpuIrqIsRefusedWhileEnabledOnAnyCpu) {
    Probe p("timer");
    ASSERT_EQ(__request_percpu_irq(30, probe_handler, 0, "timer", &p), 0);
    for (unsigned cpu : {0u, 1u}) {
        fake_set_cpu(cpu);
        enable_percpu_irq(30, 0);
    }
    fake_set_cpu(0);
    free_percpu_irq(30, &p);
    EXPECT_EQ(reports_of(PIPELINE_WARN_FREE_ENABLED).size(), 1u);
    EXPECT_NE(irq_to_action(30), nullptr);
    disable_percpu_irq(30);
    EXPECT_TRUE(fake_irq_masked(0, 30));
    free_percpu_irq(30, &p);
    EXPECT_EQ(reports_of(PIPELINE_WARN_FREE_ENABLED).size(), 2u) << "still enabled on CPU 1";
    EXPECT_NE(irq_to_action(30), nullptr);
    fake_set_cpu(1);
    disable_percpu_irq(30);
    free_percpu_irq(30, &p);
    EXPECT_EQ(reports_of(PIPELINE_WARN_FREE_ENABLED).size(), 2u);
    EXPECT_EQ(irq_to_action(30), nullptr);
    fake_set_cpu(0);
}

TEST_F(Request, FreePercpuIrqOfTheWrongLineOrDevWarns) {
    Probe p("timer"), q("other");
    ASSERT_EQ(__request_percpu_irq(30, probe_handler, 0, "timer", &p), 0);
    free_percpu_irq(30, &q);
    free_percpu_irq(40, &p);
    EXPECT_EQ(reports_of(PIPELINE_WARN_FREE_UNKNOWN).size(), 2u);
    EXPECT_NE(irq_to_action(30), nullptr);
}

TEST_F(Request, PipelineLinesAreNotForTheTaking) {
    Probe p("x");
    EXPECT_EQ(__request_percpu_irq(PIPELINE_INBAND_IPI_SGI, probe_handler, 0, "x", &p), -EBUSY);
    EXPECT_EQ(__request_percpu_irq(PIPELINE_IRQ_WORK_IRQ, probe_handler, 0, "x", &p), -EBUSY);
    free_percpu_irq(PIPELINE_IRQ_WORK_IRQ, nullptr);
    EXPECT_EQ(reports_of(PIPELINE_WARN_FREE_UNKNOWN).size(), 1u);
    EXPECT_NE(irq_to_action(PIPELINE_IRQ_WORK_IRQ), nullptr);
    EXPECT_EQ(__request_percpu_irq(INBAND_IPI_IRQ(0), probe_handler, 0, "x", &p), 0) << "messages are for users";
}

TEST_F(Request, NoAutoenLeavesTheLineDisabledUntilEnableIrq) {
    Probe p("dev");
    ASSERT_EQ(request_irq(40, probe_handler, IRQF_NO_AUTOEN, "dev", &p), 0);
    EXPECT_TRUE(fake_irq_masked(0, 40));
    EXPECT_TRUE(irq_is_disabled(40));
    enable_irq(40);
    EXPECT_FALSE(fake_irq_masked(0, 40));
    EXPECT_FALSE(irq_is_disabled(40));
}

TEST_F(Request, DisableIrqNestsAndEnableIrqWarnsWhenUnbalanced) {
    Probe p("dev");
    request(40, p);
    disable_irq(40);
    disable_irq_nosync(40);
    EXPECT_TRUE(fake_irq_masked(0, 40));
    enable_irq(40);
    EXPECT_TRUE(fake_irq_masked(0, 40)) << "depth 2 needs two enables";
    enable_irq(40);
    EXPECT_FALSE(fake_irq_masked(0, 40));
    EXPECT_TRUE(reports_of(PIPELINE_WARN_UNBALANCED_ENABLE).empty());
    enable_irq(40);
    EXPECT_EQ(reports_of(PIPELINE_WARN_UNBALANCED_ENABLE).size(), 1u);
}

TEST_F(Request, DisabledWhileLoggedStaysMaskedAfterReplay) {
    Probe p("dev");
    request(40, p);
    local_irq_disable();
    fake_raise_irq(0, 40);
    disable_irq(40);
    local_irq_enable();
    EXPECT_EQ(tags(), S{"dev"}) << "already logged: it runs";
    EXPECT_TRUE(fake_irq_masked(0, 40)) << "but its line is not released";
    enable_irq(40);
    EXPECT_FALSE(fake_irq_masked(0, 40));
}

TEST_F(Request, ActionPoolExhaustionIsEnomem) {
    static int devs[PIPELINE_NR_ACTIONS + 1];
    for (int i = 0; i < PIPELINE_NR_ACTIONS; i++)
        ASSERT_EQ(request_irq(40, noop_handler, IRQF_SHARED, "many", &devs[i]), 0) << i;
    EXPECT_EQ(request_irq(40, noop_handler, IRQF_SHARED, "one too many", &devs[PIPELINE_NR_ACTIONS]), -ENOMEM);
    EXPECT_NE(free_irq(40, &devs[3]), nullptr);
    EXPECT_EQ(request_irq(41, noop_handler, 0, "reuses the freed one", &devs[PIPELINE_NR_ACTIONS]), 0);
}

TEST_F(Request, RefusedRequestGivesItsActionBack) {
    static int devs[PIPELINE_NR_ACTIONS];
    Probe p("dev");
    request(40, p);
    for (int i = 0; i < 2 * PIPELINE_NR_ACTIONS; i++)
        ASSERT_EQ(request_irq(40, noop_handler, IRQF_SHARED, "busy", &devs[0]), -EBUSY);
    for (int i = 0; i < PIPELINE_NR_ACTIONS - 1; i++)
        ASSERT_EQ(request_irq(41, noop_handler, IRQF_SHARED, "fits", &devs[i]), 0) << i;
}

TEST_F(Request, ThreadFunctionRunsInbandAfterItsHandler) {
    Probe p("dev", IRQ_WAKE_THREAD);
    ASSERT_EQ(request_threaded_irq(40, probe_handler, probe_thread_fn, 0, "dev", &p), 0);
    fake_raise_irq(0, 40);
    EXPECT_EQ(tags(), (S{"dev", "dev:thread"}));
    EXPECT_EQ(call(1).stage, IRQ_STAGE_INBAND);
}

TEST_F(Request, ThreadFunctionAloneGetsADefaultPrimaryHandler) {
    Probe p("dev");
    ASSERT_EQ(request_threaded_irq(40, nullptr, probe_thread_fn, IRQF_ONESHOT, "dev", &p), 0);
    fake_raise_irq(0, 40);
    EXPECT_EQ(tags(), S{"dev:thread"});
}

TEST_F(Request, IrqSetPercpuDevid) {
    Probe p("dev");
    EXPECT_EQ(irq_set_percpu_devid(PIPELINE_NR_IRQS), -EINVAL);
    ASSERT_EQ(irq_set_percpu_devid(50), 0);
    EXPECT_EQ(request_irq(50, probe_handler, 0, "x", &p), -EINVAL);
    EXPECT_EQ(__request_percpu_irq(50, probe_handler, 0, "x", &p), 0);
    request(51, p);
    EXPECT_EQ(irq_set_percpu_devid(51), -EBUSY);
}

}  // namespace
}  // namespace pt

// Cross calls (pipeline-semantics.md section 9) on the fake machine and the fake kernel (pipeline/host/fake_kern.h):
// tickets, the two slots, where and how the functions run, the cold-boot rule, the context assertions, and the order
// in which a call completes.
#include <functional>

#include "fake_kern.h"
#include "pipeline_test.h"

namespace pt {
namespace {

using T = std::vector<std::pair<unsigned, uint32_t>>;

// One run of an xcall function, with the context it saw.
struct FnRun {
    std::string tag;
    unsigned cpu;
    irq_stage stage;
    bool hardirq;
    bool softint;
    bool inband_stalled;
    bool hard_off;
    uint64_t low_donep;  // of the low slot, when it ran (the function runs without the lock)
    unsigned long seq;
};

std::vector<FnRun>& runs() {
    static std::vector<FnRun> r;
    return r;
}

std::vector<std::string> run_tags() {
    std::vector<std::string> v;
    for (const FnRun& r : runs()) v.push_back(r.tag + "@" + std::to_string(r.cpu));
    return v;
}

// arg1: the tag (a C string); arg2: an optional std::function<void()> to run inside.
extern "C" void probe_fn(void* arg1, void* arg2) {
    unsigned cpu = fake_current_cpu();
    runs().push_back(FnRun{static_cast<const char*>(arg1), cpu, current_irq_stage(), in_hardirq(), kern_in_softint(),
                         pipeline_stage_stalled(cpu, IRQ_STAGE_INBAND), hard_irqs_disabled(), 0, fake_next_seq()});
    if (arg2) (*static_cast<std::function<void()>*>(arg2))();
}

void* tag(const char* t) { return const_cast<char*>(t); }

std::function<void(unsigned, unsigned)>& sleep_fn() {
    static std::function<void(unsigned, unsigned)> f;
    return f;
}

extern "C" void sleep_trampoline(unsigned cpu, unsigned chan) { sleep_fn()(cpu, chan); }

class Xcall : public PipelineTest {
protected:
    void SetUp() override {
        PipelineTest::SetUp();
        fake_kern_reset();
        ASSERT_EQ(xc_init(), 0);
        for (unsigned cpu = 0; cpu < kCpus; cpu++) {
            fake_set_cpu(cpu);
            xc_init_cpu();
        }
        fake_set_cpu(0);
        clear_all();
    }
    void TearDown() override {
        fake_kern_set_sleep_hook(nullptr);
        sleep_fn() = nullptr;
        PipelineTest::TearDown();
    }
    static void clear_all() {
        clear_records();
        fake_kern_clear_records();
        runs().clear();
    }
    static void on_sleep(std::function<void(unsigned, unsigned)> f) {
        sleep_fn() = std::move(f);
        fake_kern_set_sleep_hook(sleep_trampoline);
    }
    static unsigned sgis() {
        unsigned n = 0;
        for (size_t i = 0; i < fake_nr_ctrl_ops(); i++)
            if (fake_ctrl_op(i)->kind == FAKE_SGI) n++;
        return n;
    }
    static unsigned sleeps(int chan = -1) { return fake_kern_count(FAKE_KERN_SLEEP, -1, chan); }
    static T xcall_traces() {
        return traces({PIPELINE_TRACE_XCALL_ISSUE, PIPELINE_TRACE_XCALL_TARGETS, PIPELINE_TRACE_XCALL_FUNC_START,
                       PIPELINE_TRACE_XCALL_FUNC_END, PIPELINE_TRACE_XCALL_WAIT, PIPELINE_TRACE_XCALL_WAIT_RETURN,
                       PIPELINE_TRACE_XCALL_SLOT_BUSY});
    }
    // CPUs the function ran on, in order, from the FUNC_END trace events (with their CPUs).
    static std::vector<unsigned> end_cpus(uint32_t ticket) {
        std::vector<unsigned> v;
        for (size_t i = 0; i < fake_nr_traces(); i++)
            if (fake_trace(i)->id == PIPELINE_TRACE_XCALL_FUNC_END && fake_trace(i)->value == ticket)
                v.push_back(fake_trace(i)->cpu);
        return v;
    }
    static constexpr uint32_t kAll = 0xf;
};

// ---- Tickets ---------------------------------------------------------------------------------------------------------

TEST_F(Xcall, TicketTraceValueFoldsBit63IntoBit31) {
    EXPECT_EQ(XC_TICKET_TRACE(UINT64_C(4)), 4u);
    EXPECT_EQ(XC_TICKET_TRACE(XC_PRI_BIT | 5), 0x80000005u);
    EXPECT_EQ(XC_TICKET_TRACE(UINT64_C(0x180000003)), 3u);
    EXPECT_EQ(XC_HIGHPRI_IPL(IPL_SOFTNET), 0x0301u);
}

TEST_F(Xcall, TicketsCountTargetsIntoHeadp) {
    uint64_t t = xc_broadcast(0, probe_fn, tag("a"), nullptr);
    EXPECT_EQ(t, 4u) << "4 CPUs online: headp 0 + 4";
    EXPECT_EQ(xc_headp(false), 4u);
    EXPECT_EQ(xc_donep(false), 0u);
    fake_kern_run_all();
    EXPECT_EQ(xc_donep(false), 4u);

    EXPECT_EQ(xc_unicast(0, probe_fn, tag("b"), nullptr, 2), 5u);
    fake_kern_run_all();
    EXPECT_EQ(xc_broadcast(0, probe_fn, tag("c"), nullptr), 9u);
    fake_kern_run_all();
    EXPECT_EQ(xc_donep(false), 9u);

    // The high slot counts on its own, and its tickets carry bit 63.
    EXPECT_EQ(xc_unicast(XC_HIGHPRI, probe_fn, tag("h"), nullptr, 0), XC_PRI_BIT | 1);
    EXPECT_EQ(xc_broadcast(XC_HIGHPRI, probe_fn, tag("H"), nullptr), XC_PRI_BIT | 5);
    fake_kern_run_all();
    EXPECT_EQ(xc_headp(true), 5u);
    EXPECT_EQ(xc_donep(true), 5u);
    EXPECT_EQ(xc_headp(false), 9u) << "untouched by high-priority calls";
    EXPECT_EQ(runs().size(), 4u + 1 + 4 + 1 + 4);
}

TEST_F(Xcall, WaitOnACompletedTicketReturnsAtOnce) {
    uint64_t t = xc_broadcast(0, probe_fn, tag("a"), nullptr);
    fake_kern_run_all();
    clear_all();
    xc_wait(t);
    xc_wait(t);
    xc_wait(1);  // an older ticket of the same slot is complete too
    xc_wait(0);  // what a cold-boot or refused call returns
    EXPECT_EQ(sleeps(), 0u);
    EXPECT_TRUE(runs().empty());
    EXPECT_EQ(traces({PIPELINE_TRACE_XCALL_WAIT_RETURN}).size(), 4u);
}

TEST_F(Xcall, WaitSleepsOnItsSlotUntilTheLastTargetIsDone) {
    uint64_t t = xc_broadcast(0, probe_fn, tag("a"), nullptr);
    std::vector<unsigned> order = {2, 0, 3, 1};
    std::vector<uint64_t> donep_seen;
    on_sleep([&](unsigned cpu, unsigned chan) {
        EXPECT_EQ(cpu, 0u);
        EXPECT_EQ(chan, unsigned(XC_CHAN_LOW));
        // One target per sleep: the waiter checks again each time it is woken (or not).
        if (!order.empty()) {
            fake_kern_run_thread(order.front());
            order.erase(order.begin());
        }
    });
    xc_wait(t);
    EXPECT_TRUE(order.empty());
    EXPECT_EQ(run_tags(), (std::vector<std::string>{"a@2", "a@0", "a@3", "a@1"}));
    EXPECT_EQ(sleeps(XC_CHAN_LOW), 4u) << "woke up after each target, slept again until donep reached 4";
    EXPECT_EQ(fake_kern_count(FAKE_KERN_WAKEUP, -1, XC_CHAN_LOW), 1u) << "the slot's sleepers are woken once";
    T tr = xcall_traces();
    ASSERT_FALSE(tr.empty());
    EXPECT_EQ(tr.back(), (std::pair<unsigned, uint32_t>{PIPELINE_TRACE_XCALL_WAIT_RETURN, 4}));
}

// ---- Low priority: the xcall threads ---------------------------------------------------------------------------------

TEST_F(Xcall, LowPriorityRunsInEachCpusThreadWithoutAnIpi) {
    uint64_t t = xc_broadcast(0, probe_fn, tag("lo"), nullptr);
    EXPECT_TRUE(runs().empty()) << "nothing runs before the threads do";
    for (unsigned cpu = 0; cpu < kCpus; cpu++) {
        EXPECT_TRUE(xc_pending(cpu, false));
        EXPECT_EQ(fake_kern_count(FAKE_KERN_WAKEUP, 0, XC_CHAN_THREAD(cpu)), 1u) << "xcall/" << cpu << " woken";
    }
    EXPECT_EQ(sgis(), 0u) << "the kernel's wake-up gets the threads going, xcall sends nothing";
    for (unsigned cpu : {3u, 1u, 0u, 2u}) EXPECT_EQ(fake_kern_run_thread(cpu), 1u);
    ASSERT_EQ(runs().size(), 4u);
    for (const FnRun& r : runs()) {
        EXPECT_EQ(r.stage, IRQ_STAGE_INBAND);
        EXPECT_FALSE(r.hardirq);
        EXPECT_FALSE(r.softint);
        EXPECT_FALSE(r.inband_stalled) << "runs without the xcall lock";
        EXPECT_FALSE(r.hard_off);
    }
    EXPECT_EQ(run_tags(), (std::vector<std::string>{"lo@3", "lo@1", "lo@0", "lo@2"}));
    EXPECT_EQ(end_cpus(XC_TICKET_TRACE(t)), (std::vector<unsigned>{3, 1, 0, 2})) << "completion order";
    EXPECT_EQ(fake_kern_run_thread(3), 0u) << "ran once";
}

TEST_F(Xcall, UnicastToSelfSendsNoSgi) {
    xc_unicast(0, probe_fn, tag("lo"), nullptr, 0);
    EXPECT_EQ(fake_kern_count(FAKE_KERN_WAKEUP, 0, XC_CHAN_THREAD(0)), 1u);
    fake_kern_run_thread(0);
    uint64_t t = xc_unicast(XC_HIGHPRI, probe_fn, tag("hi"), nullptr, 0);
    EXPECT_EQ(run_tags(), (std::vector<std::string>{"lo@0", "hi@0"})) << "high: served before xc_unicast returns";
    EXPECT_TRUE(runs().back().softint);
    EXPECT_EQ(xc_donep(true), 1u);
    EXPECT_EQ(t, XC_PRI_BIT | 1);
    EXPECT_EQ(sgis(), 0u);
    EXPECT_EQ(traces({PIPELINE_TRACE_INBAND_IPI_SEND}).size(), 0u);
}

// ---- High priority: soft interrupts, IPIs ----------------------------------------------------------------------------

TEST_F(Xcall, HighPriorityBroadcastIsAnIpiToTheOthersAndLocalDirectly) {
    fake_set_cpu(1);
    uint64_t t = xc_broadcast(XC_HIGHPRI, probe_fn, tag("hi"), nullptr);
    EXPECT_EQ(t, XC_PRI_BIT | 4);
    EXPECT_EQ(ctrl_ops(), "sgi 0->13") << "one SGI (the in-band IPI) to CPUs 0, 2, 3";
    EXPECT_EQ(traces({PIPELINE_TRACE_INBAND_IPI_SEND}), (T{{PIPELINE_TRACE_INBAND_IPI_SEND, XC_IPI_MSG << 16 | 13}}));
    ASSERT_EQ(run_tags(), (std::vector<std::string>{"hi@1"})) << "the calling CPU at once";
    EXPECT_TRUE(runs()[0].softint);
    EXPECT_EQ(fake_kern_count(FAKE_KERN_RAISE, 1, IPL_SOFTSERIAL), 1u);
    // The others take the IPI when they run: its handler raises the soft interrupt, which runs at the IRQ exit.
    for (unsigned cpu : {3u, 0u, 2u}) fake_set_cpu(cpu);
    fake_set_cpu(1);
    EXPECT_EQ(run_tags(), (std::vector<std::string>{"hi@1", "hi@3", "hi@0", "hi@2"}));
    for (const FnRun& r : runs()) {
        EXPECT_TRUE(r.softint);
        EXPECT_FALSE(r.hardirq) << "after the handler, at IRQ exit";
        EXPECT_EQ(r.stage, IRQ_STAGE_INBAND);
    }
    for (unsigned cpu : {0u, 2u, 3u}) {
        EXPECT_EQ(fake_kern_count(FAKE_KERN_RAISE, int(cpu), IPL_SOFTSERIAL), 1u);
        EXPECT_EQ(fake_kern_count(FAKE_KERN_SOFTINT, int(cpu), IPL_SOFTSERIAL), 1u);
    }
    EXPECT_EQ(xc_donep(true), 4u);
    xc_wait(t);
    EXPECT_EQ(sleeps(), 0u);
}

TEST_F(Xcall, CompletionOrderIsTheOrderTheTargetsRan) {
    fake_set_cpu(2);
    uint64_t t = xc_broadcast(XC_HIGHPRI, probe_fn, tag("hi"), nullptr);
    fake_set_cpu(0);  // the IPI reaches 0, then 3, then 1
    fake_set_cpu(3);
    EXPECT_EQ(fake_kern_count(FAKE_KERN_WAKEUP, -1, XC_CHAN_HIGH), 0u) << "not complete: nobody woken yet";
    fake_set_cpu(1);
    EXPECT_EQ(fake_kern_count(FAKE_KERN_WAKEUP, -1, XC_CHAN_HIGH), 1u) << "the last target wakes the sleepers";
    EXPECT_EQ(fake_kern_rec(fake_kern_nr_recs() - 1)->cpu, 1u);
    fake_set_cpu(2);
    xc_wait(t);
    uint32_t v = XC_TICKET_TRACE(t);
    EXPECT_EQ(xcall_traces(), (T{{PIPELINE_TRACE_XCALL_ISSUE, v},
                                 {PIPELINE_TRACE_XCALL_TARGETS, IPL_SOFTSERIAL << 8 | kAll},
                                 {PIPELINE_TRACE_XCALL_FUNC_START, v}, {PIPELINE_TRACE_XCALL_FUNC_END, v},
                                 {PIPELINE_TRACE_XCALL_FUNC_START, v}, {PIPELINE_TRACE_XCALL_FUNC_END, v},
                                 {PIPELINE_TRACE_XCALL_FUNC_START, v}, {PIPELINE_TRACE_XCALL_FUNC_END, v},
                                 {PIPELINE_TRACE_XCALL_FUNC_START, v}, {PIPELINE_TRACE_XCALL_FUNC_END, v},
                                 {PIPELINE_TRACE_XCALL_WAIT, v}, {PIPELINE_TRACE_XCALL_WAIT_RETURN, v}}));
    EXPECT_EQ(end_cpus(v), (std::vector<unsigned>{2, 0, 3, 1}));
}

TEST_F(Xcall, HighPriorityToAStalledCpuWaitsForItToUnstall) {
    fake_set_cpu(2);
    local_irq_disable();
    fake_set_cpu(0);
    uint64_t t = xc_unicast(XC_HIGHPRI, probe_fn, tag("hi"), nullptr, 2);
    fake_set_cpu(2);  // takes the IPI: logged, the stage is stalled
    EXPECT_TRUE(pipeline_irq_logged(2, IRQ_STAGE_INBAND, INBAND_IPI_IRQ(XC_IPI_MSG)));
    EXPECT_EQ(fake_kern_count(FAKE_KERN_RAISE, 2, -1), 0u);
    EXPECT_TRUE(runs().empty());
    local_irq_enable();  // replays the IPI: its handler raises the soft interrupt (hard irq context: pending)
    EXPECT_EQ(fake_kern_softints_pending(2), 1u << IPL_SOFTSERIAL);
    EXPECT_TRUE(runs().empty());
    fake_kern_run_softints(2);  // the kernel's next chance (the firmware: right after the unstall)
    EXPECT_EQ(run_tags(), (std::vector<std::string>{"hi@2"}));
    fake_set_cpu(0);
    xc_wait(t);
    EXPECT_EQ(sleeps(), 0u);
}

// Every soft IPL works, and XC_HIGHPRI alone or an IPL field of 0 means IPL_SOFTSERIAL.
class XcallIpl : public Xcall, public ::testing::WithParamInterface<std::pair<unsigned, unsigned>> {};

TEST_P(XcallIpl, HighPriorityRunsFromTheSoftInterruptOfItsIpl) {
    auto [flags, ipl] = GetParam();
    uint64_t t = xc_broadcast(flags, probe_fn, tag("hi"), nullptr);
    fake_kern_run_all();
    EXPECT_EQ(runs().size(), 4u);
    for (unsigned cpu = 0; cpu < kCpus; cpu++) {
        EXPECT_EQ(fake_kern_count(FAKE_KERN_RAISE, int(cpu), -1), 1u);
        EXPECT_EQ(fake_kern_count(FAKE_KERN_RAISE, int(cpu), int(ipl)), 1u) << "cpu " << cpu;
    }
    EXPECT_EQ(traces({PIPELINE_TRACE_XCALL_TARGETS}), (T{{PIPELINE_TRACE_XCALL_TARGETS, ipl << 8 | kAll}}));
    xc_wait(t);
}

INSTANTIATE_TEST_SUITE_P(SoftIpls, XcallIpl,
                         ::testing::Values(std::make_pair(XC_HIGHPRI, unsigned(IPL_SOFTSERIAL)),
                                           std::make_pair(XC_HIGHPRI_IPL(IPL_NONE), unsigned(IPL_SOFTSERIAL)),
                                           std::make_pair(XC_HIGHPRI_IPL(IPL_SOFTCLOCK), unsigned(IPL_SOFTCLOCK)),
                                           std::make_pair(XC_HIGHPRI_IPL(IPL_SOFTBIO), unsigned(IPL_SOFTBIO)),
                                           std::make_pair(XC_HIGHPRI_IPL(IPL_SOFTNET), unsigned(IPL_SOFTNET)),
                                           std::make_pair(XC_HIGHPRI_IPL(IPL_SOFTSERIAL), unsigned(IPL_SOFTSERIAL))));

TEST_F(Xcall, AnIplThatIsNotSoftIsAPanicAndTheCallIsRefused) {
    for (unsigned ipl : {unsigned(IPL_VM), unsigned(IPL_SCHED), unsigned(IPL_HIGH), 0x20u, 0xffu}) {
        clear_all();
        EXPECT_EQ(xc_broadcast(XC_HIGHPRI_IPL(ipl), probe_fn, tag("x"), nullptr), 0u) << "ipl " << ipl;
        EXPECT_EQ(xc_unicast(XC_HIGHPRI_IPL(ipl), probe_fn, tag("x"), nullptr, 1), 0u) << "ipl " << ipl;
        auto r = reports_of(PIPELINE_FAIL_XCALL_IPL);
        ASSERT_EQ(r.size(), 2u) << "reported every time";
        EXPECT_EQ(r[0].irq, int(ipl)) << "the report names the IPL";
        EXPECT_EQ(r[0].cpu, 0u);
        EXPECT_TRUE(runs().empty());
        EXPECT_EQ(sgis(), 0u);
        EXPECT_EQ(fake_kern_nr_recs(), 0u) << "nothing raised, woken or slept";
        EXPECT_EQ(xc_headp(true), 0u);
    }
    fake_kern_set_mp_online(false);  // checked before the cold-boot rule too
    EXPECT_EQ(xc_broadcast(XC_HIGHPRI_IPL(IPL_VM), probe_fn, tag("x"), nullptr), 0u);
    EXPECT_TRUE(runs().empty());
    // Low priority ignores the IPL field.
    fake_kern_set_mp_online(true);
    EXPECT_EQ(xc_unicast(XC_IPL_MASK & XC_HIGHPRI_IPL(IPL_VM), probe_fn, tag("lo"), nullptr, 1), 1u);
}

// ---- The two slots ---------------------------------------------------------------------------------------------------

TEST_F(Xcall, ACallOnABusySlotWaitsUntilItIsIdle) {
    uint64_t first = xc_broadcast(0, probe_fn, tag("first"), nullptr);
    fake_set_cpu(1);
    std::vector<std::string> seen_in_sleep;
    on_sleep([&](unsigned cpu, unsigned chan) {
        EXPECT_EQ(cpu, 1u);
        EXPECT_EQ(chan, unsigned(XC_CHAN_LOW));
        EXPECT_EQ(xc_headp(false), first) << "not published while the slot is busy";
        seen_in_sleep.push_back("sleep");
        fake_kern_run_all();
    });
    uint64_t second = xc_unicast(0, probe_fn, tag("second"), nullptr, 3);
    EXPECT_EQ(seen_in_sleep.size(), 1u);
    EXPECT_EQ(second, first + 1);
    EXPECT_EQ(traces({PIPELINE_TRACE_XCALL_SLOT_BUSY}), (T{{PIPELINE_TRACE_XCALL_SLOT_BUSY, 0}}));
    // Every target of the first call ran before the second was issued; the second has not run yet.
    EXPECT_EQ(runs().size(), 4u);
    EXPECT_TRUE(xc_pending(3, false));
    T tr = xcall_traces();
    size_t issue2 = 0;
    for (size_t i = 0; i < tr.size(); i++)
        if (tr[i] == std::pair<unsigned, uint32_t>{PIPELINE_TRACE_XCALL_ISSUE, uint32_t(second)}) issue2 = i;
    EXPECT_EQ(issue2, tr.size() - 2) << "the second call's issue comes after the first one's last end";
    EXPECT_EQ(tr[issue2 - 1], (std::pair<unsigned, uint32_t>{PIPELINE_TRACE_XCALL_FUNC_END, uint32_t(first)}));
    fake_kern_run_thread(3);
    EXPECT_EQ(runs().back().tag, "second");
}

TEST_F(Xcall, LowAndHighSlotsNeverWaitForEachOther) {
    // The low slot is busy (nobody ran the broadcast yet): a high call goes through without sleeping, and completes.
    uint64_t lo = xc_broadcast(0, probe_fn, tag("lo"), nullptr);
    fake_set_cpu(2);
    uint64_t hi = xc_broadcast(XC_HIGHPRI, probe_fn, tag("hi"), nullptr);
    for (unsigned cpu : {0u, 1u, 3u}) fake_kern_run_softints(cpu);
    xc_wait(hi);
    EXPECT_EQ(sleeps(), 0u);
    EXPECT_EQ(traces({PIPELINE_TRACE_XCALL_SLOT_BUSY}).size(), 0u);
    EXPECT_EQ(xc_donep(true), 4u);
    EXPECT_EQ(xc_donep(false), 0u) << "the low call is still pending everywhere";
    EXPECT_EQ(run_tags(), (std::vector<std::string>{"hi@2", "hi@0", "hi@1", "hi@3"}));

    // Now the high slot is busy (CPU 3 has not taken its IPI): a low call goes through... once its own slot is idle.
    fake_kern_run_all();
    EXPECT_EQ(xc_donep(false), lo);
    fake_set_cpu(0);
    uint64_t hi2 = xc_unicast(XC_HIGHPRI, probe_fn, tag("hi2"), nullptr, 3);
    EXPECT_TRUE(xc_pending(3, true));
    uint64_t lo2 = xc_unicast(0, probe_fn, tag("lo2"), nullptr, 1);
    EXPECT_EQ(lo2, lo + 1);
    EXPECT_EQ(sleeps(), 0u);
    fake_kern_run_thread(1);
    xc_wait(lo2);
    EXPECT_TRUE(xc_pending(3, true)) << "the high call still waits for CPU 3";
    fake_set_cpu(3);
    fake_set_cpu(0);
    xc_wait(hi2);
    EXPECT_EQ(sleeps(), 0u);
}

TEST_F(Xcall, WaitingOnAHighTicketLooksAtTheHighSlotOnly) {
    uint64_t hi = xc_unicast(XC_HIGHPRI, probe_fn, tag("hi"), nullptr, 3);  // pending on CPU 3
    xc_unicast(0, probe_fn, tag("lo"), nullptr, 0);
    fake_kern_run_thread(0);
    EXPECT_EQ(xc_donep(false), 1u);
    EXPECT_EQ(hi & ~XC_PRI_BIT, 1u) << "the same number as the completed low ticket";
    on_sleep([&](unsigned, unsigned chan) {
        EXPECT_EQ(chan, unsigned(XC_CHAN_HIGH));
        fake_set_cpu(3);
    });
    xc_wait(hi);
    EXPECT_EQ(sleeps(XC_CHAN_HIGH), 1u) << "bit 63 selects the high slot, whose donep was 0";
    EXPECT_EQ(xc_donep(true), 1u);
}

// ---- Cold boot, barrier, context --------------------------------------------------------------------------------------

TEST_F(Xcall, BeforeTheSecondariesAreOnlineCallsRunSynchronouslyWithTicket0) {
    fake_kern_set_mp_online(false);
    fake_set_cpu(1);
    EXPECT_EQ(xc_broadcast(0, probe_fn, tag("b"), nullptr), 0u);
    EXPECT_EQ(xc_unicast(0, probe_fn, tag("u"), nullptr, 3), 0u);
    EXPECT_EQ(xc_broadcast(XC_HIGHPRI, probe_fn, tag("B"), nullptr), 0u);
    EXPECT_EQ(xc_unicast(XC_HIGHPRI_IPL(IPL_SOFTNET), probe_fn, tag("U"), nullptr, 2), 0u);
    EXPECT_EQ(run_tags(), (std::vector<std::string>{"b@1", "u@1", "B@1", "U@1"})) << "once, on the calling CPU";
    for (const FnRun& r : runs()) EXPECT_FALSE(r.softint || r.hardirq);
    EXPECT_EQ(xc_headp(false), 0u);
    EXPECT_EQ(xc_headp(true), 0u);
    EXPECT_EQ(sgis(), 0u);
    EXPECT_EQ(fake_kern_nr_recs(), 0u) << "no thread woken, no soft interrupt";
    xc_wait(0);
    xc_barrier(0);
    EXPECT_EQ(traces({PIPELINE_TRACE_XCALL_ISSUE, PIPELINE_TRACE_XCALL_FUNC_START, PIPELINE_TRACE_XCALL_FUNC_END})
                  .front(),
              (std::pair<unsigned, uint32_t>{PIPELINE_TRACE_XCALL_ISSUE, 0}));
    EXPECT_EQ(sleeps(), 0u);
}

TEST_F(Xcall, BarrierRunsThroughEveryCpu) {
    xc_barrier(0);  // sleeps; the default sleep hook runs every CPU's thread
    EXPECT_EQ(xc_donep(false), 4u);
    EXPECT_EQ(fake_kern_count(FAKE_KERN_THREAD, -1, -1), 4u);
    xc_barrier(XC_HIGHPRI);
    EXPECT_EQ(xc_donep(true), 4u);
    EXPECT_EQ(fake_kern_count(FAKE_KERN_SOFTINT, -1, IPL_SOFTSERIAL), 4u);
}

TEST_F(Xcall, CallsOutsideThreadContextAreAssertionFailures) {
    uint64_t from_handler = 99;
    Probe dev("dev", IRQ_HANDLED, [&](int) {
        from_handler = xc_broadcast(0, probe_fn, tag("x"), nullptr);
        xc_wait(XC_PRI_BIT | 7);  // would sleep in a handler
    });
    request(40, dev);
    fake_raise_irq(0, 40);
    EXPECT_EQ(from_handler, 0u);
    auto r = reports_of(PIPELINE_FAIL_XCALL_CONTEXT);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_STREQ(r[0].msg, "xcall called from a hard interrupt handler: thread context only");
    EXPECT_EQ(r[0].stage, IRQ_STAGE_INBAND);

    // An oob handler.
    enable_oob();
    Probe oob("oob", IRQ_HANDLED, [&](int) { from_handler = xc_unicast(XC_HIGHPRI, probe_fn, tag("x"), nullptr, 1); });
    request(41, oob, IRQF_OOB);
    clear_all();
    fake_raise_irq(0, 41);
    r = reports_of(PIPELINE_FAIL_XCALL_CONTEXT);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_STREQ(r[0].msg, "xcall called on the oob stage: thread context only");
    EXPECT_EQ(r[0].stage, IRQ_STAGE_OOB);

    // A soft interrupt.
    clear_all();
    fake_kern_as_softint(
        IPL_SOFTNET, [](void*) { xc_barrier(XC_HIGHPRI); }, nullptr);
    r = reports_of(PIPELINE_FAIL_XCALL_CONTEXT);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_STREQ(r[0].msg, "xcall called from a soft interrupt: thread context only");

    EXPECT_TRUE(runs().empty());
    EXPECT_EQ(xc_headp(false), 0u);
    EXPECT_EQ(xc_headp(true), 0u);
    EXPECT_EQ(sgis(), 0u);
    EXPECT_EQ(sleeps(), 0u);
}

TEST_F(Xcall, UnicastToACpuThatIsNotOnlineIsRefused) {
    EXPECT_EQ(xc_unicast(0, probe_fn, tag("x"), nullptr, kCpus), 0u);
    EXPECT_EQ(xc_unicast(XC_HIGHPRI, probe_fn, tag("x"), nullptr, 1000), 0u);
    auto r = reports_of(PIPELINE_FAIL_XCALL_CPU);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].irq, int(kCpus));
    EXPECT_EQ(xc_headp(false), 0u);
}

TEST_F(Xcall, TheIpiIsAnInbandMessageLikeAnyOther) {
    // Requested by xc_init() on the message's per-CPU IRQ, enabled on every CPU by xc_init_cpu().
    EXPECT_TRUE(irq_is_percpu_devid(INBAND_IPI_IRQ(XC_IPI_MSG)));
    ASSERT_NE(irq_to_action(INBAND_IPI_IRQ(XC_IPI_MSG)), nullptr);
    EXPECT_STREQ(irq_to_action(INBAND_IPI_IRQ(XC_IPI_MSG))->name, "xcall");
    for (unsigned cpu = 0; cpu < kCpus; cpu++) {
        fake_set_cpu(cpu);
        EXPECT_TRUE(irq_percpu_is_enabled(INBAND_IPI_IRQ(XC_IPI_MSG)));
    }
    fake_set_cpu(0);
    // A message with no call pending (raised late, or by someone else) runs nothing.
    irq_send_inband_ipi(XC_IPI_MSG, PIPELINE_CPU_MASK(1));
    fake_set_cpu(1);
    EXPECT_EQ(fake_kern_count(FAKE_KERN_SOFTINT, 1, -1), 1u);
    EXPECT_TRUE(runs().empty());
    EXPECT_EQ(xc_donep(true), 0u);
}

}  // namespace
}  // namespace pt

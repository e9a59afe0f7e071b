// Shared fixture of the interrupt pipeline's host tests: a fresh fake machine (4 CPUs) and a fresh pipeline per
// test, handlers ("probes") that record how they were called, and readers for the fake's records.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "fake_arch.h"
#include "pipeline/pipeline.h"

namespace pt {

// One handler call, with the state the handler saw.
struct Call {
    std::string tag;
    int irq;
    unsigned cpu;
    irq_stage stage;
    bool inband_stalled;
    bool oob_stalled;
    bool hard_off;
    void* dev_id;
    unsigned long seq;
};

std::vector<Call>& calls();
// calls()[i], or (with a test failure) an empty Call if there are not that many: a mutated pipeline must fail the
// test, not crash the test program.
const Call& call(size_t i);

// dev_id of probe_handler: what to return, and what else to do inside the handler.
struct Probe {
    std::string tag;
    irqreturn_t ret = IRQ_HANDLED;
    std::function<void(int irq)> body;
    explicit Probe(std::string t, irqreturn_t r = IRQ_HANDLED, std::function<void(int)> b = nullptr)
        : tag(std::move(t)), ret(r), body(std::move(b)) {}
};

extern "C" irqreturn_t probe_handler(int irq, void* dev_id);
// Records the call (tagged "<tag>:thread") and returns IRQ_HANDLED.
extern "C" irqreturn_t probe_thread_fn(int irq, void* dev_id);
// Records a call tagged `tag` with the current state (for non-handler code: irq_work functions, run_oob_call fns).
void record(const std::string& tag, int irq = -1, void* dev_id = nullptr);

// The companion-core hooks (defined by the tests, overriding the pipeline's weak defaults).
struct Hooks {
    int enter_calls = 0;
    int exit_calls = 0;
    bool hard_off_in_enter = true;
    bool hard_off_in_exit = true;
    unsigned long last_enter_seq = 0;
    unsigned long last_exit_seq = 0;
    std::function<void()> on_exit;
};
Hooks& hooks();

class PipelineTest : public ::testing::Test {
protected:
    static constexpr unsigned kCpus = 4;

    void SetUp() override;
    void TearDown() override;

    // Tests of the debug checks set this; any other test fails if one fires.
    bool expect_debug_reports_ = false;

    static std::vector<std::string> tags();
    static std::vector<int> called_irqs();
    static std::vector<int> log_of(unsigned cpu, irq_stage stage);
    // Trace events with one of these ids, as (id, value), in order.
    static std::vector<std::pair<unsigned, uint32_t>> traces(std::initializer_list<unsigned> ids);
    static std::vector<std::pair<unsigned, uint32_t>> all_traces();
    static std::vector<fake_report_rec> reports_of(int kind);
    // Controller operations as text: "ack 40, mask 40, eoi 40".
    static std::string ctrl_ops();
    static void clear_records();

    static void enable_oob() { ASSERT_EQ(enable_oob_stage("test"), 0); }
    static void request(unsigned irq, Probe& p, unsigned long flags = 0) {
        ASSERT_EQ(request_irq(irq, probe_handler, flags, p.tag.c_str(), &p), 0) << "IRQ " << irq;
    }
    // A per-CPU line, requested and enabled on every CPU (CPU 0 runs again afterwards).
    static void request_percpu_everywhere(unsigned irq, Probe& p, unsigned long flags = 0);
    // Go to the oob stage from in-band, the way a companion core would (hard irqs off).
    static void enter_oob() {
        hard_local_irq_disable();
        switch_oob();
    }
    static void leave_oob() {
        hard_local_irq_disable();
        switch_inband();
        hard_local_irq_enable();
    }
    static bool stalled(irq_stage st, unsigned cpu = fake_current_cpu()) { return pipeline_stage_stalled(cpu, st); }
};

}  // namespace pt

#include <sstream>

#include "pipeline_test.h"

namespace pt {

std::vector<Call>& calls() {
    static std::vector<Call> c;
    return c;
}

const Call& call(size_t i) {
    static const Call missing{"<missing>", -1, ~0u, IRQ_STAGE_INBAND, false, false, false, nullptr, 0};
    if (i < calls().size()) return calls()[i];
    ADD_FAILURE() << "no handler call #" << i << " (only " << calls().size() << ")";
    return missing;
}

Hooks& hooks() {
    static Hooks h;
    return h;
}

void record(const std::string& tag, int irq, void* dev_id) {
    unsigned cpu = fake_current_cpu();
    calls().push_back(Call{tag, irq, cpu, current_irq_stage(), pipeline_stage_stalled(cpu, IRQ_STAGE_INBAND),
                           pipeline_stage_stalled(cpu, IRQ_STAGE_OOB), hard_irqs_disabled(), dev_id,
                           fake_next_seq()});
}

extern "C" irqreturn_t probe_handler(int irq, void* dev_id) {
    auto* p = static_cast<Probe*>(dev_id);
    record(p->tag, irq, dev_id);
    if (p->body) p->body(irq);
    return p->ret;
}

extern "C" irqreturn_t probe_thread_fn(int irq, void* dev_id) {
    auto* p = static_cast<Probe*>(dev_id);
    record(p->tag + ":thread", irq, dev_id);
    return IRQ_HANDLED;
}

void PipelineTest::SetUp() {
    fake_reset(kCpus);
    pipeline_init();
    clear_records();
    hooks() = Hooks{};
}

void PipelineTest::TearDown() {
    if (!expect_debug_reports_) {
        for (size_t i = 0; i < fake_nr_reports(); i++) {
            const fake_report_rec* r = fake_report(i);
            EXPECT_GE(r->kind, PIPELINE_NR_DEBUG_CHECKS)
                << "unexpected debug check: kind " << r->kind << " cpu " << r->cpu << " irq " << r->irq << ": "
                << (r->msg ? r->msg : "");
        }
    }
    for (size_t i = 0; i < fake_nr_ctrl_ops(); i++)
        EXPECT_FALSE(fake_ctrl_op(i)->bad) << "EOI of IRQ " << fake_ctrl_op(i)->irq << " that was not active";
}

void PipelineTest::clear_records() {
    fake_clear_records();
    calls().clear();
}

std::vector<std::string> PipelineTest::tags() {
    std::vector<std::string> t;
    for (const Call& c : calls()) t.push_back(c.tag);
    return t;
}

std::vector<int> PipelineTest::called_irqs() {
    std::vector<int> v;
    for (const Call& c : calls()) v.push_back(c.irq);
    return v;
}

std::vector<int> PipelineTest::log_of(unsigned cpu, irq_stage stage) {
    std::vector<int> v;
    for (unsigned irq = 0; irq < PIPELINE_NR_IRQS; irq++)
        if (pipeline_irq_logged(cpu, stage, irq)) v.push_back(static_cast<int>(irq));
    return v;
}

std::vector<std::pair<unsigned, uint32_t>> PipelineTest::traces(std::initializer_list<unsigned> ids) {
    std::vector<std::pair<unsigned, uint32_t>> v;
    for (size_t i = 0; i < fake_nr_traces(); i++) {
        const fake_trace_rec* t = fake_trace(i);
        for (unsigned id : ids)
            if (t->id == id) v.emplace_back(t->id, t->value);
    }
    return v;
}

std::vector<std::pair<unsigned, uint32_t>> PipelineTest::all_traces() {
    std::vector<std::pair<unsigned, uint32_t>> v;
    for (size_t i = 0; i < fake_nr_traces(); i++) v.emplace_back(fake_trace(i)->id, fake_trace(i)->value);
    return v;
}

std::vector<fake_report_rec> PipelineTest::reports_of(int kind) {
    std::vector<fake_report_rec> v;
    for (size_t i = 0; i < fake_nr_reports(); i++)
        if (fake_report(i)->kind == kind) v.push_back(*fake_report(i));
    return v;
}

std::string PipelineTest::ctrl_ops() {
    static const char* names[] = {"ack", "eoi", "mask", "unmask", "sgi"};
    std::ostringstream s;
    for (size_t i = 0; i < fake_nr_ctrl_ops(); i++) {
        const struct fake_ctrl_op* op = fake_ctrl_op(i);
        if (i) s << ", ";
        s << names[op->kind] << " " << op->irq;
        if (op->kind == FAKE_SGI) s << "->" << op->cpumask;
    }
    return s.str();
}

void PipelineTest::request_percpu_everywhere(unsigned irq, Probe& p, unsigned long flags) {
    ASSERT_EQ(__request_percpu_irq(irq, probe_handler, flags, p.tag.c_str(), &p), 0) << "IRQ " << irq;
    for (unsigned cpu = 0; cpu < kCpus; cpu++) {
        fake_set_cpu(cpu);
        enable_percpu_irq(irq, 0);
    }
    fake_set_cpu(0);
}

}  // namespace pt

// The companion-core hooks: strong definitions, so the pipeline's weak empty ones are not used.
extern "C" void irq_enter_pipeline(void) {
    pt::Hooks& h = pt::hooks();
    h.enter_calls++;
    h.hard_off_in_enter = h.hard_off_in_enter && hard_irqs_disabled();
    h.last_enter_seq = fake_next_seq();
}

extern "C" void irq_exit_pipeline(void) {
    pt::Hooks& h = pt::hooks();
    h.exit_calls++;
    h.hard_off_in_exit = h.hard_off_in_exit && hard_irqs_disabled();
    h.last_exit_seq = fake_next_seq();
    if (h.on_exit) h.on_exit();
}

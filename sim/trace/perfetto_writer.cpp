#include "perfetto_writer.h"

#include <cinttypes>
#include <stdexcept>

#include "text.h"

namespace oobsim::trace {

namespace {
constexpr size_t kMaxDepth = 256;         // deeper slices are dropped (runaway begins without ends)
constexpr size_t kMaxPendingFlows = 64;   // per key; older flow starts are forgotten

std::string hex(uint32_t v) {
    char b[16];
    std::snprintf(b, sizeof b, "\"0x%x\"", v);
    return b;
}

const char* cause_name(uint32_t mcause) {
    if (mcause & 0x80000000u) {
        switch (mcause & 0x7fffffffu) {
        case 3: return "machine software interrupt";
        case 7: return "machine timer interrupt";
        case 11: return "machine external interrupt";
        default: return "interrupt";
        }
    }
    switch (mcause) {
    case 0: return "instruction address misaligned";
    case 1: return "instruction access fault";
    case 2: return "illegal instruction";
    case 3: return "breakpoint";
    case 4: return "load address misaligned";
    case 5: return "load access fault";
    case 6: return "store address misaligned";
    case 7: return "store access fault";
    case 11: return "ecall";
    default: return "exception";
    }
}

const char* stage_name(uint32_t st) { return st ? "oob" : "in-band"; }

// Keys of the pending-flow maps.
uint64_t key3(uint64_t a, uint64_t b, uint64_t c) { return (a << 40) | (b << 20) | c; }

void push_bounded(std::vector<uint64_t>& v, uint64_t id) {
    if (v.size() >= kMaxPendingFlows) v.erase(v.begin());
    v.push_back(id);
}
}  // namespace

std::string PerfettoWriter::timestamp(uint64_t cycle, uint64_t cycle_ps) {
    const uint64_t ps = cycle * cycle_ps;
    char b[40];
    char* p = text::put_dec(b, ps / 1000000);
    *p++ = '.';
    uint64_t frac = ps % 1000000;
    for (int i = 5; i >= 0; --i) {
        p[i] = char('0' + frac % 10);
        frac /= 10;
    }
    return std::string(b, size_t(p + 6 - b));
}

PerfettoWriter::PerfettoWriter(const std::string& path, const HintTable& hints, const Clock& clock, unsigned ncpus)
    : f_(std::fopen(path.c_str(), "w")), hints_(hints), clock_(clock), ncpus_(ncpus), tracks_(ncpus) {
    if (!f_) throw std::runtime_error("cannot write the Perfetto trace " + path);
    std::setvbuf(f_, nullptr, _IOFBF, 1 << 20);
    ts_ = timestamp(0, clock_.cycle_ps);
    std::fputs("{\"traceEvents\":[\n", f_);  // first: some readers expect it there
    char b[200];
    emit("{\"ph\":\"M\",\"pid\":1,\"name\":\"process_name\",\"args\":{\"name\":\"oobsim\"}}");
    for (unsigned i = 0; i < ncpus; ++i) {
        std::snprintf(b, sizeof b,
                      "{\"ph\":\"M\",\"pid\":1,\"tid\":%u,\"name\":\"thread_name\",\"args\":{\"name\":\"cpu %u\"}}", i,
                      i);
        emit(b);
        std::snprintf(b, sizeof b,
                      "{\"ph\":\"M\",\"pid\":1,\"tid\":%u,\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":%u}}",
                      i, i);
        emit(b);
    }
    std::snprintf(b, sizeof b,
                  "{\"ph\":\"M\",\"pid\":1,\"tid\":%u,\"name\":\"thread_name\",\"args\":{\"name\":\"GIC lines\"}}",
                  kDeviceTid);
    emit(b);
}

PerfettoWriter::~PerfettoWriter() {
    if (f_) std::fclose(f_);
}

void PerfettoWriter::emit(const char* json) {
    if (!first_) std::fputs(",\n", f_);
    first_ = false;
    std::fputs(json, f_);
}

// Starts line_ with the common fields of an event on a track: {"ph":"X","pid":1,"tid":N,"ts":T
void PerfettoWriter::start_line(char phase, unsigned tid) {
    line_.clear();
    if (!first_) line_ += ",\n";
    first_ = false;
    line_ += "{\"ph\":\"";
    line_ += phase;
    line_ += "\",\"pid\":1,\"tid\":";
    char num[24];
    line_.append(num, size_t(text::put_dec(num, tid) - num));
    line_ += ",\"ts\":";
    line_ += ts_;
}

void PerfettoWriter::end_line(const char* cat, const std::string& name, const std::string& args) {
    if (cat) {
        line_ += ",\"cat\":\"";
        line_ += cat;
        line_ += "\",\"name\":\"";
        line_ += name;
        line_ += '"';
    }
    if (!args.empty()) {
        line_ += ",\"args\":{";
        line_ += args;
        line_ += '}';
    }
    line_ += '}';
    std::fwrite(line_.data(), 1, line_.size(), f_);
}

void PerfettoWriter::begin(unsigned tid, Slice kind, uint64_t key, const std::string& name, const char* cat,
                           const std::string& args) {
    Track& t = tracks_[tid];
    if (t.stack.size() >= kMaxDepth) return;
    start_line('B', tid);
    end_line(cat, name, args);
    t.stack.push_back(Open{kind, key, name, cat, args});
}

void PerfettoWriter::end(unsigned tid, Slice kind, uint64_t key) {
    Track& t = tracks_[tid];
    size_t k = t.stack.size();
    while (k > 0 && !(t.stack[k - 1].kind == kind && t.stack[k - 1].key == key)) --k;
    if (k == 0) {
        ++unmatched_ends_;
        return;
    }
    if (k == t.stack.size()) {  // the usual case: the innermost slice ends
        start_line('E', tid);
        end_line(nullptr, std::string(), std::string());
        t.stack.pop_back();
        return;
    }
    // Close what was opened inside it, close it, then reopen the inner ones: slices always nest.
    std::vector<Open> inner(t.stack.begin() + long(k), t.stack.end());
    for (size_t n = t.stack.size(); n >= k; --n) {
        start_line('E', tid);
        end_line(nullptr, std::string(), std::string());
    }
    t.stack.resize(k - 1);
    for (const Open& o : inner) {
        const std::string args = o.args.empty() ? "\"continued\":true" : o.args + ",\"continued\":true";
        begin(tid, o.kind, o.key, o.name, o.cat.c_str(), args);
        t.stack.back().args = o.args;
    }
}

void PerfettoWriter::instant(unsigned tid, const std::string& name, const char* cat, const std::string& args) {
    start_line('i', tid);
    line_ += ",\"s\":\"t\"";
    end_line(cat, name, args);
}

// A flow start ('s') binds to the slice open on the track; an end ('f', "bp":"e") to the enclosing slice.
void PerfettoWriter::flow(unsigned tid, char phase, uint64_t id, const char* name) {
    start_line(phase, tid);
    line_ += ",\"cat\":\"flow\",\"name\":\"";
    line_ += name;
    line_ += "\",\"id\":";
    char num[24];
    line_.append(num, size_t(text::put_dec(num, id) - num));
    if (phase == 'f') line_ += ",\"bp\":\"e\"";
    line_ += '}';
    std::fwrite(line_.data(), 1, line_.size(), f_);
}

void PerfettoWriter::counter(const std::string& name, const std::string& args) {
    line_.clear();
    if (!first_) line_ += ",\n";
    first_ = false;
    line_ += "{\"ph\":\"C\",\"pid\":1,\"ts\":";
    line_ += ts_;
    line_ += ",\"name\":\"";
    line_ += name;
    line_ += "\",\"args\":{";
    line_ += args;
    line_ += "}}";
    std::fwrite(line_.data(), 1, line_.size(), f_);
}

void PerfettoWriter::log_counter(unsigned cpu) {
    const Track& t = tracks_[cpu];
    counter("cpu" + std::to_string(cpu) + " log",
            "\"inband\":" + std::to_string(t.log[0].count()) + ",\"oob\":" + std::to_string(t.log[1].count()));
}

void PerfettoWriter::ipi_send(unsigned cpu, unsigned kind, uint32_t value) {
    const uint32_t num = value >> 16, mask = value & 0xffff;
    const std::string what = std::string(kind ? "in-band ipi msg " : "oob ipi ") + std::to_string(num);
    begin(cpu, Slice::Anchor, 0, what + " send", "ipi", "\"cpumask\":" + hex(mask));
    for (unsigned r = 0; r < ncpus_ && r < 16; ++r)
        if (mask >> r & 1) {
            const uint64_t id = next_flow_++;
            flow(cpu, 's', id, "ipi");
            push_bounded(ipi_flows_[key3(r, kind, num)], id);
        }
    end(cpu, Slice::Anchor, 0);
}

void PerfettoWriter::ipi_receive(unsigned cpu, unsigned kind, uint32_t num) {
    const std::string what = std::string(kind ? "in-band ipi msg " : "oob ipi ") + std::to_string(num);
    begin(cpu, Slice::Anchor, 0, what + " receive", "ipi", "");
    auto it = ipi_flows_.find(key3(cpu, kind, num));
    if (it != ipi_flows_.end()) {
        for (uint64_t id : it->second) flow(cpu, 'f', id, "ipi");
        ipi_flows_.erase(it);
    }
    end(cpu, Slice::Anchor, 0);
}

void PerfettoWriter::on_hint(unsigned cpu, uint32_t id, uint32_t value) {
    Track& t = tracks_[cpu];
    const std::string irq = std::to_string(value);
    switch (id) {
    case PIPELINE_TRACE_ENTRY:
        begin(cpu, Slice::Pipeline, 0, "pipeline", "pipeline", std::string("\"from\":\"") + stage_name(value) + "\"");
        return;
    case PIPELINE_TRACE_EXIT: end(cpu, Slice::Pipeline, 0); return;
    case PIPELINE_TRACE_IRQ_ACK: instant(cpu, "ack irq " + irq, "pipeline", ""); return;
    case PIPELINE_TRACE_IRQ_EOI: instant(cpu, "eoi irq " + irq, "pipeline", ""); return;
    case PIPELINE_TRACE_STAGE_SWITCH:
        instant(cpu, std::string("switch to ") + stage_name(value), "pipeline", "");
        return;
    case PIPELINE_TRACE_INBAND_STALL:
        if (!t.inband_stalled) begin(cpu, Slice::InbandStall, 0, "in-band stalled", "stall", "");
        t.inband_stalled = true;
        return;
    case PIPELINE_TRACE_INBAND_UNSTALL:
        if (t.inband_stalled) end(cpu, Slice::InbandStall, 0);
        t.inband_stalled = false;
        return;
    case PIPELINE_TRACE_OOB_STALL:
    case PIPELINE_TRACE_OOB_UNSTALL: return;  // always with hard irqs off; the VCD shows it
    case PIPELINE_TRACE_IRQ_LOG_INBAND:
    case PIPELINE_TRACE_IRQ_LOG_OOB:
    case PIPELINE_TRACE_IRQ_PULL_INBAND:
    case PIPELINE_TRACE_IRQ_PULL_OOB: {
        const bool oob = id == PIPELINE_TRACE_IRQ_LOG_OOB || id == PIPELINE_TRACE_IRQ_PULL_OOB;
        const bool log = id == PIPELINE_TRACE_IRQ_LOG_INBAND || id == PIPELINE_TRACE_IRQ_LOG_OOB;
        instant(cpu, std::string(log ? "log " : "pull ") + stage_name(oob) + " irq " + irq, "pipeline", "");
        if (value < 1024) t.log[oob][value] = log;
        log_counter(cpu);
        return;
    }
    case PIPELINE_TRACE_REPLAY_BEGIN:
        begin(cpu, Slice::Replay, value, std::string("replay ") + stage_name(value), "pipeline", "");
        return;
    case PIPELINE_TRACE_REPLAY_END: end(cpu, Slice::Replay, value); return;
    case PIPELINE_TRACE_HANDLER_ENTRY_INBAND:
    case PIPELINE_TRACE_HANDLER_ENTRY_OOB: {
        const bool oob = id == PIPELINE_TRACE_HANDLER_ENTRY_OOB;
        begin(cpu, Slice::Handler, (uint64_t(oob) << 32) | value,
              std::string(oob ? "oob" : "in-band") + " handler irq " + irq, "handler",
              "\"irq\":" + irq + ",\"stage\":\"" + stage_name(oob) + "\"");
        return;
    }
    case PIPELINE_TRACE_HANDLER_EXIT_INBAND:
    case PIPELINE_TRACE_HANDLER_EXIT_OOB:
        end(cpu, Slice::Handler, (uint64_t(id == PIPELINE_TRACE_HANDLER_EXIT_OOB) << 32) | value);
        return;
    case PIPELINE_TRACE_RUN_OOB_CALL_ENTRY:
        begin(cpu, Slice::RunOobCall, 0, "run_oob_call", "pipeline", "\"fn\":" + hex(value));
        return;
    case PIPELINE_TRACE_RUN_OOB_CALL_EXIT: end(cpu, Slice::RunOobCall, 0); return;
    case PIPELINE_TRACE_IRQ_WORK_QUEUE: instant(cpu, "irq_work queued", "pipeline", "\"work\":" + hex(value)); return;
    case PIPELINE_TRACE_IRQ_WORK_RUN:
        begin(cpu, Slice::IrqWork, value, "irq_work", "pipeline", "\"work\":" + hex(value));
        return;
    case PIPELINE_TRACE_IRQ_WORK_DONE: end(cpu, Slice::IrqWork, value); return;
    case PIPELINE_TRACE_OOB_IPI_SEND: ipi_send(cpu, 0, value); return;
    case PIPELINE_TRACE_OOB_IPI_RECEIVE: ipi_receive(cpu, 0, value); return;
    case PIPELINE_TRACE_INBAND_IPI_SEND: ipi_send(cpu, 1, value); return;
    case PIPELINE_TRACE_INBAND_IPI_RECEIVE: ipi_receive(cpu, 1, value); return;
    case PIPELINE_TRACE_IDLE: instant(cpu, value ? "idle: replay instead" : "idle: sleep", "pipeline", ""); return;
    case PIPELINE_TRACE_IDLE_WAKE: instant(cpu, "idle: wake", "pipeline", ""); return;
    case PIPELINE_TRACE_IRQ_INJECT: instant(cpu, "inject irq " + irq, "pipeline", ""); return;
    case PIPELINE_TRACE_IRQ_SPURIOUS: instant(cpu, "spurious irq " + irq + " disabled", "pipeline", ""); return;
    default: break;
    }
    if (hints_.is(id, Role::ThreadSwitch)) {
        const HintTable::Info& info = hints_.info(id);
        instant(cpu, "switch to thread " + std::to_string(value), "thread", "\"event\":\"" + info.label + "\"");
    } else if (hints_.is(id, Role::SoftintEntry)) {
        begin(cpu, Slice::Softint, value, "softint ipl " + std::to_string(value), "softint", "");
    } else if (hints_.is(id, Role::SoftintExit)) {
        end(cpu, Slice::Softint, value);
    } else if (hints_.is(id, Role::XcallIssue)) {
        // One flow start per other CPU: whichever of them runs the function ends its flow.
        begin(cpu, Slice::Anchor, 0, "xcall issue", "xcall", "\"ticket\":" + std::to_string(value));
        const uint64_t base = next_flow_;
        next_flow_ += ncpus_;
        for (unsigned r = 0; r < ncpus_; ++r)
            if (r != cpu) flow(cpu, 's', base + r, "xcall");
        end(cpu, Slice::Anchor, 0);
        if (xcall_issues_.size() >= 4096) xcall_issues_.erase(xcall_issues_.begin());
        xcall_issues_[value] = XcallIssue{cpu, base};
    } else if (hints_.is(id, Role::XcallFuncStart)) {
        begin(cpu, Slice::XcallFn, value, "xcall function", "xcall", "\"ticket\":" + std::to_string(value));
        auto it = xcall_issues_.find(value);
        if (it != xcall_issues_.end() && it->second.cpu != cpu) flow(cpu, 'f', it->second.base + cpu, "xcall");
    } else if (hints_.is(id, Role::XcallFuncEnd)) {
        auto it = xcall_issues_.find(value);
        if (it != xcall_issues_.end() && it->second.cpu != cpu) {
            const uint64_t fid = next_flow_++;
            flow(cpu, 's', fid, "xcall done");
            push_bounded(xcall_done_flows_[value], fid);
        }
        end(cpu, Slice::XcallFn, value);
    } else if (hints_.is(id, Role::XcallWaitReturn)) {
        begin(cpu, Slice::Anchor, 0, "xc_wait return", "xcall", "\"ticket\":" + std::to_string(value));
        auto it = xcall_done_flows_.find(value);
        if (it != xcall_done_flows_.end()) {
            for (uint64_t fid : it->second) flow(cpu, 'f', fid, "xcall done");
            xcall_done_flows_.erase(it);
        }
        end(cpu, Slice::Anchor, 0);
        xcall_issues_.erase(value);
    } else {
        const HintTable::Info& info = hints_.info(id);
        instant(cpu, info.label.empty() ? "hint " + std::to_string(id) : info.label, "hint",
                "\"id\":" + std::to_string(id) + ",\"value\":" + std::to_string(value));
    }
}

void PerfettoWriter::event(const Event& e) {
    if (e.cycle > now_ || first_) {
        now_ = std::max(now_, e.cycle);
        ts_ = timestamp(now_, clock_.cycle_ps);
    }
    const bool core = e.cpu < ncpus_;
    const unsigned cpu = e.cpu;
    switch (e.kind) {
    case Kind::Hint:
        if (core) on_hint(cpu, e.a, e.b);
        break;
    case Kind::Trap:
        if (core)
            begin(cpu, Slice::Trap, 0, std::string("trap: ") + cause_name(e.a), "trap",
                  "\"mcause\":" + hex(e.a) + ",\"epc\":" + hex(e.b) + ",\"mtval\":" + hex(e.c));
        break;
    case Kind::Mret:
        if (core) end(cpu, Slice::Trap, 0);
        break;
    case Kind::Mie: break;  // the VCD shows it
    case Kind::Sleep:
        if (core) begin(cpu, Slice::Wfi, 0, "wfi", "cpu", "");
        break;
    case Kind::Wake:
        if (core) end(cpu, Slice::Wfi, 0);
        break;
    case Kind::CoreIrq:
        if (core) {
            const char* name = e.a == kBitMeip ? "meip" : e.a == kBitMsip ? "msip" : "mtip";
            counter("cpu" + std::to_string(cpu) + " " + name, "\"level\":" + std::to_string(e.b));
        }
        break;
    case Kind::Line: {
        std::string name = e.cpu == kNoCpu ? "spi " + std::to_string(e.a)
                                           : "cpu" + std::to_string(e.cpu) + " ppi " + std::to_string(e.a);
        instant(kDeviceTid, name + (e.b ? " raised" : " lowered"), "gic", "\"irq\":" + std::to_string(e.a));
        break;
    }
    case Kind::Pending:
    case Kind::Active:
    case Kind::Source: break;  // the VCD shows them
    case Kind::Iar: {
        if (!core) break;
        const uint32_t id = iar_id(e.a), src = iar_source(e.a);
        if (id >= 1020) break;  // spurious reads end every interrupt entry: not worth a mark
        if (id < 16) {
            begin(cpu, Slice::Anchor, 0, "IAR sgi " + std::to_string(id) + " from cpu" + std::to_string(src), "gic",
                  "");
            auto it = sgi_flows_.find(key3(cpu, id, src));
            if (it != sgi_flows_.end()) {
                for (uint64_t fid : it->second) flow(cpu, 'f', fid, "sgi");
                sgi_flows_.erase(it);
            }
            end(cpu, Slice::Anchor, 0);
        } else {
            instant(cpu, "IAR irq " + std::to_string(id), "gic", "");
        }
        break;
    }
    case Kind::Eoir:
        if (core && iar_id(e.a) < 1020) instant(cpu, "EOIR irq " + std::to_string(iar_id(e.a)), "gic", "");
        break;
    case Kind::Sgi:
        if (core) {
            begin(cpu, Slice::Anchor, 0, "SGI " + std::to_string(e.a) + " sent", "gic", "\"targets\":" + hex(e.b));
            for (unsigned r = 0; r < ncpus_ && r < 8; ++r)
                if (e.b >> r & 1) {
                    const uint64_t id = next_flow_++;
                    flow(cpu, 's', id, "sgi");
                    push_bounded(sgi_flows_[key3(r, e.a, cpu)], id);
                }
            end(cpu, Slice::Anchor, 0);
        }
        break;
    }
}

void PerfettoWriter::finish(uint64_t end_cycle) {
    if (finished_) return;
    finished_ = true;
    if (end_cycle > now_) {
        now_ = end_cycle;
        ts_ = timestamp(now_, clock_.cycle_ps);
    }
    for (unsigned tid = 0; tid < tracks_.size(); ++tid) {
        for (size_t n = tracks_[tid].stack.size(); n > 0; --n) {
            start_line('E', tid);
            end_line(nullptr, std::string(), std::string());
        }
        tracks_[tid].stack.clear();
    }
    std::fprintf(f_,
                 "\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{\"simulator\":\"oobsim\",\"clock_hz\":%" PRIu64
                 ",\"cycle_ps\":%" PRIu64 ",\"cpus\":%u,\"end_cycle\":%" PRIu64 "}}\n",
                 clock_.clock_hz, clock_.cycle_ps, ncpus_, now_);
    const bool ok = !std::ferror(f_);
    std::fclose(f_);
    f_ = nullptr;
    if (!ok) throw std::runtime_error("writing the Perfetto trace failed");
}

}  // namespace oobsim::trace

#include "vcd_writer.h"

#include <algorithm>
#include <cinttypes>
#include <cstring>
#include <stdexcept>

#include "text.h"

namespace oobsim::trace {

namespace {
std::string id_code(size_t n) {
    // Printable ASCII '!' .. '~', base 94.
    std::string s;
    do {
        s += char('!' + n % 94);
        n /= 94;
    } while (n);
    return s;
}

// "cpu10" after "cpu9": compare names by their text, numbers by value.
bool natural_less(const std::string& a, const std::string& b) {
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (isdigit((unsigned char)a[i]) && isdigit((unsigned char)b[j])) {
            size_t i2 = i, j2 = j;
            while (i2 < a.size() && isdigit((unsigned char)a[i2])) ++i2;
            while (j2 < b.size() && isdigit((unsigned char)b[j2])) ++j2;
            const unsigned long long x = std::stoull(a.substr(i, i2 - i)), y = std::stoull(b.substr(j, j2 - j));
            if (x != y) return x < y;
            i = i2;
            j = j2;
        } else {
            if (a[i] != b[j]) return a[i] < b[j];
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}
}  // namespace

std::string VcdWriter::timescale(uint64_t cycle_ps, uint64_t* multiplier) {
    static const char* const units[] = {"ps", "ns", "us", "ms", "s"};
    uint64_t v = cycle_ps;
    for (const char* unit : units) {
        if (v == 1 || v == 10 || v == 100) {
            *multiplier = 1;
            return std::to_string(v) + unit;
        }
        if (v % 1000 != 0) break;
        v /= 1000;
    }
    *multiplier = cycle_ps;
    return "1ps";
}

VcdWriter::VcdWriter(const std::string& path, const HintTable& hints, const Clock& clock, unsigned ncpus)
    : path_(path), body_path_(path + ".body"), body_(nullptr), hints_(hints), clock_(clock), ncpus_(ncpus) {
    timescale_ = timescale(clock.cycle_ps, &mult_);
    // Check now that the output can be written, rather than after the run.
    std::FILE* probe = std::fopen(path_.c_str(), "w");
    if (!probe) throw std::runtime_error("cannot write the VCD file " + path_);
    std::fclose(probe);
    body_ = std::fopen(body_path_.c_str(), "w+");
    if (!body_) throw std::runtime_error("cannot write the VCD body file " + body_path_);
    std::setvbuf(body_, nullptr, _IOFBF, 1 << 20);
    cpus_.resize(ncpus);
    for (unsigned i = 0; i < ncpus; ++i) {
        const std::vector<std::string> s{"cpu" + std::to_string(i)};
        CpuSignals c;
        c.stage = declare(s, "stage", 1);
        c.inband_stall = declare(s, "inband_stall", 1);
        c.oob_stall = declare(s, "oob_stall", 1);
        c.hard_irqs_on = declare(s, "hard_irqs_on", 1);
        c.log_inband = declare(s, "log_inband", 11);
        c.log_oob = declare(s, "log_oob", 11);
        c.irq = declare(s, "irq", 11, true);
        c.irq_stage = declare(s, "irq_stage", 1, true);
        c.thread = declare(s, "thread", 32);
        c.meip = declare(s, "meip", 1);
        c.msip = declare(s, "msip", 1);
        c.mtip = declare(s, "mtip", 1);
        c.in_pipeline = declare(s, "in_pipeline", 1);
        c.replay = declare(s, "replay", 1);
        c.in_trap = declare(s, "in_trap", 1);
        c.wfi = declare(s, "wfi", 1);
        c.hint = declare(s, "hint", 11, true);
        c.hint_value = declare(s, "hint_value", 32, true);
        const std::vector<std::string> g{"sgi"};
        const std::string p = "cpu" + std::to_string(i) + "_";
        c.sgi_sent = declare(g, p + "sent", 32);
        c.sgi_last = declare(g, p + "last_sgi", 4, true);
        c.sgi_targets = declare(g, p + "last_targets", 8, true);
        c.sgi_received = declare(g, p + "received", 32);
        cpu_vars_.push_back(c);
    }
}

VcdWriter::~VcdWriter() {
    if (body_) {
        std::fclose(body_);
        std::remove(body_path_.c_str());
    }
}

unsigned VcdWriter::declare(std::vector<std::string> scope, const std::string& name, unsigned width, bool x) {
    Var v;
    v.scope = std::move(scope);
    v.name = name;
    v.width = width;
    v.code = id_code(vars_.size());
    v.value = v.out_value = v.init_value = 0;
    v.x = v.out_x = v.init_x = x;
    v.dirty = false;
    vars_.push_back(std::move(v));
    return unsigned(vars_.size() - 1);
}

void VcdWriter::set(unsigned var, uint64_t value) {
    Var& v = vars_[var];
    if (v.width < 64) value &= (uint64_t(1) << v.width) - 1;
    v.value = value;
    v.x = false;
    if (!v.dirty) {
        v.dirty = true;
        dirty_.push_back(var);
    }
}

void VcdWriter::set_x(unsigned var) {
    Var& v = vars_[var];
    v.x = true;
    if (!v.dirty) {
        v.dirty = true;
        dirty_.push_back(var);
    }
}

void VcdWriter::write_value(std::FILE* f, const Var& v, uint64_t value, bool x) const {
    char buf[96];
    char* p = buf;
    if (v.width == 1) {
        *p++ = x ? 'x' : char('0' + (value & 1));
    } else {
        *p++ = 'b';
        if (x) {
            *p++ = 'x';
        } else {
            int top = 63;
            while (top > 0 && !(value >> top & 1)) --top;  // VCD drops leading zeros (left-extended with 0)
            for (int b = top; b >= 0; --b) *p++ = char('0' + (value >> b & 1));
        }
        *p++ = ' ';
    }
    p = text::put(p, v.code.c_str());
    *p++ = '\n';
    std::fwrite(buf, 1, size_t(p - buf), f);
}

void VcdWriter::flush() {
    bool time_written = false;
    for (unsigned i : dirty_) {
        Var& v = vars_[i];
        v.dirty = false;
        if (v.x == v.out_x && (v.x || v.value == v.out_value)) continue;
        if (!time_written && now_ != 0) {
            char buf[32];
            char* p = text::put_dec(text::put(buf, '#'), now_ * mult_);
            *p++ = '\n';
            std::fwrite(buf, 1, size_t(p - buf), body_);
            last_written_ = now_;
        }
        time_written = true;
        write_value(body_, v, v.value, v.x);
        v.out_value = v.value;
        v.out_x = v.x;
    }
    dirty_.clear();
}

void VcdWriter::advance(uint64_t cycle) {
    if (cycle <= now_) return;  // a late event (see EventStream) is shown at the current time
    flush();
    now_ = cycle;
}

VcdWriter::LineSignals& VcdWriter::line_signals(uint16_t cpu, uint32_t id) {
    LineSignals& l = lines_[(uint32_t(cpu) << 16) | (id & 0xffff)];
    if (l.pending < 0) {
        std::vector<std::string> scope{"gic"};
        if (cpu != kNoCpu) scope.push_back("cpu" + std::to_string(cpu));
        scope.push_back((id < 16 ? "sgi" : id < 32 ? "ppi" : "spi") + std::to_string(id));
        if (id >= 16) l.line = int(declare(scope, "line", 1));
        l.pending = int(declare(scope, "pending", 1));
        l.active = int(declare(scope, "active", 1));
    }
    return l;
}

void VcdWriter::update_handler_signals(unsigned cpu) {
    const CpuState& st = cpus_[cpu];
    const CpuSignals& c = cpu_vars_[cpu];
    if (st.handlers.empty()) {
        set_x(c.irq);
        set_x(c.irq_stage);
    } else {
        set(c.irq, st.handlers.back().first);
        set(c.irq_stage, st.handlers.back().second);
    }
}

void VcdWriter::on_hint(unsigned cpu, uint32_t id, uint32_t value) {
    CpuState& st = cpus_[cpu];
    const CpuSignals& c = cpu_vars_[cpu];
    set(c.hint, id);
    set(c.hint_value, value);
    switch (id) {
    case PIPELINE_TRACE_ENTRY:
        ++st.pipeline_depth;
        set(c.in_pipeline, 1);
        break;
    case PIPELINE_TRACE_EXIT:
        if (st.pipeline_depth) --st.pipeline_depth;
        set(c.in_pipeline, st.pipeline_depth != 0);
        break;
    case PIPELINE_TRACE_STAGE_SWITCH: set(c.stage, value & 1); break;
    case PIPELINE_TRACE_INBAND_STALL: set(c.inband_stall, 1); break;
    case PIPELINE_TRACE_INBAND_UNSTALL: set(c.inband_stall, 0); break;
    case PIPELINE_TRACE_OOB_STALL: set(c.oob_stall, 1); break;
    case PIPELINE_TRACE_OOB_UNSTALL: set(c.oob_stall, 0); break;
    case PIPELINE_TRACE_IRQ_LOG_INBAND:
    case PIPELINE_TRACE_IRQ_LOG_OOB:
    case PIPELINE_TRACE_IRQ_PULL_INBAND:
    case PIPELINE_TRACE_IRQ_PULL_OOB: {
        const bool oob = id == PIPELINE_TRACE_IRQ_LOG_OOB || id == PIPELINE_TRACE_IRQ_PULL_OOB;
        const bool add = id == PIPELINE_TRACE_IRQ_LOG_INBAND || id == PIPELINE_TRACE_IRQ_LOG_OOB;
        if (value < 1024) st.log[oob][value] = add;
        set(oob ? c.log_oob : c.log_inband, st.log[oob].count());
        break;
    }
    case PIPELINE_TRACE_REPLAY_BEGIN:
        ++st.replay_depth;
        set(c.replay, 1);
        break;
    case PIPELINE_TRACE_REPLAY_END:
        if (st.replay_depth) --st.replay_depth;
        set(c.replay, st.replay_depth != 0);
        break;
    case PIPELINE_TRACE_HANDLER_ENTRY_INBAND:
    case PIPELINE_TRACE_HANDLER_ENTRY_OOB:
        if (st.handlers.size() < 256) st.handlers.emplace_back(value, id == PIPELINE_TRACE_HANDLER_ENTRY_OOB);
        update_handler_signals(cpu);
        break;
    case PIPELINE_TRACE_HANDLER_EXIT_INBAND:
    case PIPELINE_TRACE_HANDLER_EXIT_OOB: {
        const std::pair<uint32_t, uint32_t> h(value, id == PIPELINE_TRACE_HANDLER_EXIT_OOB);
        for (size_t k = st.handlers.size(); k-- > 0;)
            if (st.handlers[k] == h) {
                st.handlers.erase(st.handlers.begin() + long(k));
                break;
            }
        update_handler_signals(cpu);
        break;
    }
    default:
        if (hints_.is(id, Role::ThreadSwitch)) set(c.thread, value);
        break;
    }
}

void VcdWriter::event(const Event& e) {
    advance(e.cycle);
    const bool core = e.cpu < ncpus_;
    switch (e.kind) {
    case Kind::Hint:
        if (core) on_hint(e.cpu, e.a, e.b);
        break;
    case Kind::Trap:
        if (core) set(cpu_vars_[e.cpu].in_trap, ++cpus_[e.cpu].trap_depth != 0);
        break;
    case Kind::Mret:
        if (core) {
            unsigned& d = cpus_[e.cpu].trap_depth;
            if (d) --d;
            set(cpu_vars_[e.cpu].in_trap, d != 0);
        }
        break;
    case Kind::Mie:
        if (core) set(cpu_vars_[e.cpu].hard_irqs_on, e.a & 1);
        break;
    case Kind::Sleep:
        if (core) set(cpu_vars_[e.cpu].wfi, 1);
        break;
    case Kind::Wake:
        if (core) set(cpu_vars_[e.cpu].wfi, 0);
        break;
    case Kind::CoreIrq:
        if (core) {
            const CpuSignals& c = cpu_vars_[e.cpu];
            if (e.a == kBitMeip) set(c.meip, e.b & 1);
            if (e.a == kBitMsip) set(c.msip, e.b & 1);
            if (e.a == kBitMtip) set(c.mtip, e.b & 1);
        }
        break;
    case Kind::Line:
    case Kind::Pending:
    case Kind::Active: {
        if (e.a > 1023 || (e.cpu != kNoCpu && !core)) break;
        LineSignals& l = line_signals(e.cpu, e.a);
        const int var = e.kind == Kind::Line ? l.line : e.kind == Kind::Pending ? l.pending : l.active;
        if (var >= 0) set(unsigned(var), e.b & 1);
        break;
    }
    case Kind::Iar:
        if (core && iar_id(e.a) < 16) set(cpu_vars_[e.cpu].sgi_received, ++cpus_[e.cpu].sgi_received);
        break;
    case Kind::Eoir: break;
    case Kind::Sgi:
        if (core) {
            const CpuSignals& c = cpu_vars_[e.cpu];
            set(c.sgi_sent, ++cpus_[e.cpu].sgi_sent);
            set(c.sgi_last, e.a);
            set(c.sgi_targets, e.b);
        }
        break;
    case Kind::Source: {
        auto it = sources_.find(e.a);
        if (it == sources_.end())
            it = sources_
                     .emplace(e.a, declare({"irq_sources"},
                                           "ch" + std::to_string(e.a) + "_spi" + std::to_string(e.c), 1))
                     .first;
        set(it->second, e.b & 1);
        break;
    }
    }
}

void VcdWriter::finish(uint64_t end_cycle) {
    if (finished_) return;
    finished_ = true;
    advance(end_cycle);
    flush();
    // The waveform lasts until the end of the run.
    if (last_written_ < now_) std::fprintf(body_, "#%" PRIu64 "\n", now_ * mult_);

    std::FILE* f = std::fopen(path_.c_str(), "w");
    if (!f) throw std::runtime_error("cannot write the VCD file " + path_);
    std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
    std::fprintf(f, "$version oobsim $end\n");
    std::fprintf(f, "$comment clock_hz=%" PRIu64 " cycle_ps=%" PRIu64 " cpus=%u: one time unit is %s; %s $end\n",
                 clock_.clock_hz, clock_.cycle_ps, ncpus_, timescale_.c_str(),
                 mult_ == 1 ? "VCD times are cycle numbers" : "VCD times are cycle numbers times cycle_ps");
    std::fprintf(f, "$timescale %s $end\n", timescale_.c_str());
    // Scopes: sorted naturally (cpu2 before cpu10), variables in declaration order within a scope.
    std::vector<unsigned> order(vars_.size());
    for (unsigned i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](unsigned a, unsigned b) {
        const auto& x = vars_[a].scope;
        const auto& y = vars_[b].scope;
        for (size_t k = 0; k < x.size() && k < y.size(); ++k)
            if (x[k] != y[k]) return natural_less(x[k], y[k]);
        return x.size() < y.size();
    });
    std::fprintf(f, "$scope module oobsim $end\n");
    std::vector<std::string> open;
    for (unsigned i : order) {
        const Var& v = vars_[i];
        size_t common = 0;
        while (common < open.size() && common < v.scope.size() && open[common] == v.scope[common]) ++common;
        while (open.size() > common) {
            std::fprintf(f, "$upscope $end\n");
            open.pop_back();
        }
        while (open.size() < v.scope.size()) {
            open.push_back(v.scope[open.size()]);
            std::fprintf(f, "$scope module %s $end\n", open.back().c_str());
        }
        if (v.width == 1)
            std::fprintf(f, "$var wire 1 %s %s $end\n", v.code.c_str(), v.name.c_str());
        else
            std::fprintf(f, "$var wire %u %s %s [%u:0] $end\n", v.width, v.code.c_str(), v.name.c_str(),
                         v.width - 1);
    }
    while (!open.empty()) {
        std::fprintf(f, "$upscope $end\n");
        open.pop_back();
    }
    std::fprintf(f, "$upscope $end\n$enddefinitions $end\n#0\n$dumpvars\n");
    for (const Var& v : vars_) write_value(f, v, v.init_value, v.init_x);
    std::fprintf(f, "$end\n");
    // Then the body.
    std::fflush(body_);
    std::rewind(body_);
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, body_)) > 0) std::fwrite(buf, 1, n, f);
    const bool ok = !std::ferror(f);
    std::fclose(f);
    std::fclose(body_);
    body_ = nullptr;
    std::remove(body_path_.c_str());
    if (!ok) throw std::runtime_error("writing the VCD file " + path_ + " failed");
}

}  // namespace oobsim::trace

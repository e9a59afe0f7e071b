#include "metrics.h"

#include <algorithm>
#include <cinttypes>
#include <stdexcept>

namespace oobsim::trace {

// ---- Histogram -----------------------------------------------------------------------------------------------------

uint64_t Histogram::bucket_of(uint64_t v) {
    if (v < kExactBelow) return v;
    const unsigned k = 63u - unsigned(__builtin_clzll(v));  // 2^k <= v < 2^(k+1), k >= 11
    const uint64_t width = uint64_t(1) << (k - 10);           // 2^k / kSubBuckets
    return v & ~(width - 1);
}

void Histogram::add(uint64_t v) {
    if (count_ == 0 || v < min_) min_ = v;
    if (count_ == 0 || v > max_) max_ = v;
    ++count_;
    sum_ += (long double)v;
    ++buckets_[bucket_of(v)];
}

uint64_t Histogram::percentile_permille(unsigned permille) const {
    if (count_ == 0) return 0;
    uint64_t rank = (uint64_t(permille) * count_ + 999) / 1000;
    if (rank == 0) rank = 1;
    if (rank >= count_) return max_;  // exact, whatever its bucket
    uint64_t seen = 0;
    for (const auto& [value, n] : buckets_) {
        seen += n;
        if (seen >= rank) return std::min(std::max(value, min_), max_);
    }
    return max_;
}

void Metric::add(uint64_t value, uint64_t from, uint64_t to, int cpu) {
    if (hist.count() == 0 || value > hist.max()) {
        max_from = from;
        max_at = to;
        max_cpu = cpu;
    }
    hist.add(value);
}

// ---- The metrics ---------------------------------------------------------------------------------------------------

namespace {
struct Definition {
    const char* name;
    const char* text;
};
// In the order of LatencyMetrics::Id.
const Definition kDefinitions[] = {
    {"irq_to_ack", "device IRQ line raised at the GIC -> GICC_IAR returns it on the CPU that takes it"},
    {"irq_to_oob_handler", "device IRQ line raised at the GIC -> oob handler entry for it on the CPU that took it"},
    {"irq_to_inband_handler", "device IRQ line raised at the GIC -> in-band handler entry for it on the CPU that took it"},
    {"irq_logged_inband", "IRQ posted to the in-band log -> pulled out of it by a replay (same CPU)"},
    {"irq_logged_oob", "IRQ posted to the oob log -> pulled out of it by a replay (same CPU)"},
    {"run_oob_call_overhead", "run_oob_call() entry -> exit, minus fn's own time when oob_call_fn_begin/end mark it"},
    {"ipi_delivery_oob", "oob IPI sent -> received on each target CPU"},
    {"ipi_delivery_inband", "in-band IPI message sent -> received on each target CPU"},
    {"sgi_delivery", "SGI written to GICD_SGIR -> GICC_IAR returns it on each target CPU"},
    {"oob_responder_wakeup", "device IRQ raised -> next oob thread switch on the CPU that ran its oob handler"},
    {"xcall_issue_to_remote_start", "xcall issued -> its function starts on each other CPU"},
    {"xcall_issue_to_wait_return", "xcall issued -> xc_wait() returns for it on the issuing CPU"},
    {"oob_handler", "oob handler entry -> exit (all actions of one IRQ)"},
    {"inband_handler", "in-band handler entry -> exit (all actions of one IRQ)"},
    {"pipeline_entry_exit", "handle_irq_pipelined() entry -> exit"},
    {"inband_stalled", "in-band stage stalled -> unstalled (a virtually masked section)"},
};

constexpr size_t kMaxQueue = 256;  // pending sends per key: older ones are forgotten (bounded memory)
constexpr size_t kMaxStack = 64;

uint64_t key3(uint64_t a, uint64_t b, uint64_t c) { return (a << 40) | (b << 20) | c; }
uint32_t line_key(uint16_t cpu, uint32_t id) { return (uint32_t(cpu) << 16) | (id & 0xffff); }

std::string json_escape(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == '"' || c == '\\') o += '\\';
        o += c;
    }
    return o;
}
}  // namespace

static_assert(sizeof kDefinitions / sizeof kDefinitions[0] == 16, "one definition per metric");

LatencyMetrics::LatencyMetrics(const HintTable& hints, const Clock& clock, unsigned ncpus)
    : hints_(hints), clock_(clock), ncpus_(ncpus), cpus_(ncpus) {
    for (const Definition& d : kDefinitions) {
        Metric m;
        m.name = d.name;
        m.definition = d.text;
        metrics_.push_back(std::move(m));
    }
}

const Metric& LatencyMetrics::get(const std::string& name) const {
    for (const Metric& m : metrics_)
        if (m.name == name) return m;
    throw std::out_of_range("no metric named " + name);
}

void LatencyMetrics::push_bounded(std::deque<uint64_t>& q, uint64_t v) {
    if (q.size() >= kMaxQueue) q.pop_front();
    q.push_back(v);
}

void LatencyMetrics::on_hint(unsigned cpu, uint64_t now, uint32_t id, uint32_t value) {
    CpuState& c = cpus_[cpu];
    switch (id) {
    case PIPELINE_TRACE_ENTRY:
        if (c.pipeline.size() < kMaxStack) c.pipeline.push_back(now);
        return;
    case PIPELINE_TRACE_EXIT:
        if (!c.pipeline.empty()) {
            sample(kPipelineEntryExit, c.pipeline.back(), now, int(cpu));
            c.pipeline.pop_back();
        }
        return;
    case PIPELINE_TRACE_INBAND_STALL:
        if (!c.inband_stalled) c.stalled_at = now;
        c.inband_stalled = true;
        return;
    case PIPELINE_TRACE_INBAND_UNSTALL:
        if (c.inband_stalled) sample(kInbandStalled, c.stalled_at, now, int(cpu));
        c.inband_stalled = false;
        return;
    case PIPELINE_TRACE_IRQ_LOG_INBAND:
    case PIPELINE_TRACE_IRQ_LOG_OOB:
        if (value < 2048) c.logged[id == PIPELINE_TRACE_IRQ_LOG_OOB].emplace(value, now);  // no-op if logged
        return;
    case PIPELINE_TRACE_IRQ_PULL_INBAND:
    case PIPELINE_TRACE_IRQ_PULL_OOB: {
        const bool oob = id == PIPELINE_TRACE_IRQ_PULL_OOB;
        auto it = c.logged[oob].find(value);
        if (it != c.logged[oob].end()) {
            sample(oob ? kIrqLoggedOob : kIrqLoggedInband, it->second, now, int(cpu));
            c.logged[oob].erase(it);
        }
        return;
    }
    case PIPELINE_TRACE_HANDLER_ENTRY_INBAND:
    case PIPELINE_TRACE_HANDLER_ENTRY_OOB: {
        const bool oob = id == PIPELINE_TRACE_HANDLER_ENTRY_OOB;
        auto it = c.taken.find(value);
        if (it != c.taken.end()) {
            sample(oob ? kIrqToOobHandler : kIrqToInbandHandler, it->second, now, int(cpu));
            if (oob) {
                c.responder_armed = true;
                c.responder_raise = it->second;
            }
            c.taken.erase(it);
        }
        if (c.handlers.size() < kMaxStack) c.handlers.emplace_back((uint64_t(oob) << 32) | value, now);
        return;
    }
    case PIPELINE_TRACE_HANDLER_EXIT_INBAND:
    case PIPELINE_TRACE_HANDLER_EXIT_OOB: {
        const bool oob = id == PIPELINE_TRACE_HANDLER_EXIT_OOB;
        const uint64_t key = (uint64_t(oob) << 32) | value;
        for (size_t k = c.handlers.size(); k-- > 0;)
            if (c.handlers[k].first == key) {
                sample(oob ? kOobHandler : kInbandHandler, c.handlers[k].second, now, int(cpu));
                c.handlers.erase(c.handlers.begin() + long(k));
                break;
            }
        return;
    }
    case PIPELINE_TRACE_RUN_OOB_CALL_ENTRY:
        if (c.oob_calls.size() < kMaxStack) c.oob_calls.push_back(OobCall{now});
        return;
    case PIPELINE_TRACE_RUN_OOB_CALL_EXIT:
        if (!c.oob_calls.empty()) {
            OobCall call = c.oob_calls.back();
            c.oob_calls.pop_back();
            if (call.in_fn) call.fn_time += now - call.fn_begin;
            const uint64_t total = now - call.entry;
            metrics_[kRunOobCallOverhead].add(total - std::min(total, call.fn_time), call.entry, now, int(cpu));
        }
        return;
    case PIPELINE_TRACE_OOB_IPI_SEND:
    case PIPELINE_TRACE_INBAND_IPI_SEND: {
        const unsigned kind = id == PIPELINE_TRACE_INBAND_IPI_SEND;
        for (unsigned r = 0; r < ncpus_ && r < 16; ++r)
            if (value >> r & 1) push_bounded(ipi_sends_[key3(r, kind, value >> 16)], now);
        return;
    }
    case PIPELINE_TRACE_OOB_IPI_RECEIVE:
    case PIPELINE_TRACE_INBAND_IPI_RECEIVE: {
        const unsigned kind = id == PIPELINE_TRACE_INBAND_IPI_RECEIVE;
        auto it = ipi_sends_.find(key3(cpu, kind, value));
        if (it != ipi_sends_.end()) {
            for (uint64_t sent : it->second)
                sample(kind ? kIpiDeliveryInband : kIpiDeliveryOob, sent, now, int(cpu));
            ipi_sends_.erase(it);
        }
        return;
    }
    default: break;
    }
    if (hints_.is(id, Role::OobThreadSwitch)) {
        if (c.responder_armed) sample(kOobResponderWakeup, c.responder_raise, now, int(cpu));
        c.responder_armed = false;
    } else if (hints_.is(id, Role::OobFnBegin)) {
        if (!c.oob_calls.empty() && !c.oob_calls.back().in_fn) {
            c.oob_calls.back().in_fn = true;
            c.oob_calls.back().fn_begin = now;
        }
    } else if (hints_.is(id, Role::OobFnEnd)) {
        if (!c.oob_calls.empty() && c.oob_calls.back().in_fn) {
            c.oob_calls.back().in_fn = false;
            c.oob_calls.back().fn_time += now - c.oob_calls.back().fn_begin;
        }
    } else if (hints_.is(id, Role::XcallIssue)) {
        if (!xcalls_.count(value)) {
            xcall_order_.push_back(value);
            if (xcall_order_.size() > 4096) {
                xcalls_.erase(xcall_order_.front());
                xcall_order_.pop_front();
            }
        }
        xcalls_[value] = Xcall{cpu, now};
    } else if (hints_.is(id, Role::XcallFuncStart)) {
        auto it = xcalls_.find(value);
        if (it != xcalls_.end() && it->second.cpu != cpu) sample(kXcallToRemoteStart, it->second.issued, now, int(cpu));
    } else if (hints_.is(id, Role::XcallWaitReturn)) {
        auto it = xcalls_.find(value);
        if (it != xcalls_.end() && it->second.cpu == cpu) {
            sample(kXcallToWaitReturn, it->second.issued, now, int(cpu));
            xcalls_.erase(it);
        }
    }
}

void LatencyMetrics::event(const Event& e) {
    const uint64_t now = e.cycle;
    const bool core = e.cpu < ncpus_;
    switch (e.kind) {
    case Kind::Hint:
        if (core) on_hint(e.cpu, now, e.a, e.b);
        break;
    case Kind::Line: {
        const uint32_t key = line_key(e.cpu, e.a);
        uint8_t& level = line_level_[key];
        if (e.b && !level && !raised_.count(key)) raised_[key] = now;  // a rising edge, none outstanding
        level = e.b ? 1 : 0;
        break;
    }
    case Kind::Pending:
        // The GIC dropped the interrupt without an acknowledge (a level line lowered first, or GICD_ICPENDR): that
        // edge will never be taken, and the next one starts afresh. (An IAR is traced before the pending change it
        // makes, so an acknowledged edge is already gone from raised_ here.)
        if (!e.b) raised_.erase(line_key(e.cpu, e.a));
        break;
    case Kind::Iar: {
        if (!core) break;
        const uint32_t id = iar_id(e.a);
        if (id < 16) {
            auto it = sgi_sends_.find(key3(e.cpu, id, iar_source(e.a)));
            if (it != sgi_sends_.end()) {
                for (uint64_t sent : it->second) sample(kSgiDelivery, sent, now, e.cpu);
                sgi_sends_.erase(it);
            }
        } else if (id < 1020) {
            auto it = raised_.find(line_key(id < 32 ? e.cpu : kNoCpu, id));
            if (it != raised_.end()) {
                sample(kIrqToAck, it->second, now, e.cpu);
                cpus_[e.cpu].taken[id] = it->second;
                raised_.erase(it);
            }
        }
        break;
    }
    case Kind::Sgi:
        if (core)
            for (unsigned r = 0; r < ncpus_ && r < 8; ++r)
                if (e.b >> r & 1) push_bounded(sgi_sends_[key3(r, e.a, e.cpu)], now);
        break;
    default: break;
    }
}

void LatencyMetrics::finish(uint64_t end_cycle) { end_cycle_ = end_cycle; }

// ---- Output --------------------------------------------------------------------------------------------------------

namespace {
const unsigned kPermille[] = {500, 900, 990, 999};
const char* const kPercentileNames[] = {"p50", "p90", "p99", "p99.9"};
}  // namespace

std::string LatencyMetrics::json() const {
    std::string o;
    char b[512];
    std::snprintf(b, sizeof b,
                  "{\n  \"clock_hz\": %" PRIu64 ",\n  \"cycle_ps\": %" PRIu64 ",\n  \"end_cycle\": %" PRIu64
                  ",\n  \"percentiles\": \"nearest-rank\",\n  \"histogram_exact_below_cycles\": %" PRIu64
                  ",\n  \"metrics\": {",
                  clock_.clock_hz, clock_.cycle_ps, end_cycle_, Histogram::kExactBelow);
    o += b;
    for (size_t i = 0; i < metrics_.size(); ++i) {
        const Metric& m = metrics_[i];
        const Histogram& h = m.hist;
        o += i ? ",\n" : "\n";
        o += "    \"" + m.name + "\": {\n      \"definition\": \"" + json_escape(m.definition) + "\",\n";
        std::snprintf(b, sizeof b, "      \"count\": %" PRIu64 ",\n", h.count());
        o += b;
        if (h.count() == 0) {
            o += "      \"cycles\": null,\n      \"ns\": null,\n      \"max_at_cycle\": null,\n"
                 "      \"max_from_cycle\": null,\n      \"max_cpu\": null,\n      \"histogram\": []\n    }";
            continue;
        }
        for (int unit = 0; unit < 2; ++unit) {
            const double scale = unit ? double(clock_.cycle_ps) / 1000.0 : 1.0;
            auto num = [&](uint64_t v) {
                char t[40];
                if (unit)
                    std::snprintf(t, sizeof t, "%.3f", double(v) * scale);
                else
                    std::snprintf(t, sizeof t, "%" PRIu64, v);
                return std::string(t);
            };
            o += unit ? "      \"ns\": {" : "      \"cycles\": {";
            o += "\"min\": " + num(h.min());
            std::snprintf(b, sizeof b, ", \"mean\": %.3f", h.mean() * scale);
            o += b;
            for (size_t p = 0; p < 4; ++p)
                o += std::string(", \"") + kPercentileNames[p] + "\": " + num(h.percentile_permille(kPermille[p]));
            o += ", \"max\": " + num(h.max()) + "},\n";
        }
        std::snprintf(b, sizeof b,
                      "      \"max_at_cycle\": %" PRIu64 ",\n      \"max_from_cycle\": %" PRIu64
                      ",\n      \"max_cpu\": %d,\n      \"histogram\": [",
                      m.max_at, m.max_from, m.max_cpu);
        o += b;
        bool first = true;
        for (const auto& [value, n] : h.buckets()) {
            std::snprintf(b, sizeof b, "%s[%" PRIu64 ", %" PRIu64 "]", first ? "" : ", ", value, n);
            o += b;
            first = false;
        }
        o += "]\n    }";
    }
    o += "\n  }\n}\n";
    return o;
}

std::string LatencyMetrics::table() const {
    std::string o;
    char b[512];
    std::snprintf(b, sizeof b, "latency metrics: cycles (second line: ns at %.3f MHz); docs/metrics.md\n",
                  double(clock_.clock_hz) / 1e6);
    o += b;
    std::snprintf(b, sizeof b, "%-28s %8s %9s %11s %9s %9s %9s %9s %9s %14s\n", "metric", "count", "min", "mean", "p50",
                  "p90", "p99", "p99.9", "max", "max at cycle");
    o += b;
    for (const Metric& m : metrics_) {
        const Histogram& h = m.hist;
        if (h.count() == 0) {
            std::snprintf(b, sizeof b, "%-28s %8d %9s %11s %9s %9s %9s %9s %9s %14s\n", m.name.c_str(), 0, "-", "-",
                          "-", "-", "-", "-", "-", "-");
            o += b;
            continue;
        }
        std::snprintf(b, sizeof b,
                      "%-28s %8" PRIu64 " %9" PRIu64 " %11.1f %9" PRIu64 " %9" PRIu64 " %9" PRIu64 " %9" PRIu64
                      " %9" PRIu64 " %14" PRIu64 "\n",
                      m.name.c_str(), h.count(), h.min(), h.mean(), h.percentile_permille(500),
                      h.percentile_permille(900), h.percentile_permille(990), h.percentile_permille(999), h.max(),
                      m.max_at);
        o += b;
        const double s = double(clock_.cycle_ps) / 1000.0;
        std::snprintf(b, sizeof b, "%-28s %8s %9.1f %11.1f %9.1f %9.1f %9.1f %9.1f %9.1f\n", "  ns", "",
                      double(h.min()) * s, h.mean() * s, double(h.percentile_permille(500)) * s,
                      double(h.percentile_permille(900)) * s, double(h.percentile_permille(990)) * s,
                      double(h.percentile_permille(999)) * s, double(h.max()) * s);
        o += b;
    }
    return o;
}

std::string LatencyMetrics::histogram_text(uint64_t cell_ns) const {
    if (cell_ns == 0) cell_ns = 1;
    std::string o;
    char b[512];
    std::snprintf(b, sizeof b,
                  "# oobsim latency histograms, latmus style (docs/metrics.md)\n"
                  "# clock: %" PRIu64 " Hz, cycle %" PRIu64 " ps; end of run: cycle %" PRIu64 "\n"
                  "# cell: %" PRIu64 " ns (cell k counts samples of [k*%" PRIu64 ", (k+1)*%" PRIu64
                  ") ns; latencies below in microseconds)\n",
                  clock_.clock_hz, clock_.cycle_ps, end_cycle_, cell_ns, cell_ns, cell_ns);
    o += b;
    std::vector<const Metric*> cols;
    for (const Metric& m : metrics_)
        if (m.hist.count()) cols.push_back(&m);
    for (const Metric* m : cols) {
        const double us = double(clock_.cycle_ps) / 1e6;
        std::snprintf(b, sizeof b,
                      "# %s min latency: %.3f\n# %s avg latency: %.3f\n# %s max latency: %.3f\n"
                      "# %s sample count: %" PRIu64 "\n# %s max at cycle: %" PRIu64 "\n",
                      m->name.c_str(), double(m->hist.min()) * us, m->name.c_str(), m->hist.mean() * us,
                      m->name.c_str(), double(m->hist.max()) * us, m->name.c_str(), m->hist.count(), m->name.c_str(),
                      m->max_at);
        o += b;
    }
    if (cols.empty()) return o + "# no samples\n";
    o += "# columns: cell";
    for (const Metric* m : cols) o += " " + m->name;
    o += "\n";
    std::vector<std::vector<uint64_t>> cells(cols.size(), std::vector<uint64_t>(kMaxCells, 0));
    bool outliers = false;
    size_t first = kMaxCells, last = 0;
    for (size_t c = 0; c < cols.size(); ++c)
        for (const auto& [value, n] : cols[c]->hist.buckets()) {
            uint64_t cell = value * clock_.cycle_ps / 1000 / cell_ns;
            if (cell >= kMaxCells) {
                cell = kMaxCells - 1;
                outliers = true;
            }
            cells[c][cell] += n;
            first = std::min<size_t>(first, cell);
            last = std::max<size_t>(last, cell);
        }
    for (size_t k = first; k <= last; ++k) {
        o += std::to_string(k);
        if (k == last && outliers) o += "+";
        for (size_t c = 0; c < cols.size(); ++c) o += " " + std::to_string(cells[c][k]);
        o += "\n";
    }
    return o;
}

}  // namespace oobsim::trace

#include "gic.h"

#include <cstring>
#include <string>

#include "models/cpu/cluster.h"
#include "sim/diagnostics.h"
#include "sim/memory_map.h"

namespace oobsim {

using namespace sc_core;

namespace {
class GicStateCore final : public GicCore {
public:
    GicStateCore(unsigned ncpus, unsigned nspis) : s_(ncpus, nspis) {}
    bool read(unsigned cpu, bool distributor, uint32_t offset, unsigned size, uint32_t* value) override {
        return s_.read(cpu, distributor, offset, size, value);
    }
    bool write(unsigned cpu, bool distributor, uint32_t offset, unsigned size, uint32_t value) override {
        return s_.write(cpu, distributor, offset, size, value);
    }
    const std::string& last_error() const override { return s_.last_error(); }
    void set_line(unsigned id, bool level, unsigned cpu) override { s_.set_line(id, level, cpu); }
    bool irq_output(unsigned cpu) const override { return s_.irq_output(cpu); }
    unsigned ncpus() const override { return s_.ncpus(); }
    unsigned id_words() const override { return s_.id_words(); }
    uint32_t pending_word(unsigned cpu, unsigned w) const override { return s_.pending_word(cpu, w); }
    uint32_t active_word(unsigned cpu, unsigned w) const override { return s_.active_word(cpu, w); }
    unsigned long ignored_writes() const override { return s_.ignored_writes(); }
    void set_reporter(GicState::Reporter reporter) override { s_.set_reporter(std::move(reporter)); }
    void set_sgi_hook(GicState::SgiHook hook) override { s_.set_sgi_hook(std::move(hook)); }

private:
    GicState s_;
};
}  // namespace

Gic::Gic(sc_module_name name, Cluster& cluster, unsigned nspis, std::unique_ptr<GicCore> core)
    : sc_module(name),
      dist_socket("dist_socket"),
      cpu_socket("cpu_socket"),
      cluster_(cluster),
      core_(core ? std::move(core) : std::make_unique<GicStateCore>(cluster.ncpus(), nspis)),
      state_(*core_),
      queued_level_(cluster.ncpus(), 0),
      driven_level_(cluster.ncpus(), 0),
      update_event_(cluster, [this] { update(); }) {
    dist_socket.register_b_transport(this, &Gic::b_transport_dist);
    cpu_socket.register_b_transport(this, &Gic::b_transport_cpu);
    state_.set_reporter(
        [this](GicState::Misuse kind, unsigned cpu, const std::string& what) { report(kind, cpu, what); });
}

void Gic::report(GicState::Misuse kind, unsigned cpu, const std::string& what) {
    const std::string core = "core " + std::to_string(cpu) + ": ";
    switch (kind) {
    case GicState::Misuse::ReadOnlyWrite:
        warn_once("GIC writes to read-only " + what,
                  core + "write to read-only register " + what + " ignored");
        break;
    case GicState::Misuse::EoiMismatch:
        warn_once("GIC EOIR writes that match no running interrupt", core + what);
        break;
    case GicState::Misuse::ReservedSgiFilter: warn_once("GIC SGIR writes with a reserved filter", core + what); break;
    }
}

void Gic::transport(tlm::tlm_generic_payload& trans, sc_time& delay, bool distributor) {
    CpuIdExtension* ext = nullptr;
    trans.get_extension(ext);
    const unsigned cpu = ext ? ext->cpu : 0;
    const unsigned len = trans.get_data_length();
    const uint32_t offset = uint32_t(trans.get_address());
    uint32_t v = 0;
    bool ok = false;
    std::string why;
    if (len > 4 || trans.get_byte_enable_ptr() || trans.get_streaming_width() < len) {
        why = "a " + std::to_string(len) + "-byte access with byte enables or streaming";
    } else if (trans.is_read()) {
        if ((ok = state_.read(cpu, distributor, offset, len, &v))) std::memcpy(trans.get_data_ptr(), &v, len);
    } else if (trans.is_write()) {
        std::memcpy(&v, trans.get_data_ptr(), len);
        ok = state_.write(cpu, distributor, offset, len, v);
    } else {
        ok = true;  // TLM_IGNORE_COMMAND
    }
    if (!ok) {
        warn_once("GIC accesses refused", "GIC: core " + std::to_string(cpu) + ": " +
                                              (why.empty() ? state_.last_error() : why) +
                                              ": refused (a bus error for the core)");
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    delay += cluster_.cycles_to_time(cluster_.timing().gic_access_latency);
    // Reads change state too (GICC_IAR). Only the accessing CPU's output can change, unless the access touched state
    // other CPUs share: the distributor, or an SPI (IDs 32..1019) acknowledged or ended. Looking at that one CPU
    // interface only saves most of the cost of an access with several cores.
    const uint32_t id = v & 0x3ff;
    const bool spi_state = (offset == OOBSIM_GICC_IAR || offset == OOBSIM_GICC_EOIR) && id >= 32 && id < 1020;
    const bool shared = distributor || spi_state;
    state_changed(shared ? -1 : int(cpu));
    if (observer_) {
        if (!distributor && offset == OOBSIM_GICC_IAR && trans.is_read())
            trace(GicTraceEvent::Ack, int(cpu), int(cpu), v, 0);
        else if (!distributor && offset == OOBSIM_GICC_EOIR && trans.is_write())
            trace(GicTraceEvent::Eoi, int(cpu), int(cpu), v, 0);
        trace_state(int(cpu));
    }
}

void Gic::set_spi(unsigned id, bool level) {
    if (id < GicState::kFirstSpi) throw std::out_of_range("GIC: interrupt " + std::to_string(id) + " is not an SPI");
    state_.set_line(id, level);
    state_changed();
    if (observer_) {
        trace(GicTraceEvent::Line, -1, -1, id, level);
        trace_state(-1);
    }
}

void Gic::set_ppi(unsigned cpu, unsigned id, bool level) {
    if (id < GicState::kFirstPpi || id >= GicState::kFirstSpi)
        throw std::out_of_range("GIC: interrupt " + std::to_string(id) + " is not a PPI (16..31)");
    state_.set_line(id, level, cpu);
    state_changed(int(cpu));  // a PPI is banked: only its CPU interface sees it
    if (observer_) {
        trace(GicTraceEvent::Line, -1, int(cpu), id, level);
        trace_state(-1);
    }
}

void Gic::set_observer(GicObserver* observer) {
    observer_ = observer;
    const unsigned words = state_.id_words(), n = state_.ncpus();
    traced_pending_.assign(size_t(n) * words, 0);
    traced_active_.assign(size_t(n) * words, 0);
    for (unsigned cpu = 0; cpu < n; ++cpu)
        for (unsigned w = 0; w < words; ++w) {
            traced_pending_[cpu * words + w] = state_.pending_word(cpu, w);
            traced_active_[cpu * words + w] = state_.active_word(cpu, w);
        }
    if (observer_)
        state_.set_sgi_hook([this](unsigned source, unsigned sgi, uint8_t targets) {
            trace(GicTraceEvent::Sgi, int(source), int(source), sgi, targets);
        });
    else
        state_.set_sgi_hook(nullptr);
}

void Gic::trace(GicTraceEvent::Kind kind, int origin, int cpu, uint32_t id, uint32_t value) {
    observer_->on_gic(GicTraceEvent{kind, cluster_.now_cycle(), origin, cpu, id, value});
}

void Gic::trace_state(int origin) {
    const unsigned words = state_.id_words();
    for (unsigned cpu = 0; cpu < state_.ncpus(); ++cpu)
        for (unsigned w = 0; w < words; ++w) {
            // The SPI words are the same for every CPU: report them once, from CPU 0's view, as SPIs (cpu -1).
            if (w > 0 && cpu > 0) break;
            const int banked = w == 0 ? int(cpu) : -1;
            for (int k = 0; k < 2; ++k) {
                uint32_t& seen = (k ? traced_active_ : traced_pending_)[cpu * words + w];
                const uint32_t now = k ? state_.active_word(cpu, w) : state_.pending_word(cpu, w);
                for (uint32_t diff = seen ^ now; diff; diff &= diff - 1) {
                    const unsigned bit = unsigned(__builtin_ctz(diff));
                    trace(k ? GicTraceEvent::Active : GicTraceEvent::Pending, origin, banked, 32 * w + bit,
                          now >> bit & 1);
                }
                seen = now;
            }
        }
}

void Gic::state_changed(int only_cpu) {
    const uint64_t now = cluster_.now_cycle(), latency = cluster_.timing().gic_latency;
    bool queued = false;
    const unsigned first = only_cpu < 0 ? 0 : unsigned(only_cpu), end = only_cpu < 0 ? state_.ncpus() : first + 1;
    for (unsigned cpu = first; cpu < end; ++cpu) {
        const char level = state_.irq_output(cpu);
        if (level == queued_level_[cpu]) continue;
        queued_level_[cpu] = level;
        queue_.push_back({now + latency, cpu, level != 0});
        queued = true;
    }
    if (queued) update_event_.notify_at(now + latency);
}

void Gic::update() {
    const uint64_t now = cluster_.now_cycle();
    // Several changes due at one cycle: only the last counts (the output is a function of the state at now - latency).
    due_level_ = driven_level_;
    for (; !queue_.empty() && queue_.front().cycle <= now; queue_.pop_front())
        due_level_[queue_.front().cpu] = queue_.front().level;
    for (unsigned cpu = 0; cpu < due_level_.size(); ++cpu)
        if (due_level_[cpu] != driven_level_[cpu])
            cluster_.set_irq(cpu, kMEIP, (driven_level_[cpu] = due_level_[cpu]) != 0);
    if (!queue_.empty()) update_event_.notify_at(queue_.front().cycle);
}

}  // namespace oobsim

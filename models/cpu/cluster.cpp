#include "cluster.h"

#include <cstdio>
#include <stdexcept>

namespace oobsim {

using namespace sc_core;

Cluster::Cluster(sc_module_name name, unsigned ncpus, const TimingProfile& timing, SchedMode mode,
                 uint64_t max_cycles)
    : sc_module(name), socket("socket"), timing_(timing), mode_(mode), max_cycles_(max_cycles), ncpus_(ncpus), end_cycle_(max_cycles) {
    if (ncpus < 1 || ncpus > 64) throw std::invalid_argument("the CPU count must be 1 to 64, not " + std::to_string(ncpus));
    uint64_t resolution_ps = uint64_t(sc_get_time_resolution().to_seconds() * 1e12 + 0.5);
    if (resolution_ps == 0 || timing_.cycle_ps() % resolution_ps != 0)
        throw std::invalid_argument("the clock period is not a whole number of SystemC time units");
    units_per_cycle_ = timing_.cycle_ps() / resolution_ps;
    cpu_ext_ = new CpuIdExtension;
    trans_.set_extension(cpu_ext_);
    SC_HAS_PROCESS(Cluster);
    SC_THREAD(main_thread);
}

void Cluster::start_of_simulation() {
    // RAM is reached through a DMI pointer granted by the bus: the router hands out the RAM target's.
    tlm::tlm_generic_payload probe;
    tlm::tlm_dmi dmi;
    probe.set_address(entry_);
    probe.set_command(tlm::TLM_READ_COMMAND);
    if (!socket->get_direct_mem_ptr(probe, dmi) || !dmi.is_read_write_allowed())
        throw std::runtime_error("no RAM with direct memory access at the entry point");
    uint64_t start = dmi.get_start_address(), end = dmi.get_end_address();
    memory_ = std::make_unique<Memory>(dmi.get_dmi_ptr(), uint32_t(start), uint32_t(end - start + 1));
    for (unsigned i = 0; i < ncpus_; ++i) {
        harts_.push_back(std::make_unique<Hart>(i, *memory_, timing_, static_cast<DeviceBus*>(this)));
        harts_.back()->set_hint_observer(hint_obs_);
        harts_.back()->set_insn_observer(insn_obs_);
        harts_.back()->set_fault_observer(fault_obs_);
        harts_.back()->set_cpu_observer(cpu_obs_);
        harts_.back()->reset(entry_);
    }
    if (tohost_) memory_->watch_tohost(tohost_);
}

uint64_t Cluster::sc_cycle() const { return sc_time_stamp().value() / units_per_cycle_; }

bool Cluster::access(unsigned cpu, bool is_write, uint32_t addr, uint32_t size, uint32_t* data,
                     uint32_t* extra_cycles) {
    uint8_t bytes[4];
    std::memcpy(bytes, data, 4);
    cpu_ext_->cpu = cpu;
    trans_.set_command(is_write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    trans_.set_address(addr);
    trans_.set_data_ptr(bytes);
    trans_.set_data_length(size);
    trans_.set_streaming_width(size);
    trans_.set_byte_enable_ptr(nullptr);
    trans_.set_dmi_allowed(false);
    trans_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time delay = SC_ZERO_TIME;  // the scheduler has already brought SystemC time to the access
    socket->b_transport(trans_, delay);
    if (!trans_.is_response_ok()) return false;
    // A device may annotate its own access latency (TLM loosely-timed style): it lengthens the instruction.
    *extra_cycles = uint32_t((delay.value() + units_per_cycle_ - 1) / units_per_cycle_);
    if (!is_write) {
        *data = 0;
        std::memcpy(data, bytes, size);
    }
    return true;
}

void Cluster::sync_to(uint64_t cycle) {
    sc_time target = cycles_to_time(cycle);
    if (target > sc_time_stamp()) wait(target - sc_time_stamp());
    while (sc_pending_activity_at_current_time()) wait(SC_ZERO_TIME);
    wake_sleepers(cycle);
}

void Cluster::wake_sleepers(uint64_t cycle) {
    for (auto& h : harts_)
        if (h->state() == Hart::State::Sleeping && h->wake_pending()) h->wake(cycle);
}

uint64_t Cluster::next_event_cycle() const {
    uint64_t now = sc_cycle();
    sc_time to_next = sc_time_to_pending_activity();
    uint64_t next = end_cycle_;
    if (to_next < sc_max_time() - sc_time_stamp()) {
        // Round up: an event inside a cycle takes effect at the next cycle boundary.
        uint64_t units = to_next.value();
        uint64_t c = now + (units + units_per_cycle_ - 1) / units_per_cycle_;
        if (c < next) next = c;
    }
    return next;
}

std::string Cluster::where() const {
    std::string s;
    char buf[96];
    for (const auto& h : harts_) {
        const char* st = h->state() == Hart::State::Sleeping ? " (in WFI)" : "";
        std::snprintf(buf, sizeof buf, "%score %u at pc 0x%08x, cycle %llu%s", s.empty() ? "" : "; ", h->id(), h->pc(),
                      (unsigned long long)h->time(), st);
        s += buf;
    }
    return s;
}

void Cluster::finish(RunOutcome::Kind kind, uint64_t cycle, std::string message, int code) {
    outcome_.kind = kind;
    outcome_.cycle = cycle;
    outcome_.message = std::move(message);
    outcome_.exit_code = code;
    finished_ = true;
}

void Cluster::request_exit(int code, uint64_t cycle, bool via_tohost) {
    if (exit_requested_) return;
    exit_requested_ = true;
    exit_code_ = code;
    exit_via_tohost_ = via_tohost;
    exit_cycle_ = cycle;
    end_cycle_ = std::min(end_cycle_, cycle + timing_.min_cross_core_latency());
}

bool Cluster::settle(Hart& h, Hart::Stop stop) {
    switch (stop) {
    case Hart::Stop::Fatal:
        finish(RunOutcome::Fatal, h.time(), h.fatal_message());
        return true;
    case Hart::Stop::Exit: {
        uint32_t v = memory_->tohost_value();
        if (!(v & 1)) {
            char buf[96];
            std::snprintf(buf, sizeof buf, "tohost written with 0x%08x (host calls are not supported)", v);
            finish(RunOutcome::Fatal, h.stop_cycle(), buf);
            return true;
        }
        request_exit(int(v >> 1), h.stop_cycle(), true);
        return false;
    }
    default: return false;
    }
}

void Cluster::finish_at_end() {
    if (exit_requested_) {
        finish(RunOutcome::Exit, exit_cycle_, "", exit_code_);
        outcome_.via_tohost = exit_via_tohost_;
    } else {
        finish(RunOutcome::MaxCycles, max_cycles_,
               "reached the cycle limit (--max-cycles " + std::to_string(max_cycles_) + "): " + where());
    }
}

void Cluster::main_thread() {
    try {
        if (mode_ == SchedMode::Fast)
            run_fast();
        else
            run_reference();
    } catch (const std::exception& e) {
        finish(RunOutcome::Fatal, now_cycle(), e.what());
    }
    for (auto& h : harts_) h->end_sleep(outcome_.cycle);  // count sleep up to the end
    sc_stop();
}

void Cluster::run_fast() {
    const uint64_t L = timing_.min_cross_core_latency();
    // The awake harts; rebuilt whenever one falls asleep or may have woken.
    std::vector<Hart*> awake;
    auto find_awake = [&] {
        awake.clear();
        for (auto& c : harts_)
            if (c->state() == Hart::State::Running) awake.push_back(c.get());
    };
    // (time, id) as one number, so the reference order is a plain integer order (ids are below 64).
    auto key = [](const Hart* c) { return (c->time() << 6) | c->id(); };
    sync_to(0);
    for (;;) {
        uint64_t E = next_event_cycle();
        find_awake();
        while (!awake.empty()) {
            // The awake hart first in the reference order, and the runner-up, which bounds it.
            Hart* h = awake[0];
            uint64_t first = key(h), second = ~0ull;
            for (size_t k = 1; k < awake.size(); ++k) {
                uint64_t ck = key(awake[k]);
                if (ck < first) {
                    second = first;
                    first = ck;
                    h = awake[k];
                } else if (ck < second) {
                    second = ck;
                }
            }
            if ((first >> 6) >= E) break;
            uint64_t lim_mem = E, lim_local = E;
            if (second != ~0ull) {
                // A memory access at T keeps h first while (T, h) < (t2, id2); others cannot reach h's
                // interrupt inputs before t2 + L.
                const uint64_t t2 = second >> 6;
                lim_mem = std::min(E, t2 + (h->id() < (second & 63) ? 1 : 0));
                lim_local = std::min(E, t2 + L);
            }
            Hart::Stop stop = h->run(lim_local, lim_mem, false);
            if (__builtin_expect(stop == Hart::Stop::Limit || stop == Hart::Stop::Order, 1)) continue;
            if (stop == Hart::Stop::NeedMmio) {
                // No device event is due before E > h->time(), so the access can be made at h->time() without
                // advancing SystemC time (a wait() costs far more than the access): devices act at now_cycle().
                in_access_ = true;
                access_cycle_ = h->time();
                stop = h->run(h->time() + 1, h->time() + 1, true);
                in_access_ = false;
                E = next_event_cycle();
            }
            if (settle(*h, stop)) return;
            if (end_cycle_ < E) E = end_cycle_;
            find_awake();  // the hart may sleep now, and a device access may have woken others
        }
        bool any_awake = false;
        for (auto& c : harts_) any_awake |= c->state() == Hart::State::Running;
        if (E >= end_cycle_ && (any_awake || exit_requested_)) return finish_at_end();
        if (!any_awake && sc_time_to_pending_activity() >= sc_max_time() - sc_time_stamp()) {
            if (exit_requested_) return finish_at_end();
            finish(RunOutcome::Deadlock, now_cycle(),
                   "deadlock: every core waits in WFI and no interrupt is pending or scheduled: " + where());
            return;
        }
        if (E >= end_cycle_) return finish_at_end();
        sync_to(E);
    }
}

void Cluster::run_reference() {
    for (uint64_t c = 0;; ++c) {
        if (c >= end_cycle_) return finish_at_end();
        sync_to(c);
        bool awake = false;
        for (auto& h : harts_) {
            while (h->state() == Hart::State::Running && h->time() == c && c < end_cycle_)
                if (settle(*h, h->run(c + 1, c + 1, true))) return;
            awake |= h->state() == Hart::State::Running;
        }
        if (!awake && sc_time_to_pending_activity() >= sc_max_time() - sc_time_stamp()) {
            if (exit_requested_) return finish_at_end();
            finish(RunOutcome::Deadlock, c,
                   "deadlock: every core waits in WFI and no interrupt is pending or scheduled: " + where());
            return;
        }
    }
}

}  // namespace oobsim

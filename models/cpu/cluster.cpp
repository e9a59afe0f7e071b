#include "cluster.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace oobsim {

using namespace sc_core;

DeviceEvent::DeviceEvent(Cluster& cluster, std::function<void()> action)
    : cluster_(cluster), action_(std::move(action)) {
    cluster_.device_events_.push_back(this);
}

DeviceEvent::~DeviceEvent() {
    auto& events = cluster_.device_events_;
    events.erase(std::find(events.begin(), events.end(), this));
}

Cluster::Cluster(sc_module_name name, unsigned ncpus, const TimingProfile& timing, SchedMode mode,
                 uint64_t max_cycles)
    : sc_module(name), socket("socket"), timing_(timing), mode_(mode), max_cycles_(max_cycles), ncpus_(ncpus), end_cycle_(max_cycles) {
    if (ncpus < 1 || ncpus > 64) throw std::invalid_argument("the CPU count must be 1 to 64, not " + std::to_string(ncpus));
    uint64_t resolution_ps = uint64_t(sc_get_time_resolution().to_seconds() * 1e12 + 0.5);
    if (resolution_ps == 0 || timing_.cycle_ps() % resolution_ps != 0)
        throw std::invalid_argument("the clock period is not a whole number of SystemC time units");
    units_per_cycle_ = timing_.cycle_ps() / resolution_ps;
    simc_ = sc_get_curr_simcontext();
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
    // Only another SystemC process can make SystemC activity the cluster must stop for (an event notified with no
    // process waiting for it changes nothing). Without one, there is nothing to look for after each device access
    // and device event; processes are all made by now (only a process could spawn another).
    systemc_quiet_ = count_processes(sc_get_top_level_objects()) == 1;
}

unsigned Cluster::count_processes(const std::vector<sc_object*>& objects) {
    unsigned n = 0;
    for (sc_object* o : objects) {
        const std::string kind = o->kind();
        n += kind == "sc_method_process" || kind == "sc_thread_process" || kind == "sc_cthread_process";
        n += count_processes(o->get_child_objects());
    }
    return n;
}

uint64_t Cluster::sc_cycle() const { return simc_->time_stamp().value() / units_per_cycle_; }

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
    // The access is made at the start cycle of the instruction (Hart::mmio() has stored it): devices act at that
    // cycle, whatever SystemC time is (see now_cycle()).
    acting_ = true;
    acting_cycle_ = harts_[cpu]->time();
    sc_time delay = SC_ZERO_TIME;
    socket->b_transport(trans_, delay);
    acting_ = false;
    look_at_systemc();
    if (!trans_.is_response_ok()) return false;
    // A device may annotate its own access latency (TLM loosely-timed style): it lengthens the instruction.
    *extra_cycles = uint32_t((delay.value() + units_per_cycle_ - 1) / units_per_cycle_);
    if (!is_write) {
        *data = 0;
        std::memcpy(data, bytes, size);
    }
    return true;
}

uint64_t Cluster::limit_after_access() {
    // The fast scheduler lets the hart go on to the next stop, which the access may have brought forward (a device
    // event, the end of the run); that is after the access's cycle, never 0. The reference mode runs one cycle at a
    // time anyway.
    if (mode_ == SchedMode::Reference) return 0;
    limit_after_access_ = std::min(limit_after_access_, next_event_cycle());
    return limit_after_access_;
}

bool Cluster::sync_to(uint64_t cycle, bool always) {
    // Nothing can happen in SystemC before `cycle` (the fast scheduler never passes SystemC activity): advancing its
    // time is only needed to run what is due at `cycle`, and the wait() it takes costs more than a device event.
    if (always || systemc_next_ <= cycle || cycle >= quantum_end_) {
        sc_time target = cycles_to_time(cycle);
        if (target > sc_time_stamp()) wait(target - sc_time_stamp());
        while (sc_pending_activity_at_current_time()) wait(SC_ZERO_TIME);
        quantum_end_ = sc_cycle() + kSyncQuantum;
        look_at_systemc();
    }
    run_device_events(cycle);
    return wake_sleepers(cycle);
}

void Cluster::run_device_events(uint64_t cycle) {
    if (next_device_event_ > cycle) return;
    acting_ = true;
    acting_cycle_ = cycle;
    // One pass finds the next due cycle too: an action's notify_at() lowers it again. An action may make an event due
    // at this very cycle again (its own or one already passed): repeat until none is.
    while (next_device_event_ <= cycle) {
        next_device_event_ = DeviceEvent::kNever;
        for (DeviceEvent* e : device_events_) {
            if (e->due_ > cycle) {
                next_device_event_ = std::min(next_device_event_, e->due_);
                continue;
            }
            if (e->due_ < cycle)
                throw std::logic_error("a device event due at cycle " + std::to_string(e->due_) + " was missed (now " +
                                       std::to_string(cycle) + ")");
            e->due_ = DeviceEvent::kNever;
            e->action_();
        }
    }
    acting_ = false;
    look_at_systemc();
}

bool Cluster::wake_sleepers(uint64_t cycle) {
    bool woke = false;
    for (auto& h : harts_)
        if (h->state() == Hart::State::Sleeping && h->wake_pending()) {
            h->wake(cycle);
            woke = true;
        }
    return woke;
}

void Cluster::look_at_systemc() {
    if (systemc_quiet_) {
        systemc_next_ = DeviceEvent::kNever;
        return;
    }
    // What sc_time_to_pending_activity() computes, without its detours.
    sc_time next;
    if (simc_->pending_activity_at_current_time())
        systemc_next_ = sc_cycle();
    else if (!simc_->next_time(next))
        systemc_next_ = DeviceEvent::kNever;
    else  // round up: an event inside a cycle takes effect at the next cycle boundary
        systemc_next_ = (next.value() + units_per_cycle_ - 1) / units_per_cycle_;
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
    // The awake harts in the reference order, by (time, id) as one number (ids are below 64): the first runs, the
    // second bounds it. Rebuilt whenever a hart falls asleep or wakes; otherwise only the hart that ran moves, and
    // only later in the order, a few places at most.
    struct Entry {
        uint64_t key;
        Hart* hart;
    };
    std::vector<Entry> order;
    order.reserve(harts_.size());
    auto key = [](const Hart* c) { return (c->time() << 6) | c->id(); };
    auto find_awake = [&] {
        order.clear();
        for (auto& c : harts_)
            if (c->state() == Hart::State::Running) order.push_back({key(c.get()), c.get()});
        std::sort(order.begin(), order.end(), [](const Entry& x, const Entry& y) { return x.key < y.key; });
    };
    sync_to(0, false);
    find_awake();
    // The next stop: no instruction starts at or after it before the platform has got there.
    uint64_t E = next_event_cycle();
    for (;;) {
        if (order.empty() || (order[0].key >> 6) >= E) {
            // Every awake hart has reached E: the platform moves on to it.
            const bool any_awake = !order.empty();
            if (E >= end_cycle_ && (any_awake || exit_requested_)) return finish_at_end();
            if (!any_awake && nothing_scheduled()) {
                if (exit_requested_) return finish_at_end();
                finish(RunOutcome::Deadlock, now_cycle(),
                       "deadlock: every core waits in WFI and no interrupt is pending or scheduled: " + where());
                return;
            }
            if (E >= end_cycle_) return finish_at_end();
            if (sync_to(E, false)) find_awake();
            E = next_event_cycle();
            continue;
        }
        Hart* const h = order[0].hart;
        uint64_t lim_mem = E, lim_local = E;
        if (order.size() > 1) {
            // A memory access at T keeps h first while (T, h) < (t2, id2); others cannot reach h's interrupt inputs
            // before t2 + L.
            const uint64_t first = order[0].key, second = order[1].key, t2 = second >> 6;
            lim_mem = std::min(E, t2 + ((first & 63) < (second & 63) ? 1 : 0));
            lim_local = std::min(E, t2 + L);
        }
        // Device accesses are allowed: one starting at T < lim_mem <= E comes after every device event and every other
        // hart's access that precedes it in the reference order, and before all that follow it. After each, the hart
        // goes on to limit_after_access(), which lowers E if the access scheduled something sooner.
        limit_after_access_ = E;
        const Hart::Stop stop = h->run(lim_local, lim_mem, true);
        ++slices_;
        E = limit_after_access_;
        const uint64_t k = key(h);
        size_t i = 0;
        for (; i + 1 < order.size() && order[i + 1].key < k; ++i) order[i] = order[i + 1];
        order[i] = {k, h};
        if (__builtin_expect(stop == Hart::Stop::Limit || stop == Hart::Stop::Order, 1)) continue;
        if (settle(*h, stop)) return;
        if (end_cycle_ < E) E = end_cycle_;
        if (stop == Hart::Stop::Sleep) find_awake();
    }
}

void Cluster::run_reference() {
    for (uint64_t c = 0;; ++c) {
        if (c >= end_cycle_) return finish_at_end();
        sync_to(c, true);
        bool awake = false;
        for (auto& h : harts_) {
            while (h->state() == Hart::State::Running && h->time() == c && c < end_cycle_)
                if (settle(*h, h->run(c + 1, c + 1, true))) return;
            awake |= h->state() == Hart::State::Running;
        }
        if (!awake && nothing_scheduled()) {
            if (exit_requested_) return finish_at_end();
            finish(RunOutcome::Deadlock, c,
                   "deadlock: every core waits in WFI and no interrupt is pending or scheduled: " + where());
            return;
        }
    }
}

}  // namespace oobsim

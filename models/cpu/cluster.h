// The CPU cluster: N harts run by one SystemC thread, in one of two scheduling modes that must agree to the bit.
//
//   reference: a plain loop over cycles; at each cycle, device events first, then every hart whose next
//              instruction starts at that cycle, in hart-id order. Slow, obviously right.
//   fast:      always runs the hart with the smallest (time, id), so effects happen in the reference order by
//              construction. The hart keeps going while
//                - an instruction that touches memory or a device starts before every other awake hart's time
//                  (ties broken by id): it is still the first in the reference order;
//                - any instruction starts before the next device event and before the smallest other hart time plus
//                  the smallest cross-core interrupt latency (no other hart can change its interrupt inputs sooner);
//              Device events (DeviceEvent below) run between slices, at their cycle; SystemC time advances only to
//              SystemC activity of other modules, or every kSyncQuantum cycles.
//              A hart asleep in WFI costs nothing until a device event makes an interrupt pending for it.
//
// Devices change a hart's interrupt inputs only at their events (never with zero latency from another hart's
// access): set_irq() below.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "hart.h"
#include "timing.h"

namespace oobsim {

// Carried by every transaction a hart issues: which CPU made the access (the GIC banks registers by it).
struct CpuIdExtension : tlm::tlm_extension<CpuIdExtension> {
    unsigned cpu = 0;
    tlm::tlm_extension_base* clone() const override { return new CpuIdExtension(*this); }
    void copy_from(const tlm::tlm_extension_base& other) override {
        cpu = static_cast<const CpuIdExtension&>(other).cpu;
    }
};

enum class SchedMode { Fast, Reference };

class Cluster;

// A device's timed activity (the timers' comparators and write delays, the GIC's output delay, the IRQ sources'
// arrivals), run by the cluster's scheduler at an exact cycle rather than by the SystemC kernel. Why: a timer interrupt
// takes about four such events (the timer firing, the GIC output rising and falling, the timer's clear landing); as
// SystemC events each one cost a wait() of the cluster's thread and a pass through the SystemC kernel, several times
// the host time of the instructions the interrupt runs. Both schedulers run due events at the same point of the
// reference order (before the instructions starting at their cycle), events due at the same cycle in the order the
// DeviceEvents were made, so they still agree to the bit. Modules with SystemC processes of their own keep working:
// the scheduler advances SystemC time to their activity.
class DeviceEvent {
public:
    static constexpr uint64_t kNever = ~0ull;

    // `action` runs at each cycle the event is due, with Cluster::now_cycle() returning that cycle; it may notify
    // this or any other DeviceEvent again. Make events before the simulation starts.
    DeviceEvent(Cluster& cluster, std::function<void()> action);
    ~DeviceEvent();
    DeviceEvent(const DeviceEvent&) = delete;
    DeviceEvent& operator=(const DeviceEvent&) = delete;

    // As sc_event::notify(delay): the event becomes due at `cycle` (at or after Cluster::now_cycle()) unless it is
    // already due earlier; it is due at most once at a time, so its action must schedule whatever comes after.
    inline void notify_at(uint64_t cycle);

private:
    friend class Cluster;
    Cluster& cluster_;
    std::function<void()> action_;
    uint64_t due_ = kNever;
};

// Tracing (sim/trace): a core's interrupt input (kMSIP, kMTIP, kMEIP) changed at `cycle`. Called only when registered.
class CoreIrqObserver {
public:
    virtual ~CoreIrqObserver() = default;
    virtual void on_core_irq(unsigned cpu, uint64_t cycle, uint32_t bit, bool level) = 0;
};

// How a run ended.
struct RunOutcome {
    enum Kind { Exit, MaxCycles, Deadlock, Fatal } kind = Exit;
    int exit_code = 0;      // Exit: the firmware's exit code (simulation-control EXIT or tohost)
    bool via_tohost = false;
    uint64_t cycle = 0;     // the cycle at which it ended
    std::string message;    // what went wrong, for the user
};

class Cluster : public sc_core::sc_module, private DeviceBus {
public:
    tlm_utils::simple_initiator_socket<Cluster> socket;

    Cluster(sc_core::sc_module_name name, unsigned ncpus, const TimingProfile& timing, SchedMode mode,
            uint64_t max_cycles);

    unsigned ncpus() const { return ncpus_; }
    // Observers given to every hart when the harts are made (at the start of simulation).
    void set_observers(HintObserver* hints, InsnObserver* insns, FaultObserver* faults) {
        hint_obs_ = hints;
        insn_obs_ = insns;
        fault_obs_ = faults;
    }
    // Tracing: architectural events of every hart, and changes of their interrupt inputs (before the simulation starts).
    void set_cpu_observer(CpuEventObserver* o) { cpu_obs_ = o; }
    void set_irq_observer(CoreIrqObserver* o) { irq_obs_ = o; }
    Hart& hart(unsigned i) { return *harts_[i]; }
    Memory& memory() { return *memory_; }
    const TimingProfile& timing() const { return timing_; }
    SchedMode mode() const { return mode_; }

    // Before the simulation starts: every hart begins at `entry`; `tohost` (0: none) is watched.
    void set_entry(uint32_t entry) { entry_ = entry; }
    void set_tohost(uint32_t addr) { tohost_ = addr; }

    // From devices (device events, or SystemC processes at the current SystemC time).
    void set_irq(unsigned cpu, uint32_t bit, bool level) {
        harts_.at(cpu)->set_irq_line(bit, level);
        if (irq_obs_) irq_obs_->on_core_irq(cpu, now_cycle(), bit, level);
    }
    // The firmware asked to end the run at `cycle` (the start of the instruction that asked). The run ends once every
    // core has executed the instructions that start before cycle + the cross-core latency: exactly the ones the fast
    // scheduler may already have run, so both modes end in the same state. The first request wins.
    void request_exit(int code, uint64_t cycle, bool via_tohost = false);

    // The cycle devices act at: during a core's device access, the cycle of that access; during a device event, its
    // cycle; otherwise SystemC time. (The fast scheduler makes device accesses and runs device events without first
    // advancing SystemC time: it knows no SystemC activity lies between SystemC time and that cycle, so the device
    // sees exactly what it would have after a wait().)
    uint64_t now_cycle() const { return acting_ ? acting_cycle_ : sc_cycle(); }
    // SystemC time, in cycles.
    uint64_t sc_cycle() const;
    sc_core::sc_time cycles_to_time(uint64_t cycles) const {
        return sc_core::sc_time::from_value(cycles * units_per_cycle_);
    }
    const RunOutcome& outcome() const { return outcome_; }
    // Fast mode: how many times the scheduler ran a hart (a slice ends at a limit, before an access that must wait for
    // another hart, at a device event...). Shows what keeping several harts in the exact order costs.
    uint64_t slices() const { return slices_; }
    bool finished() const { return finished_; }

    // The fast scheduler lets SystemC time fall at most this many cycles behind before it advances it with nothing due
    // there: so that sc_start(duration) returns in time (progress reports), at no measurable cost.
    static constexpr uint64_t kSyncQuantum = 1ull << 20;

private:
    friend class DeviceEvent;
    void start_of_simulation() override;  // the bus is bound by then: take the RAM's DMI pointer, make the harts
    void main_thread();
    void run_fast();
    void run_reference();
    // Brings the platform to `cycle`: SystemC time first, when it must be advanced (`always`, or SystemC activity is
    // due by then, or it lags kSyncQuantum behind), then the device events due at `cycle`, then wakes sleeping harts.
    // Returns true when a hart woke.
    bool sync_to(uint64_t cycle, bool always);
    void run_device_events(uint64_t cycle);
    bool wake_sleepers(uint64_t cycle);
    // The next cycle the fast scheduler must stop at: a device event, SystemC activity, the end of the run, or the
    // next quantum of SystemC time.
    uint64_t next_event_cycle() const {
        return std::min({end_cycle_, next_device_event_, systemc_next_, quantum_end_});
    }
    // Looks again at when SystemC has activity (systemc_next_). Needed after whatever may have changed that: SystemC
    // processes running (a wait()), device code running (an access, device events), which may notify SystemC events.
    void look_at_systemc();
    static unsigned count_processes(const std::vector<sc_core::sc_object*>& objects);
    bool nothing_scheduled() const {
        return next_device_event_ == DeviceEvent::kNever && systemc_next_ == DeviceEvent::kNever;
    }
    // Handles a hart's stop reason; returns true when the simulation must end now.
    bool settle(Hart& h, Hart::Stop stop);
    // Every awake hart has reached end_cycle_ (or sleeps with nothing to wake it): say how the run ended.
    void finish_at_end();
    void finish(RunOutcome::Kind kind, uint64_t cycle, std::string message, int code = 0);
    std::string where() const;
    bool access(unsigned cpu, bool is_write, uint32_t addr, uint32_t size, uint32_t* data,
                uint32_t* extra_cycles) override;
    uint64_t limit_after_access() override;

    TimingProfile timing_;
    SchedMode mode_;
    uint64_t max_cycles_;
    uint64_t units_per_cycle_;  // SystemC time resolution units per core cycle
    std::unique_ptr<Memory> memory_;
    std::vector<std::unique_ptr<Hart>> harts_;
    unsigned ncpus_;
    uint32_t entry_ = 0, tohost_ = 0;
    sc_core::sc_simcontext* simc_;  // queried directly: sc_time_to_pending_activity() costs twice as much
    uint64_t systemc_next_ = 0;     // the first cycle with SystemC activity (kNever: none), as look_at_systemc() saw
    bool systemc_quiet_ = false;    // the cluster's thread is the only SystemC process: there is no other activity
    uint64_t quantum_end_ = kSyncQuantum;  // SystemC time in cycles + kSyncQuantum, updated by sync_to()
    uint64_t limit_after_access_ = 0;  // fast mode: the next stop (E), as device accesses during a slice lower it
    uint64_t slices_ = 0;
    bool acting_ = false;  // a core's device access or a device event at acting_cycle_ is under way
    uint64_t acting_cycle_ = 0;
    std::vector<DeviceEvent*> device_events_;  // in the order they were made: the order of events due together
    uint64_t next_device_event_ = DeviceEvent::kNever;  // the earliest due(); kept up to date by notify_at()
    uint64_t end_cycle_;  // no instruction starts at or after it: max_cycles, or the end after an exit request
    bool exit_requested_ = false;
    int exit_code_ = 0;
    bool exit_via_tohost_ = false;
    uint64_t exit_cycle_ = 0;
    bool finished_ = false;
    RunOutcome outcome_;
    HintObserver* hint_obs_ = nullptr;
    InsnObserver* insn_obs_ = nullptr;
    FaultObserver* fault_obs_ = nullptr;
    CpuEventObserver* cpu_obs_ = nullptr;
    CoreIrqObserver* irq_obs_ = nullptr;
    tlm::tlm_generic_payload trans_;
    CpuIdExtension* cpu_ext_;  // owned by trans_ (a payload deletes its extensions)
};

inline void DeviceEvent::notify_at(uint64_t cycle) {
    if (cycle >= due_) return;
    due_ = cycle;
    if (cycle < cluster_.next_device_event_) cluster_.next_device_event_ = cycle;
}

}  // namespace oobsim

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
//              SystemC time advances only to the next device event, or to the hart's time before a device access.
//              A hart asleep in WFI costs nothing until a device event makes an interrupt pending for it.
//
// Devices change a hart's interrupt inputs only from SystemC processes (never with zero latency from another
// hart's access): set_irq() below.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdint>
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

    // From devices (SystemC processes, at the current SystemC time).
    void set_irq(unsigned cpu, uint32_t bit, bool level) {
        harts_.at(cpu)->set_irq_line(bit, level);
        if (irq_obs_) irq_obs_->on_core_irq(cpu, now_cycle(), bit, level);
    }
    // The firmware asked to end the run at `cycle` (the start of the instruction that asked). The run ends once every
    // core has executed the instructions that start before cycle + the cross-core latency: exactly the ones the fast
    // scheduler may already have run, so both modes end in the same state. The first request wins.
    void request_exit(int code, uint64_t cycle, bool via_tohost = false);

    // The cycle devices act at: during a core's device access, the cycle of that access; otherwise SystemC time.
    // (The fast scheduler makes device accesses without first advancing SystemC time: it knows no device event lies
    // between SystemC time and the access, so the device sees exactly what it would have after a wait().)
    uint64_t now_cycle() const { return in_access_ ? access_cycle_ : sc_cycle(); }
    // SystemC time, in cycles.
    uint64_t sc_cycle() const;
    // The delay to give sc_event::notify() for an event at `cycle` (at or after now_cycle()).
    sc_core::sc_time delay_until(uint64_t cycle) const { return cycles_to_time(cycle) - sc_core::sc_time_stamp(); }
    sc_core::sc_time cycles_to_time(uint64_t cycles) const {
        return sc_core::sc_time::from_value(cycles * units_per_cycle_);
    }
    const RunOutcome& outcome() const { return outcome_; }
    bool finished() const { return finished_; }

private:
    void start_of_simulation() override;  // the bus is bound by then: take the RAM's DMI pointer, make the harts
    void main_thread();
    void run_fast();
    void run_reference();
    void sync_to(uint64_t cycle);   // advance SystemC time to `cycle` and let every device event at it happen
    void wake_sleepers(uint64_t cycle);
    uint64_t next_event_cycle() const;
    // Handles a hart's stop reason; returns true when the simulation must end now.
    bool settle(Hart& h, Hart::Stop stop);
    // Every awake hart has reached end_cycle_ (or sleeps with nothing to wake it): say how the run ended.
    void finish_at_end();
    void finish(RunOutcome::Kind kind, uint64_t cycle, std::string message, int code = 0);
    std::string where() const;
    bool access(unsigned cpu, bool is_write, uint32_t addr, uint32_t size, uint32_t* data,
                uint32_t* extra_cycles) override;

    TimingProfile timing_;
    SchedMode mode_;
    uint64_t max_cycles_;
    uint64_t units_per_cycle_;  // SystemC time resolution units per core cycle
    std::unique_ptr<Memory> memory_;
    std::vector<std::unique_ptr<Hart>> harts_;
    unsigned ncpus_;
    uint32_t entry_ = 0, tohost_ = 0;
    bool in_access_ = false;    // a core's device access at access_cycle_ is under way
    uint64_t access_cycle_ = 0;
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

}  // namespace oobsim

// The GICv2 interrupt controller on the platform: GicState (the architecture, gic_state.h) behind two TLM-2.0 target
// sockets, with its timing and its wires to the cores.
//
//   - dist_socket: the distributor window (OOBSIM_GICD_BASE); cpu_socket: the CPU-interface window (OOBSIM_GICC_BASE).
//     The accessing CPU comes from the transaction's CpuIdExtension (banked registers, the CPU interface to use).
//     An access GicState refuses answers TLM_ADDRESS_ERROR_RESPONSE: the core takes an access fault.
//   - Every register access lengthens the accessing instruction by gic_access_latency cycles (the TLM delay).
//   - CPU interface i drives mip.MEIP of core i. Its output at cycle t is the output GicState computed from its
//     state at t - gic_latency: every change (a register access at its start cycle, an interrupt line from a device)
//     reaches the cores exactly gic_latency cycles later. gic_latency >= 1 is part of the scheduler's cross-core
//     latency (TimingProfile::min_cross_core_latency), so the fast scheduler stays exact.
//   - Devices drive interrupt lines through IrqController (sim/irq.h), from their device events.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "models/cpu/cluster.h"
#include "models/gic/gic_state.h"
#include "sim/irq.h"

namespace oobsim {

// Tracing (sim/trace): what happens at the GIC, at `cycle`. Called only when an observer is registered.
struct GicTraceEvent {
    enum Kind { Line, Pending, Active, Ack, Eoi, Sgi } kind;
    uint64_t cycle;
    int origin;      // the CPU whose register access caused it, or -1 for a device's interrupt line
    int cpu;         // Line/Pending/Active: the CPU of a banked SGI/PPI, -1 for an SPI; Ack/Eoi: the CPU; Sgi: source
    uint32_t id;     // the interrupt ID; Ack/Eoi: the raw GICC_IAR value read / GICC_EOIR value written
    uint32_t value;  // Line/Pending/Active: the new level; Sgi: the CPUs it went to (bit mask)
};
class GicObserver {
public:
    virtual ~GicObserver() = default;
    virtual void on_gic(const GicTraceEvent& e) = 0;
};

// The architecture behind Gic: GicState (the default) or the verilated RTL (models/gic/rtl_gic.h), with GicState's
// calls and meanings. Gic keeps the sockets, the timing, the wires to the cores and the tracing, so both present the
// same interface and give the same cycles.
class GicCore {
public:
    virtual ~GicCore() = default;
    virtual bool read(unsigned cpu, bool distributor, uint32_t offset, unsigned size, uint32_t* value) = 0;
    virtual bool write(unsigned cpu, bool distributor, uint32_t offset, unsigned size, uint32_t value) = 0;
    virtual const std::string& last_error() const = 0;
    virtual void set_line(unsigned id, bool level, unsigned cpu = 0) = 0;
    virtual bool irq_output(unsigned cpu) const = 0;
    virtual unsigned ncpus() const = 0;
    virtual unsigned id_words() const = 0;
    virtual uint32_t pending_word(unsigned cpu, unsigned w) const = 0;
    virtual uint32_t active_word(unsigned cpu, unsigned w) const = 0;
    virtual unsigned long ignored_writes() const = 0;
    virtual void set_reporter(GicState::Reporter reporter) = 0;
    virtual void set_sgi_hook(GicState::SgiHook hook) = 0;
};

class Gic : public sc_core::sc_module, public IrqController {
public:
    tlm_utils::simple_target_socket<Gic> dist_socket;
    tlm_utils::simple_target_socket<Gic> cpu_socket;

    // One CPU interface per core of `cluster` (1..8); `nspis` SPIs (0..988). Throws std::invalid_argument otherwise.
    // `core`: the architecture, for cluster.ncpus() CPUs and `nspis` SPIs; null for GicState.
    Gic(sc_core::sc_module_name name, Cluster& cluster, unsigned nspis, std::unique_ptr<GicCore> core = nullptr);

    // IrqController. Throw std::out_of_range for an interrupt that has no line (a wiring bug).
    void set_spi(unsigned id, bool level) override;
    void set_ppi(unsigned cpu, unsigned id, bool level) override;

    const GicCore& state() const { return state_; }
    // Tracing: input lines, pending/active changes of every interrupt, IAR/EOIR accesses and SGIs sent.
    void set_observer(GicObserver* observer);
    unsigned long ignored_writes() const { return state_.ignored_writes(); }

private:
    void b_transport_dist(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) { transport(trans, delay, true); }
    void b_transport_cpu(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) { transport(trans, delay, false); }
    void transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay, bool distributor);
    void report(GicState::Misuse kind, unsigned cpu, const std::string& what);
    // After anything that may have changed the state: queue the outputs that changed for now + gic_latency. `cpu`: the
    // only CPU interface whose output can have changed (banked state); -1: any.
    void state_changed(int cpu = -1);
    void update();  // the device event: drives the outputs whose time has come
    void trace(GicTraceEvent::Kind kind, int origin, int cpu, uint32_t id, uint32_t value);
    void trace_state(int origin);  // pending/active bits that changed since the last call

    struct OutputChange {
        uint64_t cycle;
        unsigned cpu;
        bool level;
    };
    Cluster& cluster_;
    std::unique_ptr<GicCore> core_;
    GicCore& state_;
    std::deque<OutputChange> queue_;  // in cycle order: every change is queued gic_latency after now
    std::vector<char> queued_level_;  // per CPU: the output once the queue has drained
    std::vector<char> driven_level_;  // per CPU: what mip.MEIP is now
    std::vector<char> due_level_;     // scratch for update()
    DeviceEvent update_event_;
    GicObserver* observer_ = nullptr;
    std::vector<uint32_t> traced_pending_, traced_active_;  // [cpu * id_words + w]: as last reported
};

}  // namespace oobsim

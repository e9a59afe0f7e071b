// The platform's simple devices: console UART, simulation control and the per-CPU timers / software interrupts.
// Register layouts are in memory_map.h; behaviour in docs/platform.md.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/cpu/cluster.h"
#include "register_device.h"

namespace oobsim {

class IrqController;

class Uart : public RegisterDevice {
public:
    // Every byte the guest writes goes to `sink` (the CLI prints it; Python captures it).
    Uart(sc_core::sc_module_name name, std::function<void(char)> sink);
    const std::string& output() const { return output_; }

private:
    std::function<void(char)> sink_;
    std::string output_;
};

class SimCtrl : public RegisterDevice {
public:
    SimCtrl(sc_core::sc_module_name name, Cluster& cluster, uint32_t scenario_addr);
};

// Per CPU: MSIP drives mip.MSIP; mip.MTIP is high while counter >= CMP. A write changes the interrupt line
// irq_write_latency cycles later (the register reads back at once).
//
// GIC timer mode (CTRL.ENABLE): the same comparator also raises the CPU's PPI 30 through the IrqController. It fires
// when the counter reaches CMP (an event at exactly that cycle), setting STATUS.FIRED, which holds the PPI high until
// the firmware writes 1 to clear it. One-shot: it fires once per CMP write (or ENABLE 0 -> 1). Periodic
// (CTRL.PERIODIC, RELOAD > 0): each firing adds RELOAD to CMP, so firings stay exactly RELOAD apart whatever the
// interrupt latency. With CTRL = 0 the device behaves exactly as before the GIC existed.
class Timers : public RegisterDevice {
public:
    static constexpr unsigned kTimerPpi = 30;  // the GIC interrupt ID of every CPU's timer, as on ARM

    // `gic` receives the timer PPIs; null: they are not driven (STATUS still works).
    Timers(sc_core::sc_module_name name, Cluster& cluster, IrqController* gic = nullptr);

private:
    // What a register write changes once it reaches the timer, irq_write_latency cycles after the store.
    enum class Field { Msip, Cmp, Ctrl, Reload, ClearFired };
    struct PerCpu {
        // As written (what reads return).
        uint32_t msip = 0;
        uint64_t cmp = ~0ull;
        uint32_t ctrl = 0, reload = 0;
        // As the timer and its lines see them.
        uint32_t msip_eff = 0;
        uint64_t cmp_eff = ~0ull;
        uint32_t ctrl_eff = 0, reload_eff = 0;
        bool armed = false;  // GIC mode: the comparator has not fired since CMP was written (or ENABLE set)
        bool fired = false;  // STATUS.FIRED
        unsigned cmp_writes_in_flight = 0, clears_in_flight = 0;
        bool msip_line = false, mtip_line = false, ppi_line = false;
    };
    struct PendingWrite {
        uint64_t cycle;
        unsigned cpu;
        Field field;
        uint64_t value;
    };
    void add_cpu_registers(unsigned cpu);
    void schedule_write(unsigned cpu, Field field, uint64_t value);
    void apply(const PendingWrite& w);
    void fire_if_due(unsigned cpu, uint64_t now);
    void drive_lines(unsigned cpu, uint64_t now);
    void update();  // the device event: applies due writes, fires, drives the lines, schedules the next change

    Cluster& cluster_;
    IrqController* gic_;
    std::vector<PerCpu> cpus_;           // sized once: the register callbacks hold references into it
    std::vector<PendingWrite> pending_;  // in cycle order (writes happen in time order)
    uint64_t horizon_;  // compare values further ahead than this (in cycles) need no event: no run gets there
    DeviceEvent update_event_;
};

}  // namespace oobsim

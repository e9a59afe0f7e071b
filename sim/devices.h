// The platform's simple devices: console UART, simulation control and the per-CPU timers / software interrupts.
// Register layouts are in memory_map.h; behaviour in docs/platform.md.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "register_device.h"

namespace oobsim {

class Cluster;

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
class Timers : public RegisterDevice {
public:
    Timers(sc_core::sc_module_name name, Cluster& cluster);

private:
    struct PerCpu {
        uint32_t msip = 0;       // as written
        uint64_t cmp = ~0ull;    // as written
        uint32_t msip_eff = 0;   // as the interrupt line sees it
        uint64_t cmp_eff = ~0ull;
        bool msip_line = false, mtip_line = false;
    };
    struct PendingWrite {
        uint64_t cycle;
        unsigned cpu;
        bool is_cmp;
        uint64_t value;
    };
    void schedule_write(unsigned cpu, bool is_cmp, uint64_t value);
    void update();  // SC_METHOD: applies due writes, drives the lines, schedules the next change

    Cluster& cluster_;
    std::vector<PerCpu> cpus_;
    std::vector<PendingWrite> pending_;  // in cycle order (writes happen in time order)
    sc_core::sc_event update_event_;
};

}  // namespace oobsim

// The oobsim platform: the CPU cluster, the TLM bus with the memory map of memory_map.h, RAM and the devices,
// assembled and loaded with an ELF program. One Platform per process (SystemC elaborates once).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "devices.h"
#include "elf_loader.h"
#include "models/cpu/cluster.h"
#include "models/cpu/timing.h"
#include "ram.h"
#include "router.h"

namespace oobsim {

struct PlatformConfig {
    static constexpr unsigned kMaxCpus = 64;
    unsigned cpus = 1;
    uint32_t ram_size = 0;  // 0: the default (memory_map.h)
    TimingProfile timing;
    SchedMode mode = SchedMode::Fast;
    uint64_t max_cycles = 10000000000ull;
    std::function<void(char)> console;  // every byte the guest prints
    HintObserver* hints = nullptr;
    InsnObserver* insns = nullptr;
};

class Platform : public sc_core::sc_module, private FaultObserver {
public:
    // Throws std::invalid_argument for an impossible configuration and ElfError for a program that does not fit.
    Platform(const PlatformConfig& config, const ElfImage& program, sc_core::sc_module_name name = "platform");
    ~Platform() override;

    // Runs to the end (exit, cycle limit, deadlock or fatal trap) and returns how it ended.
    const RunOutcome& run();

    Cluster& cluster() { return *cluster_; }
    Uart& uart() { return *uart_; }
    Router& bus() { return *bus_; }
    const PlatformConfig& config() const { return config_; }

private:
    void on_bus_error(unsigned cpu, uint32_t pc, uint32_t addr, bool is_write, bool is_fetch) override;
    void start_of_simulation() override;  // loads the program over the bus (bindings are complete by then)

    PlatformConfig config_;
    const ElfImage& program_;
    std::unique_ptr<Cluster> cluster_;
    std::unique_ptr<Router> bus_;
    std::unique_ptr<Ram> ram_;
    std::unique_ptr<Uart> uart_;
    std::unique_ptr<SimCtrl> simctrl_;
    std::unique_ptr<Timers> timers_;
};

}  // namespace oobsim

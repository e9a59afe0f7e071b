// The oobsim platform: the CPU cluster, the TLM bus with the memory map of memory_map.h, RAM and the devices,
// assembled and loaded with an ELF program. One Platform per process (SystemC elaborates once).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "devices.h"
#include "elf_loader.h"
#include "irq.h"
#include "irq_source_config.h"
#include "irq_sources.h"
#include "models/gic/gic.h"
#include "models/cpu/cluster.h"
#include "models/cpu/timing.h"
#include "ram.h"
#include "router.h"

namespace oobsim {

struct PlatformConfig {
    static constexpr unsigned kMaxCpus = 64;        // what the cluster can run (without the GIC)
    static constexpr unsigned kMaxCpusWithGic = 8;  // the GICv2 has 8 CPU interfaces
    static constexpr unsigned kMaxSpis = 988;       // GICv2: IDs 32..1019
    unsigned cpus = 1;
    bool gic = true;        // false: no interrupt controller (its windows are bus errors); up to kMaxCpus cores
    // The GIC's architecture: GicState (C++) or the verilated RTL (docs/rtl-gic.md); same interface and timing.
    enum class GicModel { Tlm, Rtl };
    GicModel gic_model = GicModel::Tlm;
    unsigned spis = 64;     // shared peripheral interrupts of the GIC (IDs 32 .. 32 + spis - 1)
    static constexpr unsigned kIrqSourceChannels = 32;  // channels of the programmable IRQ sources
    std::vector<IrqSourceSpec> irq_sources;  // programmed channels (the i-th without a channel= is channel i)
    uint32_t ram_size = 0;  // 0: the default (memory_map.h)
    // A scenario table (firmware/include/oobsim/scenario_table.h) written over the program's symbol
    // oobsim_scenario_table after loading; its address is then the simulation-control SCENARIO register. Empty: none.
    std::vector<uint8_t> scenario_table;
    TimingProfile timing;
    SchedMode mode = SchedMode::Fast;
    uint64_t max_cycles = 10000000000ull;
    std::function<void(char)> console;  // every byte the guest prints
    HintObserver* hints = nullptr;
    InsnObserver* insns = nullptr;

    // What is impossible about this configuration (CPU or SPI count), or "" when it can be built.
    std::string check() const;
};

class Platform : public sc_core::sc_module, private FaultObserver {
public:
    // Throws std::invalid_argument for an impossible configuration and ElfError for a program that does not fit.
    Platform(const PlatformConfig& config, const ElfImage& program, sc_core::sc_module_name name = "platform");
    ~Platform() override;

    // Runs to the end (exit, cycle limit, deadlock or fatal trap) and returns how it ended.
    const RunOutcome& run();
    // The same run, returning to `progress` about every 0.1 s of host time with the simulated cycle reached (the
    // run itself is the same to the cycle: SystemC pauses between two of its evaluation phases, unseen by models).
    const RunOutcome& run(const std::function<void(uint64_t)>& progress);

    Cluster& cluster() { return *cluster_; }
    // The interrupt controller devices drive their lines through; null when the platform has no GIC.
    IrqController* irq_controller();
    Gic* gic() { return gic_.get(); }
    Uart& uart() { return *uart_; }
    IrqSources& irq_sources() { return *irq_sources_; }
    Router& bus() { return *bus_; }
    const PlatformConfig& config() const { return config_; }

private:
    void on_bus_error(unsigned cpu, uint32_t pc, uint32_t addr, bool is_write, bool is_fetch) override;
    void start_of_simulation() override;  // loads the program over the bus (bindings are complete by then)

    PlatformConfig config_;
    const ElfImage& program_;
    uint32_t scenario_table_addr_ = 0;
    std::unique_ptr<Cluster> cluster_;
    std::unique_ptr<Gic> gic_;
    std::unique_ptr<Router> bus_;
    std::unique_ptr<Ram> ram_;
    std::unique_ptr<Uart> uart_;
    std::unique_ptr<SimCtrl> simctrl_;
    std::unique_ptr<Timers> timers_;
    std::unique_ptr<IrqSources> irq_sources_;
};

}  // namespace oobsim

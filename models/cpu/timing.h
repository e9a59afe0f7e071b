// The timing model of the oobsim RV32 core: a named in-order pipeline profile.
// The cycle cost of every instruction is a pure function of this profile and the dynamic instruction stream
// (docs/timing-model.md gives the formula), so tests can assert exact cycle counts.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace oobsim {

struct TimingProfile {
    // Core pipeline.
    uint32_t base_cpi = 1;              // cycles of a plain ALU instruction
    uint32_t branch_taken_penalty = 2;  // extra cycles of a taken conditional branch
    uint32_t jump_penalty = 2;          // extra cycles of JAL / JALR
    uint32_t load_use_stall = 1;        // extra cycles when an instruction reads the rd of the load just before it
    uint32_t mul_cycles = 3;            // total cycles of MUL, MULH, MULHSU, MULHU
    uint32_t div_cycles = 34;           // total cycles of DIV, DIVU, REM, REMU
    uint32_t csr_cycles = 2;            // total cycles of a CSR instruction
    uint32_t amo_cycles = 3;            // total cycles of LR, SC and AMOs (before memory latency)
    uint32_t fence_cycles = 1;          // total cycles of FENCE
    uint32_t fence_i_cycles = 5;        // total cycles of FENCE.I (pipeline flush)
    uint32_t trap_entry_cycles = 4;     // cycles from a trap (exception or interrupt) to the handler's first instruction
    uint32_t mret_cycles = 4;           // total cycles of MRET
    uint32_t wfi_cycles = 1;            // cycles of WFI before the core sleeps (or goes on, if an interrupt is pending)
    uint32_t wfi_wakeup_cycles = 2;     // cycles from the wake-up interrupt to the next instruction boundary
    // Memory system.
    uint32_t ram_latency = 0;           // extra cycles of a load, store or AMO that hits RAM
    uint32_t mmio_latency = 10;         // extra cycles of a load or store to a device
    uint32_t misaligned_penalty = 1;    // extra cycles of a misaligned load or store to RAM (done as two accesses)
    // Devices.
    uint32_t irq_write_latency = 10;    // cycles from an MMIO write that changes an interrupt line to the line changing
    uint32_t gic_latency = 10;          // cycles from a GIC state change to the CPU interfaces' IRQ outputs (mip.MEIP)
    uint32_t gic_access_latency = 2;    // extra cycles of a load or store to a GIC register (on top of mmio_latency)
    uint64_t clock_hz = 1000000000;     // core clock (all cores share it)

    struct Param {
        const char* name;
        const char* description;
        uint64_t min;
        uint64_t max;
    };
    // Every parameter, in declaration order, with its documentation and legal range.
    static const std::vector<Param>& params();

    // Set one parameter by name; throws std::invalid_argument naming the key (and listing the known ones) or the range.
    void set(const std::string& key, uint64_t value);
    uint64_t get(const std::string& key) const;
    // Parse "KEY=VALUE" (VALUE decimal or 0x-hex).
    void set_from_string(const std::string& assignment);

    // Picoseconds per cycle (the clock must divide 10^12 Hz·ps evenly enough: rounded, documented).
    uint64_t cycle_ps() const { return 1000000000000ull / clock_hz; }
    // The smallest number of cycles between one core's action and its effect on another core's interrupt inputs;
    // the fast scheduler may run a core this far ahead of the others through instructions that touch nothing shared.
    // Device registers (MSIP, timer compare) reach a line after irq_write_latency; a GIC access (an SGI, an
    // acknowledge that takes an SPI away from another CPU) reaches a CPU interface's output after gic_latency.
    uint32_t min_cross_core_latency() const { return std::min(irq_write_latency, gic_latency); }
};

}  // namespace oobsim

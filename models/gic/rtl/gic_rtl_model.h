// The verilated RTL GIC (oobsim_gic.sv) driven one clock cycle at a time, in plain C++ (no SystemC): what the
// platform's wrapper (models/gic/rtl_gic.h) and the cycle-by-cycle comparison with GicState (tests/rtl/) drive.
//
// The RTL is verilated twice, for up to 64 SPIs and for up to 988 (MAX_SPIS): create() takes the smaller build
// that fits, whose scans of the SPI words are shorter; the actual CPU and SPI counts are the RTL's reset straps.
#pragma once

#include <cstdint>
#include <memory>

namespace oobsim::rtl {

// oobsim_gic_pkg::rsp_e and misuse_e.
enum class Status : uint8_t { Ok, NoCpuInterface, BadSize, Misaligned, NoRegister, BadWidth };
enum class Misuse : uint8_t { None, ReadOnlyWrite, EoiMismatch, ReservedSgiFilter };

struct Request {
    bool write = false;
    bool distributor = true;
    unsigned cpu = 0;
    uint32_t offset = 0;  // in the window
    unsigned size = 4;    // bytes
    uint32_t wdata = 0;   // in the low bits
};

// What the RTL answers in the cycle of an access (from the state before its clock edge).
struct Response {
    uint32_t rdata = 0;
    Status status = Status::Ok;
    Misuse misuse = Misuse::None;
    bool sgi_sent = false;      // a GICD_SGIR write sent SGI (wdata & 15) to sgi_targets
    uint8_t sgi_targets = 0;
    bool running_valid = false;  // the accessing CPU's running interrupt (its GICC_IAR value), for EOI reports
    uint32_t running_iar = 0;
};

class GicRtlModel {
public:
    static constexpr unsigned kMaxCpus = 8;
    static constexpr unsigned kMaxSpis = 988;
    static constexpr unsigned kSmallBuildSpis = 64;

    // A model reset with `ncpus` CPU interfaces (1..8) and `nspis` SPIs (0..988); throws std::invalid_argument
    // otherwise. Every line is low.
    static std::unique_ptr<GicRtlModel> create(unsigned ncpus, unsigned nspis);
    virtual ~GicRtlModel() = default;

    // Line levels, sampled at the next clock edge: SPI 32 + index, and PPI 16 + index of `cpu`. Throw
    // std::out_of_range for a line the model has no pin for (the caller checks the configured counts).
    virtual void set_spi_line(unsigned index, bool level) = 0;
    virtual void set_ppi_line(unsigned cpu, unsigned index, bool level) = 0;

    // One clock cycle: `request` (null: no access) is presented, its response sampled, then the rising edge
    // registers its effects and the line levels.
    virtual Response cycle(const Request* request) = 0;

    // After the last edge: bit c = CPU interface c signals an interrupt.
    virtual uint8_t irq() const = 0;
    virtual uint64_t ignored_writes() const = 0;
    // The observation port: the pending / active bits of IDs 32w..32w+31 as `cpu` sees them (w < 32).
    virtual uint32_t pending_word(unsigned cpu, unsigned w) = 0;
    virtual uint32_t active_word(unsigned cpu, unsigned w) = 0;

    virtual unsigned max_spis() const = 0;  // the build's MAX_SPIS
    uint64_t cycles() const { return cycles_; }

protected:
    uint64_t cycles_ = 0;
};

}  // namespace oobsim::rtl

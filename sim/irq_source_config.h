// The configuration of a programmable IRQ source (sim/irq_sources.h): its C++ form, its string form for the CLI and
// Python, the validator, and the arrival-time generator. Plain C++ without SystemC, so unit tests can use it without
// elaborating a model. docs/irq-sources.md describes the modes, the string syntax and the determinism guarantee.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>

namespace oobsim {

// When a channel raises its events. Fields that the mode does not use are ignored.
struct IrqSourceConfig {
    enum Mode { OneShot, Periodic, Burst, Random };
    enum Dist { Exponential, Uniform };
    static constexpr unsigned kFirstSpi = 32;  // GICv2: SPIs are IDs 32..1019 (1020..1023 are special)
    static constexpr unsigned kMaxSpis = 988;

    Mode mode = OneShot;
    unsigned spi = 0;           // GIC interrupt ID, 32 and up; 0: the channel's default, 32 + channel
    bool level = false;         // level: high until the firmware ACKs; edge: a one-cycle pulse per event
    uint64_t start = 0;         // OneShot: the event cycle; other modes: no event before this cycle
    uint64_t period = 0;        // Periodic: cycles between events (>= 1)
    uint64_t phase = 0;         // Periodic: events at phase + k * period, k = 0, 1, ...
    unsigned burst_count = 0;   // Burst: events per burst (>= 1)
    uint64_t burst_gap = 0;     // Burst: cycles between the events of a burst (>= 1 if burst_count > 1)
    uint64_t burst_period = 0;  // Burst: cycles between the first events of successive bursts
    Dist dist = Exponential;    // Random: the inter-arrival distribution
    uint64_t mean = 0;          // Random, exponential: mean inter-arrival time in cycles (>= 1)
    uint64_t min = 0, max = 0;  // Random: inter-arrival bounds; uniform needs max; exponential: clamps (max 0: none)
    uint64_t seed = 0;          // Random: the std::mt19937_64 seed
    uint64_t count = 0;         // events in all; 0 = unlimited (OneShot: 1)

    bool operator==(const IrqSourceConfig& o) const;
    bool operator!=(const IrqSourceConfig& o) const { return !(*this == o); }
};

// Throws std::invalid_argument saying what is wrong. `num_spis` is the GIC's SPI count (IDs 32 .. 32 + num_spis - 1);
// `config.spi` must already be resolved (not 0).
void validate_irq_source(const IrqSourceConfig& config, unsigned num_spis);

// The string form used by the CLI (`--irq-source`) and Python: comma-separated `key=value` items and the flags
// `level` / `edge`, e.g. "spi=40,mode=periodic,period=10000,phase=500,level" (docs/irq-sources.md lists the keys).
// `channel=N` may name the channel. Throws std::invalid_argument naming the bad key or value. Checks everything that
// does not depend on the platform; IrqSources::configure checks the channel and SPI ranges.
struct IrqSourceSpec {
    std::optional<unsigned> channel;
    IrqSourceConfig config;
};
IrqSourceSpec parse_irq_source(const std::string& text);
// The canonical string form of a configuration (parse_irq_source reads it back to the same configuration).
std::string to_string(const IrqSourceConfig& config);

// The cycles at which a channel's events come, in order. Deterministic on every platform: std::mt19937_64 is fully
// specified by the C++ standard, and the samples are computed here from its output with IEEE-754 basic arithmetic
// only (no std::*_distribution, whose algorithms are implementation-defined, and no libm call).
class IrqArrivals {
public:
    static constexpr uint64_t kNever = ~0ull;

    explicit IrqArrivals(const IrqSourceConfig& config);  // config must be valid
    // The cycle of the next event (non-decreasing; strictly increasing, at least 1 apart), or kNever when done.
    uint64_t next();

    // The pieces of the random modes, exposed for tests.
    // A uniform double in [0, 1) from the top 53 bits of one generator output.
    static double uniform53(uint64_t bits) { return double(bits >> 11) * 0x1p-53; }
    // Natural logarithm of x > 0 from +, -, *, / only: the same bits everywhere (libm log may differ by an ulp).
    static double portable_log(double x);
    // One inter-arrival gap (>= 1 cycle) from one generator output.
    static uint64_t random_gap(const IrqSourceConfig& config, uint64_t bits);

private:
    uint64_t first();
    uint64_t after(uint64_t last);

    IrqSourceConfig config_;
    std::mt19937_64 rng_;
    uint64_t emitted_ = 0;
    uint64_t last_ = 0;
    unsigned in_burst_ = 0;     // Burst: events of the current burst so far
    uint64_t burst_start_ = 0;  // Burst: cycle of the current burst's first event
};

}  // namespace oobsim

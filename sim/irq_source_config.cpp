#include "irq_source_config.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>
#include <stdexcept>

#include "memory_map.h"

// This file is compiled with -ffp-contract=off (CMakeLists.txt): a fused multiply-add would round differently from
// a multiply then an add, and the random arrival times must be the same bits on every platform.

namespace oobsim {

namespace {

constexpr unsigned kFirstSpi = IrqSourceConfig::kFirstSpi;
constexpr unsigned kMaxSpis = IrqSourceConfig::kMaxSpis;
constexpr uint64_t kNever = IrqArrivals::kNever;

[[noreturn]] void bad(const std::string& message) {
    throw std::invalid_argument(message);
}

std::string str(uint64_t v) {
    return std::to_string(v);
}

// a + b, or kNever if that does not fit.
uint64_t add_or_never(uint64_t a, uint64_t b) {
    return a > kNever - b ? kNever : a + b;
}

const char* mode_name(IrqSourceConfig::Mode m) {
    switch (m) {
        case IrqSourceConfig::OneShot: return "oneshot";
        case IrqSourceConfig::Periodic: return "periodic";
        case IrqSourceConfig::Burst: return "burst";
        case IrqSourceConfig::Random: return "random";
    }
    return "?";
}

// Everything about a configuration that does not depend on the platform.
void validate_timing(const IrqSourceConfig& c) {
    switch (c.mode) {
        case IrqSourceConfig::OneShot:
            if (c.count > 1) bad("a one-shot source raises exactly one event (count " + str(c.count) + ")");
            return;
        case IrqSourceConfig::Periodic:
            if (c.period == 0) bad("a periodic source needs a period of at least 1 cycle");
            return;
        case IrqSourceConfig::Burst: {
            if (c.burst_count == 0) bad("a burst needs at least 1 event (burst count 0)");
            if (c.burst_count > 1 && c.burst_gap == 0)
                bad("the events of a burst must be at least 1 cycle apart (gap 0)");
            if (c.burst_period == 0) bad("bursts need a period of at least 1 cycle (every=)");
            // The span of one burst; the next burst must start after it ends.
            const uint64_t n = c.burst_count - 1;
            if (n != 0 && c.burst_gap > (kNever - 1) / n)
                bad("a burst of " + str(c.burst_count) + " events is too long");
            const uint64_t span = n * c.burst_gap;
            if (c.burst_period <= span)
                bad("bursts overlap: their period " + str(c.burst_period) +
                    " must exceed (count - 1) * gap = " + str(span));
            return;
        }
        case IrqSourceConfig::Random:
            if (c.dist == IrqSourceConfig::Exponential) {
                if (c.mean == 0) bad("exponential arrivals need a mean of at least 1 cycle");
                if (c.max != 0 && c.min > c.max) bad("min " + str(c.min) + " > max " + str(c.max));
            } else if (c.dist == IrqSourceConfig::Uniform) {
                if (c.max == 0) bad("uniform arrivals need max >= 1 (gaps are whole cycles in [max(min, 1), max])");
                if (c.min > c.max) bad("min " + str(c.min) + " > max " + str(c.max));
            } else {
                bad("unknown inter-arrival distribution " + str(unsigned(c.dist)));
            }
            return;
    }
    bad("unknown IRQ source mode " + str(unsigned(c.mode)));
}

}  // namespace

bool IrqSourceConfig::operator==(const IrqSourceConfig& o) const {
    return mode == o.mode && spi == o.spi && level == o.level && start == o.start && period == o.period &&
           phase == o.phase && burst_count == o.burst_count && burst_gap == o.burst_gap &&
           burst_period == o.burst_period && dist == o.dist && mean == o.mean && min == o.min && max == o.max &&
           seed == o.seed && count == o.count;
}

void validate_irq_source(const IrqSourceConfig& c, unsigned num_spis) {
    if (c.spi < kFirstSpi || c.spi >= kFirstSpi + num_spis) {
        if (num_spis == 0) bad("SPI " + str(c.spi) + " is out of range: the GIC has no SPIs");
        bad("SPI " + str(c.spi) + " is out of range: the GIC has " + str(num_spis) + " SPIs (IDs " + str(kFirstSpi) +
            " to " + str(kFirstSpi + num_spis - 1) + ")");
    }
    validate_timing(c);
}

// ---- The string form -------------------------------------------------------------------------------------------

namespace {

const char* const kKeys =
    "channel, mode, spi, level, edge, at (or start), period, phase, count, gap, every, dist, "
    "mean, min, max, seed, limit";

// Which modes each key applies to ("" = all).
const std::map<std::string, std::string>& key_modes() {
    static const std::map<std::string, std::string> m = {
        {"channel", ""},
        {"mode", ""},
        {"spi", ""},
        {"level", ""},
        {"edge", ""},
        {"at", ""},
        {"start", ""},
        {"limit", "periodic burst random"},
        {"period", "periodic"},
        {"phase", "periodic"},
        {"count", "burst"},
        {"gap", "burst"},
        {"every", "burst"},
        {"dist", "random"},
        {"mean", "random"},
        {"min", "random"},
        {"max", "random"},
        {"seed", "random"},
    };
    return m;
}

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// A whole number in decimal or 0x-hex, nothing else.
uint64_t parse_number(const std::string& key, const std::string& value) {
    const bool hex = value.size() > 2 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X');
    const std::string digits = hex ? value.substr(2) : value;
    const std::string allowed = hex ? "0123456789abcdefABCDEF" : "0123456789";
    if (digits.empty() || digits.find_first_not_of(allowed) != std::string::npos)
        bad(key + "=" + value + ": not a whole number");
    errno = 0;
    const unsigned long long v = std::strtoull(digits.c_str(), nullptr, hex ? 16 : 10);
    if (errno == ERANGE) bad(key + "=" + value + ": too large");
    return v;
}

unsigned parse_small(const std::string& key, const std::string& value, unsigned limit) {
    const uint64_t v = parse_number(key, value);
    if (v > limit) bad(key + "=" + value + ": too large (at most " + str(limit) + ")");
    return unsigned(v);
}

IrqSourceConfig::Mode parse_mode(const std::string& v) {
    if (v == "oneshot") return IrqSourceConfig::OneShot;
    if (v == "periodic") return IrqSourceConfig::Periodic;
    if (v == "burst") return IrqSourceConfig::Burst;
    if (v == "random") return IrqSourceConfig::Random;
    bad("mode=" + v + ": unknown mode (oneshot, periodic, burst or random)");
}

IrqSourceConfig::Dist parse_dist(const std::string& v) {
    if (v == "exp" || v == "exponential") return IrqSourceConfig::Exponential;
    if (v == "uniform") return IrqSourceConfig::Uniform;
    bad("dist=" + v + ": unknown distribution (exp or uniform)");
}

// key -> value ("" for the flags), with unknown, repeated and malformed items rejected.
std::map<std::string, std::string> split_items(const std::string& text) {
    std::map<std::string, std::string> items;
    size_t pos = 0;
    for (;;) {
        const size_t comma = text.find(',', pos);
        const std::string item = trim(text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
        if (item.empty()) bad("empty item in \"" + text + "\" (items are separated by single commas)");
        const size_t eq = item.find('=');
        const std::string key = trim(item.substr(0, eq));
        const std::string value = eq == std::string::npos ? std::string() : trim(item.substr(eq + 1));
        if (!key_modes().count(key)) bad("unknown key '" + key + "' (the keys are " + kKeys + ")");
        const bool flag = key == "level" || key == "edge";
        if (flag && eq != std::string::npos) bad("'" + key + "' is a flag and takes no value");
        if (!flag && value.empty()) bad("'" + key + "' needs a value (" + key + "=...)");
        if (!items.emplace(key, value).second) bad("'" + key + "' given twice");
        if (comma == std::string::npos) return items;
        pos = comma + 1;
    }
}

void check_applicable(const std::map<std::string, std::string>& items, const std::string& mode) {
    for (const auto& [key, value] : items) {
        const std::string& modes = key_modes().at(key);
        if (modes.empty() || (" " + modes + " ").find(" " + mode + " ") != std::string::npos) continue;
        if (key == "count")
            bad("count= is the number of events per burst (mode=burst); use limit= to cap the number of events");
        bad("'" + key + "' does not apply to mode=" + mode);
    }
    if (items.count("level") && items.count("edge")) bad("'level' and 'edge' exclude each other");
    if (items.count("at") && items.count("start")) bad("'at' and 'start' are the same setting: give one");
}

void require(const std::map<std::string, std::string>& items, const std::string& key, const std::string& why) {
    if (!items.count(key)) bad(why);
}

}  // namespace

IrqSourceSpec parse_irq_source(const std::string& text) {
    const auto items = split_items(text);
    require(items, "mode", "mode= is required (oneshot, periodic, burst or random)");
    const std::string mode = items.at("mode");
    IrqSourceSpec spec;
    IrqSourceConfig& c = spec.config;
    c.mode = parse_mode(mode);
    check_applicable(items, mode);
    auto get = [&](const char* key, uint64_t* out) {
        auto it = items.find(key);
        if (it != items.end()) *out = parse_number(key, it->second);
    };
    if (items.count("channel"))
        spec.channel = parse_small("channel", items.at("channel"), OOBSIM_IRQSRC_MAX_CHANNELS - 1);
    if (items.count("spi")) {
        c.spi = parse_small("spi", items.at("spi"), kFirstSpi + kMaxSpis - 1);
        if (c.spi < kFirstSpi) bad("spi=" + items.at("spi") + ": SPIs are GIC interrupt IDs 32 and up");
    }
    c.level = items.count("level") != 0;
    get("at", &c.start);
    get("start", &c.start);
    get("limit", &c.count);
    get("period", &c.period);
    get("phase", &c.phase);
    if (items.count("count")) c.burst_count = parse_small("count", items.at("count"), ~0u);
    get("gap", &c.burst_gap);
    get("every", &c.burst_period);
    if (items.count("dist")) c.dist = parse_dist(items.at("dist"));
    get("mean", &c.mean);
    get("min", &c.min);
    get("max", &c.max);
    get("seed", &c.seed);

    switch (c.mode) {
        case IrqSourceConfig::OneShot:
            if (!items.count("at") && !items.count("start")) bad("mode=oneshot needs at=CYCLE");
            break;
        case IrqSourceConfig::Periodic: require(items, "period", "mode=periodic needs period=CYCLES"); break;
        case IrqSourceConfig::Burst:
            require(items, "count", "mode=burst needs count= (events per burst)");
            require(items, "every", "mode=burst needs every= (cycles between bursts)");
            if (c.burst_count > 1)
                require(items, "gap", "mode=burst with count > 1 needs gap= (cycles between events)");
            break;
        case IrqSourceConfig::Random:
            require(items, "seed", "mode=random needs seed=N: runs are reproducible only from an explicit seed");
            if (c.dist == IrqSourceConfig::Exponential) {
                require(items, "mean", "mode=random,dist=exp needs mean=CYCLES");
            } else {
                if (items.count("mean")) bad("'mean' does not apply to dist=uniform (it takes min= and max=)");
                require(items, "max", "mode=random,dist=uniform needs max=CYCLES (and min=, default 1)");
            }
            break;
    }
    validate_timing(c);
    return spec;
}

std::string to_string(const IrqSourceConfig& c) {
    std::string s = std::string("mode=") + mode_name(c.mode);
    auto add = [&s](const char* key, uint64_t v) { s += std::string(",") + key + "=" + str(v); };
    if (c.spi) add("spi", c.spi);
    s += c.level ? ",level" : ",edge";
    add(c.mode == IrqSourceConfig::OneShot ? "at" : "start", c.start);
    switch (c.mode) {
        case IrqSourceConfig::OneShot: return s;
        case IrqSourceConfig::Periodic:
            add("period", c.period);
            add("phase", c.phase);
            break;
        case IrqSourceConfig::Burst:
            add("count", c.burst_count);
            add("gap", c.burst_gap);
            add("every", c.burst_period);
            break;
        case IrqSourceConfig::Random:
            s += c.dist == IrqSourceConfig::Uniform ? ",dist=uniform" : ",dist=exp";
            if (c.dist == IrqSourceConfig::Exponential) add("mean", c.mean);
            add("min", c.min);
            add("max", c.max);
            add("seed", c.seed);
            break;
    }
    add("limit", c.count);
    return s;
}

// ---- Arrival times ---------------------------------------------------------------------------------------------

IrqArrivals::IrqArrivals(const IrqSourceConfig& config) : config_(config), rng_(config.seed) {}

double IrqArrivals::portable_log(double x) {
    int e = 0;
    double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1): exact
    if (m < 0.70710678118654752440) {
        m *= 2;  // exact
        --e;
    }
    // m in [sqrt(1/2), sqrt(2)): ln m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), s = (m - 1) / (m + 1), |s| < 0.172.
    // s^2 < 0.0295, so the terms after s^27/27 are below 2^-60 of the sum.
    const double s = (m - 1) / (m + 1), s2 = s * s;
    double p = 1.0 / 27;
    for (int k = 12; k >= 0; --k) p = 1.0 / (2 * k + 1) + s2 * p;
    const double ln2 = 0.69314718055994530942;
    return double(e) * ln2 + 2 * s * p;
}

uint64_t IrqArrivals::random_gap(const IrqSourceConfig& c, uint64_t bits) {
    const double u = uniform53(bits);
    const uint64_t lo = std::max<uint64_t>(c.min, 1);  // events are at least 1 cycle apart
    if (c.dist == IrqSourceConfig::Uniform) {
        // A whole number of cycles in [lo, max], each equally likely (inverse CDF of the discrete uniform).
        const uint64_t span = c.max - lo;
        const double r = std::floor(u * (double(span) + 1.0));
        const uint64_t off = r >= 0x1p64 ? span : std::min<uint64_t>(uint64_t(r), span);
        return lo + off;
    }
    // Exponential by its inverse CDF: -mean * ln(1 - u), with 1 - u exact and in (0, 1]; to the nearest cycle.
    const double x = -double(c.mean) * portable_log(1.0 - u);
    const double r = std::floor(x + 0.5);
    uint64_t gap = r >= 0x1p62 ? (1ull << 62) : uint64_t(r);
    gap = std::max(gap, lo);
    if (c.max != 0) gap = std::min(gap, c.max);
    return gap;
}

uint64_t IrqArrivals::first() {
    const IrqSourceConfig& c = config_;
    switch (c.mode) {
        case IrqSourceConfig::OneShot: return c.start;
        case IrqSourceConfig::Periodic: {
            if (c.start <= c.phase) return c.phase;
            // The first phase + k * period at or after start.
            const uint64_t k = (c.start - c.phase + c.period - 1) / c.period;
            if (k > (kNever - c.phase) / c.period) return kNever;
            return c.phase + k * c.period;
        }
        case IrqSourceConfig::Burst:
            in_burst_ = 1;
            burst_start_ = c.start;
            return c.start;
        case IrqSourceConfig::Random: return add_or_never(c.start, random_gap(c, rng_()));
    }
    return kNever;
}

uint64_t IrqArrivals::after(uint64_t last) {
    const IrqSourceConfig& c = config_;
    switch (c.mode) {
        case IrqSourceConfig::OneShot: return kNever;
        case IrqSourceConfig::Periodic: return add_or_never(last, c.period);
        case IrqSourceConfig::Burst:
            if (in_burst_ < c.burst_count) {
                ++in_burst_;
                return add_or_never(last, c.burst_gap);
            }
            in_burst_ = 1;
            burst_start_ = add_or_never(burst_start_, c.burst_period);
            return burst_start_;
        case IrqSourceConfig::Random: return add_or_never(last, random_gap(c, rng_()));
    }
    return kNever;
}

uint64_t IrqArrivals::next() {
    if (last_ == kNever) return kNever;
    if (config_.count != 0 && emitted_ >= config_.count) return last_ = kNever;
    last_ = emitted_ == 0 ? first() : after(last_);
    if (last_ != kNever) ++emitted_;
    return last_;
}

}  // namespace oobsim

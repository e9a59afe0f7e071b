// The parts of the programmable IRQ sources that need no SystemC: the string form, the validator and the arrival-time
// generator (including its determinism, checked against tests/scripts/irq_arrivals_reference.py).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/irq_source_config.h"

namespace oobsim {
namespace {

using C = IrqSourceConfig;

// The message of the std::invalid_argument that `text` is rejected with ("" if it is accepted).
std::string parse_error(const std::string& text) {
    try {
        parse_irq_source(text);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

std::string validate_error(const C& c, unsigned num_spis) {
    try {
        validate_irq_source(c, num_spis);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

std::vector<uint64_t> take(const C& c, size_t n) {
    IrqArrivals a(c);
    std::vector<uint64_t> v;
    for (size_t i = 0; i < n; ++i) v.push_back(a.next());
    return v;
}

C random_exp(uint64_t mean, uint64_t seed) {
    C c;
    c.mode = C::Random;
    c.dist = C::Exponential;
    c.mean = mean;
    c.seed = seed;
    return c;
}

C random_uniform(uint64_t min, uint64_t max, uint64_t seed) {
    C c;
    c.mode = C::Random;
    c.dist = C::Uniform;
    c.min = min;
    c.max = max;
    c.seed = seed;
    return c;
}

constexpr uint64_t kNever = IrqArrivals::kNever;

// ---- The string form ---------------------------------------------------------------------------------------------

TEST(IrqSourceParse, Periodic) {
    IrqSourceSpec s = parse_irq_source("spi=40,mode=periodic,period=10000,phase=500,level");
    EXPECT_FALSE(s.channel.has_value());
    EXPECT_EQ(s.config.mode, C::Periodic);
    EXPECT_EQ(s.config.spi, 40u);
    EXPECT_TRUE(s.config.level);
    EXPECT_EQ(s.config.period, 10000u);
    EXPECT_EQ(s.config.phase, 500u);
    EXPECT_EQ(s.config.count, 0u);
}

TEST(IrqSourceParse, RandomExponential) {
    IrqSourceSpec s = parse_irq_source("mode=random,dist=exp,mean=5000,seed=7");
    EXPECT_EQ(s.config.mode, C::Random);
    EXPECT_EQ(s.config.dist, C::Exponential);
    EXPECT_EQ(s.config.mean, 5000u);
    EXPECT_EQ(s.config.seed, 7u);
    EXPECT_EQ(s.config.spi, 0u);  // the channel's default
    EXPECT_FALSE(s.config.level);
}

TEST(IrqSourceParse, RandomUniform) {
    IrqSourceSpec s = parse_irq_source("mode=random,dist=uniform,min=10,max=0x20,seed=0xffffffffffffffff,limit=9");
    EXPECT_EQ(s.config.dist, C::Uniform);
    EXPECT_EQ(s.config.min, 10u);
    EXPECT_EQ(s.config.max, 32u);
    EXPECT_EQ(s.config.seed, ~0ull);
    EXPECT_EQ(s.config.count, 9u);
}

TEST(IrqSourceParse, Burst) {
    IrqSourceSpec s = parse_irq_source("mode=burst,count=4,gap=100,every=50000");
    EXPECT_EQ(s.config.mode, C::Burst);
    EXPECT_EQ(s.config.burst_count, 4u);
    EXPECT_EQ(s.config.burst_gap, 100u);
    EXPECT_EQ(s.config.burst_period, 50000u);
    EXPECT_EQ(s.config.count, 0u);
}

TEST(IrqSourceParse, OneShotWithChannelAndSpaces) {
    IrqSourceSpec s = parse_irq_source(" mode = oneshot , at=12345, channel=3, edge");
    ASSERT_TRUE(s.channel.has_value());
    EXPECT_EQ(*s.channel, 3u);
    EXPECT_EQ(s.config.mode, C::OneShot);
    EXPECT_EQ(s.config.start, 12345u);
    EXPECT_FALSE(s.config.level);
    EXPECT_EQ(parse_irq_source("mode=oneshot,start=7").config.start, 7u);
}

TEST(IrqSourceParse, RejectsUnknownKeysByName) {
    EXPECT_NE(parse_error("mode=periodic,period=10,perod=5").find("unknown key 'perod'"), std::string::npos);
    EXPECT_NE(parse_error("mode=oneshot,at=1,colour=red").find("'colour'"), std::string::npos);
}

TEST(IrqSourceParse, RejectsMalformedItems) {
    EXPECT_NE(parse_error("").find("empty item"), std::string::npos);
    EXPECT_NE(parse_error("mode=oneshot,,at=1").find("empty item"), std::string::npos);
    EXPECT_NE(parse_error("mode=oneshot,at=1,").find("empty item"), std::string::npos);
    EXPECT_NE(parse_error("mode=oneshot,at=1,at=2").find("'at' given twice"), std::string::npos);
    EXPECT_NE(parse_error("mode=oneshot,at=1,start=2").find("same setting"), std::string::npos);
    EXPECT_NE(parse_error("mode=oneshot,at=1,level=1").find("flag"), std::string::npos);
    EXPECT_NE(parse_error("mode=oneshot,at=1,level,edge").find("exclude"), std::string::npos);
    EXPECT_NE(parse_error("mode=oneshot,at=").find("needs a value"), std::string::npos);
    EXPECT_NE(parse_error("mode=oneshot,at").find("needs a value"), std::string::npos);
}

TEST(IrqSourceParse, RejectsBadNumbers) {
    for (const char* v : {"-5", "abc", "12x", "0x", "1e3", "1.5", "99999999999999999999", "0x1ffffffffffffffff"})
        EXPECT_NE(parse_error(std::string("mode=oneshot,at=") + v), "") << v;
    EXPECT_NE(parse_error("mode=oneshot,at=1,spi=31").find("32 and up"), std::string::npos);
    EXPECT_NE(parse_error("mode=oneshot,at=1,spi=1020").find("too large"), std::string::npos);
    EXPECT_NE(parse_error("mode=oneshot,at=1,channel=1024").find("too large"), std::string::npos);
    EXPECT_NE(parse_error("mode=burst,count=4294967296,gap=1,every=1").find("too large"), std::string::npos);
}

TEST(IrqSourceParse, ModeIsRequiredAndKnown) {
    EXPECT_NE(parse_error("spi=40,period=10").find("mode= is required"), std::string::npos);
    EXPECT_NE(parse_error("mode=sometimes").find("unknown mode"), std::string::npos);
    EXPECT_NE(parse_error("mode=random,dist=normal,seed=1,mean=4").find("unknown distribution"), std::string::npos);
}

TEST(IrqSourceParse, RejectsKeysOfOtherModes) {
    EXPECT_NE(parse_error("mode=oneshot,at=5,period=10").find("'period' does not apply to mode=oneshot"),
              std::string::npos);
    EXPECT_NE(parse_error("mode=periodic,period=10,seed=3").find("'seed' does not apply"), std::string::npos);
    EXPECT_NE(parse_error("mode=oneshot,at=5,limit=1").find("'limit' does not apply"), std::string::npos);
    // count= means events per burst: elsewhere the message points to limit=.
    EXPECT_NE(parse_error("mode=periodic,period=10,count=3").find("use limit="), std::string::npos);
    EXPECT_NE(parse_error("mode=random,dist=uniform,max=9,mean=4,seed=1").find("'mean' does not apply"),
              std::string::npos);
}

TEST(IrqSourceParse, RequiresWhatTheModeNeeds) {
    EXPECT_NE(parse_error("mode=oneshot").find("at="), std::string::npos);
    EXPECT_NE(parse_error("mode=periodic").find("period="), std::string::npos);
    EXPECT_NE(parse_error("mode=burst,gap=1,every=10").find("count="), std::string::npos);
    EXPECT_NE(parse_error("mode=burst,count=2,every=10").find("gap="), std::string::npos);
    EXPECT_EQ(parse_error("mode=burst,count=1,every=10"), "");  // a single event per burst needs no gap
    EXPECT_NE(parse_error("mode=burst,count=2,gap=1").find("every="), std::string::npos);
    EXPECT_NE(parse_error("mode=random,mean=10").find("seed="), std::string::npos);
    EXPECT_NE(parse_error("mode=random,seed=1").find("mean="), std::string::npos);
    EXPECT_NE(parse_error("mode=random,dist=uniform,seed=1,min=3").find("max="), std::string::npos);
}

TEST(IrqSourceParse, ChecksValues) {
    EXPECT_NE(parse_error("mode=periodic,period=0").find("at least 1 cycle"), std::string::npos);
    EXPECT_NE(parse_error("mode=burst,count=0,every=10").find("at least 1 event"), std::string::npos);
    EXPECT_NE(parse_error("mode=burst,count=4,gap=100,every=300").find("bursts overlap"), std::string::npos);
    EXPECT_EQ(parse_error("mode=burst,count=4,gap=100,every=301"), "");
    EXPECT_NE(parse_error("mode=random,dist=uniform,min=10,max=5,seed=1").find("min 10 > max 5"), std::string::npos);
    EXPECT_NE(parse_error("mode=random,mean=10,min=10,max=5,seed=1").find("min 10 > max 5"), std::string::npos);
    EXPECT_NE(parse_error("mode=random,mean=0,seed=1").find("mean of at least 1"), std::string::npos);
}

TEST(IrqSourceParse, ToStringRoundTrips) {
    for (const char* text :
         {"mode=oneshot,at=12345,spi=33", "spi=40,mode=periodic,period=10000,phase=500,level,limit=3",
          "mode=random,dist=exp,mean=5000,seed=7,max=90000", "mode=random,dist=uniform,min=3,max=4,seed=1,level",
          "mode=burst,count=4,gap=100,every=50000,start=99"}) {
        const C c = parse_irq_source(text).config;
        const std::string canonical = to_string(c);
        EXPECT_EQ(parse_irq_source(canonical).config, c) << text << " -> " << canonical;
    }
    EXPECT_EQ(to_string(parse_irq_source("mode=oneshot,at=5").config), "mode=oneshot,edge,at=5");
}

// ---- The validator -------------------------------------------------------------------------------------------------

TEST(IrqSourceValidate, SpiRange) {
    C c;
    c.spi = 47;
    EXPECT_EQ(validate_error(c, 16), "");
    c.spi = 48;
    EXPECT_EQ(validate_error(c, 16), "SPI 48 is out of range: the GIC has 16 SPIs (IDs 32 to 47)");
    c.spi = 31;
    EXPECT_NE(validate_error(c, 16).find("out of range"), std::string::npos);
    c.spi = 32;
    EXPECT_EQ(validate_error(c, 0), "SPI 32 is out of range: the GIC has no SPIs");
    c.spi = 0;  // unresolved: not an SPI
    EXPECT_NE(validate_error(c, 16).find("out of range"), std::string::npos);
}

TEST(IrqSourceValidate, ModeRules) {
    C c;
    c.spi = 32;
    c.count = 2;
    EXPECT_NE(validate_error(c, 1).find("exactly one event"), std::string::npos);
    c = C();
    c.spi = 32;
    c.mode = C::Periodic;
    EXPECT_NE(validate_error(c, 1).find("period"), std::string::npos);
    c.mode = C::Burst;
    c.burst_count = 3;
    c.burst_period = 100;
    EXPECT_NE(validate_error(c, 1).find("gap 0"), std::string::npos);
    c.burst_gap = ~0ull / 2 + 1;  // (count - 1) * gap does not fit 64 bits
    EXPECT_NE(validate_error(c, 1).find("too long"), std::string::npos);
    c.burst_gap = ~0ull / 2;
    EXPECT_NE(validate_error(c, 1).find("bursts overlap"), std::string::npos);
    c = random_uniform(0, 0, 1);
    c.spi = 32;
    EXPECT_NE(validate_error(c, 1).find("max >= 1"), std::string::npos);
    c.max = 1;  // min 0 means 1: every gap is 1 cycle
    EXPECT_EQ(validate_error(c, 1), "");
}

// ---- Arrival times -------------------------------------------------------------------------------------------------

TEST(IrqArrivals, OneShot) {
    C c;
    c.start = 777;
    EXPECT_EQ(take(c, 3), (std::vector<uint64_t>{777, kNever, kNever}));
    c.count = 1;
    EXPECT_EQ(take(c, 2), (std::vector<uint64_t>{777, kNever}));
}

TEST(IrqArrivals, PeriodicPhaseAndStart) {
    C c;
    c.mode = C::Periodic;
    c.period = 100;
    c.phase = 30;
    EXPECT_EQ(take(c, 3), (std::vector<uint64_t>{30, 130, 230}));
    c.start = 250;  // the grid stays phase + k * period; events before start are skipped
    EXPECT_EQ(take(c, 3), (std::vector<uint64_t>{330, 430, 530}));
    c.start = 330;
    EXPECT_EQ(take(c, 1), (std::vector<uint64_t>{330}));
    c.phase = 1000;  // a phase beyond the period just starts later
    c.start = 0;
    c.count = 2;
    EXPECT_EQ(take(c, 3), (std::vector<uint64_t>{1000, 1100, kNever}));
}

TEST(IrqArrivals, PeriodicEveryCycle) {
    C c;
    c.mode = C::Periodic;
    c.period = 1;
    c.start = 5;
    EXPECT_EQ(take(c, 4), (std::vector<uint64_t>{5, 6, 7, 8}));
}

TEST(IrqArrivals, Burst) {
    C c;
    c.mode = C::Burst;
    c.start = 5;
    c.burst_count = 3;
    c.burst_gap = 10;
    c.burst_period = 100;
    EXPECT_EQ(take(c, 7), (std::vector<uint64_t>{5, 15, 25, 105, 115, 125, 205}));
    c.count = 4;
    EXPECT_EQ(take(c, 6), (std::vector<uint64_t>{5, 15, 25, 105, kNever, kNever}));
    c.burst_count = 1;
    c.count = 0;
    EXPECT_EQ(take(c, 3), (std::vector<uint64_t>{5, 105, 205}));
}

TEST(IrqArrivals, EndsInsteadOfOverflowing) {
    C c;
    c.mode = C::Periodic;
    c.period = 1ull << 62;
    c.phase = 3ull << 62;
    EXPECT_EQ(take(c, 2), (std::vector<uint64_t>{3ull << 62, kNever}));
    c.start = ~0ull - 1;  // no grid point at or after start fits
    EXPECT_EQ(take(c, 1), (std::vector<uint64_t>{kNever}));
    C r = random_exp(1ull << 62, 1);
    r.start = ~0ull - 10;
    EXPECT_EQ(take(r, 2), (std::vector<uint64_t>{kNever, kNever}));
}

// The platform's std::mt19937_64 is the standard's (its 10000th output is fixed by [rand.predef]).
TEST(IrqArrivals, GeneratorIsTheStandardOne) {
    std::mt19937_64 g;
    g.discard(9999);
    EXPECT_EQ(g(), 9981545732273789042ull);
}

// Expected values from tests/scripts/irq_arrivals_reference.py: an independent mt19937_64 and Python's math.log.
TEST(IrqArrivals, ExponentialMatchesTheReference) {
    EXPECT_EQ(take(random_exp(5000, 7), 8),
              (std::vector<uint64_t>{7020, 21929, 22553, 33677, 34439, 34722, 43657, 55206}));
    C c = random_exp(3, 1);
    c.min = 2;
    c.max = 6;
    EXPECT_EQ(take(c, 12), (std::vector<uint64_t>{2, 4, 6, 8, 10, 16, 18, 20, 23, 26, 28, 30}));
}

TEST(IrqArrivals, UniformMatchesTheReference) {
    C c = random_uniform(100, 200, 42);
    c.start = 1000;
    EXPECT_EQ(take(c, 8), (std::vector<uint64_t>{1176, 1340, 1515, 1628, 1819, 1928, 2086, 2223}));
}

TEST(IrqArrivals, SameSeedSameSequence) {
    for (C c : {random_exp(300, 12345), random_uniform(1, 1000, 12345)}) {
        const std::vector<uint64_t> a = take(c, 5000), b = take(c, 5000);
        EXPECT_EQ(a, b);
        c.seed = 12346;
        EXPECT_NE(take(c, 5000), a);
    }
}

TEST(IrqArrivals, LimitStopsRandomArrivals) {
    C c = random_exp(50, 3);
    c.count = 3;
    std::vector<uint64_t> v = take(c, 5);
    EXPECT_NE(v[2], kNever);
    EXPECT_EQ(v[3], kNever);
    EXPECT_EQ(v[4], kNever);
}

// Gaps between consecutive arrivals, `n` of them.
std::vector<uint64_t> gaps(const C& c, size_t n) {
    IrqArrivals a(c);
    std::vector<uint64_t> g;
    uint64_t last = c.start;
    for (size_t i = 0; i < n; ++i) {
        const uint64_t t = a.next();
        g.push_back(t - last);
        last = t;
    }
    return g;
}

TEST(IrqArrivals, ExponentialStatistics) {
    const size_t n = 200000;
    const std::vector<uint64_t> g = gaps(random_exp(1000, 99), n);
    double sum = 0, sq = 0;
    size_t above_mean = 0;
    for (uint64_t x : g) {
        ASSERT_GE(x, 1u);
        sum += double(x);
        sq += double(x) * double(x);
        above_mean += x > 1000;
    }
    const double mean = sum / n, sd = std::sqrt(sq / n - mean * mean);
    EXPECT_NEAR(mean, 1000.0, 10.0);                             // standard error 1000 / sqrt(n) = 2.2
    EXPECT_NEAR(sd, 1000.0, 20.0);                               // exponential: sd = mean
    EXPECT_NEAR(double(above_mean) / n, std::exp(-1.0), 0.005);  // P(X > mean) = 1/e
}

TEST(IrqArrivals, ExponentialNeverCloserThanOneCycle) {
    for (uint64_t g : gaps(random_exp(1, 5), 100000)) ASSERT_GE(g, 1u);
    C c = random_exp(100, 5);
    c.min = 40;
    c.max = 120;
    for (uint64_t g : gaps(c, 100000)) {
        ASSERT_GE(g, 40u);
        ASSERT_LE(g, 120u);
    }
}

TEST(IrqArrivals, UniformStatistics) {
    const size_t n = 110000;
    const std::vector<uint64_t> g = gaps(random_uniform(10, 20, 4), n);
    std::vector<size_t> hist(21, 0);
    for (uint64_t x : g) {
        ASSERT_GE(x, 10u);
        ASSERT_LE(x, 20u);
        ++hist[x];
    }
    for (unsigned v = 10; v <= 20; ++v) EXPECT_NEAR(double(hist[v]) / n, 1.0 / 11, 0.005) << v;
    // min 0 means 1; a single-value range gives that value
    for (uint64_t x : gaps(random_uniform(0, 1, 4), 1000)) ASSERT_EQ(x, 1u);
    for (uint64_t x : gaps(random_uniform(7, 7, 4), 1000)) ASSERT_EQ(x, 7u);
}

TEST(IrqArrivals, UniformOverTheWholeRange) {
    C c = random_uniform(1, ~0ull, 8);
    for (int i = 0; i < 1000; ++i) {
        const uint64_t g = IrqArrivals::random_gap(c, std::mt19937_64(i)());
        ASSERT_GE(g, 1u);
    }
    // The largest uniform stays in range (a 53-bit u resolves this range to 2^11 cycles).
    EXPECT_EQ(IrqArrivals::random_gap(c, ~0ull), 1 + (~0ull - 2047));
    EXPECT_EQ(IrqArrivals::random_gap(c, 0), 1u);
}

TEST(IrqArrivals, Uniform53) {
    EXPECT_EQ(IrqArrivals::uniform53(0), 0.0);
    EXPECT_EQ(IrqArrivals::uniform53(~0ull), 1.0 - 0x1p-53);
    EXPECT_EQ(IrqArrivals::uniform53(1ull << 63), 0.5);
    EXPECT_EQ(IrqArrivals::uniform53(0x7ff), 0.0);  // the low 11 bits are not used
}

TEST(IrqArrivals, PortableLogAgreesWithLibm) {
    EXPECT_EQ(IrqArrivals::portable_log(1.0), 0.0);
    std::mt19937_64 g(1);
    double worst = 0;
    for (int i = 0; i < 200000; ++i) {
        // 1 - u over the whole range the exponential sampler uses: (0, 1], down to 2^-53.
        const double x = 1.0 - IrqArrivals::uniform53(g());
        const double want = std::log(x), got = IrqArrivals::portable_log(x);
        if (want != 0) worst = std::max(worst, std::fabs(got - want) / std::fabs(want));
    }
    for (double x : {0x1p-53, 0.5, 0.70710678118654752440, 0.9999999999, 2.0, 1e10})
        worst = std::max(worst, std::fabs(IrqArrivals::portable_log(x) - std::log(x)) / std::fabs(std::log(x)));
    EXPECT_LT(worst, 1e-15);
}

}  // namespace
}  // namespace oobsim

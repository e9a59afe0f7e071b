// The RTL GIC (models/gic/rtl/oobsim_gic.sv, verilated) against the C++ model GicState, cycle by cycle.
//
// Pin level (Lockstep): both models get the same cycles. In a cycle there is at most one register access and any
// number of interrupt-line changes (GicState: the access, then set_line for each change, which is the RTL's order
// within a clock edge), or nothing at all. After every cycle: the access's outcome (refused or not, the value read,
// the misuse reported, the SGI sent), every CPU interface's IRQ output, the count of ignored writes, and the
// pending/active observation words are compared. Directed sequences (register-map sweeps, architectural scenarios
// with their expected values written out, misuse) and seeded random streams (>= 100k operations on the platform's
// default configuration, shorter ones on others) drive it.
//
// Core level (RtlGicCore, what the platform's Gic wrapper calls): the same calls to RtlGicCore and to GicState give
// the same results, the same refusal messages, the same misuse reports and the same SGI notifications.
#include <gtest/gtest.h>
#include <systemc>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "models/gic/gic_state.h"
#include "models/gic/rtl/gic_rtl_model.h"
#include "models/gic/rtl_gic.h"
#include "tests/rtl/gic_stimulus.h"

namespace {

using oobsim::GicState;
using oobsim::RtlGicCore;
namespace rtl = oobsim::rtl;
using namespace oobsim::rtl_test;  // the stimulus: offsets, operations, the random stream (gic_stimulus.h)


// GicState and the RTL in lockstep. Every mismatch is a test failure naming the cycle and the recent operations.
class Lockstep {
public:
    Lockstep(unsigned ncpus, unsigned nspis) : ref_(ncpus, nspis), rtl_(rtl::GicRtlModel::create(ncpus, nspis)) {
        ref_.set_reporter([this](GicState::Misuse kind, unsigned, const std::string&) {
            ref_misuse_ = rtl::Misuse(unsigned(kind) + 1);  // GicState::Misuse has no "none"
        });
        ref_.set_sgi_hook([this](unsigned, unsigned, uint8_t targets) {
            ref_sgi_sent_ = true;
            ref_sgi_targets_ = targets;
        });
    }

    GicState& ref() { return ref_; }
    rtl::GicRtlModel& model() { return *rtl_; }
    unsigned ncpus() const { return ref_.ncpus(); }
    unsigned nspis() const { return ref_.nspis(); }
    uint64_t cycle() const { return cycle_; }

    // One cycle. Returns the value read (GicState's) and whether the access was accepted.
    using Result = Outcome;
    Result step(const rtl::Request* q, const std::vector<LineChange>& lines = {},
                const std::vector<unsigned>& masked_spi_pins = {}) {
        history_.push_back(describe(q, lines));
        if (history_.size() > 12) history_.pop_front();
        ref_misuse_ = rtl::Misuse::None;
        ref_sgi_sent_ = false;
        Result res;
        if (q) res.ok = q->write ? ref_.write(q->cpu, q->distributor, q->offset, q->size, q->wdata)
                                 : ref_.read(q->cpu, q->distributor, q->offset, q->size, &res.value);
        for (const LineChange& l : lines) {
            ref_.set_line(l.id, l.level, l.cpu);
            if (l.id < 32)
                rtl_->set_ppi_line(l.cpu, l.id - 16, l.level);
            else
                rtl_->set_spi_line(l.id - 32, l.level);
        }
        // Pins of SPIs the configuration does not have (but the RTL build does): the RTL must ignore them.
        for (unsigned index : masked_spi_pins) rtl_->set_spi_line(index, !pin_toggle_);
        pin_toggle_ = !pin_toggle_;
        const rtl::Response r = rtl_->cycle(q);
        ++cycle_;
        res.misuse = ref_misuse_;

        if (q) {
            EXPECT_EQ(res.ok, r.status == rtl::Status::Ok) << where();
            if (res.ok && !q->write) {
                EXPECT_EQ(res.value, r.rdata) << where();
            }
            EXPECT_EQ(int(ref_misuse_), int(r.misuse)) << where();
            EXPECT_EQ(ref_sgi_sent_, r.sgi_sent) << where();
            if (ref_sgi_sent_) {
                EXPECT_EQ(ref_sgi_targets_, r.sgi_targets) << where();
            }
        }
        for (unsigned c = 0; c < ncpus(); ++c)
            EXPECT_EQ(ref_.irq_output(c), bool(rtl_->irq() >> c & 1)) << "IRQ of CPU " << c << ", " << where();
        EXPECT_EQ(ref_.ignored_writes(), rtl_->ignored_writes()) << where();
        // The words the tracer reads after every change (each CPU's banked word, the SPI words once); every word of
        // every CPU now and then.
        const bool all = cycle_ % 61 == 0;
        for (unsigned c = 0; c < ncpus(); ++c)
            for (unsigned w = 0; w < 32; ++w) {
                if (!all && (w >= ref_.id_words() || (c > 0 && w > 0))) continue;
                const uint32_t p = w < ref_.id_words() ? ref_.pending_word(c, w) : 0;
                const uint32_t a = w < ref_.id_words() ? ref_.active_word(c, w) : 0;
                EXPECT_EQ(p, rtl_->pending_word(c, w)) << "pending word " << w << " of CPU " << c << ", " << where();
                EXPECT_EQ(a, rtl_->active_word(c, w)) << "active word " << w << " of CPU " << c << ", " << where();
            }
        return res;
    }

    uint32_t read(unsigned cpu, bool dist, uint32_t offset, unsigned size = 4) {
        const rtl::Request q = access(false, dist, cpu, offset, size);
        return step(&q).value;
    }
    Result write(unsigned cpu, bool dist, uint32_t offset, uint32_t value, unsigned size = 4) {
        const rtl::Request q = access(true, dist, cpu, offset, size, value);
        return step(&q);
    }
    void line(unsigned id, bool level, unsigned cpu = 0) { step(nullptr, {{id, cpu, level}}); }
    void idle(unsigned cycles = 1) {
        for (unsigned i = 0; i < cycles; ++i) step(nullptr);
    }

    std::string where() const {
        std::string s = "at cycle " + std::to_string(cycle_) + " (" + std::to_string(ncpus()) + " CPUs, " +
                        std::to_string(nspis()) + " SPIs); last operations, oldest first:";
        for (const std::string& h : history_) s += "\n    " + h;
        return s;
    }

private:
    GicState ref_;
    std::unique_ptr<rtl::GicRtlModel> rtl_;
    rtl::Misuse ref_misuse_ = rtl::Misuse::None;
    bool ref_sgi_sent_ = false;
    uint8_t ref_sgi_targets_ = 0;
    bool pin_toggle_ = false;
    uint64_t cycle_ = 0;
    std::deque<std::string> history_;
};


// Distributor and CPU interfaces on, nothing masked: the state random streams start from, with everything enabled.
void open_everything(Lockstep& g) {
    for (const rtl::Request& q : opening_writes(g.ncpus(), g.nspis())) g.step(&q);
}

void run_random(unsigned ncpus, unsigned nspis, uint64_t seed, unsigned operations) {
    Lockstep g(ncpus, nspis);
    open_everything(g);
    RandomStream stream(seed, ncpus, nspis);
    unsigned acks = 0, accesses = 0, line_cycles = 0;
    for (unsigned i = 0; i < operations; ++i) {
        const Op op = stream.next();
        const Lockstep::Result r =
            g.step(op.has_access ? &op.request : nullptr, op.lines, stream.masked_pins(g.model().max_spis()));
        stream.observe(op, r);
        accesses += op.has_access;
        line_cycles += !op.lines.empty();
        acks += op.has_access && !op.request.write && !op.request.distributor && op.request.offset == kIar &&
                r.ok && (r.value & 0x3ff) < 1020;
        if (::testing::Test::HasFailure()) {
            ADD_FAILURE() << "seed " << seed << ": stopped after the first mismatch";
            return;
        }
    }
    // The stream did exercise the models: interrupts were acknowledged, accesses and line changes happened.
    EXPECT_GT(acks, operations / 50) << "seed " << seed;
    EXPECT_GT(accesses, operations / 2);
    EXPECT_GT(line_cycles, operations / 10);
    std::printf("seed %llu, %u CPUs, %u SPIs: %u cycles, %u accesses, %u with line changes, %u interrupts acknowledged\n",
                (unsigned long long)seed, ncpus, nspis, operations, accesses, line_cycles, acks);
}

// ---- Random streams -------------------------------------------------------------------------------------------------

// The platform's default configuration (4 cores, 64 SPIs): the long stream.
TEST(RtlGicRandom, Default4Cpus64Spis100kOps) { run_random(4, 64, 0x5eed0001, 100000); }
TEST(RtlGicRandom, OneCpuNoSpis) { run_random(1, 0, 0x5eed0002, 10000); }
TEST(RtlGicRandom, OneCpu40Spis) { run_random(1, 40, 0x5eed0003, 10000); }
TEST(RtlGicRandom, ThreeCpus37Spis) { run_random(3, 37, 0x5eed0004, 15000); }
TEST(RtlGicRandom, TwoCpus65SpisLargeBuild) { run_random(2, 65, 0x5eed0005, 15000); }
TEST(RtlGicRandom, EightCpus988Spis) { run_random(8, 988, 0x5eed0006, 15000); }
TEST(RtlGicRandom, EightCpus64Spis) { run_random(8, 64, 0x5eed0007, 15000); }

// ---- Directed sequences ---------------------------------------------------------------------------------------------

// Every offset of both windows with every size, by CPUs that exist and one that does not, before and after
// writing every register with a pattern: the register map, its refusals and its reset values.
void sweep(unsigned ncpus, unsigned nspis) {
    Lockstep g(ncpus, nspis);
    // The first CPU, the last and one that does not exist (the others bank the same way as the last).
    const std::vector<unsigned> cpus = ncpus > 1 ? std::vector<unsigned>{0, ncpus - 1, ncpus} : std::vector<unsigned>{0, 1};
    auto read_all = [&] {
        for (unsigned cpu : cpus)
            for (bool dist : {true, false})
                for (uint32_t off = 0; off < 0x1000; off += (cpu == 0 ? 1 : 4))
                    for (unsigned size : {1u, 2u, 4u}) {
                        if (!dist && off >= 0x20 && off < 0xf0) continue;  // reserved: a few suffice (below)
                        g.read(cpu, dist, off, size);
                        if (::testing::Test::HasFailure()) return;
                    }
        for (uint32_t off : {0x1cu, 0x20u, 0xd0u, 0xe0u, 0x1000u, 0x10000u}) g.read(0, false, off);
    };
    read_all();
    std::mt19937_64 rng(ncpus * 1000 + nspis);
    for (unsigned cpu = 0; cpu < ncpus; ++cpu)
        for (uint32_t off = 0; off < 0x1000; off += 4) {
            if (off == kSgir) continue;  // below, with care
            g.write(cpu, true, off, uint32_t(rng()));
            g.write(cpu, true, off + 1, uint32_t(rng()), 1);
        }
    for (unsigned cpu = 0; cpu < ncpus; ++cpu)
        for (uint32_t off = 0; off < 0x100; off += 4) g.write(cpu, false, off, uint32_t(rng()));
    g.write(0, true, kSgir, 0x00ff0005);
    read_all();
}

TEST(RtlGicDirected, RegisterMapSweep4Cpus64Spis) { sweep(4, 64); }
TEST(RtlGicDirected, RegisterMapSweep1Cpu0Spis) { sweep(1, 0); }
TEST(RtlGicDirected, RegisterMapSweep8Cpus988Spis) { sweep(8, 988); }
TEST(RtlGicDirected, RegisterMapSweep2Cpus33Spis) { sweep(2, 33); }

TEST(RtlGicDirected, ResetValues) {
    Lockstep g(4, 64);
    EXPECT_EQ(g.read(0, true, kTyper), (3u << 5) | 2u);
    EXPECT_EQ(g.read(2, true, kIsenabler), 0x0000ffffu);
    EXPECT_EQ(g.read(0, true, kIcfgr), 0xaaaaaaaau);
    EXPECT_EQ(g.read(3, true, kItargetsr + 4), 0x08080808u);
    EXPECT_EQ(g.read(1, false, kBpr), 2u);
    EXPECT_EQ(g.read(1, false, kRpr), 0xffu);
    EXPECT_EQ(g.read(1, false, kIar), kSpurious);
    EXPECT_EQ(g.read(0, true, 0xfe8), 0x20u);
    EXPECT_EQ(g.read(0, true, 0x008), 0x01000000u);
    EXPECT_EQ(g.read(0, false, 0xfc), 0x00120000u);
}

// Nesting: a higher group priority preempts the running interrupt, an equal one does not; RPR follows; EOI unwinds.
TEST(RtlGicDirected, PreemptionAndRunningPriority) {
    Lockstep g(2, 64);
    open_everything(g);
    g.write(0, true, kIpriorityr + 40, 0x80, 1);
    g.write(0, true, kIpriorityr + 41, 0x40, 1);
    g.write(0, true, kIpriorityr + 42, 0x40, 1);
    g.write(0, true, kItargetsr + 40, 1, 1);
    g.write(0, true, kItargetsr + 41, 1, 1);
    g.write(0, true, kItargetsr + 42, 1, 1);
    g.line(40, true);
    EXPECT_TRUE(g.ref().irq_output(0));
    EXPECT_EQ(g.read(0, false, kIar), 40u);
    EXPECT_EQ(g.read(0, false, kRpr), 0x80u);
    g.line(41, true);
    g.line(42, true);
    EXPECT_EQ(g.read(0, false, kHppir), 41u);  // equal priorities: the lower ID
    EXPECT_EQ(g.read(0, false, kIar), 41u);
    EXPECT_EQ(g.read(0, false, kRpr), 0x40u);
    EXPECT_FALSE(g.ref().irq_output(0));  // 42 has the running priority: no preemption
    EXPECT_EQ(g.read(0, false, kIar), kSpurious);
    g.write(0, false, kBpr, 7);  // no group-priority bits: nothing preempts anything
    g.write(0, false, kEoir, 41);
    EXPECT_EQ(g.read(0, false, kRpr), 0x80u);
    EXPECT_FALSE(g.ref().irq_output(0));
    g.write(0, false, kBpr, 2);
    EXPECT_TRUE(g.ref().irq_output(0));
    EXPECT_EQ(g.read(0, false, kIar), 41u);  // level-sensitive and still high: pending again after its EOI
    g.write(0, false, kEoir, 40);            // not the running one: ignored and reported
    EXPECT_EQ(g.read(0, false, kRpr), 0x40u);
    g.write(0, false, kEoir, 41);
    g.write(0, false, kEoir, 40);
    EXPECT_EQ(g.read(0, false, kRpr), 0xffu);
    g.idle(20);
}

// SGIs: per-source pending state, the lowest source first, the source in IAR and EOIR, the three filters.
TEST(RtlGicDirected, SgiSourcesAndFilters) {
    Lockstep g(4, 64);
    open_everything(g);
    g.write(3, true, kSgir, 0x00010005);  // CPU 3 -> CPU 0, SGI 5
    g.write(1, true, kSgir, 0x01000005);  // CPU 1 -> every other CPU
    g.write(2, true, kSgir, 0x02000007);  // CPU 2 -> itself, SGI 7
    g.write(2, true, kSgir, 0x03000007);  // reserved filter: nothing
    EXPECT_EQ(g.read(0, true, kSpendsgir + 4), 0x00000a00u);  // SGI 5 (byte 1) from CPUs 1 and 3
    EXPECT_EQ(g.read(2, true, kCpendsgir + 7, 1), 0x04u);
    EXPECT_EQ(g.read(0, false, kIar), (1u << 10) | 5);
    EXPECT_EQ(g.read(0, false, kHppir), kSpurious);  // SGI 5 is active (and pending from CPU 3): not forwarded
    g.write(0, false, kEoir, 5);                      // without the source: ignored
    g.write(0, false, kEoir, (1u << 10) | 5);
    EXPECT_EQ(g.read(0, false, kIar), (3u << 10) | 5);
    g.write(0, false, kEoir, (3u << 10) | 5);
    g.write(0, true, kSpendsgir + 6, 0xff, 1);  // only existing CPUs
    EXPECT_EQ(g.read(0, true, kSpendsgir + 4), 0x000f0000u);
    g.write(0, true, kCpendsgir + 4, 0x00050000u);
    EXPECT_EQ(g.read(0, true, kSpendsgir + 4), 0x000a0000u);
}

// Edge and level lines, the trigger mode written in the same cycle as an edge, pending clears, active writes.
TEST(RtlGicDirected, LinesAndTriggerModes) {
    Lockstep g(2, 64);
    open_everything(g);
    g.write(0, true, kIpriorityr + 45, 0x10, 1);
    g.write(0, true, kItargetsr + 45, 2, 1);
    g.line(45, true);
    EXPECT_TRUE(g.ref().irq_output(1));
    g.line(45, false);
    EXPECT_FALSE(g.ref().irq_output(1));  // level-sensitive: not latched
    // Edge-triggered from the same cycle as its rising edge: it latches (the access takes effect first).
    const rtl::Request edge = access(true, true, 0, kIcfgr + 4 * (45 / 16), 4, 2u << (2 * (45 % 16)));
    g.step(&edge, {{45, 0, true}});
    EXPECT_TRUE(g.ref().pending(0, 45));
    g.line(45, false);
    EXPECT_TRUE(g.ref().pending(0, 45));
    // ICPENDR in the same cycle as another rising edge: the edge wins (it comes after the clear).
    g.line(45, true);
    g.line(45, false);
    const rtl::Request clear = access(true, true, 0, kIcpendr + 4, 4, 1u << (45 - 32));
    g.step(&clear, {{45, 0, true}});
    EXPECT_TRUE(g.ref().pending(0, 45));
    g.step(&clear);
    EXPECT_FALSE(g.ref().pending(0, 45));
    // PPIs are banked: CPU 1's PPI 27.
    g.write(1, true, kIpriorityr + 27, 0x20, 1);
    g.line(27, true, 1);
    EXPECT_TRUE(g.ref().pending(1, 27));
    EXPECT_FALSE(g.ref().pending(0, 27));
    EXPECT_EQ(g.read(1, false, kIar), 27u);
    g.write(1, true, kIcactiver, 1u << 27);  // deactivated without an EOI: pending and forwarded again
    EXPECT_EQ(g.read(1, false, kHppir), 27u);
    g.idle(10);
}

// Writes to read-only registers are ignored and counted; refused accesses change nothing.
TEST(RtlGicDirected, MisuseAndRefusals) {
    Lockstep g(4, 64);
    EXPECT_EQ(g.write(0, true, kTyper, 0).misuse, rtl::Misuse::ReadOnlyWrite);
    EXPECT_EQ(g.write(1, true, kItargetsr + 3, 0xff, 1).misuse, rtl::Misuse::ReadOnlyWrite);
    EXPECT_EQ(g.write(0, false, kIar, 0).misuse, rtl::Misuse::ReadOnlyWrite);
    EXPECT_EQ(g.write(0, true, kIcfgr, 0).misuse, rtl::Misuse::ReadOnlyWrite);
    EXPECT_EQ(g.write(0, true, 0x080, ~0u).misuse, rtl::Misuse::None);  // IGROUPR: RAZ/WI
    EXPECT_EQ(g.ref().ignored_writes(), 4u);
    EXPECT_EQ(g.write(0, false, kEoir, 40).misuse, rtl::Misuse::EoiMismatch);
    for (uint32_t special = 1020; special <= 1023; ++special)
        EXPECT_EQ(g.write(0, false, kEoir, special).misuse, rtl::Misuse::None);  // ignored silently
    EXPECT_EQ(g.write(0, true, kSgir, 0x03000001).misuse, rtl::Misuse::ReservedSgiFilter);
    EXPECT_FALSE(g.write(0, true, kCtlr, 1, 1).ok);  // word-only register
    EXPECT_FALSE(g.write(0, true, 0x402, 0, 2).ok);  // no halfwords
    EXPECT_FALSE(g.write(0, true, 0x7fc, 0).ok);     // IDs 1020..1023
    EXPECT_FALSE(g.write(4, true, kCtlr, 1).ok);     // no such CPU
    EXPECT_FALSE(g.write(0, false, 0x1c, 0).ok);     // GICC_ABPR: not implemented
    EXPECT_EQ(g.read(0, true, kCtlr), 0u);
}

// A cycle with no access and no line change changes nothing: the wrapper may clock the RTL only on events.
TEST(RtlGicDirected, IdleCyclesChangeNothing) {
    Lockstep g(4, 64);
    open_everything(g);
    RandomStream stream(99, 4, 64);
    for (unsigned i = 0; i < 3000; ++i) {
        const Op op = stream.next();
        stream.observe(op, g.step(op.has_access ? &op.request : nullptr, op.lines));
        if (i % 100 == 99) {
            std::vector<uint32_t> before;
            for (unsigned c = 0; c < 4; ++c)
                for (unsigned w = 0; w < 3; ++w) {
                    before.push_back(g.model().pending_word(c, w));
                    before.push_back(g.model().active_word(c, w));
                }
            const uint8_t irq = g.model().irq();
            g.idle(7);
            std::vector<uint32_t> after;
            for (unsigned c = 0; c < 4; ++c)
                for (unsigned w = 0; w < 3; ++w) {
                    after.push_back(g.model().pending_word(c, w));
                    after.push_back(g.model().active_word(c, w));
                }
            ASSERT_EQ(before, after) << g.where();
            ASSERT_EQ(irq, g.model().irq()) << g.where();
        }
        if (::testing::Test::HasFailure()) return;
    }
}

// ---- Core level: RtlGicCore against GicState --------------------------------------------------------------------------

struct Report {
    int kind;
    unsigned cpu;
    std::string what;
    bool operator==(const Report& o) const { return kind == o.kind && cpu == o.cpu && what == o.what; }
};

TEST(RtlGicCore, SameResultsMessagesAndReports) {
    for (auto [ncpus, nspis] : {std::pair{4u, 64u}, std::pair{1u, 0u}, std::pair{3u, 100u}}) {
        GicState ref(ncpus, nspis);
        RtlGicCore core(ncpus, nspis);
        std::vector<Report> ref_reports, core_reports;
        std::vector<std::vector<unsigned>> ref_sgis, core_sgis;
        ref.set_reporter([&](GicState::Misuse k, unsigned c, const std::string& w) {
            ref_reports.push_back({int(k), c, w});
        });
        core.set_reporter([&](GicState::Misuse k, unsigned c, const std::string& w) {
            core_reports.push_back({int(k), c, w});
        });
        ref.set_sgi_hook([&](unsigned s, unsigned i, uint8_t t) { ref_sgis.push_back({s, i, t}); });
        core.set_sgi_hook([&](unsigned s, unsigned i, uint8_t t) { core_sgis.push_back({s, i, t}); });
        EXPECT_EQ(ref.id_words(), core.id_words());

        RandomStream stream(0xc0de + ncpus, ncpus, nspis);
        std::vector<std::string> ref_errors, core_errors;
        for (unsigned i = 0; i < 20000; ++i) {
            const Op op = stream.next();
            Lockstep::Result r;
            const size_t reports_before = ref_reports.size();
            if (op.has_access) {
                const rtl::Request& q = op.request;
                uint32_t rv = 0, cv = 0;
                const bool rok = q.write ? ref.write(q.cpu, q.distributor, q.offset, q.size, q.wdata)
                                         : ref.read(q.cpu, q.distributor, q.offset, q.size, &rv);
                const bool cok = q.write ? core.write(q.cpu, q.distributor, q.offset, q.size, q.wdata)
                                         : core.read(q.cpu, q.distributor, q.offset, q.size, &cv);
                ASSERT_EQ(rok, cok) << describe(&q, {});
                if (!rok) {
                    ASSERT_EQ(ref.last_error(), core.last_error()) << describe(&q, {});
                    ref_errors.push_back(ref.last_error());
                }
                ASSERT_EQ(rv, cv) << describe(&q, {});
                r.ok = rok;
                r.value = rv;
                // The stream's EOI bookkeeping needs to know whether GicState refused to end the interrupt.
                if (ref_reports.size() > reports_before &&
                    ref_reports.back().kind == int(GicState::Misuse::EoiMismatch))
                    r.misuse = rtl::Misuse::EoiMismatch;
            }
            for (const LineChange& l : op.lines) {
                ref.set_line(l.id, l.level, l.cpu);
                core.set_line(l.id, l.level, l.cpu);
            }
            ASSERT_EQ(ref_reports, core_reports);
            ASSERT_EQ(ref_sgis, core_sgis);
            stream.observe(op, r);
            for (unsigned c = 0; c < ncpus; ++c) ASSERT_EQ(ref.irq_output(c), core.irq_output(c));
            ASSERT_EQ(ref.ignored_writes(), core.ignored_writes());
        }
        for (unsigned c = 0; c < ncpus; ++c)
            for (unsigned w = 0; w < ref.id_words(); ++w) {
                EXPECT_EQ(ref.pending_word(c, w), core.pending_word(c, w));
                EXPECT_EQ(ref.active_word(c, w), core.active_word(c, w));
            }
        // Every kind of refusal and report came up, so their messages were compared.
        EXPECT_GT(ref_errors.size(), 100u);
        EXPECT_GT(ref_reports.size(), 100u);
        EXPECT_FALSE(ref_sgis.empty());
    }
}

// Lines with no pin: the same exceptions and messages as GicState.
TEST(RtlGicCore, LineErrors) {
    GicState ref(2, 40);
    RtlGicCore core(2, 40);
    auto message = [](auto&& f) {
        try {
            f();
        } catch (const std::out_of_range& e) {
            return std::string(e.what());
        }
        return std::string("no exception");
    };
    for (auto [id, cpu] : {std::pair{15u, 0u}, std::pair{72u, 0u}, std::pair{1000u, 0u}, std::pair{20u, 2u}}) {
        const std::string expected = message([&] { ref.set_line(id, true, cpu); });
        EXPECT_NE(expected, "no exception");
        EXPECT_EQ(expected, message([&] { core.set_line(id, true, cpu); }));
    }
    EXPECT_THROW(RtlGicCore(9, 0), std::invalid_argument);
    EXPECT_THROW(RtlGicCore(1, 989), std::invalid_argument);
}

}  // namespace

// RtlGicCore belongs to the SystemC side of the platform (gic.h), so SystemC is linked, and it calls sc_main.
int sc_main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}

// As oobsim's: the SystemC banner off before the kernel starts (CTest lists the tests by running this program).
int main(int argc, char** argv) {
    setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);
    return sc_core::sc_elab_and_sim(argc, argv);
}

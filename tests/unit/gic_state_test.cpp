// Register-level tests of the GICv2 model (models/gic/gic_state.h) against ARM IHI 0048B. Expected values come from
// the specification (and, where it leaves a choice, from the implementation choices documented in gic_state.h), not
// from the model: the offsets are written out here rather than taken from sim/memory_map.h.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "models/gic/gic_state.h"

namespace {

using oobsim::GicState;
using Misuse = GicState::Misuse;

// Distributor (IHI 0048B table 4-1).
constexpr uint32_t kCtlr = 0x000, kTyper = 0x004, kIidr = 0x008, kIgroupr = 0x080, kIsenabler = 0x100,
                   kIcenabler = 0x180, kIspendr = 0x200, kIcpendr = 0x280, kIsactiver = 0x300, kIcactiver = 0x380,
                   kIpriorityr = 0x400, kItargetsr = 0x800, kIcfgr = 0xc00, kSgir = 0xf00, kCpendsgir = 0xf10,
                   kSpendsgir = 0xf20, kIcpidr2 = 0xfe8;
// CPU interface (IHI 0048B table 4-2).
constexpr uint32_t kCCtlr = 0x00, kPmr = 0x04, kBpr = 0x08, kIar = 0x0c, kEoir = 0x10, kRpr = 0x14, kHppir = 0x18,
                   kAbpr = 0x1c, kApr0 = 0xd0, kCIidr = 0xfc;
constexpr uint32_t kSpurious = 1023;
// GICD_SGIR fields.
uint32_t sgir(unsigned filter, unsigned list, unsigned id) { return filter << 24 | list << 16 | id; }

class GicTest : public ::testing::Test {
protected:
    void make(unsigned ncpus, unsigned nspis) {
        gic = std::make_unique<GicState>(ncpus, nspis);
        gic->set_reporter([this](Misuse kind, unsigned, const std::string& what) { reports.push_back({kind, what}); });
    }
    void SetUp() override { make(4, 64); }

    uint32_t rd(unsigned cpu, uint32_t offset, unsigned size = 4) {
        uint32_t v = 0xdeadbeef;
        EXPECT_TRUE(gic->read(cpu, true, offset, size, &v)) << "GICD read at " << offset << ": " << gic->last_error();
        return v;
    }
    void wr(unsigned cpu, uint32_t offset, uint32_t v, unsigned size = 4) {
        EXPECT_TRUE(gic->write(cpu, true, offset, size, v)) << "GICD write at " << offset << ": " << gic->last_error();
    }
    uint32_t crd(unsigned cpu, uint32_t offset) {
        uint32_t v = 0xdeadbeef;
        EXPECT_TRUE(gic->read(cpu, false, offset, 4, &v)) << "GICC read at " << offset << ": " << gic->last_error();
        return v;
    }
    void cwr(unsigned cpu, uint32_t offset, uint32_t v) {
        EXPECT_TRUE(gic->write(cpu, false, offset, 4, v)) << "GICC write at " << offset << ": " << gic->last_error();
    }
    bool refused_read(unsigned cpu, bool dist, uint32_t offset, unsigned size) {
        uint32_t v;
        return !gic->read(cpu, dist, offset, size, &v);
    }
    bool refused_write(unsigned cpu, bool dist, uint32_t offset, unsigned size) {
        return !gic->write(cpu, dist, offset, size, 0);
    }

    // Distributor and every CPU interface on, nothing masked by PMR (0xff keeps 0xf8: priorities 0..0xf0 pass).
    void enable_all() {
        wr(0, kCtlr, 1);
        for (unsigned c = 0; c < gic->ncpus(); ++c) {
            cwr(c, kCCtlr, 1);
            cwr(c, kPmr, 0xff);
        }
    }
    // Bit `id % 32` of the register array at `base` (one bit per ID).
    bool bit(unsigned cpu, uint32_t base, unsigned id) { return rd(cpu, base + 4 * (id / 32)) >> (id % 32) & 1; }
    void set_bit(unsigned cpu, uint32_t base, unsigned id) { wr(cpu, base + 4 * (id / 32), 1u << (id % 32)); }
    void set_priority(unsigned cpu, unsigned id, uint8_t p) { wr(cpu, kIpriorityr + id, p, 1); }
    void set_targets(unsigned id, uint8_t cpus) { wr(0, kItargetsr + id, cpus, 1); }
    void set_edge(unsigned cpu, unsigned id, bool edge) {
        const uint32_t off = kIcfgr + 4 * (id / 16), b = 2u << (2 * (id % 16));
        wr(cpu, off, edge ? rd(cpu, off) | b : rd(cpu, off) & ~b);
    }
    // An enabled SPI with a priority, targeted at `cpus`.
    void spi(unsigned id, uint8_t priority, uint8_t cpus = 1, bool edge = false) {
        set_priority(0, id, priority);
        set_targets(id, cpus);
        set_edge(0, id, edge);
        set_bit(0, kIsenabler, id);
    }
    uint32_t ack(unsigned cpu) { return crd(cpu, kIar); }
    void eoi(unsigned cpu, uint32_t v) { cwr(cpu, kEoir, v); }

    std::unique_ptr<GicState> gic;
    std::vector<std::pair<Misuse, std::string>> reports;
};

// ---- Identification and reset --------------------------------------------------------------------------------------

TEST_F(GicTest, ResetValues) {
    EXPECT_EQ(rd(0, kCtlr), 0u);
    EXPECT_EQ(rd(0, kIsenabler), 0x0000ffffu);  // SGIs always enabled (the implementation's choice), PPIs off
    for (uint32_t n = 1; n < 3; ++n) EXPECT_EQ(rd(0, kIsenabler + 4 * n), 0u);
    for (uint32_t n = 0; n < 3; ++n) {
        EXPECT_EQ(rd(1, kIspendr + 4 * n), 0u);
        EXPECT_EQ(rd(1, kIsactiver + 4 * n), 0u);
    }
    EXPECT_EQ(rd(0, kIpriorityr), 0u);
    EXPECT_EQ(rd(0, kIpriorityr + 40), 0u);
    EXPECT_EQ(rd(0, kItargetsr + 32), 0u);
    EXPECT_EQ(rd(0, kIcfgr), 0xaaaaaaaau);  // SGIs: edge-triggered (Int_config[1] = 1 for each)
    EXPECT_EQ(rd(0, kIcfgr + 4), 0u);       // PPIs: level
    EXPECT_EQ(rd(0, kIcfgr + 8), 0u);       // SPIs: level
    EXPECT_EQ(rd(0, kIgroupr), 0u);         // everything is Group 0
    for (unsigned c = 0; c < 4; ++c) {
        EXPECT_EQ(crd(c, kCCtlr), 0u);
        EXPECT_EQ(crd(c, kPmr), 0u);
        EXPECT_EQ(crd(c, kBpr), 2u);     // the minimum binary point with 5 priority bits
        EXPECT_EQ(crd(c, kRpr), 0xffu);  // idle
        EXPECT_EQ(crd(c, kHppir), kSpurious);
        EXPECT_EQ(crd(c, kIar), kSpurious);
        EXPECT_FALSE(gic->irq_output(c));
    }
}

TEST_F(GicTest, TyperGivesCpuCountAndInterruptLines) {
    // ITLinesNumber [4:0]: lines = 32 * (N + 1); CPUNumber [7:5]: CPUs - 1; SecurityExtn [10] = 0.
    EXPECT_EQ(rd(0, kTyper), (3u << 5) | 2u);  // 4 CPUs, 64 SPIs: 96 lines
    make(1, 0);
    EXPECT_EQ(rd(0, kTyper), 0u);
    make(8, 988);
    EXPECT_EQ(rd(0, kTyper), (7u << 5) | 31u);
    make(2, 33);  // 65 lines needed: 96
    EXPECT_EQ(rd(0, kTyper), (1u << 5) | 2u);
}

TEST_F(GicTest, IdentificationRegisters) {
    EXPECT_EQ(rd(0, kIidr), 0x01000000u);                  // ProductID 1, implementer 0 (documented)
    EXPECT_EQ(crd(0, kCIidr), 0x00120000u);                // ProductID 1, ArchitectureVersion 2
    EXPECT_EQ((crd(3, kCIidr) >> 16) & 0xf, 2u);           // GICv2
    EXPECT_EQ((rd(0, kIcpidr2) >> 4) & 0xf, 2u);           // ArchRev: GICv2
    EXPECT_EQ(rd(0, 0xfe0), 0u);
}

TEST_F(GicTest, ConfigurationLimits) {
    EXPECT_THROW(GicState(0, 0), std::invalid_argument);
    EXPECT_THROW(GicState(9, 0), std::invalid_argument);
    EXPECT_THROW(GicState(1, 989), std::invalid_argument);
    EXPECT_NO_THROW(GicState(8, 988));
    EXPECT_NO_THROW(GicState(1, 0));
}

// ---- Access sizes and offsets --------------------------------------------------------------------------------------

TEST_F(GicTest, PriorityAndTargetRegistersAreByteAccessible) {
    set_priority(0, 33, 0xff);  // 5 implemented bits: 0xf8 remains
    EXPECT_EQ(rd(0, kIpriorityr + 32), 0x0000f800u);
    EXPECT_EQ(rd(0, kIpriorityr + 33, 1), 0xf8u);
    wr(0, kIpriorityr + 36, 0x12345678);
    EXPECT_EQ(rd(0, kIpriorityr + 36), 0x10305078u);
    EXPECT_EQ(rd(0, kIpriorityr + 38, 1), 0x30u);
    set_targets(34, 0xff);  // 4 CPUs: the bits of CPUs 4..7 are RAZ/WI
    EXPECT_EQ(rd(0, kItargetsr + 32), 0x000f0000u);
    EXPECT_EQ(rd(0, kItargetsr + 34, 1), 0x0fu);
    wr(0, kItargetsr + 32, 0x01020408);
    EXPECT_EQ(rd(0, kItargetsr + 32), 0x01020408u);
    EXPECT_EQ(rd(0, kItargetsr + 33, 1), 0x04u);
    wr(0, kSpendsgir + 2, 0x02, 1);
    EXPECT_EQ(rd(0, kSpendsgir + 2, 1), 0x02u);
    EXPECT_EQ(rd(0, kCpendsgir), 0x00020000u);
}

TEST_F(GicTest, WordOnlyRegistersRefuseOtherSizes) {
    EXPECT_TRUE(refused_read(0, true, kCtlr, 1));
    EXPECT_TRUE(refused_write(0, true, kCtlr + 1, 1));
    EXPECT_TRUE(refused_write(0, true, kIsenabler + 1, 1));
    EXPECT_TRUE(refused_read(0, true, kIcfgr, 2));
    EXPECT_TRUE(refused_write(0, true, kSgir, 1));
    EXPECT_TRUE(refused_read(0, false, kIar, 1));  // a refused IAR read must not acknowledge anything
    EXPECT_TRUE(refused_write(0, false, kPmr, 1));
    EXPECT_TRUE(refused_write(0, false, kEoir, 2));
    // Byte-accessible registers still refuse halfwords, and every access must be aligned.
    EXPECT_TRUE(refused_read(0, true, kIpriorityr + 2, 2));
    EXPECT_TRUE(refused_write(0, true, kItargetsr + 32, 2));
    EXPECT_TRUE(refused_read(0, true, kIpriorityr + 2, 4));
    EXPECT_TRUE(refused_read(0, true, kIpriorityr, 8));
    EXPECT_NE(gic->last_error().find("GICD"), std::string::npos);
    wr(0, kCtlr, 1);  // a refused byte write left nothing behind; a word works
    EXPECT_EQ(rd(0, kCtlr), 1u);
}

TEST_F(GicTest, ReservedOffsetsAreRefused) {
    for (uint32_t off : {0x00cu, 0x07cu, 0x7fcu, 0xbfcu, 0xd00u, 0xe00u, 0xf04u, 0xf30u, 0xfccu})
        EXPECT_TRUE(refused_read(0, true, off, 4)) << std::hex << off;
    for (uint32_t off : {0x1cu, 0x20u, 0x24u, 0x28u, 0xd0u, 0xf8u})  // Group 1 aliases, APRs: not implemented
        EXPECT_TRUE(refused_read(0, false, off, 4)) << std::hex << off;
    EXPECT_TRUE(refused_write(0, false, kAbpr, 4));
    EXPECT_TRUE(refused_read(0, false, kApr0, 4));
    EXPECT_NE(gic->last_error().find("no register"), std::string::npos);
}

TEST_F(GicTest, AccessFromACpuWithoutInterfaceIsRefused) {
    EXPECT_TRUE(refused_read(4, false, kIar, 4));
    EXPECT_TRUE(refused_read(4, true, kCtlr, 4));
}

TEST_F(GicTest, InterruptsBeyondTheSpisAreRazWi) {
    make(2, 40);  // SPIs 32..71, lines up to 95
    wr(0, kIsenabler + 8, 0xffffffff);  // IDs 64..95
    EXPECT_EQ(rd(0, kIsenabler + 8), 0x000000ffu);  // 64..71 exist
    wr(0, kIsenabler + 12, 0xffffffff);  // IDs 96..127: past the lines, still RAZ/WI (not refused)
    EXPECT_EQ(rd(0, kIsenabler + 12), 0u);
    for (uint32_t base : {kIsenabler, kIcenabler, kIspendr, kIcpendr, kIsactiver, kIcactiver}) {
        wr(0, base + 0x7c, 0xffffffff);  // the last register of each array: IDs 992..1023
        EXPECT_EQ(rd(0, base + 0x7c), 0u) << std::hex << base;
    }
    wr(0, kIcfgr + 0xfc, 0xffffffff);
    EXPECT_EQ(rd(0, kIcfgr + 0xfc), 0u);
    wr(0, kItargetsr + 0xbf8 - 0x800, 0x01010101);
    EXPECT_EQ(rd(0, kItargetsr + 0xbf8 - 0x800), 0u);
    wr(0, kIpriorityr + 72, 0x80808080);
    EXPECT_EQ(rd(0, kIpriorityr + 72), 0u);
    wr(0, kIpriorityr + 68, 0x80808080);
    EXPECT_EQ(rd(0, kIpriorityr + 68), 0x80808080u);
    EXPECT_THROW(gic->set_line(72, true), std::out_of_range);
    EXPECT_NO_THROW(gic->set_line(71, true));
}

// ---- Read-only registers and bits ----------------------------------------------------------------------------------

TEST_F(GicTest, ReadOnlyRegistersIgnoreWritesAndReportThem) {
    const uint32_t typer = rd(0, kTyper);
    wr(0, kTyper, 0xffffffff);
    wr(0, kIidr, 0);
    wr(0, kIcfgr, 0);
    wr(1, kItargetsr + 4, 0, 1);
    EXPECT_TRUE(gic->write(0, false, kIar, 4, 5));
    EXPECT_TRUE(gic->write(0, false, kRpr, 4, 0));
    EXPECT_TRUE(gic->write(0, false, kHppir, 4, 0));
    EXPECT_TRUE(gic->write(0, false, kCIidr, 4, 0));
    EXPECT_EQ(rd(0, kTyper), typer);
    EXPECT_EQ(rd(0, kIidr), 0x01000000u);
    EXPECT_EQ(rd(0, kIcfgr), 0xaaaaaaaau);
    EXPECT_EQ(rd(1, kItargetsr + 4), 0x02020202u);
    EXPECT_EQ(crd(0, kRpr), 0xffu);
    EXPECT_EQ(crd(0, kCIidr), 0x00120000u);
    EXPECT_EQ(gic->ignored_writes(), 8u);
    ASSERT_EQ(reports.size(), 8u);
    EXPECT_EQ(reports[0], std::make_pair(Misuse::ReadOnlyWrite, std::string("GICD_TYPER")));
    EXPECT_EQ(reports[2].second, "GICD_ICFGR0");
    EXPECT_EQ(reports[3].second, "GICD_ITARGETSR1");
    EXPECT_EQ(reports[4].second, "GICC_IAR");
    // RAZ/WI is architecture, not a mistake: not counted.
    wr(0, kIgroupr, 0xffffffff);
    EXPECT_EQ(rd(0, kIgroupr), 0u);
    EXPECT_EQ(gic->ignored_writes(), 8u);
    // Write-only registers read 0 (and reading them changes nothing).
    EXPECT_EQ(rd(0, kSgir), 0u);
    EXPECT_EQ(crd(0, kEoir), 0u);
}

TEST_F(GicTest, ReservedBitsOfControlRegistersAreRazWi) {
    wr(0, kCtlr, 0xffffffff);
    EXPECT_EQ(rd(0, kCtlr), 1u);
    cwr(0, kCCtlr, 0xffffffff);
    EXPECT_EQ(crd(0, kCCtlr), 1u);
    cwr(0, kBpr, 0xfffffffb);  // BinaryPoint [2:0] = 3
    EXPECT_EQ(crd(0, kBpr), 3u);
    cwr(0, kPmr, 0x1ff);
    EXPECT_EQ(crd(0, kPmr), 0xf8u);
}

TEST_F(GicTest, SgiEnableAndPendingBitsAreReadOnly) {
    enable_all();
    wr(0, kIcenabler, 0xffffffff);
    EXPECT_EQ(rd(0, kIsenabler), 0x0000ffffu);  // SGIs cannot be disabled
    wr(0, kIspendr, 0x0000ffff);                 // SGIs are made pending through GICD_SGIR / SPENDSGIR only
    EXPECT_EQ(rd(0, kIspendr), 0u);
    EXPECT_EQ(ack(0), kSpurious);
    wr(1, kSgir, sgir(0, 0x1, 7));
    wr(0, kIcpendr, 0x0000ffff);  // nor cleared through ICPENDR
    EXPECT_EQ(rd(0, kIspendr), 1u << 7);
    EXPECT_EQ(ack(0), (1u << 10) | 7u);
    EXPECT_EQ(gic->ignored_writes(), 0u);  // read-only bits of read-write registers are not reported
}

// ---- Banking -------------------------------------------------------------------------------------------------------

TEST_F(GicTest, SgiAndPpiStateIsBankedPerCpu) {
    wr(0, kIsenabler, 1u << 20);
    EXPECT_EQ(rd(0, kIsenabler) >> 20 & 1, 1u);
    EXPECT_EQ(rd(1, kIsenabler) >> 20 & 1, 0u);
    set_priority(0, 20, 0x80);
    set_priority(1, 20, 0x40);
    set_priority(2, 3, 0x18);
    EXPECT_EQ(rd(0, kIpriorityr + 20, 1), 0x80u);
    EXPECT_EQ(rd(1, kIpriorityr + 20, 1), 0x40u);
    EXPECT_EQ(rd(2, kIpriorityr + 3, 1), 0x18u);
    EXPECT_EQ(rd(3, kIpriorityr + 3, 1), 0u);
    gic->set_line(20, true, 0);  // CPU 0's PPI 20 (level)
    EXPECT_TRUE(bit(0, kIspendr, 20));
    EXPECT_FALSE(bit(1, kIspendr, 20));
    wr(2, kIspendr, 1u << 21);
    EXPECT_TRUE(bit(2, kIspendr, 21));
    EXPECT_FALSE(bit(3, kIspendr, 21));
    wr(3, kIsactiver, 1u << 22);
    EXPECT_TRUE(bit(3, kIsactiver, 22));
    EXPECT_FALSE(bit(0, kIsactiver, 22));
    set_edge(1, 25, true);
    EXPECT_EQ(rd(1, kIcfgr + 4), 2u << 18);
    EXPECT_EQ(rd(0, kIcfgr + 4), 0u);
    // SPI state is shared: every CPU sees the same.
    set_priority(2, 40, 0x30);
    EXPECT_EQ(rd(0, kIpriorityr + 40, 1), 0x30u);
    set_bit(3, kIsenabler, 40);
    EXPECT_TRUE(bit(1, kIsenabler, 40));
}

TEST_F(GicTest, PrivateTargetsAreReadOnlyAndNameTheReader) {
    for (unsigned c = 0; c < 4; ++c)
        for (unsigned n = 0; n < 8; ++n) EXPECT_EQ(rd(c, kItargetsr + 4 * n), 0x01010101u << c);
    EXPECT_EQ(rd(2, kItargetsr + 29, 1), 0x04u);
}

TEST_F(GicTest, UniprocessorTargetsAreRazWiAndSpisGoToCpu0) {
    make(1, 32);
    enable_all();
    wr(0, kItargetsr + 32, 0x01010101);
    EXPECT_EQ(rd(0, kItargetsr + 32), 0u);
    EXPECT_EQ(rd(0, kItargetsr), 0u);
    EXPECT_EQ(gic->ignored_writes(), 0u);
    set_priority(0, 33, 0x80);
    set_bit(0, kIsenabler, 33);
    gic->set_line(33, true);
    EXPECT_TRUE(gic->irq_output(0));
    EXPECT_EQ(ack(0), 33u);
}

// ---- SGIs ----------------------------------------------------------------------------------------------------------

TEST_F(GicTest, SgiTargetListFilterZeroUsesTheList) {
    enable_all();
    wr(1, kSgir, sgir(0, 0x5, 3));  // from CPU 1 to CPUs 0 and 2
    for (unsigned c = 0; c < 4; ++c) {
        EXPECT_EQ(bit(c, kIspendr, 3), c == 0 || c == 2) << c;
        EXPECT_EQ(gic->irq_output(c), c == 0 || c == 2) << c;
        EXPECT_EQ(rd(c, kSpendsgir, 4), (c == 0 || c == 2) ? (1u << 1) << 24 : 0u) << c;  // byte 3 = SGI 3
    }
    EXPECT_EQ(ack(2), (1u << 10) | 3u);  // CPUID [12:10] = the source
    EXPECT_EQ(ack(0), (1u << 10) | 3u);
}

TEST_F(GicTest, SgiTargetListFilterOneIsEveryoneElse) {
    enable_all();
    wr(2, kSgir, sgir(1, 0xff, 9));  // the list is ignored
    for (unsigned c = 0; c < 4; ++c) EXPECT_EQ(bit(c, kIspendr, 9), c != 2) << c;
    EXPECT_EQ(ack(3), (2u << 10) | 9u);
    EXPECT_EQ(ack(2), kSpurious);
}

TEST_F(GicTest, SgiTargetListFilterTwoIsSelf) {
    enable_all();
    wr(3, kSgir, sgir(2, 0x1, 15));
    for (unsigned c = 0; c < 4; ++c) EXPECT_EQ(bit(c, kIspendr, 15), c == 3) << c;
    EXPECT_EQ(ack(3), (3u << 10) | 15u);
}

TEST_F(GicTest, SgiReservedFilterAndAbsentCpusSendNothing) {
    enable_all();
    wr(0, kSgir, sgir(3, 0xf, 1));
    for (unsigned c = 0; c < 4; ++c) EXPECT_FALSE(bit(c, kIspendr, 1));
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].first, Misuse::ReservedSgiFilter);
    wr(0, kSgir, sgir(0, 0xf0, 1));  // CPUs 4..7 do not exist
    for (unsigned c = 0; c < 4; ++c) EXPECT_FALSE(bit(c, kIspendr, 1));
}

TEST_F(GicTest, SgisFromTwoSourcesAreAcknowledgedSeparately) {
    enable_all();
    wr(2, kSgir, sgir(0, 0x1, 5));
    wr(1, kSgir, sgir(0, 0x1, 5));
    EXPECT_EQ(rd(0, kSpendsgir + 4), 0x06u << 8);  // SGI 5: sources 1 and 2
    EXPECT_EQ(ack(0), (1u << 10) | 5u);            // the lowest source first
    // Active, and still pending from CPU 2: not signalled again until deactivated.
    EXPECT_TRUE(bit(0, kIsactiver, 5));
    EXPECT_TRUE(bit(0, kIspendr, 5));
    EXPECT_FALSE(gic->irq_output(0));
    EXPECT_EQ(ack(0), kSpurious);
    eoi(0, (1u << 10) | 5u);
    EXPECT_TRUE(gic->irq_output(0));
    EXPECT_EQ(ack(0), (2u << 10) | 5u);
    EXPECT_FALSE(bit(0, kIspendr, 5));
    eoi(0, (2u << 10) | 5u);
    EXPECT_FALSE(bit(0, kIsactiver, 5));
    EXPECT_EQ(ack(0), kSpurious);
    EXPECT_TRUE(reports.empty());
}

TEST_F(GicTest, SetAndClearSgiPendingPerSource) {
    make(2, 0);
    enable_all();
    wr(0, kSpendsgir + 6, 0xff, 1);  // SGI 6 of CPU 0 from every source; CPUs 2..7 do not exist
    EXPECT_EQ(rd(0, kSpendsgir + 6, 1), 0x03u);
    EXPECT_EQ(rd(1, kSpendsgir + 6, 1), 0u);  // banked: CPU 1's SGI 6 is untouched
    EXPECT_EQ(rd(0, kCpendsgir + 4), 0x03u << 16);
    EXPECT_TRUE(bit(0, kIspendr, 6));
    wr(0, kCpendsgir + 6, 0x01, 1);
    EXPECT_EQ(rd(0, kSpendsgir + 6, 1), 0x02u);
    EXPECT_EQ(ack(0), (1u << 10) | 6u);
    eoi(0, (1u << 10) | 6u);
    wr(0, kSpendsgir + 6, 0x01, 1);
    wr(0, kCpendsgir + 4, 0x00ff0000);
    EXPECT_FALSE(bit(0, kIspendr, 6));
    EXPECT_EQ(ack(0), kSpurious);
}

TEST_F(GicTest, EverySgiIsPendingWhileAnySourceHasIt) {
    // GICD_ISPENDR bits 0..15 are "any source" of each SGI's SPENDSGIR byte, for any mix of the sources (CPU 7's
    // bit is the byte's top bit).
    make(8, 0);
    for (unsigned sgi = 0; sgi < 16; ++sgi) {
        for (unsigned source : {0u, 6u, 7u}) {
            wr(3, kSpendsgir + sgi, 1u << source, 1);
            EXPECT_EQ(rd(3, kIspendr) & 0xffffu, 1u << sgi) << "SGI " << sgi << " from CPU " << source;
            EXPECT_EQ(rd(2, kIspendr) & 0xffffu, 0u) << "banked";
            wr(3, kCpendsgir + sgi, 0xff, 1);
            EXPECT_EQ(rd(3, kIspendr) & 0xffffu, 0u);
        }
    }
    wr(3, kSpendsgir, 0x80000001);       // SGI 0 from CPU 0, SGI 3 from CPU 7
    wr(3, kSpendsgir + 12, 0x81000000);  // SGI 15 from CPUs 0 and 7
    EXPECT_EQ(rd(3, kIspendr) & 0xffffu, 0x8009u);
}

// ---- Priority, masking, preemption ---------------------------------------------------------------------------------

TEST_F(GicTest, PriorityMaskSignalsOnlyHigherPriorities) {
    enable_all();
    spi(40, 0x80);
    gic->set_line(40, true);
    cwr(0, kPmr, 0x80);  // only priorities strictly below 0x80 pass
    EXPECT_FALSE(gic->irq_output(0));
    EXPECT_EQ(crd(0, kHppir), kSpurious);
    EXPECT_EQ(ack(0), kSpurious);
    EXPECT_FALSE(bit(0, kIsactiver, 40));
    cwr(0, kPmr, 0x88);
    EXPECT_TRUE(gic->irq_output(0));
    EXPECT_EQ(crd(0, kHppir), 40u);
    EXPECT_EQ(ack(0), 40u);
}

TEST_F(GicTest, LowestPriorityValueWinsThenLowestId) {
    enable_all();
    spi(50, 0x60);
    spi(45, 0x40);
    spi(44, 0x40);
    for (unsigned id : {50u, 45u, 44u}) gic->set_line(id, true);
    EXPECT_EQ(crd(0, kHppir), 44u);
    EXPECT_EQ(ack(0), 44u);
    eoi(0, 44);
    gic->set_line(44, false);
    EXPECT_EQ(ack(0), 45u);
    eoi(0, 45);
    gic->set_line(45, false);
    EXPECT_EQ(ack(0), 50u);
}

TEST_F(GicTest, PreemptionNeedsAHigherGroupPriority) {
    enable_all();
    spi(40, 0x50);
    spi(41, 0x48);
    gic->set_line(40, true);
    EXPECT_EQ(ack(0), 40u);
    gic->set_line(41, true);
    cwr(0, kBpr, 4);  // group priority = bits [7:5]: 0x50 and 0x48 are both group 0x40
    EXPECT_FALSE(gic->irq_output(0));
    EXPECT_EQ(ack(0), kSpurious);
    EXPECT_EQ(crd(0, kHppir), 41u);  // still the highest pending: HPPIR ignores the running priority
    cwr(0, kBpr, 3);                 // bits [7:4]: 0x40 < 0x50
    EXPECT_TRUE(gic->irq_output(0));
    cwr(0, kBpr, 7);  // no group priority bits: nothing preempts anything
    EXPECT_FALSE(gic->irq_output(0));
    cwr(0, kBpr, 0);  // below the minimum: 2, group priority = all 5 bits
    EXPECT_EQ(crd(0, kBpr), 2u);
    EXPECT_TRUE(gic->irq_output(0));
    EXPECT_EQ(ack(0), 41u);
    EXPECT_EQ(crd(0, kRpr), 0x48u);
}

TEST_F(GicTest, RunningPriorityReadsAsIfTheBinaryPointWereMinimal) {
    enable_all();
    cwr(0, kBpr, 5);  // group priority = bits [7:6]
    spi(40, 0x58);
    gic->set_line(40, true);
    EXPECT_EQ(ack(0), 40u);
    EXPECT_EQ(crd(0, kRpr), 0x58u);  // not the group priority 0x40
    spi(41, 0x38);                   // group 0x00 < 0x40: preempts
    gic->set_line(41, true);
    EXPECT_EQ(ack(0), 41u);
    EXPECT_EQ(crd(0, kRpr), 0x38u);
}

TEST_F(GicTest, EqualPriorityDoesNotPreempt) {
    enable_all();
    spi(40, 0x50);
    spi(41, 0x50);
    gic->set_line(40, true);
    gic->set_line(41, true);
    EXPECT_EQ(ack(0), 40u);
    EXPECT_FALSE(gic->irq_output(0));
    EXPECT_EQ(ack(0), kSpurious);
    eoi(0, 40);
    gic->set_line(40, false);
    EXPECT_EQ(ack(0), 41u);
}

TEST_F(GicTest, NestedAcknowledgeAndEndWithRunningPriority) {
    enable_all();
    spi(40, 0xa0);
    spi(41, 0x40);
    spi(42, 0x60);
    gic->set_line(40, true);
    EXPECT_EQ(ack(0), 40u);
    EXPECT_EQ(crd(0, kRpr), 0xa0u);
    gic->set_line(41, true);
    EXPECT_TRUE(gic->irq_output(0));
    EXPECT_EQ(ack(0), 41u);
    EXPECT_EQ(crd(0, kRpr), 0x40u);
    gic->set_line(42, true);  // 0x60 does not preempt 0x40
    EXPECT_FALSE(gic->irq_output(0));
    EXPECT_EQ(ack(0), kSpurious);
    gic->set_line(41, false);
    eoi(0, 41);
    EXPECT_EQ(crd(0, kRpr), 0xa0u);  // back to the interrupted one
    EXPECT_TRUE(gic->irq_output(0));  // and now 0x60 preempts 0xa0
    EXPECT_EQ(ack(0), 42u);
    EXPECT_EQ(crd(0, kRpr), 0x60u);
    gic->set_line(42, false);
    eoi(0, 42);
    EXPECT_EQ(crd(0, kRpr), 0xa0u);
    gic->set_line(40, false);
    eoi(0, 40);
    EXPECT_EQ(crd(0, kRpr), 0xffu);
    for (unsigned id : {40u, 41u, 42u}) EXPECT_FALSE(bit(0, kIsactiver, id));
    EXPECT_TRUE(reports.empty());
}

TEST_F(GicTest, EndOfInterruptOutOfOrderIsIgnoredAndReported) {
    enable_all();
    spi(40, 0xa0);
    spi(41, 0x40);
    gic->set_line(40, true);
    EXPECT_EQ(ack(0), 40u);
    gic->set_line(41, true);
    EXPECT_EQ(ack(0), 41u);
    eoi(0, 40);  // not the running interrupt
    EXPECT_EQ(crd(0, kRpr), 0x40u);
    EXPECT_TRUE(bit(0, kIsactiver, 40));
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].first, Misuse::EoiMismatch);
    eoi(0, kSpurious);  // ignored silently, as IHI 0048B says
    EXPECT_EQ(reports.size(), 1u);
    eoi(1, 41);  // CPU 1 runs nothing
    EXPECT_EQ(reports.size(), 2u);
    EXPECT_TRUE(bit(0, kIsactiver, 41));
    eoi(0, 41);
    eoi(0, 40);
    EXPECT_EQ(crd(0, kRpr), 0xffu);
}

TEST_F(GicTest, EndOfSgiMustNameItsSource) {
    enable_all();
    wr(2, kSgir, sgir(0, 0x1, 4));
    EXPECT_EQ(ack(0), (2u << 10) | 4u);
    eoi(0, (1u << 10) | 4u);  // wrong source
    EXPECT_TRUE(bit(0, kIsactiver, 4));
    EXPECT_EQ(reports.size(), 1u);
    eoi(0, (2u << 10) | 4u);
    EXPECT_FALSE(bit(0, kIsactiver, 4));
}

// ---- Edge and level ------------------------------------------------------------------------------------------------

TEST_F(GicTest, LevelInterruptReassertsAfterEndWhileTheLineIsHigh) {
    enable_all();
    spi(40, 0x80);
    gic->set_line(40, true);
    EXPECT_EQ(ack(0), 40u);
    // Acknowledged with the line still high: active and pending, not signalled while active.
    EXPECT_TRUE(bit(0, kIsactiver, 40));
    EXPECT_TRUE(bit(0, kIspendr, 40));
    EXPECT_FALSE(gic->irq_output(0));
    eoi(0, 40);
    EXPECT_TRUE(gic->irq_output(0));
    EXPECT_EQ(ack(0), 40u);
    gic->set_line(40, false);  // the handler quietens the device: active only
    EXPECT_FALSE(bit(0, kIspendr, 40));
    EXPECT_TRUE(bit(0, kIsactiver, 40));
    eoi(0, 40);
    EXPECT_FALSE(gic->irq_output(0));
    EXPECT_EQ(ack(0), kSpurious);
}

TEST_F(GicTest, LevelPendingFollowsTheLine) {
    enable_all();
    spi(40, 0x80);
    gic->set_line(40, true);
    EXPECT_TRUE(bit(0, kIspendr, 40));
    wr(0, kIcpendr + 4, 1u << 8);  // clearing pending cannot beat a high line
    EXPECT_TRUE(bit(0, kIspendr, 40));
    gic->set_line(40, false);
    EXPECT_FALSE(bit(0, kIspendr, 40));
    EXPECT_EQ(ack(0), kSpurious);
    // Set pending by software: held regardless of the (low) line, until acknowledged.
    wr(0, kIspendr + 4, 1u << 8);
    EXPECT_TRUE(bit(0, kIspendr, 40));
    EXPECT_EQ(ack(0), 40u);
    EXPECT_FALSE(bit(0, kIspendr, 40));
    eoi(0, 40);
    EXPECT_EQ(ack(0), kSpurious);
}

TEST_F(GicTest, EdgeInterruptLatchesTheRisingEdge) {
    enable_all();
    spi(41, 0x80, 1, true);
    EXPECT_EQ(rd(0, kIcfgr + 8) >> 18 & 3, 2u);  // ID 41: field 9 of ICFGR2, edge
    gic->set_line(41, true);
    gic->set_line(41, false);
    EXPECT_TRUE(bit(0, kIspendr, 41));  // pending although the line is low again
    EXPECT_EQ(ack(0), 41u);
    EXPECT_FALSE(bit(0, kIspendr, 41));
    eoi(0, 41);
    gic->set_line(41, true);  // a new edge
    EXPECT_TRUE(bit(0, kIspendr, 41));
    EXPECT_EQ(ack(0), 41u);
    eoi(0, 41);
    EXPECT_FALSE(bit(0, kIspendr, 41));  // a line held high is not a new edge
    EXPECT_EQ(ack(0), kSpurious);
    gic->set_line(41, true);  // already high: nothing
    EXPECT_FALSE(bit(0, kIspendr, 41));
    wr(0, kIspendr + 4, 1u << 9);
    wr(0, kIcpendr + 4, 1u << 9);
    EXPECT_FALSE(bit(0, kIspendr, 41));
}

TEST_F(GicTest, EdgeWhileActiveMakesActiveAndPending) {
    enable_all();
    spi(41, 0x80, 1, true);
    gic->set_line(41, true);
    gic->set_line(41, false);
    EXPECT_EQ(ack(0), 41u);
    gic->set_line(41, true);
    EXPECT_TRUE(bit(0, kIsactiver, 41));
    EXPECT_TRUE(bit(0, kIspendr, 41));
    EXPECT_FALSE(gic->irq_output(0));
    eoi(0, 41);
    EXPECT_FALSE(bit(0, kIsactiver, 41));
    EXPECT_TRUE(gic->irq_output(0));
    EXPECT_EQ(ack(0), 41u);
}

TEST_F(GicTest, PpiTriggerIsConfigurablePerCpu) {
    enable_all();
    wr(0, kIcfgr + 4, 0xffffffff);  // every PPI of CPU 0 edge-triggered; the reserved low bits stay 0
    EXPECT_EQ(rd(0, kIcfgr + 4), 0xaaaaaaaau);
    EXPECT_EQ(rd(1, kIcfgr + 4), 0u);
    wr(0, kIsenabler, 1u << 30);
    wr(1, kIsenabler, 1u << 30);
    set_priority(0, 30, 0x80);
    set_priority(1, 30, 0x80);
    for (unsigned c : {0u, 1u}) {
        gic->set_line(30, true, c);
        gic->set_line(30, false, c);
    }
    EXPECT_TRUE(bit(0, kIspendr, 30));   // edge: latched
    EXPECT_FALSE(bit(1, kIspendr, 30));  // level: gone with the line
    EXPECT_EQ(ack(0), 30u);
    EXPECT_EQ(ack(1), kSpurious);
}

TEST_F(GicTest, LinesThatDoNotExistAreRejected) {
    EXPECT_THROW(gic->set_line(3, true), std::out_of_range);  // SGIs have no lines
    EXPECT_THROW(gic->set_line(96, true), std::out_of_range);
    EXPECT_THROW(gic->set_line(20, true, 4), std::out_of_range);
    EXPECT_NO_THROW(gic->set_line(95, true));
}

// ---- Active state, enables, routing --------------------------------------------------------------------------------

TEST_F(GicTest, ActiveBitsCanBeSetAndCleared) {
    enable_all();
    spi(40, 0x80);
    set_bit(0, kIsactiver, 40);
    gic->set_line(40, true);
    EXPECT_FALSE(gic->irq_output(0));  // active and pending
    EXPECT_EQ(crd(0, kRpr), 0xffu);    // setting the active bit acknowledges nothing
    set_bit(0, kIcactiver, 40);
    EXPECT_FALSE(bit(0, kIsactiver, 40));
    EXPECT_TRUE(gic->irq_output(0));
    EXPECT_EQ(ack(0), 40u);
}

TEST_F(GicTest, DisabledInterruptsStillBecomePending) {
    enable_all();
    spi(41, 0x80, 1, true);
    set_bit(0, kIcenabler, 41);
    EXPECT_FALSE(bit(0, kIsenabler, 41));
    gic->set_line(41, true);
    EXPECT_TRUE(bit(0, kIspendr, 41));
    EXPECT_FALSE(gic->irq_output(0));
    EXPECT_EQ(crd(0, kHppir), kSpurious);
    EXPECT_EQ(ack(0), kSpurious);
    set_bit(0, kIsenabler, 41);
    EXPECT_TRUE(gic->irq_output(0));
    EXPECT_EQ(ack(0), 41u);
}

TEST_F(GicTest, SpisGoToTheirTargetsAndOneCpuTakesThem) {
    enable_all();
    spi(33, 0x80, 0x6);  // CPUs 1 and 2
    gic->set_line(33, true);
    for (unsigned c = 0; c < 4; ++c) EXPECT_EQ(gic->irq_output(c), c == 1 || c == 2) << c;
    EXPECT_EQ(ack(0), kSpurious);
    EXPECT_EQ(ack(2), 33u);
    // Active on CPU 2 (and pending: the line is high); no other CPU may take it now.
    for (unsigned c = 0; c < 4; ++c) EXPECT_FALSE(gic->irq_output(c)) << c;
    EXPECT_EQ(ack(1), kSpurious);
    eoi(1, 33);  // CPU 1 did not acknowledge it: ignored
    EXPECT_TRUE(bit(0, kIsactiver, 33));
    eoi(2, 33);
    EXPECT_TRUE(gic->irq_output(1));
    set_targets(33, 0x8);  // retargeted while pending: CPU 3 only
    for (unsigned c = 0; c < 4; ++c) EXPECT_EQ(gic->irq_output(c), c == 3) << c;
    EXPECT_EQ(ack(3), 33u);
    set_targets(33, 0);  // no target: nobody, even once it is inactive again
    eoi(3, 33);
    for (unsigned c = 0; c < 4; ++c) EXPECT_FALSE(gic->irq_output(c)) << c;
}

TEST_F(GicTest, DisablingTheDistributorStopsForwarding) {
    enable_all();
    spi(40, 0x80, 0xf);
    gic->set_line(40, true);
    wr(0, kCtlr, 0);
    for (unsigned c = 0; c < 4; ++c) {
        EXPECT_FALSE(gic->irq_output(c));
        EXPECT_EQ(crd(c, kHppir), kSpurious);
        EXPECT_EQ(ack(c), kSpurious);
    }
    EXPECT_TRUE(bit(0, kIspendr, 40));  // the state is kept
    wr(0, kSgir, sgir(2, 0, 1));       // and still changes
    EXPECT_TRUE(bit(0, kIspendr, 1));
    wr(0, kCtlr, 1);
    EXPECT_TRUE(gic->irq_output(3));
    EXPECT_EQ(ack(0), 1u);  // the SGI: priority 0 beats 0x80
}

TEST_F(GicTest, DisablingACpuInterfaceSilencesOnlyThatCpu) {
    enable_all();
    spi(40, 0x80, 0x3);
    gic->set_line(40, true);
    cwr(0, kCCtlr, 0);
    EXPECT_FALSE(gic->irq_output(0));
    EXPECT_EQ(ack(0), kSpurious);
    EXPECT_EQ(crd(0, kHppir), kSpurious);
    EXPECT_TRUE(gic->irq_output(1));
    EXPECT_EQ(ack(1), 40u);
    cwr(0, kCCtlr, 1);
    EXPECT_FALSE(gic->irq_output(0));  // active on CPU 1 now
}

TEST_F(GicTest, IrqOutputAgreesWithAcknowledge) {
    // Whatever the state, the output is high exactly when GICC_IAR would return an interrupt.
    enable_all();
    spi(40, 0x80, 0x1);
    spi(41, 0x20, 0x1, true);
    wr(1, kSgir, sgir(0, 0x1, 2));
    set_priority(0, 2, 0x90);
    gic->set_line(40, true);
    for (int step = 0; step < 6; ++step) {
        const bool out = gic->irq_output(0);
        const uint32_t id = ack(0);
        EXPECT_EQ(out, id != kSpurious) << step;
        if (step == 1) gic->set_line(41, true);
        if (step == 3) eoi(0, 41);
    }
}

}  // namespace

// Loads, stores, misaligned RAM accesses, device (MMIO) accesses, LR/SC (one and two harts), AMOs, self-modifying
// code and fence.i: results and exact cycles under the default timing profile.
#include "hart_fixture.h"

using namespace oobsim_test;
using namespace rv;

namespace {

class HartMemory : public HartTest {
protected:
    static constexpr uint32_t kDev = 0x10000010;  // an address the fake bus answers
    void SetUp() override {
        // kData: bytes 80 7f ff 01 | ef cd ab 89
        poke32(kData, 0x01ff7f80);
        poke32(kData + 4, 0x89abcdef);
    }
};

}  // namespace

TEST_F(HartMemory, LoadsSignAndZeroExtend) {
    const struct {
        const char* name;
        uint32_t insn;
        uint32_t want;
    } cases[] = {
        {"lb 0x80", lb(a0, a1, 0), 0xffffff80},   {"lb 0x7f", lb(a0, a1, 1), 0x7f},
        {"lb 0xff", lb(a0, a1, 2), 0xffffffff},   {"lbu 0x80", lbu(a0, a1, 0), 0x80},
        {"lbu 0xff", lbu(a0, a1, 2), 0xff},       {"lh 0x7f80", lh(a0, a1, 0), 0x7f80},
        {"lh 0x01ff", lh(a0, a1, 2), 0x01ff},     {"lh 0xcdef", lh(a0, a1, 4), 0xffffcdef},
        {"lhu 0xcdef", lhu(a0, a1, 4), 0xcdef},   {"lh 0x89ab", lh(a0, a1, 6), 0xffff89ab},
        {"lhu 0x89ab", lhu(a0, a1, 6), 0x89ab},   {"lw", lw(a0, a1, 4), 0x89abcdef},
        {"lw", lw(a0, a1, 0), 0x01ff7f80},        {"lbu 0x89", lbu(a0, a1, 7), 0x89},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(exec(c.insn, kData), c.want) << c.name;
        EXPECT_EQ(h.time(), 1u) << c.name;  // 1 + ram_latency
    }
    // A negative offset.
    EXPECT_EQ(exec(lw(a0, a1, -4), kData + 8), 0x89abcdefu);
    // A load to x0 is performed and discarded.
    EXPECT_EQ(exec(lw(zero, a1, 0), kData), 0x5a5a5a5au);
    EXPECT_EQ(h.reg(zero), 0u);
}

TEST_F(HartMemory, StoresOfEachWidth) {
    poke32(kData + 8, 0x11111111);
    poke32(kData + 12, 0x22222222);
    poke32(kData + 16, 0x33333333);
    uint32_t end = load({
        sw(a2, a1, 0),
        sh(a2, a1, 8),
        sh(a2, a1, 14),
        sb(a2, a1, 17),
        sb(a2, a1, 19),
        sw(a2, a1, -4),
    });
    h.set_reg(a1, kData);
    h.set_reg(a2, 0xdeadbeef);
    run_to(end);
    EXPECT_EQ(peek32(kData), 0xdeadbeefu);
    EXPECT_EQ(peek32(kData + 8), 0x1111beefu);
    EXPECT_EQ(peek32(kData + 12), 0xbeef2222u);
    EXPECT_EQ(peek32(kData + 16), 0xef33ef33u);
    EXPECT_EQ(peek32(kData - 4), 0xdeadbeefu);
    EXPECT_EQ(peek32(kData + 4), 0x89abcdefu);  // untouched
    EXPECT_EQ(h.time(), 6u);
}

TEST_F(HartMemory, MisalignedRamAccessesWorkWithAPenalty) {
    // lw at kData+1: bytes 7f ff 01 ef.
    EXPECT_EQ(exec(lw(a0, a1, 1), kData), 0xef01ff7fu);
    EXPECT_EQ(h.time(), 2u);  // 1 + ram_latency + misaligned_penalty
    EXPECT_EQ(exec(lw(a0, a1, 3), kData), 0xabcdef01u);
    EXPECT_EQ(h.time(), 2u);
    EXPECT_EQ(exec(lh(a0, a1, 3), kData), 0xffffef01u);
    EXPECT_EQ(h.time(), 2u);
    EXPECT_EQ(exec(lhu(a0, a1, 3), kData), 0xef01u);
    EXPECT_EQ(h.time(), 2u);
    EXPECT_EQ(exec(lh(a0, a1, 1), kData), 0xffffff7fu);  // 7f ff
    EXPECT_EQ(h.time(), 2u);
    EXPECT_EQ(exec(lhu(a0, a1, 2), kData), 0x01ffu);  // halfword-aligned: no penalty
    EXPECT_EQ(h.time(), 1u);

    poke32(kData + 8, 0);
    poke32(kData + 12, 0);
    EXPECT_EQ(exec(sw(a2, a1, 10), kData, 0xaabbccdd), 0x5a5a5a5au);
    EXPECT_EQ(h.time(), 2u);
    EXPECT_EQ(peek32(kData + 8), 0xccdd0000u);
    EXPECT_EQ(peek32(kData + 12), 0x0000aabbu);
    EXPECT_EQ(exec(sh(a2, a1, 1), kData + 8, 0x1234), 0x5a5a5a5au);
    EXPECT_EQ(h.time(), 2u);
    EXPECT_EQ(peek32(kData + 8), 0xcc123400u);
}

TEST_F(HartMemory, DeviceLoadsGoToTheBusAndExtend) {
    bus.read_value = 0x8000ff80;
    const struct {
        const char* name;
        uint32_t insn;
        uint32_t size, want;
    } cases[] = {
        {"lw", lw(a0, a1, 0), 4, 0x8000ff80}, {"lh", lh(a0, a1, 0), 2, 0xffffff80},
        {"lhu", lhu(a0, a1, 0), 2, 0xff80},   {"lb", lb(a0, a1, 0), 1, 0xffffff80},
        {"lbu", lbu(a0, a1, 0), 1, 0x80},
    };
    for (const auto& c : cases) {
        bus.log.clear();
        load({c.insn});
        h.set_reg(a1, kDev);
        EXPECT_EQ(h.run(1000, 1000, true), Stop::AfterMmio) << c.name;  // returns right after the access
        EXPECT_EQ(h.reg(a0), c.want) << c.name;
        EXPECT_EQ(h.time(), 11u) << c.name;  // 1 + mmio_latency
        EXPECT_EQ(h.pc(), at(1)) << c.name;
        EXPECT_EQ(h.instret(), 1u) << c.name;
        ASSERT_EQ(bus.log.size(), 1u) << c.name;
        EXPECT_FALSE(bus.log[0].is_write);
        EXPECT_EQ(bus.log[0].addr, kDev);
        EXPECT_EQ(bus.log[0].size, c.size) << c.name;
        EXPECT_EQ(bus.log[0].cpu, 0u);
    }
}

TEST_F(HartMemory, ADeviceAnnotatedLatencyLengthensTheAccess) {
    // 1 + mmio_latency (10) + the 7 cycles the device adds, for a load and for a store.
    bus.latency = 7;
    load({lw(a0, a1, 0), sw(a0, a1, 0)});
    h.set_reg(a1, kDev);
    EXPECT_EQ(h.run(1000, 1000, true), Stop::AfterMmio);
    EXPECT_EQ(h.time(), 18u);
    EXPECT_EQ(h.run(1000, 1000, true), Stop::AfterMmio);
    EXPECT_EQ(h.time(), 18u + 1u + 18u);  // the store reads a0 right after its load: one load-use stall
}

TEST_F(HartMemory, DeviceStoresGoToTheBusWithTheirWidth) {
    const struct {
        uint32_t insn;
        uint32_t size, data;
    } cases[] = {{sw(a2, a1, 4), 4, 0x12345678}, {sh(a2, a1, 4), 2, 0x5678}, {sb(a2, a1, 4), 1, 0x78}};
    for (const auto& c : cases) {
        bus.log.clear();
        load({c.insn, nop()});
        h.set_reg(a1, kDev);
        h.set_reg(a2, 0x12345678);
        EXPECT_EQ(h.run(1000, 1000, true), Stop::AfterMmio);
        EXPECT_EQ(h.time(), 11u);
        EXPECT_EQ(h.pc(), at(1));
        ASSERT_EQ(bus.log.size(), 1u);
        EXPECT_TRUE(bus.log[0].is_write);
        EXPECT_EQ(bus.log[0].addr, kDev + 4);
        EXPECT_EQ(bus.log[0].size, c.size);
        EXPECT_EQ(bus.log[0].data, c.data);
    }
}

TEST_F(HartMemory, DeviceAccessWaitsForMmioOk) {
    uint32_t end = load({addi(a2, zero, 1), lw(a0, a1, 0), addi(a3, a0, 0)});
    h.set_reg(a1, kDev);
    bus.read_value = 42;
    // Without mmio_ok the hart stops before the device access with nothing of it done.
    EXPECT_EQ(h.run(1000, 1000, false), Stop::NeedMmio);
    EXPECT_EQ(h.pc(), at(1));
    EXPECT_EQ(h.time(), 1u);
    EXPECT_EQ(h.instret(), 1u);
    EXPECT_EQ(h.reg(a0), 0u);
    EXPECT_TRUE(bus.log.empty());
    EXPECT_EQ(h.run(1000, 1000, false), Stop::NeedMmio);  // and again
    EXPECT_TRUE(bus.log.empty());
    EXPECT_EQ(h.run(1000, 1000, true), Stop::AfterMmio);
    EXPECT_EQ(bus.log.size(), 1u);
    EXPECT_EQ(h.reg(a0), 42u);
    EXPECT_EQ(h.time(), 12u);
    run_to(end);
    EXPECT_EQ(h.reg(a3), 42u);
    EXPECT_EQ(h.time(), 12u + 2u);  // the use right after a (device) load stalls
}

TEST_F(HartMemory, LrScSucceeds) {
    uint32_t end = load({lr_w(a0, a1), nop(), addi(a0, a0, 1), sc_w(a2, a0, a1)});
    h.set_reg(a1, kData + 4);
    h.set_reg(a2, 0x5a5a);
    run_to(end);
    EXPECT_EQ(h.reg(a0), 0x89abcdf0u);
    EXPECT_EQ(h.reg(a2), 0u);  // success
    EXPECT_EQ(peek32(kData + 4), 0x89abcdf0u);
    EXPECT_EQ(h.time(), 3u + 1u + 1u + 3u);  // LR and SC: amo_cycles + ram_latency
}

TEST_F(HartMemory, ScWithoutReservationFails) {
    uint32_t end = load({sc_w(a2, a0, a1)});
    h.set_reg(a1, kData);
    h.set_reg(a0, 0x77);
    run_to(end);
    EXPECT_NE(h.reg(a2), 0u);
    EXPECT_EQ(peek32(kData), 0x01ff7f80u);
    EXPECT_EQ(h.time(), 3u);
}

TEST_F(HartMemory, ScToAnotherAddressFailsAndConsumesTheReservation) {
    uint32_t end = load({
        lr_w(a0, a1),
        sc_w(a2, a3, a4),  // another word: fails
        sc_w(a5, a3, a1),  // the reservation is gone: fails
        lr_w(a0, a1),
        sc_w(a6, a3, a1),  // succeeds
        sc_w(a7, a3, a1),  // a second SC after success fails
    });
    h.set_reg(a1, kData);
    h.set_reg(a4, kData + 4);
    h.set_reg(a3, 0x99);
    run_to(end);
    EXPECT_NE(h.reg(a2), 0u);
    EXPECT_NE(h.reg(a5), 0u);
    EXPECT_EQ(h.reg(a6), 0u);
    EXPECT_NE(h.reg(a7), 0u);
    EXPECT_EQ(peek32(kData), 0x99u);
    EXPECT_EQ(peek32(kData + 4), 0x89abcdefu);
    EXPECT_EQ(h.time(), 6u * 3u);
}

namespace {
// Hart 0 takes a reservation on kData; hart 1 runs one store (or AMO); hart 0 tries an SC.
// Returns hart 0's SC result (0 = success).
class TwoHarts : public HartMemory {
protected:
    Hart h1{1, mem, timing, &bus};  // a fixture member: Memory keeps a pointer to every hart made on it

    uint32_t race(uint32_t other_insn, uint32_t other_addr) {
        load({lr_w(a0, a1), sc_w(a2, a3, a1)});
        h.set_reg(a1, kData);
        h.set_reg(a3, 0x1234);
        place({other_insn}, kBase + 0x2000);
        h1.reset(kBase + 0x2000);
        h1.set_reg(a1, other_addr);
        h1.set_reg(a2, 0xffffffff);
        EXPECT_EQ(step(), Stop::Limit);                     // hart 0: LR
        EXPECT_EQ(h1.run(1, 1, true), Stop::Limit);         // hart 1: its store
        EXPECT_EQ(h1.instret(), 1u);
        EXPECT_EQ(step(), Stop::Limit);                     // hart 0: SC
        EXPECT_EQ(h.time(), 6u);
        return h.reg(a2);
    }
};
}  // namespace

TEST_F(TwoHarts, AnotherHartsStoreToTheGranuleBreaksTheReservation) {
    EXPECT_NE(race(sw(a2, a1, 0), kData), 0u);
    EXPECT_EQ(peek32(kData), 0xffffffffu);  // hart 1's store, not hart 0's SC
    EXPECT_NE(race(sb(a2, a1, 3), kData), 0u);  // one byte of the granule is enough
    EXPECT_NE(race(sh(a2, a1, 3), kData), 0u);  // a misaligned store overlapping the granule
    EXPECT_NE(race(amoadd_w(zero, a2, a1), kData), 0u);
}

TEST_F(TwoHarts, StoresOutsideTheGranuleKeepTheReservation) {
    EXPECT_EQ(race(sw(a2, a1, 4), kData), 0u);
    EXPECT_EQ(peek32(kData), 0x1234u);
    EXPECT_EQ(race(sb(a2, a1, -1), kData), 0u);
}

TEST_F(TwoHarts, OfTwoReservationsOnOneWordTheFirstScWins) {
    load({lr_w(a0, a1), sc_w(a2, a3, a1)});
    h.set_reg(a1, kData);
    h.set_reg(a3, 0x1234);
    place({lr_w(a0, a1), sc_w(a2, a3, a1)}, kBase + 0x2000);
    h1.reset(kBase + 0x2000);
    h1.set_reg(a1, kData);
    h1.set_reg(a3, 0x5678);
    step();             // hart 0: LR
    h1.run(3, 3, true);  // hart 1: LR
    step();             // hart 0: SC succeeds, and is a store to hart 1's reservation
    h1.run(6, 6, true);  // hart 1: SC fails
    EXPECT_EQ(h.reg(a2), 0u);
    EXPECT_NE(h1.reg(a2), 0u);
    EXPECT_EQ(peek32(kData), 0x1234u);
    EXPECT_EQ(h1.reg(a0), 0x01ff7f80u);
    EXPECT_EQ(h1.time(), 6u);
}

TEST_F(TwoHarts, AMisalignedStoreFromTheLastPageBreaksAReservationAtAPageStart) {
    // kData is 4 KiB-aligned: bytes kData-2 .. kData+1 straddle two pages, and two of them are in the granule.
    // The store must break the reservation on the second page. RISC-V unprivileged ISA, "A" extension,
    // Load-Reserved/Store-Conditional: "An SC may succeed only if no store from another hart to the reservation set
    // can be observed to have occurred between the LR and the SC" (and platform.md: a reservation is "broken by
    // any other core's store to the reservation granule").
    ASSERT_EQ(kData & 0xfff, 0u);
    EXPECT_NE(race(sw(a2, a1, -2), kData), 0u);
    EXPECT_EQ(peek32(kData), 0x01ffffffu);  // bytes kData, kData+1 from hart 1's store; no SC
}

TEST_F(HartMemory, Amos) {
    const struct {
        const char* name;
        uint32_t insn;
        uint32_t old, src, mem_after;
    } cases[] = {
        {"amoswap", amoswap_w(a0, a2, a1), 0x11111111, 0x22222222, 0x22222222},
        {"amoadd", amoadd_w(a0, a2, a1), 0xffffffff, 2, 1},
        {"amoxor", amoxor_w(a0, a2, a1), 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0},
        {"amoand", amoand_w(a0, a2, a1), 0xff00ff00, 0x0ff00ff0, 0x0f000f00},
        {"amoor", amoor_w(a0, a2, a1), 0xff00ff00, 0x0ff00ff0, 0xfff0fff0},
        {"amomin signed", amomin_w(a0, a2, a1), 0xffffffff, 1, 0xffffffff},
        {"amomin signed", amomin_w(a0, a2, a1), 5, 0x80000000, 0x80000000},
        {"amomax signed", amomax_w(a0, a2, a1), 0xffffffff, 1, 1},
        {"amomax signed", amomax_w(a0, a2, a1), 0x80000000, 0x7fffffff, 0x7fffffff},
        {"amominu", amominu_w(a0, a2, a1), 0xffffffff, 1, 1},
        {"amomaxu", amomaxu_w(a0, a2, a1), 0xffffffff, 1, 0xffffffff},
        {"amomaxu", amomaxu_w(a0, a2, a1), 0x7fffffff, 0x80000000, 0x80000000},
    };
    for (const auto& c : cases) {
        poke32(kData, c.old);
        EXPECT_EQ(exec(c.insn, kData, c.src), c.old) << c.name;  // rd gets the old value
        EXPECT_EQ(peek32(kData), c.mem_after) << c.name;
        EXPECT_EQ(h.time(), 3u) << c.name;  // amo_cycles + ram_latency
    }
    // rd = rs2: the source is read before rd is written.
    poke32(kData, 10);
    load({amoadd_w(a2, a2, a1)});
    h.set_reg(a1, kData);
    h.set_reg(a2, 5);
    run_to(at(1));
    EXPECT_EQ(h.reg(a2), 10u);
    EXPECT_EQ(peek32(kData), 15u);
    // rd = x0: memory is still updated.
    EXPECT_EQ(exec(amoswap_w(zero, a2, a1), kData, 77), 0x5a5a5a5au);
    EXPECT_EQ(peek32(kData), 77u);
}

TEST_F(HartMemory, SelfModifyingCodeIsSeenOnTheNextFetch) {
    uint32_t end = load({
        addi(a0, a0, 1),             // 0: rewritten to addi a0, a0, 100 after its first execution
        bne(a3, zero, 16),           // 4: second time round: to end
        addi(a3, zero, 1),           // 8
        sw(a4, a2, 0),               // 12: overwrite word 0
        jal(zero, -16),              // 16: to 0
    });
    h.set_reg(a2, kBase);
    h.set_reg(a4, addi(a0, a0, 100));
    run_to(end);
    EXPECT_EQ(h.reg(a0), 101u);
    EXPECT_EQ(h.time(), 1u + 1u + 1u + 1u + 3u + 1u + 3u);
}

TEST_F(HartMemory, SelfModifyingCodeByAMisalignedStoreOverTwoInstructions) {
    // The routine at kFn is called, patched by a word store at kFn + 2 (the upper half of its first instruction
    // and the lower half of its second), and called again: both instructions must be fetched anew.
    constexpr uint32_t kFn = kBase + 0x100;
    constexpr uint32_t first = addi(a0, a0, 3), second = jalr(a1, ra, 0);
    static_assert((first & 0xffff) == (addi(a0, a0, 1) & 0xffff), "the patch keeps the low half of word 0");
    static_assert((second >> 16) == (jalr(zero, ra, 0) >> 16), "the patch keeps the high half of word 1");
    place({addi(a0, a0, 1), jalr(zero, ra, 0)}, kFn);
    uint32_t end = load({
        jal(ra, 0x100),              // 0: call kFn
        sw(a4, a2, 2),               // 4: patch
        jal(ra, 0x100 - 8),          // 8: call kFn again
    });
    h.set_reg(a2, kFn);
    h.set_reg(a4, (second << 16) | (first >> 16));
    run_to(end);
    EXPECT_EQ(peek32(kFn), first);
    EXPECT_EQ(peek32(kFn + 4), second);
    EXPECT_EQ(h.reg(a0), 4u);
    EXPECT_EQ(h.reg(a1), kFn + 8);  // the patched JALR links
    EXPECT_EQ(h.time(), 3u + 1u + 3u + 2u + 3u + 1u + 3u);  // the patch store is misaligned: 2 cycles
}

TEST_F(HartMemory, FenceIRefetchesCodeWrittenBehindTheHartsBack) {
    // Code written into RAM by someone other than a hart (a loader, a DMA engine) is seen after FENCE.I.
    uint32_t end = load({
        addi(a0, a0, 1),             // 0: replaced after its first execution
        bne(a3, zero, 16),           // 4: second time round: to end
        addi(a3, zero, 1),           // 8
        fence_i(),                   // 12
        jal(zero, -16),              // 16: to 0
    });
    run_to(at(3));
    const uint32_t patched = addi(a0, a0, 100);
    std::memcpy(&ram[0], &patched, 4);  // straight into RAM: no hart store, no cache invalidation
    run_to(end);
    EXPECT_EQ(h.reg(a0), 101u);
    EXPECT_EQ(h.time(), 1u + 1u + 1u + 5u + 3u + 1u + 3u);
}

TEST_F(HartMemory, SelfModifyingCodeByAMisalignedStoreAcrossAPage) {
    // The routine at kBase + 0x1000 (the start of a page) is called, patched by a misaligned word store at
    // kBase + 0xffe whose upper two bytes become the low half of its first instruction, and called again.
    // The second call must run the patched instruction, not a stale decode of "addi a0, a0, 1" (a page-crossing
    // store touches the decoded words of both pages). The ISA alone would allow stale fetches until a FENCE.I, but
    // oobsim promises more (platform.md: "a
    // decoded-instruction cache invalidated by stores to code and fence.i"; the aligned case above relies on it).
    constexpr uint32_t kFn = kBase + 0x1000;
    constexpr uint32_t patched = addi(a1, a0, 1);  // differs from addi a0, a0, 1 only in its low half (rd)
    static_assert((patched >> 16) == (addi(a0, a0, 1) >> 16), "the patch touches only the low half");
    place({addi(a0, a0, 1), jalr(zero, ra, 0)}, kFn);
    uint32_t end = load({
        jal(ra, 0x1000),             // 0: call kFn
        sw(a4, a2, -2),              // 4: patch (misaligned, across the page boundary)
        jal(ra, 0x1000 - 8),         // 8: call kFn again
    });
    h.set_reg(a2, kFn);
    h.set_reg(a4, patched << 16);
    run_to(end);
    EXPECT_EQ(peek32(kFn), patched);
    EXPECT_EQ(h.reg(a0), 1u);
    EXPECT_EQ(h.reg(a1), 2u);
}

TEST_F(TwoHarts, AnotherHartsStoreToCodeIsSeen) {
    uint32_t end = load({addi(a0, a0, 1), nop()});
    run_to(at(1));
    place({sw(a2, a1, 0)}, kBase + 0x2000);
    h1.reset(kBase + 0x2000);
    h1.set_reg(a1, kBase);
    h1.set_reg(a2, addi(a0, a0, 7));
    h1.run(1, 1, true);
    EXPECT_EQ(h1.instret(), 1u);
    h.reset(kBase);
    run_to(end);
    EXPECT_EQ(h.reg(a0), 7u);
}

TEST_F(HartMemory, FenceIAfterPatchingCode) {
    uint32_t end = load({
        sw(a4, a2, 8),               // 0: patch word 2
        fence_i(),                   // 4
        addi(a0, zero, 1),           // 8: becomes addi a0, zero, 9
    });
    h.set_reg(a2, kBase);
    h.set_reg(a4, addi(a0, zero, 9));
    run_to(end);
    EXPECT_EQ(h.reg(a0), 9u);
    EXPECT_EQ(h.time(), 1u + 5u + 1u);
}

TEST_F(HartMemory, ToHostStoreEndsTheRun) {
    mem.watch_tohost(kData + 16);
    load({sw(zero, a1, 16), addi(a0, zero, 1), sw(a2, a1, 16), addi(a0, zero, 2)});
    h.set_reg(a1, kData);
    h.set_reg(a2, 7);
    EXPECT_EQ(h.run(1000, 1000, false), Stop::Exit);  // writing 0 does not end it; writing 7 does
    EXPECT_TRUE(mem.tohost_seen());
    EXPECT_EQ(mem.tohost_value(), 7u);
    EXPECT_EQ(h.reg(a0), 1u);
    EXPECT_EQ(h.pc(), at(3));
    EXPECT_EQ(h.time(), 3u);
    EXPECT_EQ(h.stop_cycle(), 2u);  // the start of the store to tohost
    EXPECT_EQ(h.instret(), 3u);
}

TEST_F(HartMemory, ToHostAmoEndsTheRun) {
    mem.watch_tohost(kData + 16);
    load({nop(), amoswap_w(zero, a2, a1), nop()});
    h.set_reg(a1, kData + 16);
    h.set_reg(a2, 1);
    EXPECT_EQ(h.run(1000, 1000, false), Stop::Exit);
    EXPECT_EQ(mem.tohost_value(), 1u);
    EXPECT_EQ(h.stop_cycle(), 1u);
    EXPECT_EQ(h.time(), 4u);
    EXPECT_EQ(h.pc(), at(2));
}

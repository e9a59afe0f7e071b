// The timing model: the load-use stall, run()'s limits, a non-default profile exercising every parameter the hart
// uses, the TimingProfile settings API, and the zero-cycle trace HINT with its observer.
#include <stdexcept>

#include "hart_fixture.h"

using namespace oobsim_test;
using namespace rv;

namespace {

class HartTiming : public HartTest {
protected:
    void SetUp() override {
        poke32(kData, kData + 16);  // a pointer, for address dependencies
        poke32(kData + 4, 0x11);
        poke32(kData + 16, 0x22);
    }
};

}  // namespace

TEST_F(HartTiming, LoadUseStall) {
    const struct {
        const char* name;
        std::initializer_list<uint32_t> prog;  // after "lw a0, 0(a1)"
        uint64_t cycles;                       // of the whole program
    } cases[] = {
        {"rs1 dependency", {addi(a2, a0, 1)}, 3},
        {"rs2 dependency", {add(a2, a3, a0)}, 3},
        {"both operands", {add(a2, a0, a0)}, 3},
        {"no dependency", {addi(a2, a3, 1)}, 2},
        {"immediate bits that look like a0 (rs2 field)", {addi(a2, a3, a0)}, 2},
        {"immediate bits that look like a0 (rs1 field of LUI)", {lui(a2, 0x50)}, 2},
        {"CSR uimm that looks like a0", {csrrwi(zero, kMscratch, a0)}, 1 + 2},
        {"CSR source", {csrw(kMscratch, a0)}, 1 + 2 + 1},
        {"store data", {sw(a0, a1, 8)}, 3},
        {"store address", {sw(a3, a0, 0)}, 3},
        {"pointer chase", {lw(a2, a0, 0)}, 3},
        {"branch operand", {beq(a0, zero, 8)}, 3},
        {"multiply", {mul(a2, a0, a0)}, 1 + 3 + 1},
        {"AMO address", {amoadd_w(a2, a3, a0)}, 1 + 3 + 1},
        {"one instruction in between", {nop(), addi(a2, a0, 1)}, 3},
        {"only the first use stalls", {addi(a0, a0, 1), addi(a2, a0, 1)}, 4},
        {"through a hint", {hint_trace(a0, 1), addi(a2, a0, 1)}, 3},
        {"through two hints, no use", {hint_trace(a0, 1), hint_trace(a0, 2), addi(a2, a3, 1)}, 2},
        {"another load in between", {lw(a2, a1, 4), addi(a3, a0, 1)}, 3},
        {"a load's own rd", {lw(a2, a1, 4), addi(a3, a2, 1)}, 4},
    };
    for (const auto& c : cases) {
        std::vector<uint32_t> prog{lw(a0, a1, 0)};
        prog.insert(prog.end(), c.prog);
        for (size_t i = 0; i < prog.size(); ++i) poke32(at(unsigned(i)), prog[i]);
        h.reset(kBase);
        h.set_reg(a1, kData);
        run_to(at(unsigned(prog.size())));
        EXPECT_EQ(h.time(), c.cycles) << c.name;
    }
}

TEST_F(HartTiming, LoadUseStallOnEveryLoadWidthButNotX0) {
    for (uint32_t load_insn : {lb(a0, a1, 0), lbu(a0, a1, 0), lh(a0, a1, 0), lhu(a0, a1, 0), lw(a0, a1, 0)}) {
        uint32_t end = load({load_insn, addi(a2, a0, 1)});
        h.set_reg(a1, kData);
        run_to(end);
        EXPECT_EQ(h.time(), 3u) << std::hex << load_insn;
    }
    uint32_t end = load({lw(zero, a1, 0), addi(a2, zero, 1)});
    h.set_reg(a1, kData);
    run_to(end);
    EXPECT_EQ(h.time(), 2u);
}

TEST_F(HartTiming, LimLocal) {
    load({nop(), nop(), nop(), nop(), nop()});  // then a self-loop JAL (3 cycles)
    EXPECT_EQ(h.run(0, 100, true), Stop::Limit);  // nothing may start at or after 0
    EXPECT_EQ(h.time(), 0u);
    EXPECT_EQ(h.instret(), 0u);
    EXPECT_EQ(h.run(3, 100, true), Stop::Limit);
    EXPECT_EQ(h.time(), 3u);
    EXPECT_EQ(h.pc(), at(3));
    EXPECT_EQ(h.run(20, 100, true), Stop::Limit);  // 2 nops, then JALs starting at 5, 8, 11, 14, 17
    EXPECT_EQ(h.time(), 20u);
    EXPECT_EQ(h.instret(), 10u);
    EXPECT_EQ(h.run(21, 100, true), Stop::Limit);  // the JAL starting at 20 ends past the limit
    EXPECT_EQ(h.time(), 23u);
    EXPECT_EQ(h.instret(), 11u);
}

TEST_F(HartTiming, LimMemStopsBeforeMemoryInstructions) {
    const uint32_t mem_insns[] = {lw(a0, a1, 4), lbu(a0, a1, 4), sw(a2, a1, 4), sb(a2, a1, 4),
                                  amoadd_w(a0, a2, a1), lr_w(a0, a1), sc_w(a0, a2, a1)};
    for (uint32_t insn : mem_insns) {
        SCOPED_TRACE(testing::Message() << std::hex << insn);
        SetUp();  // the data again: the previous case's memory instruction did run
        load({nop(), nop(), insn, nop()});
        h.set_reg(a0, 0x5a);
        h.set_reg(a1, kData);
        h.set_reg(a2, 0x77);
        EXPECT_EQ(h.run(100, 2, true), Stop::Order);  // the nops run; the memory instruction may not start at 2
        EXPECT_EQ(h.time(), 2u);
        EXPECT_EQ(h.pc(), at(2));
        EXPECT_EQ(h.instret(), 2u);
        EXPECT_EQ(h.reg(a0), 0x5au);
        EXPECT_EQ(peek32(kData), kData + 16);
        EXPECT_EQ(peek32(kData + 4), 0x11u);
        EXPECT_EQ(h.run(100, 2, false), Stop::Order);  // again: still nothing
        EXPECT_EQ(h.instret(), 2u);
        EXPECT_EQ(h.run(3, 3, true), Stop::Limit);  // allowed at 2 < 3
        EXPECT_EQ(h.instret(), 3u);
        EXPECT_EQ(h.pc(), at(3));
    }
    // Instructions that touch no memory ignore lim_mem.
    load({nop(), addi(a0, zero, 1), mul(a0, a0, a0), csrr(a1, kMcycle)});
    EXPECT_EQ(h.run(6, 0, false), Stop::Limit);
    EXPECT_EQ(h.time(), 7u);
    EXPECT_EQ(h.instret(), 4u);
    // A device access checks lim_mem before asking for mmio_ok.
    load({lw(a0, a1, 0)});
    h.set_reg(a1, 0x10000000);
    EXPECT_EQ(h.run(100, 0, false), Stop::Order);
    EXPECT_EQ(h.run(100, 1, false), Stop::NeedMmio);
    EXPECT_TRUE(bus.log.empty());
}

TEST_F(HartTiming, NonDefaultProfile) {
    timing.base_cpi = 2;
    timing.branch_taken_penalty = 5;
    timing.jump_penalty = 7;
    timing.load_use_stall = 3;
    timing.mul_cycles = 4;
    timing.div_cycles = 9;
    timing.csr_cycles = 6;
    timing.amo_cycles = 8;
    timing.fence_cycles = 3;
    timing.fence_i_cycles = 11;
    timing.trap_entry_cycles = 13;
    timing.mret_cycles = 10;
    timing.wfi_cycles = 4;
    timing.wfi_wakeup_cycles = 5;
    timing.ram_latency = 2;
    timing.mmio_latency = 20;
    timing.misaligned_penalty = 6;
    load_with_handler(
        {
            addi(a0, zero, 5),           // at(1)   2                 -> 8   (csrw mtvec: 6)
            lw(a2, a1, 4),               // at(2)   2 + 2             -> 12
            add(a3, a2, a0),             // at(3)   2 + 3 (stall)     -> 17
            lw(a4, a1, 5),               // at(4)   2 + 2 + 6         -> 27
            mul(a5, a0, a0),             // at(5)   4                 -> 31
            div(a6, a5, a0),             // at(6)   9                 -> 40
            amoadd_w(a7, a0, a1),        // at(7)   8 + 2             -> 50
            fence(),                     // at(8)   3                 -> 53
            fence_i(),                   // at(9)   11                -> 64
            beq(zero, zero, 8),          // at(10)  2 + 5             -> 71
            nop(),                       // at(11)  skipped
            bne(zero, zero, 8),          // at(12)  2                 -> 73
            jal(ra, 8),                  // at(13)  2 + 7             -> 82
            nop(),                       // at(14)  skipped
            lw(s2, s3, 0),               // at(15)  2 + 20            -> 104
            ecall(),                     // at(16)  trap 13           -> 117, handler below: 6 + 2 + 6 + 10 -> 141
            csrw(kMie, s5),              // at(17)  6                 -> 147
            wfi(),                       // at(18)  4                 -> 151, sleeps; woken at 200 + 5
            sw(a0, a1, 8),               // at(19)  2 + 2             -> 209
            hint_trace(a0, 1),           // at(20)  0
            csrrsi(zero, kMstatus, 8),   // at(21)  6                 -> 215, then the timer interrupt: 13 -> 228
            nop(),                       // at(22)
        },
        kHandler, {csrr(s4, kMepc), addi(s4, s4, 4), csrw(kMepc, s4), mret()});
    h.set_reg(a1, kData);
    h.set_reg(s3, 0x10000000);
    h.set_reg(s5, oobsim::kMTIP);
    bus.read_value = 0x33;

    const struct {
        uint32_t pc;
        uint64_t time;
    } checkpoints[] = {{at(1), 6}, {at(2), 8}, {at(3), 12}, {at(4), 17}, {at(5), 27}, {at(6), 31}, {at(7), 40},
                       {at(8), 50}, {at(9), 53}, {at(10), 64}, {at(12), 71}, {at(13), 73}, {at(15), 82},
                       {at(16), 104}, {kHandler, 117}, {at(17), 141}, {at(18), 147}};
    for (const auto& c : checkpoints) {
        run_to(c.pc);
        EXPECT_EQ(h.time(), c.time) << std::hex << "pc 0x" << c.pc;
    }
    EXPECT_EQ(h.run(1000, 1000, true), Stop::Sleep);
    EXPECT_EQ(h.time(), 151u);
    h.set_irq_line(oobsim::kMTIP, true);
    h.wake(200);
    EXPECT_EQ(h.time(), 205u);
    run_to(at(20));
    EXPECT_EQ(h.time(), 209u);
    run_to(kHandler);
    EXPECT_EQ(h.time(), 228u);
    EXPECT_EQ(csr(kMcause), 0x80000007u);
    EXPECT_EQ(csr(kMepc), at(22));

    EXPECT_EQ(h.reg(a3), 0x11u + 5u);
    EXPECT_EQ(h.reg(a6), 5u);
    EXPECT_EQ(h.reg(s2), 0x33u);
    EXPECT_EQ(h.reg(ra), at(14));
    // Retired: 14 up to the ECALL (which does not retire), 4 in the handler, then csrw, wfi, sw, csrrsi (not the hint).
    EXPECT_EQ(h.instret(), 22u);
}

TEST_F(HartTiming, ProfileSettingsByName) {
    oobsim::TimingProfile p;
    EXPECT_EQ(p.get("load_use_stall"), 1u);
    p.set("ram_latency", 3);
    EXPECT_EQ(p.ram_latency, 3u);
    p.set_from_string("mmio_latency=0x20");
    EXPECT_EQ(p.mmio_latency, 32u);
    p.set_from_string("clock_hz=2000000000");
    EXPECT_EQ(p.clock_hz, 2000000000u);
    EXPECT_EQ(p.cycle_ps(), 500u);
    EXPECT_THROW(p.set("no_such_key", 1), std::invalid_argument);
    EXPECT_THROW(p.set("base_cpi", 0), std::invalid_argument);  // at least 1
    EXPECT_THROW(p.set_from_string("base_cpi"), std::invalid_argument);
    EXPECT_THROW(p.set_from_string("base_cpi=-1"), std::invalid_argument);
    EXPECT_THROW(p.set_from_string("base_cpi=3x"), std::invalid_argument);
    EXPECT_EQ(p.base_cpi, 1u);
    // Every documented parameter can be read back by its name.
    for (const auto& param : oobsim::TimingProfile::params()) EXPECT_NO_THROW(p.get(param.name)) << param.name;
}

TEST_F(HartTiming, ProfileChangedByNameIsUsedAfterReset) {
    timing.set("mul_cycles", 7);
    timing.set("branch_taken_penalty", 0);
    uint32_t end = load({mul(a0, a1, a1), beq(zero, zero, 8), nop()});
    run_to(end);
    EXPECT_EQ(h.time(), 7u + 1u);
}

TEST_F(HartTiming, HintsCostNothingAndReachTheObserver) {
    oobsim::Hart h5(5, mem, timing, &bus);
    HintLog log;
    h5.set_hint_observer(&log);
    const std::initializer_list<uint32_t> prog = {
        hint_trace(zero, 9),         // at 0
        addi(a0, zero, 7),           // 0..1
        hint_trace(a0, 5),           // at 1
        lw(a1, a2, 0),               // 1..2
        hint_trace(a1, 2047),        // at 2
        hint_trace(a0, 0),           // at 2
        addi(a3, a1, 1),             // 2..4 (load-use stall through the hints)
        mul(a4, a3, a0),             // 4..7
        hint_trace(a4, 3),           // at 7
    };
    uint32_t end = load(prog);
    poke32(kData, 0x1234);
    h5.reset(kBase);
    h5.set_reg(a2, kData);
    EXPECT_EQ(h5.run(7, 7, true), Stop::Limit);  // the trailing hint starts at 7: not run yet
    EXPECT_EQ(h5.pc(), end - 4);
    EXPECT_EQ(h5.run(8, 8, true), Stop::Limit);
    EXPECT_EQ(h5.time(), 10u);  // the hint, then the self-loop JAL at 7
    const std::vector<HintRecord> want = {
        {5, 0, 9, 0}, {5, 1, 5, 7}, {5, 2, 2047, 0x1234}, {5, 2, 0, 7}, {5, 7, 3, 0x1235 * 7},
    };
    EXPECT_EQ(log.hints, want);
    EXPECT_EQ(h5.instret(), 4u + 1u);

    // Without an observer the same program takes the same cycles.
    h.set_reg(a2, kData);
    run_to(end - 4);
    EXPECT_EQ(h.time(), 7u);
    EXPECT_EQ(h.instret(), 4u);
    EXPECT_EQ(h.reg(a4), 0x1235u * 7u);
}

TEST_F(HartTiming, InstructionObserverSeesRetiredInstructionsOnly) {
    struct InsnLog : oobsim::InsnObserver {
        std::vector<std::array<uint64_t, 4>> seen;
        void on_insn(unsigned cpu, uint64_t cycle, uint32_t pc, uint32_t insn) override {
            seen.push_back({cpu, cycle, pc, insn});
        }
    } log;
    h.set_insn_observer(&log);
    load_with_handler({lw(a0, a1, 0), hint_trace(a0, 1), addi(a2, a0, 1), ecall()});
    h.set_reg(a1, kData);
    run_to(kHandler);
    const std::vector<std::array<uint64_t, 4>> want = {
        {0, 0, at(0), csrw(kMtvec, t6)},
        {0, 2, at(1), lw(a0, a1, 0)},
        {0, 3, at(3), addi(a2, a0, 1)},  // starts at 3; its stall makes it end at 5
    };
    EXPECT_EQ(log.seen, want);
    EXPECT_EQ(h.time(), 5u + 4u);
}

// Results and exact cycles of the computational instructions: RV32I ALU, LUI/AUIPC, jumps, branches, and M.
// Expected values come from the ISA manual's definitions; cycles from the default timing profile (timing.h).
#include "hart_fixture.h"

using namespace oobsim_test;
using namespace rv;

namespace {

struct Case {
    const char* name;
    uint32_t insn;  // reads a1 and a2, writes a0
    uint32_t x, y;  // a1, a2
    uint32_t want;  // a0
};

class HartIsa : public HartTest {
protected:
    void check(const Case* cases, size_t n, uint64_t cycles) {
        for (size_t i = 0; i < n; ++i) {
            const Case& c = cases[i];
            EXPECT_EQ(exec(c.insn, c.x, c.y), c.want) << c.name << std::hex << " x=0x" << c.x << " y=0x" << c.y;
            EXPECT_EQ(h.time(), cycles) << c.name;
        }
    }
};

}  // namespace

TEST_F(HartIsa, RegisterRegisterAlu) {
    const Case cases[] = {
        {"add", add(a0, a1, a2), 0x7fffffff, 1, 0x80000000},
        {"add wraps", add(a0, a1, a2), 0xffffffff, 1, 0},
        {"sub", sub(a0, a1, a2), 0, 1, 0xffffffff},
        {"sub wraps", sub(a0, a1, a2), 0x80000000, 1, 0x7fffffff},
        {"sll", sll(a0, a1, a2), 0x80000001, 31, 0x80000000},
        {"sll by 33 shifts by 1", sll(a0, a1, a2), 0x40000001, 33, 0x80000002},
        {"sll by 0xffffffe0 shifts by 0", sll(a0, a1, a2), 0x12345678, 0xffffffe0, 0x12345678},
        {"srl", srl(a0, a1, a2), 0x80000000, 31, 1},
        {"srl by 32 shifts by 0", srl(a0, a1, a2), 0x80000000, 32, 0x80000000},
        {"srl by 63 shifts by 31", srl(a0, a1, a2), 0xffffffff, 63, 1},
        {"sra", sra(a0, a1, a2), 0x80000000, 31, 0xffffffff},
        {"sra by 36 shifts by 4", sra(a0, a1, a2), 0x80000000, 36, 0xf8000000},
        {"sra positive", sra(a0, a1, a2), 0x7fffffff, 4, 0x07ffffff},
        {"slt -1 < 1", slt(a0, a1, a2), 0xffffffff, 1, 1},
        {"slt 1 < -1", slt(a0, a1, a2), 1, 0xffffffff, 0},
        {"slt equal", slt(a0, a1, a2), 5, 5, 0},
        {"slt INT_MIN < INT_MAX", slt(a0, a1, a2), 0x80000000, 0x7fffffff, 1},
        {"sltu 0xffffffff < 1", sltu(a0, a1, a2), 0xffffffff, 1, 0},
        {"sltu 1 < 0xffffffff", sltu(a0, a1, a2), 1, 0xffffffff, 1},
        {"sltu x0 < rs2 (snez)", sltu(a0, zero, a2), 0, 7, 1},
        {"xor", xor_(a0, a1, a2), 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0},
        {"or", or_(a0, a1, a2), 0xff00ff00, 0x0ff00ff0, 0xfff0fff0},
        {"and", and_(a0, a1, a2), 0xff00ff00, 0x0ff00ff0, 0x0f000f00},
        {"add rd = rs1 = rs2", add(a1, a1, a1), 3, 0, 0x5a5a5a5a},  // a0 untouched
    };
    check(cases, std::size(cases), 1);
    EXPECT_EQ(h.reg(a1), 6u);  // the last case
}

TEST_F(HartIsa, RegisterImmediateAlu) {
    const Case cases[] = {
        {"addi -1", addi(a0, a1, -1), 5, 0, 4},
        {"addi wraps", addi(a0, a1, 1), 0xffffffff, 0, 0},
        {"addi -2048", addi(a0, zero, -2048), 0, 0, 0xfffff800},
        {"addi 2047", addi(a0, a1, 2047), 1, 0, 0x800},
        {"slti signed true", slti(a0, a1, -4), 0xfffffffb, 0, 1},
        {"slti INT_MIN < 0", slti(a0, a1, 0), 0x80000000, 0, 1},
        {"slti 5 < -1", slti(a0, a1, -1), 5, 0, 0},
        {"sltiu imm -1 is 0xffffffff", sltiu(a0, a1, -1), 5, 0, 1},
        {"sltiu 0xffffffff < 0xffffffff", sltiu(a0, a1, -1), 0xffffffff, 0, 0},
        {"sltiu 0x1000 < 0xffffffff", sltiu(a0, a1, -1), 0x1000, 0, 1},
        {"sltiu 0xfffff800 < 0xfffff800", sltiu(a0, a1, -2048), 0xfffff800, 0, 0},
        {"sltiu 0xfffff7ff < 0xfffff800", sltiu(a0, a1, -2048), 0xfffff7ff, 0, 1},
        {"sltiu 1 (seqz) of 0", sltiu(a0, a1, 1), 0, 0, 1},
        {"sltiu 1 (seqz) of 0x80000000", sltiu(a0, a1, 1), 0x80000000, 0, 0},
        {"xori -1 (not)", xori(a0, a1, -1), 0x12345678, 0, 0xedcba987},
        {"ori", ori(a0, a1, 0x7ff), 0x80000000, 0, 0x800007ff},
        {"ori sign-extended", ori(a0, a1, -2048), 1, 0, 0xfffff801},
        {"andi sign-extended", andi(a0, a1, -16), 0x12345678, 0, 0x12345670},
        {"andi", andi(a0, a1, 0x7ff), 0x12345678, 0, 0x678},
        {"slli", slli(a0, a1, 30), 3, 0, 0xc0000000},
        {"slli 0", slli(a0, a1, 0), 0x12345678, 0, 0x12345678},
        {"srli", srli(a0, a1, 28), 0xf0000000, 0, 0xf},
        {"srli 31", srli(a0, a1, 31), 0x80000000, 0, 1},
        {"srai negative", srai(a0, a1, 28), 0xf0000000, 0, 0xffffffff},
        {"srai positive", srai(a0, a1, 28), 0x70000000, 0, 7},
        {"srai 31", srai(a0, a1, 31), 0x80000000, 0, 0xffffffff},
    };
    check(cases, std::size(cases), 1);
}

TEST_F(HartIsa, WritesToX0AreDiscarded) {
    uint32_t end = load({addi(zero, zero, 5), add(zero, a1, a1), lui(zero, 0x12345), addi(a0, zero, 0)});
    h.set_reg(a1, 7);
    h.set_reg(a0, 9);
    run_to(end);
    EXPECT_EQ(h.reg(zero), 0u);
    EXPECT_EQ(h.reg(a0), 0u);  // read x0 after the writes
    EXPECT_EQ(h.time(), 4u);
}

TEST_F(HartIsa, LuiAuipcAndLi) {
    constexpr uint32_t v = 0xdeadbeef;
    uint32_t end = load({
        lui(a0, 0x80000),            // 0x8000_0000
        auipc(a1, 0x1),              // pc 0x8000_0004 + 0x1000
        auipc(a2, 0xfffff),          // pc 0x8000_0008 - 0x1000
        lui(a3, hi20(v)),            // li a3, 0xdeadbeef: hi20 rounds up because lo12 is negative
        addi(a3, a3, lo12(v)),
        auipc(a4, 0),                // its own pc
    });
    run_to(end);
    EXPECT_EQ(h.reg(a0), 0x80000000u);
    EXPECT_EQ(h.reg(a1), 0x80001004u);
    EXPECT_EQ(h.reg(a2), 0x7ffff008u);
    EXPECT_EQ(h.reg(a3), 0xdeadbeefu);
    EXPECT_EQ(h.reg(a4), at(5));
    EXPECT_EQ(h.time(), 6u);
    EXPECT_EQ(h.instret(), 6u);
}

TEST_F(HartIsa, JalLinksAndSkips) {
    uint32_t end = load({
        jal(ra, 12),                 // to at(3)
        addi(a0, zero, 1),           // skipped
        addi(a0, zero, 2),           // skipped
        addi(a1, zero, 3),
    });
    run_to(end);
    EXPECT_EQ(h.reg(ra), at(1));
    EXPECT_EQ(h.reg(a0), 0u);
    EXPECT_EQ(h.reg(a1), 3u);
    EXPECT_EQ(h.time(), 3u + 1u);  // JAL = 1 + jump_penalty
    EXPECT_EQ(h.instret(), 2u);
}

TEST_F(HartIsa, JalBackwardsAndCallReturn) {
    uint32_t end = load({
        jal(zero, 12),               // 0: to 12
        addi(a0, a0, 5),             // 4: the "function"
        jalr(zero, ra, 0),           // 8: return
        jal(ra, -8),                 // 12: call 4
        addi(a1, a0, 1),             // 16
    });
    run_to(end);
    EXPECT_EQ(h.reg(a0), 5u);
    EXPECT_EQ(h.reg(a1), 6u);
    EXPECT_EQ(h.reg(ra), at(4));
    EXPECT_EQ(h.time(), 3u + 3u + 1u + 3u + 1u);
}

TEST_F(HartIsa, JalrClearsBitZeroAndLinks) {
    uint32_t end = load({
        jalr(ra, t0, 5),             // (at(2) + 5) & ~1 = at(3)
        addi(a0, zero, 1),
        addi(a0, zero, 2),
        addi(a1, zero, 3),
    });
    h.set_reg(t0, at(2));
    run_to(end);
    EXPECT_EQ(h.reg(ra), at(1));
    EXPECT_EQ(h.reg(a0), 0u);
    EXPECT_EQ(h.reg(a1), 3u);
    EXPECT_EQ(h.time(), 4u);
}

TEST_F(HartIsa, JalrWithRdEqualRs1UsesTheOldValue) {
    uint32_t end = load({jalr(t0, t0, -4), nop(), nop(), nop()});  // to at(3)
    h.set_reg(t0, at(4));
    run_to(end);
    EXPECT_EQ(h.reg(t0), at(1));
    EXPECT_EQ(h.time(), 3u + 1u);
    EXPECT_EQ(h.instret(), 2u);
}

TEST_F(HartIsa, BranchesTakenAndNotTaken) {
    // Each branch jumps over one instruction when taken; a1 = -1, a2 = 1 tell signed from unsigned.
    struct Br {
        const char* name;
        uint32_t insn;
        bool taken;
    };
    const Br cases[] = {
        {"beq equal", beq(a1, a1, 8), true},         {"beq different", beq(a1, a2, 8), false},
        {"bne different", bne(a1, a2, 8), true},     {"bne equal", bne(a1, a1, 8), false},
        {"blt -1 < 1", blt(a1, a2, 8), true},        {"blt 1 < -1", blt(a2, a1, 8), false},
        {"blt equal", blt(a2, a2, 8), false},        {"bge 1 >= -1", bge(a2, a1, 8), true},
        {"bge -1 >= 1", bge(a1, a2, 8), false},      {"bge equal", bge(a1, a1, 8), true},
        {"bltu 1 < 0xffffffff", bltu(a2, a1, 8), true}, {"bltu 0xffffffff < 1", bltu(a1, a2, 8), false},
        {"bltu equal", bltu(a1, a1, 8), false},      {"bgeu 0xffffffff >= 1", bgeu(a1, a2, 8), true},
        {"bgeu 1 >= 0xffffffff", bgeu(a2, a1, 8), false}, {"bgeu equal", bgeu(a2, a2, 8), true},
        {"beq x0 x0", beq(zero, zero, 8), true},
    };
    for (const Br& c : cases) {
        uint32_t end = load({c.insn, addi(a0, zero, 1)});
        h.set_reg(a1, 0xffffffff);
        h.set_reg(a2, 1);
        run_to(end);
        EXPECT_EQ(h.reg(a0), c.taken ? 0u : 1u) << c.name;
        EXPECT_EQ(h.time(), c.taken ? 3u : 2u) << c.name;  // taken: 1 + branch_taken_penalty; else 1 + the addi
        EXPECT_EQ(h.instret(), c.taken ? 1u : 2u) << c.name;
    }
}

TEST_F(HartIsa, BackwardBranchLoop) {
    uint32_t end = load({
        addi(t0, zero, 3),
        addi(a0, a0, 10),            // loop:
        addi(t0, t0, -1),
        bne(t0, zero, -8),           // to loop
    });
    run_insns(10);
    EXPECT_EQ(h.pc(), end);
    EXPECT_EQ(h.reg(a0), 30u);
    EXPECT_EQ(h.time(), 1u + 3 * 2 + 2 * 3 + 1);  // 2 taken, 1 not taken
    EXPECT_EQ(h.instret(), 10u);
}

TEST_F(HartIsa, Multiply) {
    const Case cases[] = {
        {"mul", mul(a0, a1, a2), 0x12345678, 0x9abcdef0, 0x242d2080},
        {"mul INT_MIN * -1", mul(a0, a1, a2), 0x80000000, 0xffffffff, 0x80000000},
        {"mul -1 * -1", mul(a0, a1, a2), 0xffffffff, 0xffffffff, 1},
        {"mulh -1 * -1", mulh(a0, a1, a2), 0xffffffff, 0xffffffff, 0},
        {"mulh -1 * 1", mulh(a0, a1, a2), 0xffffffff, 1, 0xffffffff},
        {"mulh INT_MIN * INT_MIN", mulh(a0, a1, a2), 0x80000000, 0x80000000, 0x40000000},
        {"mulh INT_MIN * INT_MAX", mulh(a0, a1, a2), 0x80000000, 0x7fffffff, 0xc0000000},
        {"mulh mixed signs", mulh(a0, a1, a2), 0x12345678, 0x9abcdef0, 0xf8cc93d6},
        {"mulhsu signed * unsigned", mulhsu(a0, a1, a2), 0x9abcdef0, 0x12345678, 0xf8cc93d6},
        {"mulhsu rs2 is unsigned", mulhsu(a0, a1, a2), 0x12345678, 0x9abcdef0, 0x0b00ea4e},
        {"mulhsu -1 * 0xffffffff", mulhsu(a0, a1, a2), 0xffffffff, 0xffffffff, 0xffffffff},
        {"mulhsu INT_MIN * 0xffffffff", mulhsu(a0, a1, a2), 0x80000000, 0xffffffff, 0x80000000},
        {"mulhsu 2 * 0x80000000", mulhsu(a0, a1, a2), 2, 0x80000000, 1},
        {"mulhu", mulhu(a0, a1, a2), 0x12345678, 0x9abcdef0, 0x0b00ea4e},
        {"mulhu max * max", mulhu(a0, a1, a2), 0xffffffff, 0xffffffff, 0xfffffffe},
        {"mulhu small", mulhu(a0, a1, a2), 0xffff, 0xffff, 0},
    };
    check(cases, std::size(cases), 3);  // mul_cycles
}

TEST_F(HartIsa, DivideAndRemainder) {
    const Case cases[] = {
        {"div truncates", div(a0, a1, a2), 7, 0xfffffffe, 0xfffffffd},        // 7 / -2 = -3
        {"div negative dividend", div(a0, a1, a2), 0xfffffff9, 2, 0xfffffffd},  // -7 / 2 = -3
        {"rem sign of dividend", rem(a0, a1, a2), 7, 0xfffffffe, 1},          // 7 % -2 = 1
        {"rem negative dividend", rem(a0, a1, a2), 0xfffffff9, 2, 0xffffffff},  // -7 % 2 = -1
        {"divu", divu(a0, a1, a2), 0xffffffff, 2, 0x7fffffff},
        {"remu", remu(a0, a1, a2), 0xffffffff, 2, 1},
        {"divu large divisor", divu(a0, a1, a2), 0x80000000, 0xffffffff, 0},
        {"remu large divisor", remu(a0, a1, a2), 0x80000000, 0xffffffff, 0x80000000},
        {"div by zero", div(a0, a1, a2), 0x1234, 0, 0xffffffff},
        {"div negative by zero", div(a0, a1, a2), 0x80000000, 0, 0xffffffff},
        {"divu by zero", divu(a0, a1, a2), 0x1234, 0, 0xffffffff},
        {"rem by zero", rem(a0, a1, a2), 0xfffffff9, 0, 0xfffffff9},
        {"remu by zero", remu(a0, a1, a2), 0x1234, 0, 0x1234},
        {"div overflow", div(a0, a1, a2), 0x80000000, 0xffffffff, 0x80000000},
        {"rem overflow", rem(a0, a1, a2), 0x80000000, 0xffffffff, 0},
    };
    check(cases, std::size(cases), 34);  // div_cycles
}

TEST_F(HartIsa, FencesAndNop) {
    uint32_t end = load({fence(), nop(), fence_i(), addi(a0, zero, 1)});
    run_to(end);
    EXPECT_EQ(h.reg(a0), 1u);
    EXPECT_EQ(h.time(), 1u + 1u + 5u + 1u);
    EXPECT_EQ(h.instret(), 4u);
}

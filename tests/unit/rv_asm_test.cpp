// The test assembler against encodings from an independent assembler (llvm-mc -triple=riscv32 -mattr=+m,+a
// -show-encoding), and the decoder against those same words: every operation in the decode table, the operand
// fields of every format, and encodings the ISA reserves.
#include <gtest/gtest.h>

#include <set>

#include "models/cpu/isa.h"
#include "rv_asm.h"

using namespace oobsim;
using namespace rv;

namespace {

struct Golden {
    const char* text;  // as given to llvm-mc
    uint32_t ours;     // what rv_asm.h makes of it
    uint32_t llvm;     // what llvm-mc made of it
    Op op;             // what it decodes to
};

const Golden kGolden[] = {
        {"lui a0, 0xfffff", lui(a0, 0xfffff), 0xfffff537, Op::LUI},
        {"auipc t1, 0x12345", auipc(t1, 0x12345), 0x12345317, Op::AUIPC},
        {"jal ra, -2048", jal(ra, -2048), 0x801ff0ef, Op::JAL},
        {"jal zero, 0xffffe", jal(zero, 0xffffe), 0x7ffff06f, Op::JAL},
        {"jalr ra, 4(t0)", jalr(ra, t0, 4), 0x004280e7, Op::JALR},
        {"jalr zero, -1(a5)", jalr(zero, a5, -1), 0xfff78067, Op::JALR},
        {"beq a0, a1, -4096", beq(a0, a1, -4096), 0x80b50063, Op::BEQ},
        {"bne t0, t1, 4094", bne(t0, t1, 4094), 0x7e629fe3, Op::BNE},
        {"blt s0, s1, 8", blt(s0, s1, 8), 0x00944463, Op::BLT},
        {"bge a2, a3, -2", bge(a2, a3, -2), 0xfed65fe3, Op::BGE},
        {"bltu t6, t5, 2048", bltu(t6, t5, 2048), 0x01efe0e3, Op::BLTU},
        {"bgeu a7, zero, -2048", bgeu(a7, zero, -2048), 0x8008f0e3, Op::BGEU},
        {"lb a0, -2048(a1)", lb(a0, a1, -2048), 0x80058503, Op::LB},
        {"lh a0, 2047(a1)", lh(a0, a1, 2047), 0x7ff59503, Op::LH},
        {"lw t0, 0(sp)", lw(t0, sp, 0), 0x00012283, Op::LW},
        {"lbu s11, -1(t6)", lbu(s11, t6, -1), 0xffffcd83, Op::LBU},
        {"lhu a4, 6(a5)", lhu(a4, a5, 6), 0x0067d703, Op::LHU},
        {"sb a0, -2048(a1)", sb(a0, a1, -2048), 0x80a58023, Op::SB},
        {"sh t3, 2047(t4)", sh(t3, t4, 2047), 0x7fce9fa3, Op::SH},
        {"sw ra, -36(sp)", sw(ra, sp, -36), 0xfc112e23, Op::SW},
        {"addi a0, a1, -1", addi(a0, a1, -1), 0xfff58513, Op::ADDI},
        {"slti t0, t1, 2047", slti(t0, t1, 2047), 0x7ff32293, Op::SLTI},
        {"sltiu t0, t1, -2048", sltiu(t0, t1, -2048), 0x80033293, Op::SLTIU},
        {"xori a0, a0, -1", xori(a0, a0, -1), 0xfff54513, Op::XORI},
        {"ori s2, s3, 0x555", ori(s2, s3, 0x555), 0x5559e913, Op::ORI},
        {"andi s4, s5, 0xff", andi(s4, s5, 0xff), 0x0ffafa13, Op::ANDI},
        {"slli a0, a1, 31", slli(a0, a1, 31), 0x01f59513, Op::SLLI},
        {"srli a0, a1, 1", srli(a0, a1, 1), 0x0015d513, Op::SRLI},
        {"srai a0, a1, 17", srai(a0, a1, 17), 0x4115d513, Op::SRAI},
        {"add a0, a1, a2", add(a0, a1, a2), 0x00c58533, Op::ADD},
        {"sub a0, a1, a2", sub(a0, a1, a2), 0x40c58533, Op::SUB},
        {"sll t0, t1, t2", sll(t0, t1, t2), 0x007312b3, Op::SLL},
        {"slt t0, t1, t2", slt(t0, t1, t2), 0x007322b3, Op::SLT},
        {"sltu t0, t1, t2", sltu(t0, t1, t2), 0x007332b3, Op::SLTU},
        {"xor s6, s7, s8", xor_(s6, s7, s8), 0x018bcb33, Op::XOR},
        {"srl s9, s10, s11", srl(s9, s10, s11), 0x01bd5cb3, Op::SRL},
        {"sra t3, t4, t5", sra(t3, t4, t5), 0x41eede33, Op::SRA},
        {"or a3, a4, a5", or_(a3, a4, a5), 0x00f766b3, Op::OR},
        {"and a6, a7, t6", and_(a6, a7, t6), 0x01f8f833, Op::AND},
        {"fence iorw, iorw", fence(), 0x0ff0000f, Op::FENCE},
        {"fence.i", fence_i(), 0x0000100f, Op::FENCE_I},
        {"ecall", ecall(), 0x00000073, Op::ECALL},
        {"ebreak", ebreak(), 0x00100073, Op::EBREAK},
        {"mret", mret(), 0x30200073, Op::MRET},
        {"wfi", wfi(), 0x10500073, Op::WFI},
        {"csrrw a0, mscratch, a1", csrrw(a0, kMscratch, a1), 0x34059573, Op::CSRRW},
        {"csrrs a0, mstatus, a1", csrrs(a0, kMstatus, a1), 0x3005a573, Op::CSRRS},
        {"csrrc a0, mie, a1", csrrc(a0, kMie, a1), 0x3045b573, Op::CSRRC},
        {"csrrwi a0, mtvec, 31", csrrwi(a0, kMtvec, 31), 0x305fd573, Op::CSRRWI},
        {"csrrsi zero, mstatus, 8", csrrsi(zero, kMstatus, 8), 0x30046073, Op::CSRRSI},
        {"csrrci t0, mcycleh, 1", csrrci(t0, kMcycleh, 1), 0xb800f2f3, Op::CSRRCI},
        {"csrr a0, mhartid", csrr(a0, kMhartid), 0xf1402573, Op::CSRRS},
        {"csrw mepc, t0", csrw(kMepc, t0), 0x34129073, Op::CSRRW},
        {"mul a0, a1, a2", mul(a0, a1, a2), 0x02c58533, Op::MUL},
        {"mulh a0, a1, a2", mulh(a0, a1, a2), 0x02c59533, Op::MULH},
        {"mulhsu a0, a1, a2", mulhsu(a0, a1, a2), 0x02c5a533, Op::MULHSU},
        {"mulhu a0, a1, a2", mulhu(a0, a1, a2), 0x02c5b533, Op::MULHU},
        {"div a0, a1, a2", div(a0, a1, a2), 0x02c5c533, Op::DIV},
        {"divu a0, a1, a2", divu(a0, a1, a2), 0x02c5d533, Op::DIVU},
        {"rem a0, a1, a2", rem(a0, a1, a2), 0x02c5e533, Op::REM},
        {"remu a0, a1, a2", remu(a0, a1, a2), 0x02c5f533, Op::REMU},
        {"lr.w a0, (a1)", lr_w(a0, a1), 0x1005a52f, Op::LR_W},
        {"sc.w a0, a2, (a1)", sc_w(a0, a2, a1), 0x18c5a52f, Op::SC_W},
        {"amoswap.w a0, a2, (a1)", amoswap_w(a0, a2, a1), 0x08c5a52f, Op::AMOSWAP_W},
        {"amoadd.w a0, a2, (a1)", amoadd_w(a0, a2, a1), 0x00c5a52f, Op::AMOADD_W},
        {"amoxor.w a0, a2, (a1)", amoxor_w(a0, a2, a1), 0x20c5a52f, Op::AMOXOR_W},
        {"amoand.w a0, a2, (a1)", amoand_w(a0, a2, a1), 0x60c5a52f, Op::AMOAND_W},
        {"amoor.w a0, a2, (a1)", amoor_w(a0, a2, a1), 0x40c5a52f, Op::AMOOR_W},
        {"amomin.w a0, a2, (a1)", amomin_w(a0, a2, a1), 0x80c5a52f, Op::AMOMIN_W},
        {"amomax.w a0, a2, (a1)", amomax_w(a0, a2, a1), 0xa0c5a52f, Op::AMOMAX_W},
        {"amominu.w a0, a2, (a1)", amominu_w(a0, a2, a1), 0xc0c5a52f, Op::AMOMINU_W},
        {"amomaxu.w a0, a2, (a1)", amomaxu_w(a0, a2, a1), 0xe0c5a52f, Op::AMOMAXU_W},
        {"slti zero, a0, 42", hint_trace(a0, 42), 0x02a52013, Op::HINT_TRACE},
        {"nop", nop(), 0x00000013, Op::ADDI},
};

}  // namespace

TEST(RvAsm, MatchesLlvmMc) {
    for (const Golden& g : kGolden) EXPECT_EQ(g.ours, g.llvm) << g.text;
}

TEST(Decode, EveryEncodingDecodesToItsOperation) {
    for (const Golden& g : kGolden) EXPECT_STREQ(op_name(decode(g.llvm).op), op_name(g.op)) << g.text;
}

TEST(Decode, TheTableCoversEveryOperation) {
    std::set<Op> seen;
    for (const Golden& g : kGolden) seen.insert(decode(g.llvm).op);
    for (unsigned i = 0; i < kNumOps; ++i) {
        Op op = Op(i);
        if (op == Op::UNDECODED || op == Op::ILLEGAL) continue;
        EXPECT_TRUE(seen.count(op)) << op_name(op) << " has no encoding in the test table";
    }
}

TEST(Decode, OperandFieldsOfEachFormat) {
    DecodedInsn d = decode(0x00500093);  // addi x1, x0, 5
    EXPECT_EQ(d.op, Op::ADDI);
    EXPECT_EQ(d.rd, 1);
    EXPECT_EQ(d.imm, 5);
    EXPECT_EQ(d.raw, 0x00500093u);

    d = decode(addi(a0, a1, -2048));
    EXPECT_EQ(d.rd, a0);
    EXPECT_EQ(d.rs1, a1);
    EXPECT_EQ(d.imm, -2048);

    d = decode(sw(a2, a3, -36));  // S: split immediate, no destination
    EXPECT_EQ(d.op, Op::SW);
    EXPECT_EQ(d.rs1, a3);
    EXPECT_EQ(d.rs2, a2);
    EXPECT_EQ(d.imm, -36);
    EXPECT_EQ(d.rd, 32);

    d = decode(beq(t0, t1, -4096));  // B: the most negative offset
    EXPECT_EQ(d.imm, -4096);
    EXPECT_EQ(d.rd, 32);
    EXPECT_EQ(decode(bne(t0, t1, 4094)).imm, 4094);
    EXPECT_EQ(decode(blt(t0, t1, 2048)).imm, 2048);  // bit 11 lives in bit 7 of the word

    d = decode(jal(ra, -1048576));  // J: the most negative offset
    EXPECT_EQ(d.op, Op::JAL);
    EXPECT_EQ(d.imm, -1048576);
    EXPECT_EQ(d.rd, ra);
    EXPECT_EQ(decode(jal(zero, 0xffffe)).imm, 0xffffe);
    EXPECT_EQ(decode(jal(zero, 2048)).imm, 2048);  // bit 11 lives in bit 20 of the word
    EXPECT_EQ(decode(jal(zero, 8)).rd, 32);       // x0 destination goes to the sink

    EXPECT_EQ(decode(lui(a0, 0xfffff)).imm, int32_t(0xfffff000));
    EXPECT_EQ(decode(auipc(a0, 0x80000)).imm, int32_t(0x80000000));

    d = decode(csrrw(a0, 0xf14, a1));  // CSR: the immediate is the CSR number, zero-extended
    EXPECT_EQ(d.op, Op::CSRRW);
    EXPECT_EQ(uint32_t(d.imm) & 0xfff, 0xf14u);
    EXPECT_EQ(d.rs1, a1);
    d = decode(csrrsi(a0, 0x300, 17));  // CSR immediate form: uimm in the rs1 field
    EXPECT_EQ(d.op, Op::CSRRSI);
    EXPECT_EQ(d.rs1, 17);

    d = decode(hint_trace(a5, 0x7ff));
    EXPECT_EQ(d.op, Op::HINT_TRACE);
    EXPECT_EQ(d.rs1, a5);
    EXPECT_EQ(d.imm, 0x7ff);
    EXPECT_EQ(decode(slti(a0, a5, 3)).op, Op::SLTI);  // only rd = x0 is the hint
}

TEST(Decode, RegistersReadForTheLoadUseStall) {
    // Sources that are read are named; fields that hold immediate bits, x0 and uimm are not reads.
    DecodedInsn d = decode(add(a0, a1, a2));
    EXPECT_EQ(d.rs1_read, a1);
    EXPECT_EQ(d.rs2_read, a2);
    d = decode(addi(a0, a1, 10));  // imm bits 4:0 = 10 sit where rs2 would be
    EXPECT_EQ(d.rs1_read, a1);
    EXPECT_NE(d.rs2_read, a0);
    d = decode(add(a0, zero, a2));
    EXPECT_NE(d.rs1_read, 0);
    EXPECT_EQ(d.rs2_read, a2);
    d = decode(lui(a1, 0x50));  // imm bits sit where rs1 = 10 would be
    EXPECT_NE(d.rs1_read, a0);
    d = decode(csrrwi(zero, 0x340, a0));  // uimm = 10 is not register a0
    EXPECT_NE(d.rs1_read, a0);
    d = decode(lr_w(a0, a1));
    EXPECT_EQ(d.rs1_read, a1);
    d = decode(sc_w(a0, a2, a1));
    EXPECT_EQ(d.rs1_read, a1);
    EXPECT_EQ(d.rs2_read, a2);
}

TEST(Decode, ReservedEncodingsAreIllegal) {
    const uint32_t illegal[] = {
        0x00000000,                        // all zeros (defined illegal by the ISA)
        0xffffffff,                        // all ones
        0x00000001,                        // a 16-bit (compressed) encoding: C is not implemented
        slli(a0, a1, 3) | 1u << 25,        // SLLI with shamt[5] set: reserved on RV32
        srli(a0, a1, 3) | 1u << 25,        // SRLI likewise
        srai(a0, a1, 3) | 1u << 25,        // SRAI likewise
        slli(a0, a1, 3) | 1u << 30,        // SLLI with funct7 0100000
        add(a0, a1, a2) | 1u << 31,        // ADD with an undefined funct7
        sub(a0, a1, a2) | 1u << 25,        // funct7 0100001
        jalr(ra, t0, 0) | 1u << 12,        // JALR with funct3 != 0
        beq(a0, a1, 8) | 2u << 12,         // branch funct3 010
        beq(a0, a1, 8) | 3u << 12,         // branch funct3 011
        lw(a0, a1, 0) | 1u << 12,          // funct3 011: LD (RV64)
        lb(a0, a1, 0) | 6u << 12,          // funct3 110: LWU (RV64)
        lb(a0, a1, 0) | 7u << 12,          // funct3 111
        sw(a0, a1, 0) | 1u << 12,          // funct3 011: SD (RV64)
        sb(a0, a1, 0) | 4u << 12,          // store funct3 100
        (csrrw(a0, 0x340, a1) & ~0x7000u) | 4u << 12,  // SYSTEM funct3 100
        lr_w(a0, a1) | a2 << 20,           // LR.W with rs2 != 0
        amoadd_w(a0, a2, a1) | 1u << 12,   // AMO funct3 011: .D (RV64)
        amo(0x05, a0, a2, a1),             // AMO funct5 00101: not defined
        0x00200073,                        // URET (no U-mode)
        0x10200073,                        // SRET (no S-mode)
        0x12000073,                        // SFENCE.VMA (no S-mode)
        ecall() | a0 << 7,                 // ECALL with rd != 0
        0x00000007,                        // LOAD-FP: no F extension
        0x0000003b,                        // OP-32 (RV64)
        0x0000001b,                        // OP-IMM-32 (RV64)
    };
    for (uint32_t w : illegal) EXPECT_EQ(decode(w).op, Op::ILLEGAL) << std::hex << "0x" << w << " decodes as "
                                                                      << op_name(decode(w).op);
}

TEST(Decode, FenceIgnoresItsReservedFields) {
    // The ISA requires implementations to ignore FENCE's and FENCE.I's unused fields (forward compatibility).
    EXPECT_EQ(decode(0x8330000f).op, Op::FENCE);    // fence.tso
    EXPECT_EQ(decode(0x0100000f).op, Op::FENCE);    // pause
    EXPECT_EQ(decode(fence_i() | a0 << 7 | a1 << 15 | 0x123u << 20).op, Op::FENCE_I);
}

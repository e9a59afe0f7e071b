// A tiny RV32IMA + Zicsr + Zifencei assembler for unit tests: one function per instruction, returning its word.
// Operand order follows the assembly syntax: addi(rd, rs1, imm), lw(rd, rs1, imm) for "lw rd, imm(rs1)",
// sw(rs2, rs1, imm) for "sw rs2, imm(rs1)", beq(rs1, rs2, offset), amoadd_w(rd, rs2, rs1) for "amoadd.w rd, rs2, (rs1)".
// and/or/xor are C++ keywords, hence and_, or_, xor_ (and andi/ori/xori for symmetry need no underscore).
#pragma once

#include <cstdint>

namespace rv {

enum Reg : uint32_t {
    zero, ra, sp, gp, tp, t0, t1, t2, s0, s1, a0, a1, a2, a3, a4, a5, a6, a7,
    s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, t3, t4, t5, t6,
};

// ---- Formats -------------------------------------------------------------------------------------------------------
constexpr uint32_t r_type(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t opc) {
    return f7 << 25 | (rs2 & 31) << 20 | (rs1 & 31) << 15 | f3 << 12 | (rd & 31) << 7 | opc;
}
constexpr uint32_t i_type(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t opc) {
    return (uint32_t(imm) & 0xfff) << 20 | (rs1 & 31) << 15 | f3 << 12 | (rd & 31) << 7 | opc;
}
constexpr uint32_t s_type(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t opc) {
    uint32_t i = uint32_t(imm);
    return ((i >> 5) & 0x7f) << 25 | (rs2 & 31) << 20 | (rs1 & 31) << 15 | f3 << 12 | (i & 31) << 7 | opc;
}
constexpr uint32_t b_type(int32_t off, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t opc) {
    uint32_t i = uint32_t(off);
    return ((i >> 12) & 1) << 31 | ((i >> 5) & 0x3f) << 25 | (rs2 & 31) << 20 | (rs1 & 31) << 15 | f3 << 12 |
           ((i >> 1) & 0xf) << 8 | ((i >> 11) & 1) << 7 | opc;
}
constexpr uint32_t u_type(uint32_t imm20, uint32_t rd, uint32_t opc) { return (imm20 & 0xfffff) << 12 | (rd & 31) << 7 | opc; }
constexpr uint32_t j_type(int32_t off, uint32_t rd, uint32_t opc) {
    uint32_t i = uint32_t(off);
    return ((i >> 20) & 1) << 31 | ((i >> 1) & 0x3ff) << 21 | ((i >> 11) & 1) << 20 | ((i >> 12) & 0xff) << 12 |
           (rd & 31) << 7 | opc;
}

// ---- li split: lui(rd, hi20(v)) then addi(rd, rd, lo12(v)) loads any 32-bit v ------------------------------------
constexpr uint32_t hi20(uint32_t v) { return ((v + 0x800) >> 12) & 0xfffff; }
constexpr int32_t lo12(uint32_t v) { return int32_t(v << 20) >> 20; }

// ---- RV32I ---------------------------------------------------------------------------------------------------------
constexpr uint32_t lui(uint32_t rd, uint32_t imm20) { return u_type(imm20, rd, 0x37); }
constexpr uint32_t auipc(uint32_t rd, uint32_t imm20) { return u_type(imm20, rd, 0x17); }
constexpr uint32_t jal(uint32_t rd, int32_t off) { return j_type(off, rd, 0x6f); }
constexpr uint32_t jalr(uint32_t rd, uint32_t rs1, int32_t imm) { return i_type(imm, rs1, 0, rd, 0x67); }

constexpr uint32_t beq(uint32_t rs1, uint32_t rs2, int32_t off) { return b_type(off, rs2, rs1, 0, 0x63); }
constexpr uint32_t bne(uint32_t rs1, uint32_t rs2, int32_t off) { return b_type(off, rs2, rs1, 1, 0x63); }
constexpr uint32_t blt(uint32_t rs1, uint32_t rs2, int32_t off) { return b_type(off, rs2, rs1, 4, 0x63); }
constexpr uint32_t bge(uint32_t rs1, uint32_t rs2, int32_t off) { return b_type(off, rs2, rs1, 5, 0x63); }
constexpr uint32_t bltu(uint32_t rs1, uint32_t rs2, int32_t off) { return b_type(off, rs2, rs1, 6, 0x63); }
constexpr uint32_t bgeu(uint32_t rs1, uint32_t rs2, int32_t off) { return b_type(off, rs2, rs1, 7, 0x63); }

constexpr uint32_t lb(uint32_t rd, uint32_t rs1, int32_t imm) { return i_type(imm, rs1, 0, rd, 0x03); }
constexpr uint32_t lh(uint32_t rd, uint32_t rs1, int32_t imm) { return i_type(imm, rs1, 1, rd, 0x03); }
constexpr uint32_t lw(uint32_t rd, uint32_t rs1, int32_t imm) { return i_type(imm, rs1, 2, rd, 0x03); }
constexpr uint32_t lbu(uint32_t rd, uint32_t rs1, int32_t imm) { return i_type(imm, rs1, 4, rd, 0x03); }
constexpr uint32_t lhu(uint32_t rd, uint32_t rs1, int32_t imm) { return i_type(imm, rs1, 5, rd, 0x03); }
constexpr uint32_t sb(uint32_t rs2, uint32_t rs1, int32_t imm) { return s_type(imm, rs2, rs1, 0, 0x23); }
constexpr uint32_t sh(uint32_t rs2, uint32_t rs1, int32_t imm) { return s_type(imm, rs2, rs1, 1, 0x23); }
constexpr uint32_t sw(uint32_t rs2, uint32_t rs1, int32_t imm) { return s_type(imm, rs2, rs1, 2, 0x23); }

constexpr uint32_t addi(uint32_t rd, uint32_t rs1, int32_t imm) { return i_type(imm, rs1, 0, rd, 0x13); }
constexpr uint32_t slti(uint32_t rd, uint32_t rs1, int32_t imm) { return i_type(imm, rs1, 2, rd, 0x13); }
constexpr uint32_t sltiu(uint32_t rd, uint32_t rs1, int32_t imm) { return i_type(imm, rs1, 3, rd, 0x13); }
constexpr uint32_t xori(uint32_t rd, uint32_t rs1, int32_t imm) { return i_type(imm, rs1, 4, rd, 0x13); }
constexpr uint32_t ori(uint32_t rd, uint32_t rs1, int32_t imm) { return i_type(imm, rs1, 6, rd, 0x13); }
constexpr uint32_t andi(uint32_t rd, uint32_t rs1, int32_t imm) { return i_type(imm, rs1, 7, rd, 0x13); }
constexpr uint32_t slli(uint32_t rd, uint32_t rs1, uint32_t sh) { return r_type(0x00, sh, rs1, 1, rd, 0x13); }
constexpr uint32_t srli(uint32_t rd, uint32_t rs1, uint32_t sh) { return r_type(0x00, sh, rs1, 5, rd, 0x13); }
constexpr uint32_t srai(uint32_t rd, uint32_t rs1, uint32_t sh) { return r_type(0x20, sh, rs1, 5, rd, 0x13); }
constexpr uint32_t nop() { return addi(zero, zero, 0); }

constexpr uint32_t add(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(0x00, rs2, rs1, 0, rd, 0x33); }
constexpr uint32_t sub(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(0x20, rs2, rs1, 0, rd, 0x33); }
constexpr uint32_t sll(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(0x00, rs2, rs1, 1, rd, 0x33); }
constexpr uint32_t slt(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(0x00, rs2, rs1, 2, rd, 0x33); }
constexpr uint32_t sltu(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(0x00, rs2, rs1, 3, rd, 0x33); }
constexpr uint32_t xor_(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(0x00, rs2, rs1, 4, rd, 0x33); }
constexpr uint32_t srl(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(0x00, rs2, rs1, 5, rd, 0x33); }
constexpr uint32_t sra(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(0x20, rs2, rs1, 5, rd, 0x33); }
constexpr uint32_t or_(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(0x00, rs2, rs1, 6, rd, 0x33); }
constexpr uint32_t and_(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(0x00, rs2, rs1, 7, rd, 0x33); }

constexpr uint32_t fence() { return 0x0ff0000f; }  // fence iorw, iorw
constexpr uint32_t fence_i() { return 0x0000100f; }
constexpr uint32_t ecall() { return 0x00000073; }
constexpr uint32_t ebreak() { return 0x00100073; }
constexpr uint32_t mret() { return 0x30200073; }
constexpr uint32_t wfi() { return 0x10500073; }

// ---- Zicsr: csrrw(rd, csr, rs1); the *i forms take a 5-bit unsigned immediate in place of rs1 -----------------------
constexpr uint32_t csrrw(uint32_t rd, uint32_t csr, uint32_t rs1) { return i_type(int32_t(csr), rs1, 1, rd, 0x73); }
constexpr uint32_t csrrs(uint32_t rd, uint32_t csr, uint32_t rs1) { return i_type(int32_t(csr), rs1, 2, rd, 0x73); }
constexpr uint32_t csrrc(uint32_t rd, uint32_t csr, uint32_t rs1) { return i_type(int32_t(csr), rs1, 3, rd, 0x73); }
constexpr uint32_t csrrwi(uint32_t rd, uint32_t csr, uint32_t uimm) { return i_type(int32_t(csr), uimm, 5, rd, 0x73); }
constexpr uint32_t csrrsi(uint32_t rd, uint32_t csr, uint32_t uimm) { return i_type(int32_t(csr), uimm, 6, rd, 0x73); }
constexpr uint32_t csrrci(uint32_t rd, uint32_t csr, uint32_t uimm) { return i_type(int32_t(csr), uimm, 7, rd, 0x73); }
constexpr uint32_t csrr(uint32_t rd, uint32_t csr) { return csrrs(rd, csr, zero); }
constexpr uint32_t csrw(uint32_t csr, uint32_t rs1) { return csrrw(zero, csr, rs1); }

// ---- M -------------------------------------------------------------------------------------------------------------
constexpr uint32_t mul(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(1, rs2, rs1, 0, rd, 0x33); }
constexpr uint32_t mulh(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(1, rs2, rs1, 1, rd, 0x33); }
constexpr uint32_t mulhsu(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(1, rs2, rs1, 2, rd, 0x33); }
constexpr uint32_t mulhu(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(1, rs2, rs1, 3, rd, 0x33); }
constexpr uint32_t div(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(1, rs2, rs1, 4, rd, 0x33); }
constexpr uint32_t divu(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(1, rs2, rs1, 5, rd, 0x33); }
constexpr uint32_t rem(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(1, rs2, rs1, 6, rd, 0x33); }
constexpr uint32_t remu(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r_type(1, rs2, rs1, 7, rd, 0x33); }

// ---- A: amo(rd, rs2, rs1) for "amoX.w rd, rs2, (rs1)"; aq/rl clear --------------------------------------------------
constexpr uint32_t amo(uint32_t f5, uint32_t rd, uint32_t rs2, uint32_t rs1) { return r_type(f5 << 2, rs2, rs1, 2, rd, 0x2f); }
constexpr uint32_t lr_w(uint32_t rd, uint32_t rs1) { return amo(0x02, rd, 0, rs1); }
constexpr uint32_t sc_w(uint32_t rd, uint32_t rs2, uint32_t rs1) { return amo(0x03, rd, rs2, rs1); }
constexpr uint32_t amoswap_w(uint32_t rd, uint32_t rs2, uint32_t rs1) { return amo(0x01, rd, rs2, rs1); }
constexpr uint32_t amoadd_w(uint32_t rd, uint32_t rs2, uint32_t rs1) { return amo(0x00, rd, rs2, rs1); }
constexpr uint32_t amoxor_w(uint32_t rd, uint32_t rs2, uint32_t rs1) { return amo(0x04, rd, rs2, rs1); }
constexpr uint32_t amoand_w(uint32_t rd, uint32_t rs2, uint32_t rs1) { return amo(0x0c, rd, rs2, rs1); }
constexpr uint32_t amoor_w(uint32_t rd, uint32_t rs2, uint32_t rs1) { return amo(0x08, rd, rs2, rs1); }
constexpr uint32_t amomin_w(uint32_t rd, uint32_t rs2, uint32_t rs1) { return amo(0x10, rd, rs2, rs1); }
constexpr uint32_t amomax_w(uint32_t rd, uint32_t rs2, uint32_t rs1) { return amo(0x14, rd, rs2, rs1); }
constexpr uint32_t amominu_w(uint32_t rd, uint32_t rs2, uint32_t rs1) { return amo(0x18, rd, rs2, rs1); }
constexpr uint32_t amomaxu_w(uint32_t rd, uint32_t rs2, uint32_t rs1) { return amo(0x1c, rd, rs2, rs1); }

// ---- oobsim's zero-cycle trace event: the HINT slti x0, rs1, id ------------------------------------------------------
constexpr uint32_t hint_trace(uint32_t rs1, uint32_t id) { return slti(zero, rs1, int32_t(id)); }

// ---- CSR numbers ----------------------------------------------------------------------------------------------------
enum Csr : uint32_t {
    kMstatus = 0x300, kMisa = 0x301, kMie = 0x304, kMtvec = 0x305, kMscratch = 0x340, kMepc = 0x341, kMcause = 0x342,
    kMtval = 0x343, kMip = 0x344, kMcycle = 0xb00, kMinstret = 0xb02, kMcycleh = 0xb80, kMinstreth = 0xb82,
    kCycle = 0xc00, kTime = 0xc01, kInstret = 0xc02, kCycleh = 0xc80, kTimeh = 0xc81, kInstreth = 0xc82,
    kMvendorid = 0xf11, kMarchid = 0xf12, kMimpid = 0xf13, kMhartid = 0xf14,
};

}  // namespace rv

// RV32IMA + Zicsr + Zifencei: the instruction set, decoded once per instruction word.
// isa.cpp holds the one table of encodings (mask, match, operation, operand format) that drives decode.
#pragma once

#include <cstdint>

namespace oobsim {

#define OOBSIM_OPS(X)                                                                                                \
    X(UNDECODED) X(ILLEGAL)                                                                                          \
    X(LUI) X(AUIPC) X(JAL) X(JALR)                                                                                   \
    X(BEQ) X(BNE) X(BLT) X(BGE) X(BLTU) X(BGEU)                                                                      \
    X(LB) X(LH) X(LW) X(LBU) X(LHU) X(SB) X(SH) X(SW)                                                                \
    X(ADDI) X(SLTI) X(SLTIU) X(XORI) X(ORI) X(ANDI) X(SLLI) X(SRLI) X(SRAI)                                          \
    X(ADD) X(SUB) X(SLL) X(SLT) X(SLTU) X(XOR) X(SRL) X(SRA) X(OR) X(AND)                                            \
    X(FENCE) X(FENCE_I) X(ECALL) X(EBREAK) X(MRET) X(WFI)                                                            \
    X(CSRRW) X(CSRRS) X(CSRRC) X(CSRRWI) X(CSRRSI) X(CSRRCI)                                                         \
    X(MUL) X(MULH) X(MULHSU) X(MULHU) X(DIV) X(DIVU) X(REM) X(REMU)                                                  \
    X(LR_W) X(SC_W) X(AMOSWAP_W) X(AMOADD_W) X(AMOXOR_W) X(AMOAND_W) X(AMOOR_W)                                      \
    X(AMOMIN_W) X(AMOMAX_W) X(AMOMINU_W) X(AMOMAXU_W)                                                                \
    X(HINT_TRACE)

enum class Op : uint8_t {
#define OOBSIM_OP_ENUM(name) name,
    OOBSIM_OPS(OOBSIM_OP_ENUM)
#undef OOBSIM_OP_ENUM
};
constexpr unsigned kNumOps = 0
#define OOBSIM_OP_COUNT(name) +1
    OOBSIM_OPS(OOBSIM_OP_COUNT)
#undef OOBSIM_OP_COUNT
    ;

const char* op_name(Op op);

// Register numbers that never match a real register: "this operand is not read" and "no load is in flight".
constexpr uint8_t kNoReg = 0xff, kNoRs1 = 0xfe, kNoRs2 = 0xfd;

struct DecodedInsn {
    Op op = Op::UNDECODED;
    uint8_t rd = 32;       // destination; 32 (the sink) when rd is x0 or the instruction writes none
    uint8_t rs1 = 0;       // source registers as encoded (x0 reads 0)
    uint8_t rs2 = 0;
    int32_t imm = 0;       // sign-extended immediate (CSR instructions: the CSR number; HINT_TRACE: the event id)
    uint32_t raw = 0;      // the instruction word
    uint8_t rs1_read = kNoRs1;  // rs1 if the instruction reads a non-zero rs1, else kNoRs1 (load-use detection)
    uint8_t rs2_read = kNoRs2;
    uint8_t pad[2] = {0, 0};
};
static_assert(sizeof(DecodedInsn) == 16, "keep decoded instructions compact");

DecodedInsn decode(uint32_t insn);

}  // namespace oobsim

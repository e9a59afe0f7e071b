#include "isa.h"

namespace oobsim {

namespace {

// Which operands an encoding uses; the format also says how its immediate is laid out.
enum Fmt : uint8_t { R, I, S, B, U, J, CSR, CSRI, NONE, AMO };

struct Encoding {
    const char* name;
    uint32_t mask;
    uint32_t match;
    Op op;
    Fmt fmt;
};

constexpr uint32_t kOpcode = 0x7f, kF3 = 0x7000, kF7 = 0xfe000000, kRd = 0xf80, kRs1 = 0xf8000, kRs2 = 0x1f00000;
constexpr uint32_t kF5 = 0xf8000000;  // AMO funct5 (aq/rl bits are free)

// The one table of encodings. Order matters only where one encoding is a special case of another (HINT_TRACE
// before SLTI): the first match wins.
constexpr Encoding kEncodings[] = {
    {"lui", kOpcode, 0x37, Op::LUI, U},
    {"auipc", kOpcode, 0x17, Op::AUIPC, U},
    {"jal", kOpcode, 0x6f, Op::JAL, J},
    {"jalr", kOpcode | kF3, 0x67, Op::JALR, I},
    {"beq", kOpcode | kF3, 0x0063, Op::BEQ, B},
    {"bne", kOpcode | kF3, 0x1063, Op::BNE, B},
    {"blt", kOpcode | kF3, 0x4063, Op::BLT, B},
    {"bge", kOpcode | kF3, 0x5063, Op::BGE, B},
    {"bltu", kOpcode | kF3, 0x6063, Op::BLTU, B},
    {"bgeu", kOpcode | kF3, 0x7063, Op::BGEU, B},
    {"lb", kOpcode | kF3, 0x0003, Op::LB, I},
    {"lh", kOpcode | kF3, 0x1003, Op::LH, I},
    {"lw", kOpcode | kF3, 0x2003, Op::LW, I},
    {"lbu", kOpcode | kF3, 0x4003, Op::LBU, I},
    {"lhu", kOpcode | kF3, 0x5003, Op::LHU, I},
    {"sb", kOpcode | kF3, 0x0023, Op::SB, S},
    {"sh", kOpcode | kF3, 0x1023, Op::SH, S},
    {"sw", kOpcode | kF3, 0x2023, Op::SW, S},
    // slti x0, rs1, id: a HINT the ISA designates for custom use; oobsim's zero-cycle trace event.
    {"hint.trace", kOpcode | kF3 | kRd, 0x2013, Op::HINT_TRACE, I},
    {"addi", kOpcode | kF3, 0x0013, Op::ADDI, I},
    {"slti", kOpcode | kF3, 0x2013, Op::SLTI, I},
    {"sltiu", kOpcode | kF3, 0x3013, Op::SLTIU, I},
    {"xori", kOpcode | kF3, 0x4013, Op::XORI, I},
    {"ori", kOpcode | kF3, 0x6013, Op::ORI, I},
    {"andi", kOpcode | kF3, 0x7013, Op::ANDI, I},
    {"slli", kOpcode | kF3 | kF7, 0x00001013, Op::SLLI, I},
    {"srli", kOpcode | kF3 | kF7, 0x00005013, Op::SRLI, I},
    {"srai", kOpcode | kF3 | kF7, 0x40005013, Op::SRAI, I},
    {"add", kOpcode | kF3 | kF7, 0x00000033, Op::ADD, R},
    {"sub", kOpcode | kF3 | kF7, 0x40000033, Op::SUB, R},
    {"sll", kOpcode | kF3 | kF7, 0x00001033, Op::SLL, R},
    {"slt", kOpcode | kF3 | kF7, 0x00002033, Op::SLT, R},
    {"sltu", kOpcode | kF3 | kF7, 0x00003033, Op::SLTU, R},
    {"xor", kOpcode | kF3 | kF7, 0x00004033, Op::XOR, R},
    {"srl", kOpcode | kF3 | kF7, 0x00005033, Op::SRL, R},
    {"sra", kOpcode | kF3 | kF7, 0x40005033, Op::SRA, R},
    {"or", kOpcode | kF3 | kF7, 0x00006033, Op::OR, R},
    {"and", kOpcode | kF3 | kF7, 0x00007033, Op::AND, R},
    {"mul", kOpcode | kF3 | kF7, 0x02000033, Op::MUL, R},
    {"mulh", kOpcode | kF3 | kF7, 0x02001033, Op::MULH, R},
    {"mulhsu", kOpcode | kF3 | kF7, 0x02002033, Op::MULHSU, R},
    {"mulhu", kOpcode | kF3 | kF7, 0x02003033, Op::MULHU, R},
    {"div", kOpcode | kF3 | kF7, 0x02004033, Op::DIV, R},
    {"divu", kOpcode | kF3 | kF7, 0x02005033, Op::DIVU, R},
    {"rem", kOpcode | kF3 | kF7, 0x02006033, Op::REM, R},
    {"remu", kOpcode | kF3 | kF7, 0x02007033, Op::REMU, R},
    // FENCE ignores its unused fields (the ISA requires that for forward compatibility); FENCE.I likewise.
    {"fence", kOpcode | kF3, 0x000f, Op::FENCE, NONE},
    {"fence.i", kOpcode | kF3, 0x100f, Op::FENCE_I, NONE},
    {"ecall", 0xffffffff, 0x00000073, Op::ECALL, NONE},
    {"ebreak", 0xffffffff, 0x00100073, Op::EBREAK, NONE},
    {"mret", 0xffffffff, 0x30200073, Op::MRET, NONE},
    {"wfi", 0xffffffff, 0x10500073, Op::WFI, NONE},
    {"csrrw", kOpcode | kF3, 0x1073, Op::CSRRW, CSR},
    {"csrrs", kOpcode | kF3, 0x2073, Op::CSRRS, CSR},
    {"csrrc", kOpcode | kF3, 0x3073, Op::CSRRC, CSR},
    {"csrrwi", kOpcode | kF3, 0x5073, Op::CSRRWI, CSRI},
    {"csrrsi", kOpcode | kF3, 0x6073, Op::CSRRSI, CSRI},
    {"csrrci", kOpcode | kF3, 0x7073, Op::CSRRCI, CSRI},
    {"lr.w", kOpcode | kF3 | kF5 | kRs2, 0x1000202f, Op::LR_W, AMO},
    {"sc.w", kOpcode | kF3 | kF5, 0x1800202f, Op::SC_W, AMO},
    {"amoswap.w", kOpcode | kF3 | kF5, 0x0800202f, Op::AMOSWAP_W, AMO},
    {"amoadd.w", kOpcode | kF3 | kF5, 0x0000202f, Op::AMOADD_W, AMO},
    {"amoxor.w", kOpcode | kF3 | kF5, 0x2000202f, Op::AMOXOR_W, AMO},
    {"amoand.w", kOpcode | kF3 | kF5, 0x6000202f, Op::AMOAND_W, AMO},
    {"amoor.w", kOpcode | kF3 | kF5, 0x4000202f, Op::AMOOR_W, AMO},
    {"amomin.w", kOpcode | kF3 | kF5, 0x8000202f, Op::AMOMIN_W, AMO},
    {"amomax.w", kOpcode | kF3 | kF5, 0xa000202f, Op::AMOMAX_W, AMO},
    {"amominu.w", kOpcode | kF3 | kF5, 0xc000202f, Op::AMOMINU_W, AMO},
    {"amomaxu.w", kOpcode | kF3 | kF5, 0xe000202f, Op::AMOMAXU_W, AMO},
};

constexpr const char* kOpNames[] = {
#define OOBSIM_OP_NAME(name) #name,
    OOBSIM_OPS(OOBSIM_OP_NAME)
#undef OOBSIM_OP_NAME
};

int32_t sext(uint32_t value, unsigned bits) { return static_cast<int32_t>(value << (32 - bits)) >> (32 - bits); }

int32_t immediate(uint32_t w, Fmt fmt) {
    switch (fmt) {
    case I: return sext(w >> 20, 12);
    case S: return sext(((w >> 25) << 5) | ((w >> 7) & 0x1f), 12);
    case B:
        return sext(((w >> 31) << 12) | (((w >> 7) & 1) << 11) | (((w >> 25) & 0x3f) << 5) | (((w >> 8) & 0xf) << 1),
                    13);
    case U: return static_cast<int32_t>(w & 0xfffff000);
    case J:
        return sext(((w >> 31) << 20) | (((w >> 12) & 0xff) << 12) | (((w >> 20) & 1) << 11) |
                        (((w >> 21) & 0x3ff) << 1),
                    21);
    case CSR:
    case CSRI: return static_cast<int32_t>(w >> 20);
    default: return 0;
    }
}

bool reads_rs1(Fmt fmt) { return fmt == R || fmt == I || fmt == S || fmt == B || fmt == CSR || fmt == AMO; }
bool reads_rs2(Fmt fmt, Op op) { return fmt == R || fmt == S || fmt == B || (fmt == AMO && op != Op::LR_W); }
bool writes_rd(Fmt fmt) { return fmt != S && fmt != B && fmt != NONE; }

}  // namespace

const char* op_name(Op op) { return kOpNames[static_cast<unsigned>(op)]; }

DecodedInsn decode(uint32_t w) {
    DecodedInsn d;
    d.raw = w;
    d.op = Op::ILLEGAL;
    for (const Encoding& e : kEncodings) {
        if ((w & e.mask) != e.match) continue;
        d.op = e.op;
        d.rs1 = (w >> 15) & 0x1f;
        d.rs2 = (w >> 20) & 0x1f;
        unsigned rd = (w >> 7) & 0x1f;
        d.rd = (writes_rd(e.fmt) && rd != 0) ? rd : 32;
        d.imm = immediate(w, e.fmt);
        if (e.op == Op::CSRRWI || e.op == Op::CSRRSI || e.op == Op::CSRRCI) d.rs1 = (w >> 15) & 0x1f;  // uimm
        if (e.op == Op::HINT_TRACE) {
            d.rd = 32;
        } else {
            if (reads_rs1(e.fmt) && d.rs1 != 0) d.rs1_read = d.rs1;
            if (reads_rs2(e.fmt, e.op) && d.rs2 != 0) d.rs2_read = d.rs2;
        }
        break;
    }
    return d;
}

}  // namespace oobsim

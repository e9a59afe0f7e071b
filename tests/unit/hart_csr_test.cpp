// Zicsr and the machine-mode CSRs: read/write/set/clear semantics, WARL fields, read-only and unknown CSRs,
// and the counters. CSR instructions cost csr_cycles (2) in the default profile.
#include "hart_fixture.h"

using namespace oobsim_test;
using namespace rv;
using oobsim::kMEIP;
using oobsim::kMSIP;
using oobsim::kMTIP;

namespace {

class HartCsr : public HartTest {
protected:
    // Expects an illegal-instruction trap at pc with the instruction word in mtval.
    void expect_illegal(uint32_t pc, uint32_t insn) {
        EXPECT_EQ(h.pc(), kHandler);
        EXPECT_EQ(csr(kMcause), 2u);
        EXPECT_EQ(csr(kMepc), pc);
        EXPECT_EQ(csr(kMtval), insn);
    }
};

}  // namespace

TEST_F(HartCsr, ReadWriteSetClear) {
    uint32_t end = load({
        csrrw(a0, kMscratch, a1),    // a0 = 0 (reset), mscratch = 0x12345678
        csrrs(a2, kMscratch, a3),    // a2 = 0x12345678, mscratch |= 0x0f
        csrrc(a4, kMscratch, a5),    // a4 = 0x1234567f, mscratch &= ~0xf0000000
        csrrwi(a6, kMscratch, 31),   // a6 = 0x0234567f, mscratch = 31
        csrrsi(a7, kMscratch, 0x10), // no change: bit 4 is already set
        csrrci(s2, kMscratch, 0x3),  // mscratch = 28
        csrrs(s3, kMscratch, zero),  // read only
        csrrw(zero, kMscratch, s4),  // write only
        csrr(s5, kMscratch),
    });
    h.set_reg(a1, 0x12345678);
    h.set_reg(a3, 0x0f);
    h.set_reg(a5, 0xf0000000);
    h.set_reg(s4, 0xcafef00d);
    run_to(end);
    EXPECT_EQ(h.reg(a0), 0u);
    EXPECT_EQ(h.reg(a2), 0x12345678u);
    EXPECT_EQ(h.reg(a4), 0x1234567fu);
    EXPECT_EQ(h.reg(a6), 0x0234567fu);
    EXPECT_EQ(h.reg(a7), 31u);
    EXPECT_EQ(h.reg(s2), 31u);
    EXPECT_EQ(h.reg(s3), 28u);
    EXPECT_EQ(h.reg(s5), 0xcafef00du);
    EXPECT_EQ(csr(kMscratch), 0xcafef00du);
    EXPECT_EQ(h.time(), 9u * 2u);
    EXPECT_EQ(h.instret(), 9u);
}

TEST_F(HartCsr, RdEqualsRs1ReadsTheOldValue) {
    uint32_t end = load({csrrw(a1, kMscratch, a1), csrrw(a1, kMscratch, a1)});
    h.set_reg(a1, 0x55);
    run_to(end);
    EXPECT_EQ(h.reg(a1), 0x55u);  // swapped in, then swapped back
    EXPECT_EQ(csr(kMscratch), 0u);
}

TEST_F(HartCsr, IdentificationRegisters) {
    uint32_t end = load({csrr(a0, kMisa), csrr(a1, kMhartid), csrr(a2, kMvendorid), csrr(a3, kMarchid),
                         csrr(a4, kMimpid), csrrw(a5, kMisa, a6), csrr(a7, kMisa)});
    h.set_reg(a6, 0);
    run_to(end);
    EXPECT_EQ(h.reg(a0), 0x40001101u);  // MXL = 1 (RV32), extensions A, I, M
    EXPECT_EQ(h.reg(a1), 0u);
    EXPECT_EQ(h.reg(a2), 0u);
    EXPECT_EQ(h.reg(a3), 0u);
    EXPECT_EQ(h.reg(a4), 0u);
    EXPECT_EQ(h.reg(a7), 0x40001101u);  // misa is WARL: the write is legal and ignored
    EXPECT_EQ(h.time(), 14u);

    Hart h3(3, mem, timing, &bus);
    h3.reset(kBase);
    h3.run(2, 2, true);
    EXPECT_EQ(h3.reg(a1), 0u);
    h3.run(4, 4, true);
    EXPECT_EQ(h3.reg(a1), 3u);
}

TEST_F(HartCsr, MstatusWarlFields) {
    uint32_t end = load({csrr(a0, kMstatus), csrrw(zero, kMstatus, a1), csrr(a2, kMstatus), csrrw(zero, kMstatus, zero),
                         csrr(a3, kMstatus), csrrsi(zero, kMstatus, 8), csrr(a4, kMstatus)});
    h.set_reg(a1, 0xffffffff);
    run_to(end);
    // Machine mode only: MPP is hardwired to 3 (M), and MIE and MPIE are the only writable fields
    // (SIE/SPIE/SPP/MPRV/TVM/TW/TSR/FS/XS/SD are read-only zero without S, U, F or V).
    EXPECT_EQ(h.reg(a0), 0x00001800u);  // after reset: MIE = MPIE = 0
    EXPECT_EQ(h.reg(a2), 0x00001888u);
    EXPECT_EQ(h.reg(a3), 0x00001800u);
    EXPECT_EQ(h.reg(a4), 0x00001808u);
}

TEST_F(HartCsr, MieAndMip) {
    uint32_t end = load({csrrw(zero, kMie, a1), csrr(a2, kMie), csrrw(zero, kMip, a1), csrr(a3, kMip),
                         csrr(a4, kMip), csrrc(zero, kMip, a1), csrr(a5, kMip)});
    h.set_reg(a1, 0xffffffff);
    run_to(at(4));
    EXPECT_EQ(h.reg(a2), 0x888u);  // only MSIE, MTIE, MEIE exist
    EXPECT_EQ(h.reg(a3), 0u);       // writing mip changed nothing (and did not trap)
    EXPECT_EQ(h.time(), 8u);
    // MIE is clear, so a pending interrupt is visible in mip but not taken.
    h.set_irq_line(kMTIP, true);
    h.set_irq_line(kMSIP, true);
    run_to(end);
    EXPECT_EQ(h.reg(a4), 0x88u);
    EXPECT_EQ(h.reg(a5), 0x88u);  // the lines, not software, own the bits
    h.set_irq_line(kMSIP, false);
    EXPECT_EQ(h.mip(), 0x80u);
    EXPECT_EQ(csr(kMip), 0x80u);
    // mip shows pending lines whether or not mie enables them.
    load({csrr(a0, kMip)});
    h.set_irq_line(kMEIP | kMTIP, true);
    run_to(at(1));
    EXPECT_EQ(csr(kMie), 0u);
    EXPECT_EQ(h.reg(a0), 0x880u);
}

TEST_F(HartCsr, MtvecMepcMcauseMtval) {
    uint32_t end = load({
        csrrw(zero, kMtvec, a1), csrr(a2, kMtvec),   // vectored
        csrrw(zero, kMtvec, a3), csrr(a4, kMtvec),   // direct
        csrrw(zero, kMepc, a5), csrr(a6, kMepc),     // low bits of mepc are zero (IALIGN = 32)
        csrrw(zero, kMcause, a7), csrr(s2, kMcause),
        csrrw(zero, kMtval, s3), csrr(s4, kMtval),
    });
    h.set_reg(a1, kHandler | 1);
    h.set_reg(a3, kHandler + 0x100);
    h.set_reg(a5, 0x80000123);
    h.set_reg(a7, 0x8000000b);
    h.set_reg(s3, 0xdeadbeef);
    run_to(end);
    EXPECT_EQ(h.reg(a2), kHandler | 1);
    EXPECT_EQ(h.reg(a4), kHandler + 0x100);
    EXPECT_EQ(h.reg(a6), 0x80000120u);
    EXPECT_EQ(h.reg(s2), 0x8000000bu);
    EXPECT_EQ(h.reg(s4), 0xdeadbeefu);
}

TEST_F(HartCsr, MtvecReservedModesAreNotKept) {
    load({csrrw(zero, kMtvec, a1), csrrw(zero, kMtvec, a2), csrr(a3, kMtvec)});
    h.set_reg(a1, kHandler | 1);
    h.set_reg(a2, kHandler | 2);  // mode 2 is reserved; the field is WARL
    run_to(at(3));
    EXPECT_LT(h.reg(a3) & 3, 2u);
}

TEST_F(HartCsr, CycleCounters) {
    uint32_t end = load({
        nop(), nop(),
        csrr(a0, kMcycle),           // starts at 2
        csrr(a1, kMcycleh),
        csrr(a2, kCycle),            // starts at 6
        csrr(a3, kTime),             // starts at 8: time counts cycles too
        csrr(a4, kCycleh),
        csrr(a5, kTimeh),
    });
    run_to(end);
    EXPECT_EQ(h.reg(a0), 2u);
    EXPECT_EQ(h.reg(a1), 0u);
    EXPECT_EQ(h.reg(a2), 6u);
    EXPECT_EQ(h.reg(a3), 8u);
    EXPECT_EQ(h.reg(a4), 0u);
    EXPECT_EQ(h.reg(a5), 0u);
    EXPECT_EQ(h.time(), 14u);
}

TEST_F(HartCsr, McycleCountsFromAResetCycle) {
    load({csrr(a0, kMcycle), csrr(a1, kMcycleh)});
    h.reset(kBase, 0x1'0000'0005ull);
    run_to(at(2));
    EXPECT_EQ(h.reg(a0), 5u);
    EXPECT_EQ(h.reg(a1), 1u);
}

TEST_F(HartCsr, WritingMcycle) {
    uint32_t end = load({
        csrrw(zero, kMcycle, a1),    // the next instruction reads the value written
        csrr(a0, kMcycle),
        csrr(a2, kMcycle),           // two cycles later
        csrrw(zero, kMcycleh, a3),
        csrr(a4, kMcycleh),
        csrr(a5, kMcycle),
    });
    h.set_reg(a1, 100);
    h.set_reg(a3, 5);
    run_to(end);
    EXPECT_EQ(h.reg(a0), 100u);
    EXPECT_EQ(h.reg(a2), 102u);
    EXPECT_EQ(h.reg(a4), 5u);
    EXPECT_EQ(h.reg(a5), 106u);
    EXPECT_EQ(h.time(), 12u);  // mcycle is a counter of its own: the hart's time goes on
}

TEST_F(HartCsr, WritingMcycleRightAfterALoadOfTheValue) {
    // The CSR write stalls a cycle on the load; the next instruction must still read exactly the value written.
    // RISC-V unprivileged ISA, Zicsr, "CSR Instructions": "If a CSR access instruction writes such a CSR [one
    // modified as a side effect of execution, like the counters], the write is done instead of the increment";
    // the written value is what the following instruction reads.
    poke32(kData, 100);
    load({lw(a1, a2, 0), csrrw(zero, kMcycle, a1), csrr(a0, kMcycle)});
    h.set_reg(a2, kData);
    run_to(at(3));
    EXPECT_EQ(h.time(), 1u + 3u + 2u);
    EXPECT_EQ(h.reg(a0), 100u);
}

TEST_F(HartCsr, InstructionsRetiredCounters) {
    uint32_t end = load({
        nop(), nop(),
        csrr(a0, kMinstret),         // 2 retired before it
        csrr(a1, kInstret),
        csrr(a2, kMinstreth),
        csrr(a3, kInstreth),
        csrrw(zero, kMinstret, a4),  // written instead of incremented
        csrr(a5, kMinstret),         // reads 50
        nop(),
        csrr(a6, kMinstret),         // 52
        csrrw(zero, kMinstreth, a7),
        csrr(s2, kMinstreth),
    });
    h.set_reg(a4, 50);
    h.set_reg(a7, 7);
    run_to(end);
    EXPECT_EQ(h.reg(a0), 2u);
    EXPECT_EQ(h.reg(a1), 3u);
    EXPECT_EQ(h.reg(a2), 0u);
    EXPECT_EQ(h.reg(a3), 0u);
    EXPECT_EQ(h.reg(a5), 50u);
    EXPECT_EQ(h.reg(a6), 52u);
    EXPECT_EQ(h.reg(s2), 7u);
    EXPECT_EQ(h.instret(), (7ull << 32) + 54u);
}

TEST_F(HartCsr, ReadOnlyCsrsAreIllegalToWrite) {
    const uint32_t read_only[] = {kCycle, kTime, kInstret, kCycleh, kTimeh, kInstreth, kMhartid, kMvendorid,
                                  kMarchid, kMimpid};
    for (uint32_t n : read_only) {
        for (uint32_t insn : {csrrw(a0, n, a1), csrrw(zero, n, zero), csrrs(a0, n, a1), csrrc(a0, n, a1),
                              csrrwi(a0, n, 0), csrrsi(a0, n, 1), csrrci(a0, n, 1)}) {
            SCOPED_TRACE(testing::Message() << "csr 0x" << std::hex << n << " insn 0x" << insn);
            load_with_handler({insn});
            h.set_reg(a0, 0x5a);
            h.set_reg(a1, 0);  // CSRRS/CSRRC with rs1 != x0 write, even a zero
            EXPECT_EQ(run_to(kHandler), Stop::Limit);
            expect_illegal(at(1), insn);
            EXPECT_EQ(h.reg(a0), 0x5au);  // rd is not written
            EXPECT_EQ(h.time(), 2u + 4u);
            EXPECT_EQ(h.instret(), 1u);
        }
        // Reading is fine: CSRRS/CSRRC with x0 and CSRRSI/CSRRCI with 0 do not write.
        load_with_handler({csrrs(a0, n, zero), csrrc(a1, n, zero), csrrsi(a2, n, 0), csrrci(a3, n, 0)});
        EXPECT_EQ(run_to(at(5)), Stop::Limit);
        EXPECT_EQ(h.time(), 10u) << std::hex << n;
    }
}

TEST_F(HartCsr, UnknownCsrsAreIllegal) {
    // No S-mode, no U-mode, no F: these do not exist; neither do custom CSRs.
    for (uint32_t n : {0x100u, 0x105u, 0x180u, 0x000u, 0x003u, 0x7c0u, 0x800u, 0xfc0u, 0x306u, 0x30au}) {
        for (uint32_t insn : {csrr(a0, n), csrrw(zero, n, a1), csrrsi(a0, n, 0)}) {
            SCOPED_TRACE(testing::Message() << "csr 0x" << std::hex << n);
            load_with_handler({insn});
            run_to(kHandler);
            expect_illegal(at(1), insn);
            uint32_t v;
            EXPECT_FALSE(h.read_csr(n, &v));
        }
    }
}

// Exceptions, interrupts, MRET, WFI and the fatal no-handler case (privileged spec, machine mode), with exact
// cycles: a trap costs trap_entry_cycles (4) from the faulting instruction's start (the faulting instruction costs
// nothing and does not retire) or from the instruction boundary where an interrupt is taken.
#include "hart_fixture.h"

using namespace oobsim_test;
using namespace rv;
using oobsim::kMEIP;
using oobsim::kMSIP;
using oobsim::kMTIP;

namespace {

class HartTrap : public HartTest {
protected:
    static constexpr uint32_t kUnmapped = 0x20000000;  // the fake bus answers nothing here
    static constexpr uint32_t kDev = 0x10000000;       // ... and answers here
    void expect_trap(uint32_t cause, uint32_t epc, uint32_t tval) {
        EXPECT_EQ(csr(kMcause), cause);
        EXPECT_EQ(csr(kMepc), epc);
        EXPECT_EQ(csr(kMtval), tval);
    }
};

struct FaultLog : oobsim::FaultObserver {
    struct Fault {
        unsigned cpu;
        uint32_t pc, addr;
        bool is_write, is_fetch;
    };
    std::vector<Fault> faults;
    void on_bus_error(unsigned cpu, uint32_t pc, uint32_t addr, bool is_write, bool is_fetch) override {
        faults.push_back({cpu, pc, addr, is_write, is_fetch});
    }
};

}  // namespace

// ---- Exceptions ------------------------------------------------------------------------------------------------------

TEST_F(HartTrap, IllegalInstruction) {
    for (uint32_t bad : {0x00000000u, 0xffffffffu, slli(a0, a1, 1) | 1u << 25}) {
        load_with_handler({nop(), bad, addi(a0, zero, 1)});
        EXPECT_EQ(run_to(kHandler), Stop::Limit);
        expect_trap(2, at(2), bad);  // mtval = the instruction
        EXPECT_EQ(h.time(), 2u + 1u + 4u);
        EXPECT_EQ(h.instret(), 2u);
        EXPECT_EQ(h.reg(a0), 0u);
    }
}

TEST_F(HartTrap, EbreakAndEcall) {
    load_with_handler({ebreak()});
    run_to(kHandler);
    expect_trap(3, at(1), at(1));  // breakpoint: mtval = its pc
    EXPECT_EQ(h.time(), 6u);
    EXPECT_EQ(h.instret(), 1u);  // EBREAK does not retire

    load_with_handler({csrw(kMtval, a1), ecall()});
    h.set_reg(a1, 0x1234);
    run_to(kHandler);
    expect_trap(11, at(2), 0);  // environment call from M-mode: mtval = 0; mepc = the ECALL itself
    EXPECT_EQ(h.time(), 8u);
    EXPECT_EQ(h.instret(), 2u);  // ECALL does not retire
}

TEST_F(HartTrap, TrapStacksMieIntoMpie) {
    load_with_handler({csrrsi(zero, kMstatus, 8), ecall()});
    run_to(kHandler);
    EXPECT_EQ(csr(kMstatus), 0x1880u);  // MPIE = 1 (was MIE), MIE = 0, MPP = M
    load_with_handler({csrrw(zero, kMstatus, a1), ecall()});
    h.set_reg(a1, 0x80);  // MIE = 0, MPIE = 1
    run_to(kHandler);
    EXPECT_EQ(csr(kMstatus), 0x1800u);  // MPIE = 0 (was MIE)
}

TEST_F(HartTrap, HandlerReturnsWithMret) {
    uint32_t end = load_with_handler({csrrsi(zero, kMstatus, 8), ecall(), addi(a1, zero, 1)}, kHandler,
                                     {csrr(a0, kMepc), addi(a0, a0, 4), csrw(kMepc, a0), mret()});
    run_to(end);
    EXPECT_EQ(h.reg(a1), 1u);
    EXPECT_EQ(h.reg(a0), at(3));
    EXPECT_EQ(csr(kMstatus), 0x1888u);  // MIE restored from MPIE, MPIE = 1
    EXPECT_EQ(h.time(), 2u + 2u + 4u + 2u + 1u + 2u + 4u + 1u);
    EXPECT_EQ(h.instret(), 7u);
}

TEST_F(HartTrap, MisalignedJumpTargets) {
    const struct {
        const char* name;
        uint32_t insn;
        uint32_t t0, target;
    } cases[] = {
        {"jalr", jalr(ra, t0, 0), kBase + 0x12, kBase + 0x12},
        {"jalr, bit 0 cleared first", jalr(ra, t0, 1), kBase + 0x12, kBase + 0x12},
        {"jal", jal(ra, 6), 0, at(1) + 6},
        {"jal backwards", jal(ra, -2), 0, at(1) - 2},
        {"taken branch", beq(zero, zero, 6), 0, at(1) + 6},
    };
    for (const auto& c : cases) {
        load_with_handler({c.insn});
        h.set_reg(t0, c.t0);
        run_to(kHandler);
        SCOPED_TRACE(c.name);
        expect_trap(0, at(1), c.target);  // instruction address misaligned; mepc = the jump
        EXPECT_EQ(h.reg(ra), 0u);       // no link
        EXPECT_EQ(h.time(), 6u);
        EXPECT_EQ(h.instret(), 1u);
    }
    // A not-taken branch with a misaligned offset is no exception.
    uint32_t end = load_with_handler({bne(zero, zero, 6)});
    run_to(end);
    EXPECT_EQ(h.time(), 3u);
    EXPECT_EQ(csr(kMcause), 0u);
}

TEST_F(HartTrap, AccessFaultsOutsideRam) {
    const struct {
        const char* name;
        uint32_t insn;
        uint32_t cause;
        bool is_write;
    } cases[] = {
        {"lw", lw(a0, a1, 8), 5, false}, {"lbu", lbu(a0, a1, 8), 5, false}, {"sw", sw(a2, a1, 8), 7, true},
        {"sb", sb(a2, a1, 8), 7, true},
    };
    FaultLog log;
    h.set_fault_observer(&log);
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        log.faults.clear();
        load_with_handler({c.insn});
        h.set_reg(a0, 0x5a);
        h.set_reg(a1, kUnmapped);
        // Without mmio_ok the hart first asks for the device access...
        EXPECT_EQ(h.run(100, 100, false), Stop::NeedMmio);
        EXPECT_EQ(h.pc(), at(1));
        EXPECT_EQ(h.time(), 2u);
        // ... which the bus refuses: a precise access fault.
        EXPECT_EQ(step(), Stop::Limit);
        EXPECT_EQ(h.pc(), kHandler);
        expect_trap(c.cause, at(1), kUnmapped + 8);
        EXPECT_EQ(h.reg(a0), 0x5au);
        EXPECT_EQ(h.time(), 6u);
        EXPECT_EQ(h.instret(), 1u);
        ASSERT_EQ(log.faults.size(), 1u);
        EXPECT_EQ(log.faults[0].addr, kUnmapped + 8);
        EXPECT_EQ(log.faults[0].pc, at(1));
        EXPECT_EQ(log.faults[0].is_write, c.is_write);
        EXPECT_FALSE(log.faults[0].is_fetch);
    }
}

TEST_F(HartTrap, AtomicsOutsideRamFault) {
    for (uint32_t addr : {kUnmapped, kDev}) {
        load_with_handler({amoadd_w(a0, a2, a1)});
        h.set_reg(a1, addr);
        run_to(kHandler);
        expect_trap(7, at(1), addr);  // store/AMO access fault
        load_with_handler({lr_w(a0, a1)});
        h.set_reg(a1, addr);
        run_to(kHandler);
        expect_trap(5, at(1), addr);  // LR: load access fault
        EXPECT_EQ(h.time(), 6u);
    }
    EXPECT_TRUE(bus.log.empty());
}

TEST_F(HartTrap, MisalignedAtomicsFault) {
    load_with_handler({amoswap_w(a0, a2, a1)});
    h.set_reg(a1, kData + 2);
    run_to(kHandler);
    expect_trap(6, at(1), kData + 2);
    load_with_handler({sc_w(a0, a2, a1)});
    h.set_reg(a1, kData + 1);
    run_to(kHandler);
    expect_trap(6, at(1), kData + 1);
    load_with_handler({lr_w(a0, a1)});
    h.set_reg(a1, kData + 3);
    run_to(kHandler);
    expect_trap(4, at(1), kData + 3);
    EXPECT_EQ(h.time(), 6u);
}

TEST_F(HartTrap, MisalignedDeviceAccessesFaultWithoutTouchingTheBus) {
    const struct {
        uint32_t insn, cause, tval;
    } cases[] = {{lw(a0, a1, 2), 4, kDev + 2}, {lh(a0, a1, 1), 4, kDev + 1}, {lhu(a0, a1, 3), 4, kDev + 3},
                 {sw(a0, a1, 1), 6, kDev + 1}, {sh(a0, a1, 3), 6, kDev + 3}};
    for (const auto& c : cases) {
        load_with_handler({c.insn});
        h.set_reg(a1, kDev);
        EXPECT_EQ(h.run(7, 7, false), Stop::Limit);  // no NeedMmio: the trap needs no device
        EXPECT_EQ(h.pc(), kHandler);
        expect_trap(c.cause, at(1), c.tval);
        EXPECT_EQ(h.time(), 9u);  // trap at 2, handler at 6, its self-loop JAL 6..9
    }
    EXPECT_TRUE(bus.log.empty());
}

TEST_F(HartTrap, FetchOutsideRam) {
    FaultLog log;
    h.set_fault_observer(&log);
    load_with_handler({jalr(zero, a1, 0)});
    h.set_reg(a1, kUnmapped);
    run_to(kHandler);
    expect_trap(1, kUnmapped, kUnmapped);  // instruction access fault
    EXPECT_EQ(h.time(), 2u + 3u + 4u);
    ASSERT_EQ(log.faults.size(), 1u);
    EXPECT_TRUE(log.faults[0].is_fetch);
}

TEST_F(HartTrap, NoHandlerIsFatal) {
    oobsim::Hart h2(2, mem, timing, &bus);
    load({nop(), ecall()});
    h2.reset(kBase);
    EXPECT_EQ(h2.run(1000, 1000, true), Stop::Fatal);
    EXPECT_EQ(h2.pc(), at(1));
    EXPECT_EQ(h2.time(), 1u);
    const std::string& m = h2.fatal_message();
    EXPECT_NE(m.find("core 2"), std::string::npos) << m;
    EXPECT_NE(m.find("environment call"), std::string::npos) << m;
    EXPECT_NE(m.find("0x80000004"), std::string::npos) << m;

    load({nop(), nop(), 0});
    EXPECT_EQ(h.run(1000, 1000, true), Stop::Fatal);
    EXPECT_NE(h.fatal_message().find("core 0"), std::string::npos) << h.fatal_message();
    EXPECT_NE(h.fatal_message().find("illegal instruction"), std::string::npos) << h.fatal_message();
    EXPECT_NE(h.fatal_message().find("0x80000008"), std::string::npos) << h.fatal_message();

    // An interrupt with no handler.
    load({csrw(kMie, a1), csrrsi(zero, kMstatus, 8), nop()});
    h.set_reg(a1, kMTIP);
    h.set_irq_line(kMTIP, true);
    EXPECT_EQ(h.run(1000, 1000, true), Stop::Fatal);
    EXPECT_NE(h.fatal_message().find("core 0"), std::string::npos) << h.fatal_message();
    EXPECT_NE(h.fatal_message().find("interrupt 7"), std::string::npos) << h.fatal_message();
    EXPECT_NE(h.fatal_message().find("0x80000008"), std::string::npos) << h.fatal_message();
}

// ---- Interrupts ------------------------------------------------------------------------------------------------------

TEST_F(HartTrap, TimerInterruptTakenAtTheFirstBoundaryAfterEnabling) {
    load_with_handler({csrw(kMtval, a2), csrw(kMie, a1), csrrsi(zero, kMstatus, 8), nop(), nop()});
    h.set_reg(a1, kMTIP);
    h.set_reg(a2, 0x1234);
    h.set_irq_line(kMTIP, true);
    run_to(kHandler);
    expect_trap(0x80000007, at(4), 0);  // mtval = 0 for interrupts
    EXPECT_EQ(h.time(), 2u + 2u + 2u + 2u + 4u);
    EXPECT_EQ(h.instret(), 4u);
    EXPECT_EQ(csr(kMstatus), 0x1880u);  // MIE stacked into MPIE
}

TEST_F(HartTrap, InterruptPriorityAndVectoring) {
    const struct {
        uint32_t lines, enabled, cause;
    } cases[] = {
        {kMEIP | kMSIP | kMTIP, kMEIP | kMSIP | kMTIP, 11},
        {kMEIP | kMSIP | kMTIP, kMSIP | kMTIP, 3},
        {kMEIP | kMSIP | kMTIP, kMTIP, 7},
        {kMSIP | kMTIP, kMEIP | kMSIP | kMTIP, 3},
        {kMEIP | kMTIP, kMEIP | kMTIP, 11},
        {kMTIP, kMEIP | kMSIP | kMTIP, 7},
        {kMSIP, kMSIP, 3},
        {kMEIP, kMEIP, 11},
    };
    for (const auto& c : cases) {
        for (bool vectored : {false, true}) {
            SCOPED_TRACE(testing::Message() << "lines 0x" << std::hex << c.lines << " mie 0x" << c.enabled
                                            << (vectored ? " vectored" : " direct"));
            load_with_handler({csrw(kMie, a1), csrrsi(zero, kMstatus, 8), nop()}, vectored ? kHandler | 1 : kHandler);
            h.set_reg(a1, c.enabled);
            h.set_irq_line(c.lines, true);
            uint32_t target = vectored ? kHandler + 4 * c.cause : kHandler;
            run_to(target);
            EXPECT_EQ(csr(kMcause), 0x80000000u | c.cause);
            EXPECT_EQ(csr(kMepc), at(3));
            EXPECT_EQ(h.time(), 10u);
        }
    }
}

TEST_F(HartTrap, VectoredModeSendsExceptionsToTheBase) {
    load_with_handler({ecall()}, kHandler | 1);
    run_to(kHandler);
    EXPECT_EQ(csr(kMcause), 11u);
    EXPECT_EQ(h.time(), 6u);
}

TEST_F(HartTrap, InterruptsNeedMieAndTheirEnableBit) {
    // mie set, mstatus.MIE clear: not taken.
    uint32_t end = load_with_handler({csrw(kMie, a1), nop(), nop()});
    h.set_reg(a1, kMTIP | kMSIP | kMEIP);
    h.set_irq_line(kMTIP | kMSIP | kMEIP, true);
    EXPECT_EQ(run_to(end), Stop::Limit);
    EXPECT_EQ(h.time(), 6u);
    // MIE set, the line's mie bit clear: not taken.
    end = load_with_handler({csrw(kMie, a1), csrrsi(zero, kMstatus, 8), nop(), nop()});
    h.set_reg(a1, kMTIP | kMSIP);
    h.set_irq_line(kMEIP, true);
    EXPECT_EQ(run_to(end), Stop::Limit);
    EXPECT_EQ(h.time(), 8u);
    EXPECT_EQ(csr(kMcause), 0u);
}

TEST_F(HartTrap, InterruptArrivingMidProgram) {
    uint32_t end = load_with_handler(
        {csrw(kMie, a1), csrrsi(zero, kMstatus, 8), addi(a2, zero, 1), addi(a3, zero, 2), addi(a4, zero, 3)},
        kHandler, {csrw(kMie, zero), mret()});
    h.set_reg(a1, kMEIP);
    run_to(at(4));  // a2 written, a3 not yet
    EXPECT_EQ(h.time(), 7u);
    h.set_irq_line(kMEIP, true);
    EXPECT_EQ(step(), Stop::Limit);  // the interrupt entry alone
    EXPECT_EQ(h.pc(), kHandler);
    EXPECT_EQ(h.time(), 11u);
    expect_trap(0x8000000b, at(4), 0);
    EXPECT_EQ(h.reg(a3), 0u);
    run_to(end);  // handler masks the line and returns to the interrupted instruction
    EXPECT_EQ(h.reg(a3), 2u);
    EXPECT_EQ(h.reg(a4), 3u);
    EXPECT_EQ(csr(kMstatus), 0x1888u);
    EXPECT_EQ(h.time(), 11u + 2u + 4u + 1u + 1u);
    EXPECT_EQ(h.instret(), 4u + 2u + 2u);
}

TEST_F(HartTrap, LineDroppedBeforeTheBoundaryIsNotTaken) {
    uint32_t end = load_with_handler({csrw(kMie, a1), csrrsi(zero, kMstatus, 8), nop(), nop()});
    h.set_reg(a1, kMTIP);
    run_to(at(3));
    h.set_irq_line(kMTIP, true);
    h.set_irq_line(kMTIP, false);
    EXPECT_EQ(run_to(end), Stop::Limit);
    EXPECT_EQ(h.time(), 8u);
}

TEST_F(HartTrap, MretRestoresMieFromMpie) {
    uint32_t end = load({csrw(kMepc, a1), mret(), addi(a0, zero, 1), addi(a2, zero, 2)});
    h.set_reg(a1, at(3));
    run_to(end);
    EXPECT_EQ(h.reg(a0), 0u);
    EXPECT_EQ(h.reg(a2), 2u);
    EXPECT_EQ(csr(kMstatus), 0x1880u);  // MIE = MPIE (0), MPIE = 1
    EXPECT_EQ(h.time(), 2u + 4u + 1u);

    end = load({csrw(kMstatus, a2), csrw(kMepc, a1), mret(), nop()});
    h.set_reg(a1, at(3));
    h.set_reg(a2, 0x80);
    run_to(end);
    EXPECT_EQ(csr(kMstatus), 0x1888u);  // MIE = MPIE (1), MPIE = 1
    EXPECT_EQ(h.time(), 2u + 2u + 4u + 1u);
}

TEST_F(HartTrap, MretIntoAPendingInterrupt) {
    load_with_handler({csrw(kMie, a1), csrw(kMstatus, a2), csrw(kMepc, a3), mret(), nop(), nop()});
    h.set_reg(a1, kMSIP);
    h.set_reg(a2, 0x80);  // MPIE
    h.set_reg(a3, at(6));
    h.set_irq_line(kMSIP, true);
    run_to(kHandler);
    expect_trap(0x80000003, at(6), 0);  // taken at the MRET's target, before it executes
    EXPECT_EQ(h.time(), 2u + 2u + 2u + 2u + 4u + 4u);
}

// ---- WFI -------------------------------------------------------------------------------------------------------------

TEST_F(HartTrap, WfiSleepsUntilWoken) {
    uint32_t end = load({nop(), nop(), wfi(), addi(a0, zero, 1)});
    EXPECT_EQ(h.run(1000, 1000, true), Stop::Sleep);
    EXPECT_EQ(h.state(), Hart::State::Sleeping);
    EXPECT_EQ(h.time(), 3u);  // WFI: 1 cycle, then the hart sleeps
    EXPECT_EQ(h.pc(), at(3));
    EXPECT_EQ(h.instret(), 3u);
    EXPECT_EQ(h.run(1000, 1000, true), Stop::Sleep);  // still asleep: nothing happens
    EXPECT_EQ(h.time(), 3u);
    EXPECT_EQ(h.reg(a0), 0u);
    EXPECT_FALSE(h.wake_pending());

    h.wake(100);
    EXPECT_EQ(h.state(), Hart::State::Running);
    EXPECT_EQ(h.time(), 102u);  // max(100, 3) + wfi_wakeup_cycles
    EXPECT_EQ(h.sleep_cycles(), 97u);
    h.wake(500);  // not sleeping: no effect
    EXPECT_EQ(h.time(), 102u);
    run_to(end);
    EXPECT_EQ(h.reg(a0), 1u);
    EXPECT_EQ(h.time(), 103u);
}

TEST_F(HartTrap, EndSleepAccountsSleepUpToTheEndOfARun) {
    load({nop(), wfi(), nop()});
    EXPECT_EQ(h.run(1000, 1000, true), Stop::Sleep);
    EXPECT_EQ(h.time(), 2u);
    h.end_sleep(1);  // before the WFI ended: nothing
    EXPECT_EQ(h.time(), 2u);
    EXPECT_EQ(h.sleep_cycles(), 0u);
    h.end_sleep(40);
    EXPECT_EQ(h.time(), 40u);
    EXPECT_EQ(h.sleep_cycles(), 38u);
    EXPECT_EQ(h.state(), Hart::State::Sleeping);
    h.wake(50);  // sleep accounted from 40 on
    EXPECT_EQ(h.sleep_cycles(), 48u);
    EXPECT_EQ(h.time(), 52u);
    h.end_sleep(100);  // running: nothing
    EXPECT_EQ(h.time(), 52u);
    EXPECT_EQ(h.sleep_cycles(), 48u);
}

TEST_F(HartTrap, WakeBeforeTheEndOfWfi) {
    load({nop(), wfi(), nop()});
    EXPECT_EQ(h.run(1000, 1000, true), Stop::Sleep);
    EXPECT_EQ(h.time(), 2u);
    h.wake(1);
    EXPECT_EQ(h.time(), 4u);  // max(1, 2) + 2
    EXPECT_EQ(h.sleep_cycles(), 0u);
}

TEST_F(HartTrap, WfiWokenByAnInterrupt) {
    load_with_handler({csrw(kMie, a1), csrrsi(zero, kMstatus, 8), wfi(), nop()});
    h.set_reg(a1, kMTIP);
    EXPECT_EQ(h.run(1000, 1000, true), Stop::Sleep);
    EXPECT_EQ(h.time(), 7u);
    EXPECT_FALSE(h.wake_pending());
    h.set_irq_line(kMEIP, true);  // not enabled in mie: no wake-up
    EXPECT_FALSE(h.wake_pending());
    h.set_irq_line(kMTIP, true);
    EXPECT_TRUE(h.wake_pending());
    h.wake(50);
    EXPECT_EQ(step(), Stop::Limit);
    EXPECT_EQ(h.pc(), kHandler);
    expect_trap(0x80000007, at(4), 0);  // mepc = the instruction after WFI
    EXPECT_EQ(h.time(), 52u + 4u);
}

TEST_F(HartTrap, WfiWithMieClearWakesAndGoesOn) {
    // wake_pending looks at mip & mie only; with mstatus.MIE clear the hart resumes after the WFI without a trap.
    uint32_t end = load_with_handler({csrw(kMie, a1), wfi(), addi(a0, zero, 1)});
    h.set_reg(a1, kMSIP);
    EXPECT_EQ(h.run(1000, 1000, true), Stop::Sleep);
    EXPECT_EQ(h.time(), 5u);
    h.set_irq_line(kMSIP, true);
    EXPECT_TRUE(h.wake_pending());
    h.wake(20);
    run_to(end);
    EXPECT_EQ(h.reg(a0), 1u);
    EXPECT_EQ(h.time(), 23u);
    EXPECT_EQ(csr(kMcause), 0u);
}

TEST_F(HartTrap, WfiWithAnInterruptPendingIsANop) {
    uint32_t end = load_with_handler({csrw(kMie, a1), wfi(), addi(a0, zero, 1)});
    h.set_reg(a1, kMSIP);
    h.set_irq_line(kMSIP, true);
    EXPECT_EQ(run_to(end), Stop::Limit);
    EXPECT_EQ(h.state(), Hart::State::Running);
    EXPECT_EQ(h.reg(a0), 1u);
    EXPECT_EQ(h.time(), 2u + 2u + 1u + 1u);
    EXPECT_EQ(h.instret(), 4u);
}

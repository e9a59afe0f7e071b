// The hart's tracing hooks (CpuEventObserver, HintObserver) report traps, MRET, mstatus.MIE, WFI and HINTs at the
// exact cycles of the timing model, and observing changes no cycle (tests/unit/hart_fixture.h: a hart on RAM).
#include "hart_fixture.h"

#include <string>
#include <vector>

using namespace oobsim_test;
using namespace rv;
using oobsim::kMTIP;

namespace {

struct EventLog : oobsim::CpuEventObserver, oobsim::HintObserver {
    std::vector<std::string> events;
    void add(const std::string& s) { events.push_back(s); }
    static std::string hex(uint32_t v) {
        char b[16];
        std::snprintf(b, sizeof b, "0x%x", v);
        return b;
    }
    void on_trap(unsigned cpu, uint64_t cycle, uint32_t mcause, uint32_t epc, uint32_t tval) override {
        add(std::to_string(cycle) + " cpu" + std::to_string(cpu) + " trap " + hex(mcause) + " " + hex(epc) + " " +
            hex(tval));
    }
    void on_mret(unsigned, uint64_t cycle, uint32_t pc, uint32_t target) override {
        add(std::to_string(cycle) + " mret " + hex(pc) + " -> " + hex(target));
    }
    void on_mie(unsigned, uint64_t cycle, bool enabled) override {
        add(std::to_string(cycle) + " mie " + std::to_string(enabled));
    }
    void on_sleep(unsigned, uint64_t cycle) override { add(std::to_string(cycle) + " sleep"); }
    void on_wake(unsigned, uint64_t cycle) override { add(std::to_string(cycle) + " wake"); }
    void on_hint(unsigned, uint64_t cycle, uint32_t id, uint32_t value) override {
        add(std::to_string(cycle) + " hint " + std::to_string(id) + " " + std::to_string(value));
    }
};

using Events = std::vector<std::string>;

}  // namespace

TEST_F(HartTest, TrapMretAndMieAreReportedAtTheirCycles) {
    EventLog log;
    h.set_cpu_observer(&log);
    // csrw mtvec (0..2), csrrsi mstatus.MIE (2..4), ecall at 4 -> handler at 8: csrr (8..10), addi (10..11),
    // csrw mepc (11..13), a HINT (zero cycles), mret at 13 (..17), then the addi after the ecall at 17.
    const uint32_t end = load_with_handler({csrrsi(zero, kMstatus, 8), ecall(), addi(a1, zero, 1)}, kHandler,
                                           {csrr(a0, kMepc), addi(a0, a0, 4), csrw(kMepc, a0), slti(zero, a0, 77),
                                            mret()});
    h.set_hint_observer(&log);
    run_to(end);
    EXPECT_EQ(log.events, (Events{"2 mie 1", "4 cpu0 trap 0xb 0x80000008 0x0", "4 mie 0", "13 hint 77 2147483660",
                                  "13 mret 0x80004010 -> 0x8000000c", "13 mie 1"}));
    EXPECT_EQ(h.time(), 18u);  // as without observers (tests/unit/hart_trap_test.cpp, HandlerReturnsWithMret)
    EXPECT_EQ(h.instret(), 7u);
}

TEST_F(HartTest, InterruptAndWfiAreReported) {
    EventLog log;
    h.set_cpu_observer(&log);
    // csrw mtvec (0..2), csrw mie (2..4), csrrsi MIE at 4 (..6), wfi (6..7): asleep at 7.
    load_with_handler({csrw(kMie, a1), csrrsi(zero, kMstatus, 8), wfi(), nop()});
    h.set_reg(a1, kMTIP);
    EXPECT_EQ(h.run(1000, 1000, true), Stop::Sleep);
    h.set_irq_line(kMTIP, true);
    h.wake(50);    // resumes at 52, takes the interrupt there
    EXPECT_EQ(step(), Stop::Limit);
    EXPECT_EQ(h.pc(), kHandler);
    EXPECT_EQ(log.events, (Events{"4 mie 1", "7 sleep", "50 wake", "52 cpu0 trap 0x80000007 0x80000010 0x0",
                                  "52 mie 0"}));
    EXPECT_EQ(h.time(), 56u);  // as without observers (WfiWokenByAnInterrupt)
}

TEST_F(HartTest, MieWritesThatChangeNothingAreNotReported) {
    EventLog log;
    h.set_cpu_observer(&log);
    const uint32_t end = load({csrrci(zero, kMstatus, 8), csrrsi(zero, kMstatus, 0x80), csrrsi(zero, kMstatus, 8),
                               csrrsi(zero, kMstatus, 8), csrrci(zero, kMstatus, 8)});
    run_to(end);
    EXPECT_EQ(log.events, (Events{"4 mie 1", "8 mie 0"}));
}

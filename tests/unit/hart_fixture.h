// A standalone Hart on a small RAM at 0x8000_0000 with a fake device bus: no SystemC elaboration.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include "models/cpu/hart.h"
#include "rv_asm.h"

namespace oobsim_test {

using oobsim::Hart;
using Stop = oobsim::Hart::Stop;

// The bus beyond RAM: answers in [lo, hi) and records every access; elsewhere a bus error.
struct FakeBus : oobsim::DeviceBus {
    struct Access {
        unsigned cpu;
        bool is_write;
        uint32_t addr, size, data;
    };
    uint32_t lo = 0x10000000, hi = 0x10001000;
    uint32_t read_value = 0;  // what every read returns
    uint32_t latency = 0;     // extra cycles the device annotates on each access
    std::vector<Access> log;
    bool access(unsigned cpu, bool is_write, uint32_t addr, uint32_t size, uint32_t* data,
                uint32_t* extra_cycles) override {
        if (addr < lo || addr >= hi) return false;
        *extra_cycles = latency;
        if (!is_write) *data = read_value;
        log.push_back({cpu, is_write, addr, size, *data});
        return true;
    }
};

struct HintRecord {
    unsigned cpu;
    uint64_t cycle;
    uint32_t id, value;
    bool operator==(const HintRecord& o) const {
        return cpu == o.cpu && cycle == o.cycle && id == o.id && value == o.value;
    }
};
inline std::ostream& operator<<(std::ostream& os, const HintRecord& r) {
    return os << "{cpu " << r.cpu << ", cycle " << r.cycle << ", id " << r.id << ", value " << r.value << "}";
}
struct HintLog : oobsim::HintObserver {
    std::vector<HintRecord> hints;
    void on_hint(unsigned cpu, uint64_t cycle, uint32_t id, uint32_t value) override {
        hints.push_back({cpu, cycle, id, value});
    }
};

class HartTest : public ::testing::Test {
protected:
    static constexpr uint32_t kBase = 0x80000000, kSize = 0x10000;
    static constexpr uint32_t kData = kBase + 0x8000;  // a data area well clear of the programs
    static constexpr uint32_t kHandler = kBase + 0x4000;  // where tests put trap handlers

    std::vector<uint8_t> ram = std::vector<uint8_t>(kSize);
    oobsim::Memory mem{ram.data(), kBase, kSize};
    oobsim::TimingProfile timing;  // the default profile unless a test changes it before load()
    FakeBus bus;
    Hart h{0, mem, timing, &bus};

    static constexpr uint32_t at(unsigned index) { return kBase + 4 * index; }  // address of the index-th word

    // Writes words from addr on, without resetting the hart.
    void place(std::initializer_list<uint32_t> words, uint32_t addr) {
        for (uint32_t w : words) {
            poke32(addr, w);
            addr += 4;
        }
    }
    // Places a program at 0x8000_0000 followed by a self-loop, and resets the hart there at cycle 0.
    // Returns the address just past the program (where run_to() usually stops).
    uint32_t load(std::initializer_list<uint32_t> prog) {
        place(prog, kBase);
        uint32_t end = kBase + 4 * uint32_t(prog.size());
        poke32(end, rv::jal(rv::zero, 0));
        h.reset(kBase);
        return end;
    }

    // Like load(), but the program starts with "csrw mtvec, t6" (t6 = mtvec: 2 cycles, 1 instruction) before body,
    // and handler (default: a self-loop) is placed at kHandler. Returns the address just past body.
    uint32_t load_with_handler(std::initializer_list<uint32_t> body, uint32_t mtvec = kHandler,
                               std::initializer_list<uint32_t> handler = {rv::jal(rv::zero, 0)}) {
        std::vector<uint32_t> prog{rv::csrw(rv::kMtvec, rv::t6)};
        prog.insert(prog.end(), body);
        for (size_t i = 0; i < prog.size(); ++i) poke32(at(unsigned(i)), prog[i]);
        uint32_t end = at(unsigned(prog.size()));
        poke32(end, rv::jal(rv::zero, 0));
        place(handler, kHandler);
        h.reset(kBase);
        h.set_reg(rv::t6, mtvec);
        return end;
    }

    // Test-side writes bypass the hart, so they also drop the decoded-instruction cache (programs are rewritten
    // between cases; a hart's own stores to code are what the self-modifying-code tests check).
    void poke32(uint32_t addr, uint32_t v) {
        std::memcpy(&ram.at(addr - kBase), &v, 4);
        mem.invalidate_all_decoded();
    }
    uint32_t peek32(uint32_t addr) const {
        uint32_t v;
        std::memcpy(&v, &ram.at(addr - kBase), 4);
        return v;
    }
    uint32_t csr(uint32_t n) const {
        uint32_t v = 0xdeadbeef;
        EXPECT_TRUE(h.read_csr(n, &v)) << "csr 0x" << std::hex << n;
        return v;
    }

    // Runs the single instruction insn at the reset pc with a1 = x, a2 = y (a0 preset to a marker); returns a0.
    uint32_t exec(uint32_t insn, uint32_t x, uint32_t y = 0) {
        load({insn});
        h.set_reg(rv::a0, 0x5a5a5a5a);
        h.set_reg(rv::a1, x);
        h.set_reg(rv::a2, y);
        EXPECT_EQ(run_to(at(1)), Stop::Limit);
        EXPECT_EQ(h.instret(), 1u);
        return h.reg(rv::a0);
    }

    // One step: run() with both limits one cycle ahead, so exactly one instruction (with any zero-cycle hints
    // before it), one trap entry or one interrupt entry happens; device accesses are allowed.
    Stop step() { return h.run(h.time() + 1, h.time() + 1, true); }

    // Steps until the hart is about to execute pc (or stops for another reason than Limit/AfterMmio).
    Stop run_to(uint32_t pc, unsigned max_steps = 10000) {
        Stop s = Stop::Limit;
        for (unsigned i = 0; i < max_steps; ++i) {
            if (h.pc() == pc) return s;
            s = step();
            if (s != Stop::Limit && s != Stop::AfterMmio) return s;
        }
        ADD_FAILURE() << "pc 0x" << std::hex << pc << " not reached; pc is 0x" << h.pc();
        return s;
    }
    // Steps until n more instructions have retired.
    Stop run_insns(uint64_t n) {
        uint64_t target = h.instret() + n;
        Stop s = Stop::Limit;
        for (unsigned i = 0; i < 10000 && h.instret() < target; ++i) {
            s = step();
            if (s != Stop::Limit && s != Stop::AfterMmio) return s;
        }
        EXPECT_EQ(h.instret(), target);
        return s;
    }
};

}  // namespace oobsim_test

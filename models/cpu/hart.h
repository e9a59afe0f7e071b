// One RV32IMA + Zicsr + Zifencei hart in machine mode, with its timing model.
//
// The hart has a local time t: the cycle at which its next instruction starts. run() executes instructions while
// t stays below the limits the scheduler gives it, so the scheduler (cluster.h) decides the global order of effects:
//   - lim_local: no instruction may start at or after it;
//   - lim_mem:   no instruction that touches memory or a device may start at or after it;
//   - mmio_ok:   a device access may be made (the scheduler guarantees it comes in the reference order); run() returns
//                right after it, unless DeviceBus::limit_after_access() says how far it may go on.
// Nothing in the per-instruction path allocates, calls a virtual function or touches SystemC.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "isa.h"
#include "timing.h"

namespace oobsim {

class Hart;

// The bus beyond RAM, as a hart sees it (the platform implements it with TLM-2.0 transactions carrying the CPU id).
class DeviceBus {
public:
    virtual ~DeviceBus() = default;
    // Returns false when nothing answers at addr (a bus error: the hart takes a precise access fault).
    // `extra_cycles` (set to 0 by the caller) receives any access latency the device adds to mmio_latency.
    virtual bool access(unsigned cpu, bool is_write, uint32_t addr, uint32_t size, uint32_t* data,
                        uint32_t* extra_cycles) = 0;
    // Asked after each access: the hart may go on through instructions starting before the returned cycle (within its
    // own limits too), because nothing the access set in motion happens sooner. 0, the default: run() returns
    // Stop::AfterMmio right after the access, so that the caller looks at what the access changed.
    virtual uint64_t limit_after_access() { return 0; }
};

// Observers: called only when registered, never on the fast path otherwise.
class HintObserver {
public:
    virtual ~HintObserver() = default;
    virtual void on_hint(unsigned cpu, uint64_t cycle, uint32_t id, uint32_t value) = 0;
};
class InsnObserver {
public:
    virtual ~InsnObserver() = default;
    // After each retired instruction: its start cycle, pc and encoding.
    virtual void on_insn(unsigned cpu, uint64_t cycle, uint32_t pc, uint32_t insn) = 0;
};
// Architectural events for tracing (sim/trace): traps, mret, changes of mstatus.MIE, WFI sleep and wake-up. `cycle` is
// the start cycle of the instruction (or the trap point); a wake-up is reported at the cycle the interrupt woke it.
class CpuEventObserver {
public:
    virtual ~CpuEventObserver() = default;
    // A trap was taken at `cycle`: mcause, mepc (the interrupted or faulting pc) and mtval. mstatus.MIE is now 0.
    virtual void on_trap(unsigned cpu, uint64_t cycle, uint32_t mcause, uint32_t epc, uint32_t tval) = 0;
    // An MRET at `pc` started at `cycle`, returning to `target`.
    virtual void on_mret(unsigned cpu, uint64_t cycle, uint32_t pc, uint32_t target) = 0;
    // mstatus.MIE changed (a trap, an MRET or a CSR write), by the instruction starting at `cycle`.
    virtual void on_mie(unsigned cpu, uint64_t cycle, bool enabled) = 0;
    // WFI put the core to sleep at `cycle`; an interrupt woke it at `cycle`.
    virtual void on_sleep(unsigned cpu, uint64_t cycle) = 0;
    virtual void on_wake(unsigned cpu, uint64_t cycle) = 0;
};
// Reports what the guest did wrong in a way the user should hear about (unmapped access, trap with no handler).
class FaultObserver {
public:
    virtual ~FaultObserver() = default;
    virtual void on_bus_error(unsigned cpu, uint32_t pc, uint32_t addr, bool is_write, bool is_fetch) = 0;
};

// RAM and everything about it that all harts share: the decoded-instruction cache, LR/SC reservations and
// watched words (the riscv-tests `tohost`).
class Memory {
public:
    Memory(uint8_t* ram, uint32_t base, uint32_t size);

    uint8_t* ram() const { return ram_; }
    uint32_t base() const { return base_; }
    uint32_t size() const { return size_; }
    bool contains(uint32_t addr, uint32_t len) const {
        return addr - base_ < size_ && len <= size_ - (addr - base_);
    }

    void add_hart(Hart* h) { harts_.push_back(h); }
    // A store to this word ends the simulation: tohost-style pass/fail (value & 1: exit code value >> 1).
    void watch_tohost(uint32_t addr);
    bool tohost_seen() const { return tohost_seen_; }
    uint32_t tohost_value() const { return tohost_value_; }

    // Decoded instructions, one page of them per 4 KiB page of RAM, made on first fetch.
    static constexpr uint32_t kPageShift = 12;
    static constexpr uint32_t kWordsPerPage = 1u << (kPageShift - 2);
    const DecodedInsn* decoded(uint32_t offset) {
        DecodedInsn* page = pages_[offset >> kPageShift].get();
        if (!page) page = decode_page(offset >> kPageShift);
        DecodedInsn* d = &page[(offset >> 2) & (kWordsPerPage - 1)];
        if (__builtin_expect(d->op == Op::UNDECODED, 0)) *d = decode(load_word(offset));
        return d;
    }
    // Called after every store to RAM; returns true when the store must end the hart's run (tohost written).
    bool after_store(unsigned cpu, uint32_t offset, uint32_t len) {
        // A misaligned store may end on the next page.
        uint8_t f = page_flags_[offset >> kPageShift] | page_flags_[(offset + len - 1) >> kPageShift];
        return __builtin_expect(f != 0, 0) ? store_slow(cpu, offset, len, f) : false;
    }
    void invalidate_all_decoded();  // fence.i
    void set_reservation_page(uint32_t offset) { page_flags_[offset >> kPageShift] |= kReserved; }

private:
    enum : uint8_t { kDecoded = 1, kWatched = 2, kReserved = 4 };
    uint32_t load_word(uint32_t offset) const {
        uint32_t w;
        std::memcpy(&w, ram_ + offset, 4);
        return w;
    }
    DecodedInsn* decode_page(uint32_t page);
    bool store_slow(unsigned cpu, uint32_t offset, uint32_t len, uint8_t flags);

    uint8_t* ram_;
    uint32_t base_, size_;
    std::vector<std::unique_ptr<DecodedInsn[]>> pages_;
    std::vector<uint8_t> page_flags_;
    std::vector<Hart*> harts_;
    uint32_t tohost_offset_ = ~0u;
    bool tohost_seen_ = false;
    uint32_t tohost_value_ = 0;
};

// Machine-level interrupt bits of mip/mie.
enum : uint32_t { kMSIP = 1u << 3, kMTIP = 1u << 7, kMEIP = 1u << 11 };

class Hart {
public:
    enum class Stop {
        Limit,      // t reached lim_local
        Order,      // the next instruction touches memory and t reached lim_mem
        NeedMmio,   // the next instruction accesses a device and mmio_ok was false (nothing was executed)
        AfterMmio,  // a device access was made and DeviceBus::limit_after_access() gave 0; the instruction is complete
        Sleep,      // WFI with no interrupt pending: the hart sleeps until one is
        Exit,       // tohost was written: the firmware asks to end the run (see stop_cycle())
        Fatal,      // a trap with no handler (mtvec = 0): see fatal_message()
    };
    enum class State { Running, Sleeping };

    Hart(unsigned id, Memory& mem, const TimingProfile& timing, DeviceBus* bus = nullptr);

    void reset(uint32_t pc, uint64_t cycle = 0);
    template <bool kObserved>
    Stop run(uint64_t lim_local, uint64_t lim_mem, bool mmio_ok);
    Stop run(uint64_t lim_local, uint64_t lim_mem, bool mmio_ok) {
        return observed_ ? run<true>(lim_local, lim_mem, mmio_ok) : run<false>(lim_local, lim_mem, mmio_ok);
    }

    // Interrupt inputs (kMSIP, kMTIP, kMEIP), driven by devices at their event times.
    void set_irq_line(uint32_t bit, bool level) {
        mip_ = level ? (mip_ | bit) : (mip_ & ~bit);
        update_irq_poll();
    }
    // An interrupt is pending and enabled in mie (wakes WFI whatever mstatus.MIE says).
    bool wake_pending() const { return (mip_ & mie_) != 0; }
    // A sleeping hart resumes with its next instruction boundary at max(cycle, end of WFI) + wfi_wakeup_cycles.
    void wake(uint64_t cycle);
    // At the end of a run: a sleeping hart has slept until `cycle`.
    void end_sleep(uint64_t cycle) {
        if (state_ == State::Sleeping && cycle > sleep_start_) {
            sleep_cycles_ += cycle - sleep_start_;
            sleep_start_ = t_ = cycle;
        }
    }
    // The start cycle of the instruction that returned Stop::Exit (its store to tohost).
    uint64_t stop_cycle() const { return stop_cycle_; }

    unsigned id() const { return id_; }
    State state() const { return state_; }
    uint64_t time() const { return t_; }
    uint64_t instret() const { return instret_; }
    uint64_t sleep_cycles() const { return sleep_cycles_; }
    uint32_t pc() const { return pc_; }
    uint32_t reg(unsigned i) const { return x_[i]; }
    void set_reg(unsigned i, uint32_t v) {
        if (i) x_[i] = v;
    }
    uint32_t mip() const { return mip_; }
    // Reads any CSR as the guest would (for tests and reports); returns false for a CSR that does not exist.
    bool read_csr(uint32_t csr, uint32_t* value) const;
    const std::string& fatal_message() const { return fatal_; }

    void set_hint_observer(HintObserver* o) { hint_obs_ = o; refresh_observed(); }
    void set_insn_observer(InsnObserver* o) { insn_obs_ = o; refresh_observed(); }
    void set_fault_observer(FaultObserver* o) { fault_obs_ = o; }
    void set_cpu_observer(CpuEventObserver* o) { cpu_obs_ = o; refresh_observed(); }

    // LR/SC: another hart's store to the reservation granule breaks this hart's reservation.
    void break_reservation_if(uint32_t offset, uint32_t len) {
        if (resv_valid_ && offset < (resv_offset_ & ~3u) + 4 && (resv_offset_ & ~3u) < offset + len) resv_valid_ = false;
    }

private:
    // Trap causes (mcause without the interrupt bit).
    enum Cause : uint32_t {
        kInsnMisaligned = 0, kInsnAccessFault = 1, kIllegal = 2, kBreakpoint = 3, kLoadMisaligned = 4,
        kLoadAccessFault = 5, kStoreMisaligned = 6, kStoreAccessFault = 7, kEcallM = 11,
    };
    void refresh_observed() { observed_ = hint_obs_ || insn_obs_ || cpu_obs_; }
    void update_irq_poll() { irq_poll_ = (mip_ & mie_) && (mstatus_ & kMstatusMIE); }
    // Both take pc_/t_ as the trap point and return false when there is no handler (Fatal).
    bool take_exception(uint32_t cause, uint32_t tval);
    bool take_interrupt();
    // The instruction starts at t (reads see that cycle) and the next one at t_next (a write to mcycle is what
    // the instruction at t_next reads). Returns false for an illegal instruction.
    bool csr_op(const DecodedInsn& d, uint64_t t, uint64_t t_next, uint32_t* rd_value);
    bool csr_read(uint32_t csr, uint64_t t, uint32_t* value) const;
    bool csr_write(uint32_t csr, uint32_t value, uint64_t t, uint64_t t_next);
    bool mmio(bool is_write, uint32_t addr, uint32_t size, uint32_t* data, uint32_t* extra_cycles);
    void recompute_costs();

    static constexpr uint32_t kMstatusMIE = 1u << 3, kMstatusMPIE = 1u << 7, kMstatusMPP = 3u << 11;

    // Hot state first.
    std::array<uint32_t, 33> x_{};  // x_[32] is where writes to x0 go
    uint32_t pc_ = 0;
    uint64_t t_ = 0;
    uint64_t instret_ = 0;
    uint8_t load_rd_ = kNoReg;  // destination of the load just retired (for the load-use stall)
    bool irq_poll_ = false;
    bool observed_ = false;
    State state_ = State::Running;
    Memory& mem_;
    std::array<uint32_t, kNumOps> cost_{};

    // Machine CSRs.
    uint32_t mstatus_ = kMstatusMPP, mie_ = 0, mip_ = 0, mtvec_ = 0, mscratch_ = 0, mepc_ = 0, mcause_ = 0, mtval_ = 0;
    int64_t mcycle_offset_ = 0;  // mcycle = t + offset
    bool instret_written_ = false;

    // Physical memory protection: the registers (16 entries, 4-byte granularity, WARL as the privileged spec says).
    // In machine mode only locked entries would restrict accesses; locking is accepted but not enforced.
    static constexpr uint32_t kPmpEntries = 16;
    static constexpr uint8_t kPmpLock = 0x80;
    std::array<uint8_t, kPmpEntries> pmpcfg_{};
    std::array<uint32_t, kPmpEntries> pmpaddr_{};

    // LR/SC reservation.
    bool resv_valid_ = false;
    uint32_t resv_offset_ = 0;

    uint64_t sleep_start_ = 0, sleep_cycles_ = 0, stop_cycle_ = 0;
    unsigned id_;
    const TimingProfile& timing_;
    DeviceBus* bus_;
    HintObserver* hint_obs_ = nullptr;
    InsnObserver* insn_obs_ = nullptr;
    FaultObserver* fault_obs_ = nullptr;
    CpuEventObserver* cpu_obs_ = nullptr;
    std::string fatal_;
};

}  // namespace oobsim

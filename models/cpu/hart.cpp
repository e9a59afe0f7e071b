#include "hart.h"

#include <cstdio>

namespace oobsim {

// ---- Memory --------------------------------------------------------------------------------------------------------

Memory::Memory(uint8_t* ram, uint32_t base, uint32_t size)
    : ram_(ram), base_(base), size_(size), pages_((size + (1u << kPageShift) - 1) >> kPageShift),
      page_flags_(pages_.size(), 0) {}

void Memory::watch_tohost(uint32_t addr) {
    if (!contains(addr, 4)) return;
    tohost_offset_ = addr - base_;
    page_flags_[tohost_offset_ >> kPageShift] |= kWatched;
}

DecodedInsn* Memory::decode_page(uint32_t page) {
    pages_[page].reset(new DecodedInsn[kWordsPerPage]);  // all UNDECODED: each word is decoded on first fetch
    page_flags_[page] |= kDecoded;
    return pages_[page].get();
}

void Memory::invalidate_all_decoded() {
    for (size_t p = 0; p < pages_.size(); ++p) {
        if (!pages_[p]) continue;
        for (uint32_t i = 0; i < kWordsPerPage; ++i) pages_[p][i].op = Op::UNDECODED;
    }
}

bool Memory::store_slow(unsigned cpu, uint32_t offset, uint32_t len, uint8_t flags) {
    if (flags & kDecoded) {
        // Self-modifying code: forget the decoded words the store touched (they are decoded again when fetched).
        for (uint32_t w = offset & ~3u; w < offset + len; w += 4)
            if (DecodedInsn* page = pages_[w >> kPageShift].get()) page[(w >> 2) & (kWordsPerPage - 1)].op = Op::UNDECODED;
    }
    if (flags & kReserved)
        for (Hart* h : harts_)
            if (h->id() != cpu) h->break_reservation_if(offset, len);
    if ((flags & kWatched) && offset <= tohost_offset_ + 3 && tohost_offset_ < offset + len) {
        std::memcpy(&tohost_value_, ram_ + tohost_offset_, 4);
        if (tohost_value_ != 0) {
            tohost_seen_ = true;
            return true;
        }
    }
    return false;
}

// ---- Hart ----------------------------------------------------------------------------------------------------------

Hart::Hart(unsigned id, Memory& mem, const TimingProfile& timing, DeviceBus* bus)
    : mem_(mem), id_(id), timing_(timing), bus_(bus) {
    mem_.add_hart(this);
    recompute_costs();
}

void Hart::recompute_costs() {
    const TimingProfile& p = timing_;
    cost_.fill(p.base_cpi);
    for (Op op : {Op::MUL, Op::MULH, Op::MULHSU, Op::MULHU}) cost_[unsigned(op)] = p.mul_cycles;
    for (Op op : {Op::DIV, Op::DIVU, Op::REM, Op::REMU}) cost_[unsigned(op)] = p.div_cycles;
    for (Op op : {Op::CSRRW, Op::CSRRS, Op::CSRRC, Op::CSRRWI, Op::CSRRSI, Op::CSRRCI}) cost_[unsigned(op)] = p.csr_cycles;
    for (Op op : {Op::LR_W, Op::SC_W, Op::AMOSWAP_W, Op::AMOADD_W, Op::AMOXOR_W, Op::AMOAND_W, Op::AMOOR_W,
                  Op::AMOMIN_W, Op::AMOMAX_W, Op::AMOMINU_W, Op::AMOMAXU_W})
        cost_[unsigned(op)] = p.amo_cycles + p.ram_latency;
    for (Op op : {Op::LB, Op::LH, Op::LW, Op::LBU, Op::LHU, Op::SB, Op::SH, Op::SW})
        cost_[unsigned(op)] = p.base_cpi + p.ram_latency;
    cost_[unsigned(Op::JAL)] = cost_[unsigned(Op::JALR)] = p.base_cpi + p.jump_penalty;
    cost_[unsigned(Op::FENCE)] = p.fence_cycles;
    cost_[unsigned(Op::FENCE_I)] = p.fence_i_cycles;
    cost_[unsigned(Op::MRET)] = p.mret_cycles;
    cost_[unsigned(Op::WFI)] = p.wfi_cycles;
    cost_[unsigned(Op::HINT_TRACE)] = 0;
}

void Hart::reset(uint32_t pc, uint64_t cycle) {
    x_.fill(0);
    pc_ = pc;
    t_ = cycle;
    instret_ = 0;
    load_rd_ = kNoReg;
    mstatus_ = kMstatusMPP;
    mie_ = mip_ = mtvec_ = mscratch_ = mepc_ = mcause_ = mtval_ = 0;
    mcycle_offset_ = 0;
    resv_valid_ = false;
    pmpcfg_.fill(0);
    pmpaddr_.fill(0);
    state_ = State::Running;
    sleep_cycles_ = 0;
    fatal_.clear();
    recompute_costs();
    update_irq_poll();
}

void Hart::wake(uint64_t cycle) {
    if (state_ != State::Sleeping) return;
    uint64_t from = cycle > t_ ? cycle : t_;
    sleep_cycles_ += from - sleep_start_;
    t_ = from + timing_.wfi_wakeup_cycles;
    state_ = State::Running;
    if (cpu_obs_) cpu_obs_->on_wake(id_, from);
}

bool Hart::take_exception(uint32_t cause, uint32_t tval) {
    static const char* const kNames[] = {"instruction address misaligned", "instruction access fault",
                                         "illegal instruction", "breakpoint", "load address misaligned",
                                         "load access fault", "store/AMO address misaligned",
                                         "store/AMO access fault", "", "", "", "environment call from M-mode"};
    if ((mtvec_ & ~3u) == 0) {
        char buf[192];
        std::snprintf(buf, sizeof buf, "core %u: %s at pc 0x%08x (mtval 0x%08x) with no trap handler (mtvec = 0)",
                      id_, kNames[cause], pc_, tval);
        fatal_ = buf;
        return false;
    }
    mepc_ = pc_;
    mcause_ = cause;
    mtval_ = tval;
    const bool mie_was = mstatus_ & kMstatusMIE;
    mstatus_ = (mstatus_ & ~(kMstatusMIE | kMstatusMPIE)) | (mie_was ? kMstatusMPIE : 0);
    pc_ = mtvec_ & ~3u;  // exceptions always go to the base, vectored or not
    if (cpu_obs_) {
        cpu_obs_->on_trap(id_, t_, mcause_, mepc_, mtval_);
        if (mie_was) cpu_obs_->on_mie(id_, t_, false);
    }
    t_ += timing_.trap_entry_cycles;
    load_rd_ = kNoReg;
    update_irq_poll();
    return true;
}

bool Hart::take_interrupt() {
    // Priority among machine interrupts: external, then software, then timer (privileged spec 3.1.9).
    uint32_t pending = mip_ & mie_;
    uint32_t cause = (pending & kMEIP) ? 11 : (pending & kMSIP) ? 3 : 7;
    if ((mtvec_ & ~3u) == 0) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "core %u: interrupt %u at pc 0x%08x with no trap handler (mtvec = 0)", id_,
                      cause, pc_);
        fatal_ = buf;
        return false;
    }
    mepc_ = pc_;
    mcause_ = 0x80000000u | cause;
    mtval_ = 0;
    mstatus_ = (mstatus_ & ~(kMstatusMIE | kMstatusMPIE)) | kMstatusMPIE;
    pc_ = (mtvec_ & ~3u) + ((mtvec_ & 1) ? 4 * cause : 0);
    if (cpu_obs_) {  // an interrupt is only taken with MIE set
        cpu_obs_->on_trap(id_, t_, mcause_, mepc_, mtval_);
        cpu_obs_->on_mie(id_, t_, false);
    }
    t_ += timing_.trap_entry_cycles;
    load_rd_ = kNoReg;
    update_irq_poll();
    return true;
}

bool Hart::read_csr(uint32_t csr, uint32_t* value) const { return csr_read(csr, t_, value); }

bool Hart::csr_read(uint32_t csr, uint64_t t, uint32_t* v) const {
    uint64_t cycle = t + mcycle_offset_;
    switch (csr) {
    case 0x300: *v = mstatus_; return true;                   // mstatus
    case 0x310: *v = 0; return true;                          // mstatush
    case 0x301: *v = 0x40001101; return true;                 // misa: RV32 I M A
    case 0x304: *v = mie_; return true;
    case 0x344: *v = mip_; return true;
    case 0x305: *v = mtvec_; return true;
    case 0x340: *v = mscratch_; return true;
    case 0x341: *v = mepc_; return true;
    case 0x342: *v = mcause_; return true;
    case 0x343: *v = mtval_; return true;
    case 0xf11: case 0xf12: case 0xf13: case 0xf15: *v = 0; return true;  // mvendorid marchid mimpid mconfigptr
    case 0xf14: *v = id_; return true;                        // mhartid
    case 0xb00: case 0xc00: case 0xc01: *v = uint32_t(cycle); return true;          // mcycle cycle time
    case 0xb80: case 0xc80: case 0xc81: *v = uint32_t(cycle >> 32); return true;    // mcycleh cycleh timeh
    case 0xb02: case 0xc02: *v = uint32_t(instret_); return true;                   // minstret instret
    case 0xb82: case 0xc82: *v = uint32_t(instret_ >> 32); return true;
    case 0x320: *v = 0; return true;                          // mcountinhibit: counters always run
    // Debug triggers (Sdtrig): none implemented. tselect reads 0 and tdata1 reads type 0, "no trigger here".
    case 0x7a0: case 0x7a1: case 0x7a2: case 0x7a3: *v = 0; return true;
    case 0x7a4: *v = 1; return true;                          // tinfo: only type 0 (no trigger)
    default:
        if (csr >= 0x3a0 && csr < 0x3a0 + kPmpEntries / 4) {  // pmpcfg0..3
            uint32_t i = (csr - 0x3a0) * 4;
            *v = uint32_t(pmpcfg_[i]) | uint32_t(pmpcfg_[i + 1]) << 8 | uint32_t(pmpcfg_[i + 2]) << 16 |
                 uint32_t(pmpcfg_[i + 3]) << 24;
            return true;
        }
        if (csr >= 0x3b0 && csr < 0x3b0 + kPmpEntries) {
            *v = pmpaddr_[csr - 0x3b0];
            return true;
        }
        if ((csr >= 0x3a0 && csr <= 0x3af) || (csr >= 0x3b0 && csr <= 0x3ef)) {  // PMP entries not implemented
            *v = 0;
            return true;
        }
        // Hardwired-zero performance counters and their event selectors.
        if ((csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0xb83 && csr <= 0xb9f) || (csr >= 0xc03 && csr <= 0xc1f) ||
            (csr >= 0xc83 && csr <= 0xc9f) || (csr >= 0x323 && csr <= 0x33f)) {
            *v = 0;
            return true;
        }
        return false;
    }
}

bool Hart::csr_write(uint32_t csr, uint32_t v, uint64_t t, uint64_t t_next) {
    switch (csr) {
    case 0x300: {
        const uint32_t old = mstatus_;
        mstatus_ = (v & (kMstatusMIE | kMstatusMPIE)) | kMstatusMPP;
        update_irq_poll();
        if (cpu_obs_ && ((old ^ mstatus_) & kMstatusMIE)) cpu_obs_->on_mie(id_, t, (mstatus_ & kMstatusMIE) != 0);
        return true;
    }
    case 0x310: case 0x301: case 0x320: case 0x344: return true;  // WARL, nothing writable
    case 0x304: mie_ = v & (kMSIP | kMTIP | kMEIP); update_irq_poll(); return true;
    case 0x305: mtvec_ = (v & 2) ? (v & ~3u) | (mtvec_ & 1) : v; return true;  // modes 2, 3 reserved: keep mode
    case 0x340: mscratch_ = v; return true;
    case 0x341: mepc_ = v & ~3u; return true;
    case 0x342: mcause_ = v; return true;
    case 0x343: mtval_ = v; return true;
    case 0xb00: case 0xb80: {
        // The write is done instead of the count (Zicsr): the next instruction reads the counter as it was when the
        // writing instruction started, with the written half replaced, and the count goes on from there.
        uint64_t at_write = t + mcycle_offset_;
        uint64_t nv = (csr == 0xb00) ? ((at_write & ~0xffffffffull) | v) : ((at_write & 0xffffffffull) | (uint64_t(v) << 32));
        mcycle_offset_ = int64_t(nv - t_next);
        return true;
    }
    case 0xb02: instret_ = (instret_ & ~0xffffffffull) | v; instret_written_ = true; return true;
    case 0xb82: instret_ = (instret_ & 0xffffffffull) | (uint64_t(v) << 32); instret_written_ = true; return true;
    case 0x7a0: case 0x7a1: case 0x7a2: case 0x7a3: case 0x7a4: return true;  // no triggers: WARL, read-only
    default:
        if ((csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0xb83 && csr <= 0xb9f) || (csr >= 0x323 && csr <= 0x33f))
            return true;
        if (csr >= 0x3a0 && csr < 0x3a0 + kPmpEntries / 4) {
            for (uint32_t k = 0; k < 4; ++k) {
                uint8_t& cfg = pmpcfg_[(csr - 0x3a0) * 4 + k];
                if (cfg & kPmpLock) continue;  // a locked entry ignores writes until reset
                uint8_t nv = uint8_t(v >> (8 * k)) & 0x9f;  // bits 6:5 are reserved (read 0)
                if ((nv & 3) == 2) nv &= ~3;  // R=0 W=1 is reserved: keep neither
                cfg = nv;
            }
            return true;
        }
        if (csr >= 0x3b0 && csr < 0x3b0 + kPmpEntries) {
            uint32_t i = csr - 0x3b0;
            bool locked = (pmpcfg_[i] & kPmpLock) ||
                          (i + 1 < kPmpEntries && (pmpcfg_[i + 1] & kPmpLock) && ((pmpcfg_[i + 1] >> 3) & 3) == 1);
            if (!locked) pmpaddr_[i] = v;
            return true;
        }
        if ((csr >= 0x3a0 && csr <= 0x3af) || (csr >= 0x3b0 && csr <= 0x3ef)) return true;
        return false;
    }
}

bool Hart::csr_op(const DecodedInsn& d, uint64_t t, uint64_t t_next, uint32_t* rd_value) {
    uint32_t csr = uint32_t(d.imm) & 0xfff;
    bool imm_form = d.op == Op::CSRRWI || d.op == Op::CSRRSI || d.op == Op::CSRRCI;
    uint32_t src = imm_form ? d.rs1 : x_[d.rs1];
    bool is_rw = d.op == Op::CSRRW || d.op == Op::CSRRWI;
    bool writes = is_rw || d.rs1 != 0;  // CSRRS/C with x0 or uimm 0 do not write
    uint32_t old = 0;
    if (!csr_read(csr, t, &old)) return false;  // no such CSR
    if (writes && (csr >> 10) == 3) return false;  // read-only CSR
    if (writes) {
        uint32_t nv = is_rw ? src : (d.op == Op::CSRRS || d.op == Op::CSRRSI) ? (old | src) : (old & ~src);
        csr_write(csr, nv, t, t_next);
    }
    *rd_value = old;
    return true;
}

bool Hart::mmio(bool is_write, uint32_t addr, uint32_t size, uint32_t* data, uint32_t* extra_cycles) {
    *extra_cycles = 0;
    bool ok = bus_ && bus_->access(id_, is_write, addr, size, data, extra_cycles);
    if (!ok && fault_obs_) fault_obs_->on_bus_error(id_, pc_, addr, is_write, false);
    return ok;
}

namespace {
template <typename T>
inline T load_as(const uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof v);  // little-endian host
    return v;
}
template <typename T>
inline void store_as(uint8_t* p, uint32_t v) {
    const T narrow = T(v);
    std::memcpy(p, &narrow, sizeof narrow);
}
// Bytes of a load or store: funct3[1:0] of the encoding is log2 of it.
inline uint32_t access_size(const DecodedInsn& d) { return 1u << ((d.raw >> 12) & 3); }
inline uint32_t sign_extend_loaded(uint32_t v, Op op) {
    switch (op) {
    case Op::LB: return uint32_t(int32_t(int8_t(v)));
    case Op::LBU: return v & 0xff;
    case Op::LH: return uint32_t(int32_t(int16_t(v)));
    case Op::LHU: return v & 0xffff;
    default: return v;
    }
}
}  // namespace

template <bool kObserved>
Hart::Stop Hart::run(uint64_t lim_local, uint64_t lim_mem, bool mmio_ok) {
    if (state_ != State::Running) return Stop::Sleep;
    uint32_t* const x = x_.data();
    uint8_t* const ram = mem_.ram();
    const uint32_t ram_base = mem_.base(), ram_size = mem_.size();
    uint64_t t = t_;
    uint32_t pc = pc_;

// Leave run() with the hart's state written back.
#define OOBSIM_RETURN(reason) \
    do {                      \
        t_ = t;               \
        pc_ = pc;             \
        return (reason);      \
    } while (0)
// Take an exception at the current instruction (pc, t), then go on with the handler.
#define OOBSIM_TRAP(cause, tval)                                  \
    do {                                                          \
        t_ = t;                                                   \
        pc_ = pc;                                                 \
        if (!take_exception((cause), (tval))) return Stop::Fatal; \
        t = t_;                                                   \
        pc = pc_;                                                 \
        goto next;                                                \
    } while (0)

    for (;;) {
        if (__builtin_expect(t >= lim_local, 0)) OOBSIM_RETURN(Stop::Limit);
        if (__builtin_expect(irq_poll_, 0)) {
            t_ = t;
            pc_ = pc;
            if (!take_interrupt()) return Stop::Fatal;
            t = t_;
            pc = pc_;
            continue;
        }
        {
            const uint32_t off = pc - ram_base;
            if (__builtin_expect(off >= ram_size, 0)) {
                if (fault_obs_) fault_obs_->on_bus_error(id_, pc, pc, false, true);
                OOBSIM_TRAP(kInsnAccessFault, pc);
            }
            const DecodedInsn& d = *mem_.decoded(off);
            const uint64_t start = t;
            // The load-use stall: this instruction reads what the previous one loaded.
            const uint32_t stall =
                (__builtin_expect(load_rd_ != kNoReg, 0) && (d.rs1_read == load_rd_ || d.rs2_read == load_rd_))
                    ? timing_.load_use_stall
                    : 0;
            uint8_t next_load_rd = kNoReg;
            Stop after = Stop::Limit;  // anything else: return it once this instruction has retired
            uint32_t next_pc = pc + 4;
            uint32_t cost = cost_[unsigned(d.op)];
            const uint32_t a = x[d.rs1], b = x[d.rs2];
            switch (d.op) {
            case Op::LUI: x[d.rd] = uint32_t(d.imm); break;
            case Op::AUIPC: x[d.rd] = pc + uint32_t(d.imm); break;
            case Op::JAL:
            case Op::JALR: {
                uint32_t target = d.op == Op::JAL ? pc + uint32_t(d.imm) : (a + uint32_t(d.imm)) & ~1u;
                if (target & 3) OOBSIM_TRAP(kInsnMisaligned, target);
                x[d.rd] = pc + 4;
                next_pc = target;
                break;
            }
#define OOBSIM_BRANCH(OP, cond)                                               \
    case Op::OP:                                                              \
        if (cond) {                                                           \
            uint32_t target = pc + uint32_t(d.imm);                           \
            if (target & 3) OOBSIM_TRAP(kInsnMisaligned, target);             \
            next_pc = target;                                                 \
            cost += timing_.branch_taken_penalty;                             \
        }                                                                     \
        break;
                OOBSIM_BRANCH(BEQ, a == b)
                OOBSIM_BRANCH(BNE, a != b)
                OOBSIM_BRANCH(BLT, int32_t(a) < int32_t(b))
                OOBSIM_BRANCH(BGE, int32_t(a) >= int32_t(b))
                OOBSIM_BRANCH(BLTU, a < b)
                OOBSIM_BRANCH(BGEU, a >= b)
#undef OOBSIM_BRANCH
// Loads and stores to RAM, one case per width (a constant size makes each a plain move, and handlers save and restore
// registers with little else). RAM takes misaligned accesses, as two, hence the penalty; anything outside RAM goes to
// the device paths below, which take aligned accesses only.
#define OOBSIM_LOAD(OP, T)                                                                           \
    case Op::OP: {                                                                                   \
        if (t >= lim_mem) OOBSIM_RETURN(Stop::Order);                                                \
        const uint32_t addr = a + uint32_t(d.imm), o = addr - ram_base;                              \
        if (__builtin_expect(!(o < ram_size && sizeof(T) <= ram_size - o), 0)) goto device_load;     \
        if (__builtin_expect(addr & (sizeof(T) - 1), 0)) cost += timing_.misaligned_penalty;         \
        x[d.rd] = uint32_t(load_as<T>(ram + o)); /* int8_t/int16_t sign-extend, uint8/16_t do not */ \
        next_load_rd = d.rd == 32 ? kNoReg : d.rd;                                                   \
        break;                                                                                       \
    }
#define OOBSIM_STORE(OP, T)                                                                          \
    case Op::OP: {                                                                                   \
        if (t >= lim_mem) OOBSIM_RETURN(Stop::Order);                                                \
        const uint32_t addr = a + uint32_t(d.imm), o = addr - ram_base;                              \
        if (__builtin_expect(!(o < ram_size && sizeof(T) <= ram_size - o), 0)) goto device_store;    \
        if (__builtin_expect(addr & (sizeof(T) - 1), 0)) cost += timing_.misaligned_penalty;         \
        store_as<T>(ram + o, b);                                                                     \
        if (mem_.after_store(id_, o, sizeof(T))) after = Stop::Exit;                                 \
        break;                                                                                       \
    }
                OOBSIM_LOAD(LB, int8_t)
                OOBSIM_LOAD(LH, int16_t)
                OOBSIM_LOAD(LW, uint32_t)
                OOBSIM_LOAD(LBU, uint8_t)
                OOBSIM_LOAD(LHU, uint16_t)
                OOBSIM_STORE(SB, uint8_t)
                OOBSIM_STORE(SH, uint16_t)
                OOBSIM_STORE(SW, uint32_t)
#undef OOBSIM_LOAD
#undef OOBSIM_STORE
            device_load: {  // from OOBSIM_LOAD only
                const uint32_t addr = a + uint32_t(d.imm), size = access_size(d);
                if (addr & (size - 1)) OOBSIM_TRAP(kLoadMisaligned, addr);
                if (!mmio_ok) OOBSIM_RETURN(Stop::NeedMmio);
                t_ = t;
                pc_ = pc;
                uint32_t v = 0, extra = 0;
                if (!mmio(false, addr, size, &v, &extra)) OOBSIM_TRAP(kLoadAccessFault, addr);
                x[d.rd] = sign_extend_loaded(v, d.op);
                cost += timing_.mmio_latency - timing_.ram_latency + extra;
                after = Stop::AfterMmio;
                next_load_rd = d.rd == 32 ? kNoReg : d.rd;
                break;
            }
            device_store: {  // from OOBSIM_STORE only
                const uint32_t addr = a + uint32_t(d.imm), size = access_size(d);
                if (addr & (size - 1)) OOBSIM_TRAP(kStoreMisaligned, addr);
                if (!mmio_ok) OOBSIM_RETURN(Stop::NeedMmio);
                t_ = t;
                pc_ = pc;
                uint32_t v = size == 4 ? b : b & ((1u << (8 * size)) - 1);
                uint32_t extra = 0;
                if (!mmio(true, addr, size, &v, &extra)) OOBSIM_TRAP(kStoreAccessFault, addr);
                cost += timing_.mmio_latency - timing_.ram_latency + extra;
                after = Stop::AfterMmio;
                break;
            }
            case Op::ADDI: x[d.rd] = a + uint32_t(d.imm); break;
            case Op::SLTI: x[d.rd] = int32_t(a) < d.imm; break;
            case Op::SLTIU: x[d.rd] = a < uint32_t(d.imm); break;
            case Op::XORI: x[d.rd] = a ^ uint32_t(d.imm); break;
            case Op::ORI: x[d.rd] = a | uint32_t(d.imm); break;
            case Op::ANDI: x[d.rd] = a & uint32_t(d.imm); break;
            case Op::SLLI: x[d.rd] = a << (d.imm & 31); break;
            case Op::SRLI: x[d.rd] = a >> (d.imm & 31); break;
            case Op::SRAI: x[d.rd] = uint32_t(int32_t(a) >> (d.imm & 31)); break;
            case Op::ADD: x[d.rd] = a + b; break;
            case Op::SUB: x[d.rd] = a - b; break;
            case Op::SLL: x[d.rd] = a << (b & 31); break;
            case Op::SLT: x[d.rd] = int32_t(a) < int32_t(b); break;
            case Op::SLTU: x[d.rd] = a < b; break;
            case Op::XOR: x[d.rd] = a ^ b; break;
            case Op::SRL: x[d.rd] = a >> (b & 31); break;
            case Op::SRA: x[d.rd] = uint32_t(int32_t(a) >> (b & 31)); break;
            case Op::OR: x[d.rd] = a | b; break;
            case Op::AND: x[d.rd] = a & b; break;
            case Op::MUL: x[d.rd] = a * b; break;
            case Op::MULH: x[d.rd] = uint32_t((int64_t(int32_t(a)) * int64_t(int32_t(b))) >> 32); break;
            case Op::MULHSU: x[d.rd] = uint32_t((int64_t(int32_t(a)) * int64_t(uint64_t(b))) >> 32); break;
            case Op::MULHU: x[d.rd] = uint32_t((uint64_t(a) * uint64_t(b)) >> 32); break;
            case Op::DIV:
                x[d.rd] = b == 0 ? ~0u : (a == 0x80000000u && b == ~0u) ? a : uint32_t(int32_t(a) / int32_t(b));
                break;
            case Op::DIVU: x[d.rd] = b == 0 ? ~0u : a / b; break;
            case Op::REM:
                x[d.rd] = b == 0 ? a : (a == 0x80000000u && b == ~0u) ? 0 : uint32_t(int32_t(a) % int32_t(b));
                break;
            case Op::REMU: x[d.rd] = b == 0 ? a : a % b; break;
            case Op::FENCE: break;
            case Op::FENCE_I: mem_.invalidate_all_decoded(); break;
            case Op::ECALL: OOBSIM_TRAP(kEcallM, 0);
            case Op::EBREAK: OOBSIM_TRAP(kBreakpoint, pc);
            case Op::MRET: {
                const uint32_t old = mstatus_;
                mstatus_ = (mstatus_ & ~kMstatusMIE) | ((mstatus_ & kMstatusMPIE) ? kMstatusMIE : 0) | kMstatusMPIE;
                next_pc = mepc_;
                update_irq_poll();
                if (kObserved && cpu_obs_) {
                    cpu_obs_->on_mret(id_, t, pc, mepc_);
                    if ((old ^ mstatus_) & kMstatusMIE) cpu_obs_->on_mie(id_, t, (mstatus_ & kMstatusMIE) != 0);
                }
                break;
            }
            case Op::WFI:
                if (!wake_pending()) after = Stop::Sleep;  // no interrupt to wait for: go on at once
                break;
            case Op::CSRRW:
            case Op::CSRRS:
            case Op::CSRRC:
            case Op::CSRRWI:
            case Op::CSRRSI:
            case Op::CSRRCI: {
                uint32_t v;
                instret_written_ = false;
                if (!csr_op(d, t, t + cost + stall, &v)) OOBSIM_TRAP(kIllegal, d.raw);
                x[d.rd] = v;
                if (instret_written_) --instret_;  // a write to minstret replaces this instruction's count
                break;
            }
            case Op::LR_W:
            case Op::SC_W:
            case Op::AMOSWAP_W:
            case Op::AMOADD_W:
            case Op::AMOXOR_W:
            case Op::AMOAND_W:
            case Op::AMOOR_W:
            case Op::AMOMIN_W:
            case Op::AMOMAX_W:
            case Op::AMOMINU_W:
            case Op::AMOMAXU_W: {
                if (t >= lim_mem) OOBSIM_RETURN(Stop::Order);
                const uint32_t addr = a;
                if (addr & 3) OOBSIM_TRAP(d.op == Op::LR_W ? kLoadMisaligned : kStoreMisaligned, addr);
                const uint32_t o = addr - ram_base;
                if (o >= ram_size || ram_size - o < 4) {
                    // Atomics are supported on RAM only: a device answers them with a bus error.
                    if (fault_obs_) fault_obs_->on_bus_error(id_, pc, addr, d.op != Op::LR_W, false);
                    OOBSIM_TRAP(d.op == Op::LR_W ? kLoadAccessFault : kStoreAccessFault, addr);
                }
                uint32_t old;
                std::memcpy(&old, ram + o, 4);
                uint32_t nv;
                switch (d.op) {
                case Op::LR_W:
                    resv_valid_ = true;
                    resv_offset_ = o;
                    mem_.set_reservation_page(o);
                    x[d.rd] = old;
                    goto amo_done;
                case Op::SC_W:
                    if (!resv_valid_ || resv_offset_ != o) {
                        resv_valid_ = false;
                        x[d.rd] = 1;
                        goto amo_done;
                    }
                    resv_valid_ = false;
                    nv = b;
                    old = 0;  // rd = 0: success
                    break;
                case Op::AMOSWAP_W: nv = b; break;
                case Op::AMOADD_W: nv = old + b; break;
                case Op::AMOXOR_W: nv = old ^ b; break;
                case Op::AMOAND_W: nv = old & b; break;
                case Op::AMOOR_W: nv = old | b; break;
                case Op::AMOMIN_W: nv = int32_t(old) < int32_t(b) ? old : b; break;
                case Op::AMOMAX_W: nv = int32_t(old) > int32_t(b) ? old : b; break;
                case Op::AMOMINU_W: nv = old < b ? old : b; break;
                default: nv = old > b ? old : b; break;
                }
                std::memcpy(ram + o, &nv, 4);
                x[d.rd] = old;
                if (mem_.after_store(id_, o, 4)) after = Stop::Exit;
            amo_done:
                break;
            }
            case Op::HINT_TRACE:
                // Zero cycles, not counted, and transparent to the load-use stall: as if it were not there.
                if (kObserved && hint_obs_) hint_obs_->on_hint(id_, t, uint32_t(d.imm) & 0x7ff, a);
                pc = next_pc;
                continue;
            case Op::UNDECODED:
            case Op::ILLEGAL: OOBSIM_TRAP(kIllegal, d.raw);
            }
            // Retire.
            t += cost + stall;
            ++instret_;
            if (kObserved && insn_obs_) insn_obs_->on_insn(id_, start, pc, d.raw);
            pc = next_pc;
            load_rd_ = next_load_rd;
            if (__builtin_expect(after != Stop::Limit, 0)) {
                if (after == Stop::AfterMmio) {
                    // Going on here rather than returning saves the scheduler a round trip per device access.
                    const uint64_t limit = bus_->limit_after_access();
                    if (limit != 0) {
                        if (limit < lim_local) lim_local = limit;
                        if (limit < lim_mem) lim_mem = limit;
                        continue;
                    }
                }
                if (after == Stop::Sleep) {
                    state_ = State::Sleeping;
                    sleep_start_ = t;
                    if (kObserved && cpu_obs_) cpu_obs_->on_sleep(id_, t);
                } else if (after == Stop::Exit) {
                    stop_cycle_ = start;
                }
                OOBSIM_RETURN(after);
            }
        }
    next:;
    }
#undef OOBSIM_RETURN
#undef OOBSIM_TRAP
}

template Hart::Stop Hart::run<true>(uint64_t, uint64_t, bool);
template Hart::Stop Hart::run<false>(uint64_t, uint64_t, bool);

}  // namespace oobsim

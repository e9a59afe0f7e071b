#include "gic_state.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "sim/memory_map.h"

namespace oobsim {

namespace {
std::string hex(uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", v);
    return buf;
}
unsigned lowest_bit(uint32_t v) { return unsigned(__builtin_ctz(v)); }

// Bit i set when byte i of v (the byte at v >> 8i) is not 0: bit 7 of each byte says so, then one multiply gathers
// the eight bits.
uint32_t nonzero_bytes(uint64_t v) {
    const uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
    const uint64_t high = (((v & low7) + low7) | v) & ~low7;
    return uint32_t(((high >> 7) * 0x0102040810204080ull) >> 56);
}

// Eight bytes, byte i at bits 8i..8i+7 whatever the host's byte order (the compiler makes it one load).
inline __attribute__((always_inline)) uint64_t bytes_as_word(const uint8_t* b) {
    return uint64_t(b[0]) | uint64_t(b[1]) << 8 | uint64_t(b[2]) << 16 | uint64_t(b[3]) << 24 | uint64_t(b[4]) << 32 |
           uint64_t(b[5]) << 40 | uint64_t(b[6]) << 48 | uint64_t(b[7]) << 56;
}

// Bit s set when SGI s is pending from any source (sgi_sources[s] != 0), eight SGIs at a time: this runs whenever the
// distributor looks for the highest pending interrupt, several times per interrupt taken, and a loop over the 16 was
// the GIC model's largest single cost.
uint32_t sgi_pending_bits(const std::array<uint8_t, GicState::kSgis>& sources) {
    static_assert(GicState::kSgis == 16, "two words of eight SGIs");
    return nonzero_bytes(bytes_as_word(sources.data())) | nonzero_bytes(bytes_as_word(sources.data() + 8)) << 8;
}
}  // namespace

GicState::GicState(unsigned ncpus, unsigned nspis) : ncpus_(ncpus), nspis_(nspis) {
    if (ncpus < 1 || ncpus > kMaxCpus)
        throw std::invalid_argument("the GIC has 1 to 8 CPU interfaces, not " + std::to_string(ncpus));
    if (nspis > kMaxSpis)
        throw std::invalid_argument("the GIC has 0 to 988 SPIs, not " + std::to_string(nspis));
    cpus_.resize(ncpus_);
    spis_.resize(it_lines_number() + 1);
    spi_priority_.resize(nspis_);
    spi_targets_.resize(nspis_);
    build_register_tables();
    reset();
}

// The register maps (IHI 0048B tables 4-1 and 4-2). Reset values are what reset() establishes:
//   GICD_CTLR 0 (forwarding off); ISENABLER0 0x0000ffff (SGIs always enabled), all other enables 0; nothing pending
//   or active; priorities 0; SPI targets 0 (no CPU); ICFGR0 0xaaaaaaaa, every other ICFGR 0 (level);
//   GICC_CTLR 0 (signalling off); GICC_PMR 0 (everything masked); GICC_BPR 2; GICC_RPR 0xff.
void GicState::build_register_tables() {
    using G = GicState;
    using A = Access;
    dist_regs_ = {
        {"GICD_CTLR", OOBSIM_GICD_CTLR, 1, 0, A::RW, false, &G::rd_ctlr, &G::wr_ctlr},
        {"GICD_TYPER", OOBSIM_GICD_TYPER, 1, 0, A::RO, false, &G::rd_typer, nullptr},
        {"GICD_IIDR", OOBSIM_GICD_IIDR, 1, 0, A::RO, false, &G::rd_gicd_iidr, nullptr},
        {"GICD_IGROUPR", OOBSIM_GICD_IGROUPR, 32, 0, A::RAZ_WI, false, nullptr, nullptr},
        {"GICD_ISENABLER", OOBSIM_GICD_ISENABLER, 32, 0, A::RW, false, &G::rd_enable, &G::wr_set_enable},
        {"GICD_ICENABLER", OOBSIM_GICD_ICENABLER, 32, 0, A::RW, false, &G::rd_enable, &G::wr_clear_enable},
        {"GICD_ISPENDR", OOBSIM_GICD_ISPENDR, 32, 0, A::RW, false, &G::rd_pending, &G::wr_set_pending},
        {"GICD_ICPENDR", OOBSIM_GICD_ICPENDR, 32, 0, A::RW, false, &G::rd_pending, &G::wr_clear_pending},
        {"GICD_ISACTIVER", OOBSIM_GICD_ISACTIVER, 32, 0, A::RW, false, &G::rd_active, &G::wr_set_active},
        {"GICD_ICACTIVER", OOBSIM_GICD_ICACTIVER, 32, 0, A::RW, false, &G::rd_active, &G::wr_clear_active},
        // 255 registers: 0x7fc would hold IDs 1020..1023, which are special, and is reserved.
        {"GICD_IPRIORITYR", OOBSIM_GICD_IPRIORITYR, 255, 0, A::RW, true, &G::rd_priority, &G::wr_priority},
    };
    if (ncpus_ == 1) {
        // A uniprocessor GIC: every interrupt goes to the one CPU.
        dist_regs_.push_back({"GICD_ITARGETSR", OOBSIM_GICD_ITARGETSR, 255, 0, A::RAZ_WI, true, nullptr, nullptr});
    } else {
        dist_regs_.push_back({"GICD_ITARGETSR", OOBSIM_GICD_ITARGETSR, 8, 0, A::RO, true, &G::rd_private_targets,
                              nullptr});
        dist_regs_.push_back({"GICD_ITARGETSR", OOBSIM_GICD_ITARGETSR + 32, 247, 8, A::RW, true, &G::rd_spi_targets,
                              &G::wr_spi_targets});
    }
    const std::vector<Reg> rest = {
        {"GICD_ICFGR0", OOBSIM_GICD_ICFGR, 1, 0, A::RO, false, &G::rd_sgi_config, nullptr},
        {"GICD_ICFGR", OOBSIM_GICD_ICFGR + 4, 63, 1, A::RW, false, &G::rd_config, &G::wr_config},
        {"GICD_SGIR", OOBSIM_GICD_SGIR, 1, 0, A::WO, false, nullptr, &G::wr_sgir},
        {"GICD_CPENDSGIR", OOBSIM_GICD_CPENDSGIR, 4, 0, A::RW, true, &G::rd_sgi_pending, &G::wr_clear_sgi_pending},
        {"GICD_SPENDSGIR", OOBSIM_GICD_SPENDSGIR, 4, 0, A::RW, true, &G::rd_sgi_pending, &G::wr_set_sgi_pending},
        {"GICD_ICPIDR", 0xfd0, 4, 4, A::RO, false, &G::rd_zero, nullptr},
        {"GICD_ICPIDR", 0xfe0, 4, 0, A::RO, false, &G::rd_id, nullptr},
        {"GICD_ICCIDR", 0xff0, 4, 0, A::RO, false, &G::rd_zero, nullptr},
    };
    dist_regs_.insert(dist_regs_.end(), rest.begin(), rest.end());
    cpu_regs_ = {
        {"GICC_CTLR", OOBSIM_GICC_CTLR, 1, 0, A::RW, false, &G::rd_cpu_ctlr, &G::wr_cpu_ctlr},
        {"GICC_PMR", OOBSIM_GICC_PMR, 1, 0, A::RW, false, &G::rd_pmr, &G::wr_pmr},
        {"GICC_BPR", OOBSIM_GICC_BPR, 1, 0, A::RW, false, &G::rd_bpr, &G::wr_bpr},
        {"GICC_IAR", OOBSIM_GICC_IAR, 1, 0, A::RO, false, &G::rd_iar, nullptr},
        {"GICC_EOIR", OOBSIM_GICC_EOIR, 1, 0, A::WO, false, nullptr, &G::wr_eoir},
        {"GICC_RPR", OOBSIM_GICC_RPR, 1, 0, A::RO, false, &G::rd_rpr, nullptr},
        {"GICC_HPPIR", OOBSIM_GICC_HPPIR, 1, 0, A::RO, false, &G::rd_hppir, nullptr},
        {"GICC_IIDR", OOBSIM_GICC_IIDR, 1, 0, A::RO, false, &G::rd_gicc_iidr, nullptr},
    };
}

void GicState::reset() {
    dist_enabled_ = false;
    for (Cpu& c : cpus_) {
        const uint32_t lines = c.banked.level;  // input levels come from outside: a reset does not change them
        c = Cpu{};
        c.banked.level = lines;
        c.banked.enabled = 0x0000ffff;  // SGIs cannot be disabled
        c.banked.edge = 0x0000ffff;     // SGIs are edge-triggered; PPIs reset to level-sensitive
    }
    for (Word& w : spis_) {
        const uint32_t lines = w.level;
        w = Word{};
        w.level = lines;
    }
    std::fill(spi_priority_.begin(), spi_priority_.end(), 0);
    std::fill(spi_targets_.begin(), spi_targets_.end(), 0);
}

// ---- Register access -----------------------------------------------------------------------------------------------

const GicState::Reg* GicState::find(const std::vector<Reg>& table, uint32_t offset) const {
    for (const Reg& r : table)
        if (offset >= r.offset && offset - r.offset < 4 * r.count) return &r;
    return nullptr;
}

std::string GicState::reg_name(const Reg& r, unsigned n) {
    return r.count == 1 ? r.name : r.name + std::to_string(n);
}

bool GicState::refuse(const std::string& why) {
    last_error_ = why;
    return false;
}

void GicState::report(Misuse kind, unsigned cpu, const std::string& what) {
    if (reporter_) reporter_(kind, cpu, what);
}

const GicState::Reg* GicState::decode(unsigned cpu, bool distributor, uint32_t offset, unsigned size, unsigned* n,
                                      uint32_t* lanes, std::string* why) const {
    auto at = [&] { return std::string(distributor ? "GICD" : "GICC") + " offset " + hex(offset) + ": "; };
    if (cpu >= ncpus_) {
        *why = "CPU " + std::to_string(cpu) + " has no GIC CPU interface";
        return nullptr;
    }
    if (size != 1 && size != 2 && size != 4) {
        *why = at() + "a " + std::to_string(size) + "-byte access";
        return nullptr;
    }
    if (offset & (size - 1)) {
        *why = at() + "a misaligned " + std::to_string(size) + "-byte access";
        return nullptr;
    }
    const Reg* r = find(distributor ? dist_regs_ : cpu_regs_, offset & ~3u);
    if (!r) {
        *why = at() + "no register there";
        return nullptr;
    }
    *n = r->index0 + (offset - r->offset) / 4;
    if (size == 2 || (size == 1 && !r->bytes)) {
        *why = reg_name(*r, *n) + ": a " + std::to_string(size) + "-byte access (the register takes " +
               (r->bytes ? "32-bit and byte accesses)" : "32-bit accesses only)");
        return nullptr;
    }
    *lanes = size == 4 ? ~0u : 0xffu << (8 * (offset & 3));
    return r;
}

std::string GicState::refusal(unsigned cpu, bool distributor, uint32_t offset, unsigned size) const {
    unsigned n;
    uint32_t lanes;
    std::string why;
    decode(cpu, distributor, offset, size, &n, &lanes, &why);
    return why;
}

std::string GicState::register_name(bool distributor, uint32_t offset) const {
    const Reg* r = find(distributor ? dist_regs_ : cpu_regs_, offset & ~3u);
    return r ? reg_name(*r, r->index0 + ((offset & ~3u) - r->offset) / 4) : std::string();
}

std::string GicState::eoi_mismatch_message(uint32_t value, bool running, uint32_t running_iar) {
    return "GICC_EOIR written with " + hex(value) + " while " +
           (running ? "the running interrupt is " + hex(running_iar) : std::string("no interrupt is active")) +
           " (end interrupts in the reverse order of acknowledging them): ignored";
}

std::string GicState::reserved_sgi_filter_message(uint32_t value) {
    return "GICD_SGIR written with " + hex(value) + ": TargetListFilter 3 is reserved; no SGI sent";
}

bool GicState::read(unsigned cpu, bool distributor, uint32_t offset, unsigned size, uint32_t* value) {
    unsigned n;
    uint32_t lanes;
    std::string why;
    const Reg* r = decode(cpu, distributor, offset, size, &n, &lanes, &why);
    if (!r) return refuse(why);
    uint32_t v = 0;
    if (r->access == Access::RW || r->access == Access::RO) v = (this->*r->read)(cpu, n);
    *value = (v & lanes) >> (8 * (offset & 3));
    return true;
}

bool GicState::write(unsigned cpu, bool distributor, uint32_t offset, unsigned size, uint32_t value) {
    unsigned n;
    uint32_t lanes;
    std::string why;
    const Reg* r = decode(cpu, distributor, offset, size, &n, &lanes, &why);
    if (!r) return refuse(why);
    switch (r->access) {
    case Access::RAZ_WI: break;
    case Access::RO:
        ++ignored_writes_;
        report(Misuse::ReadOnlyWrite, cpu, reg_name(*r, n));
        break;
    case Access::RW:
    case Access::WO: (this->*r->write)(cpu, n, (value << (8 * (offset & 3))) & lanes, lanes); break;
    }
    return true;
}

// ---- Interrupt state -----------------------------------------------------------------------------------------------

// The IDs of word w that exist: all of word 0; SPIs 32 .. 32 + nspis - 1; none past the implemented lines.
uint32_t GicState::implemented_mask(unsigned w) const {
    if (w == 0) return ~0u;
    if (w >= spis_.size()) return 0;
    const unsigned first = 32 * w, end = kFirstSpi + nspis_;
    if (end <= first) return 0;
    return end - first >= 32 ? ~0u : (1u << (end - first)) - 1;
}

uint32_t GicState::banked_pending(const Cpu& k) {
    return (latched_or_high(k.banked) & ~0xffffu) | sgi_pending_bits(k.sgi_sources);
}

uint32_t GicState::pending_mask(unsigned cpu, unsigned w) const {
    const uint32_t m = implemented_mask(w);
    if (!m) return 0;
    return (w == 0 ? banked_pending(cpus_[cpu]) : latched_or_high(spis_[w])) & m;
}

bool GicState::pending(unsigned cpu, unsigned id) const {
    return implemented(id) && (pending_mask(cpu, id / 32) >> (id % 32) & 1);
}

bool GicState::active(unsigned cpu, unsigned id) const {
    return implemented(id) && (word(cpu, id / 32).active >> (id % 32) & 1);
}

uint8_t GicState::running_priority(unsigned cpu) const {
    const Cpu& c = cpus_.at(cpu);
    return c.running.empty() ? kIdlePriority : c.running.back().priority;
}

bool GicState::targets(unsigned id, unsigned cpu) const {
    if (id < kFirstSpi || ncpus_ == 1) return true;
    return spi_targets_[id - kFirstSpi] >> cpu & 1;
}

void GicState::set_line(unsigned id, bool level, unsigned cpu) {
    if (id < kFirstPpi || !implemented(id))
        throw std::out_of_range("GIC interrupt " + std::to_string(id) + " has no input line (PPIs are 16..31, SPIs " +
                                (nspis_ ? "32.." + std::to_string(kFirstSpi + nspis_ - 1) : "none") + ")");
    if (id < kFirstSpi && cpu >= ncpus_)
        throw std::out_of_range("GIC PPI " + std::to_string(id) + " of CPU " + std::to_string(cpu) +
                                ": there is no such CPU");
    Word& x = id < kFirstSpi ? cpus_[cpu].banked : spis_[id / 32];
    const uint32_t bit = 1u << (id % 32);
    if (level && !(x.level & bit) && (x.edge & bit)) x.latch |= bit;  // a rising edge
    x.level = level ? (x.level | bit) : (x.level & ~bit);
}

// The interrupt the distributor forwards to this CPU interface: pending, enabled, not active, targeted at the CPU;
// the highest priority (lowest value), and the lowest ID among equals.
GicState::Candidate GicState::highest_pending(unsigned cpu) const {
    Candidate best;
    if (!dist_enabled_) return best;
    // Called after every change of the state an interrupt makes (several per interrupt): the words are read directly,
    // and the SPI words, most of them without a candidate, are skipped at once.
    const Cpu& k = cpus_[cpu];
    for (uint32_t m = banked_pending(k) & k.banked.enabled & ~k.banked.active; m; m &= m - 1) {
        const unsigned id = lowest_bit(m), p = k.priority[id];
        if (p < best.priority) {  // IDs ascend: the lowest wins among equal priorities
            best.id = id;
            best.priority = p;
        }
    }
    for (unsigned w = 1; w < spis_.size(); ++w) {
        const Word& x = spis_[w];
        uint32_t m = latched_or_high(x) & x.enabled & ~x.active;
        if (!m) continue;
        for (m &= implemented_mask(w); m; m &= m - 1) {
            const unsigned id = 32 * w + lowest_bit(m);
            if (!targets(id, cpu)) continue;
            const unsigned p = spi_priority_[id - kFirstSpi];
            if (p < best.priority) {
                best.id = id;
                best.priority = p;
            }
        }
    }
    if (best.id < kSgis) best.source = lowest_bit(k.sgi_sources[best.id]);
    return best;
}

// The group priority: the priority bits above the binary point (BPR 7: none, so nothing preempts anything).
// Idle (0x100) stays above every priority.
unsigned GicState::group_priority(unsigned priority, unsigned bpr) {
    return priority >= 0x100 ? 0x100 : priority & (0xffu << (bpr + 1)) & 0xffu;
}

bool GicState::can_signal(unsigned cpu, const Candidate& c) const {
    const Cpu& k = cpus_[cpu];
    if (!k.enabled || c.id == kSpurious || c.priority >= k.pmr) return false;
    const unsigned running = k.running.empty() ? 0x100u : k.running.back().priority;
    return group_priority(c.priority, k.bpr) < group_priority(running, k.bpr);
}

bool GicState::irq_output(unsigned cpu) const { return can_signal(cpu, highest_pending(cpu)); }

// GICC_IAR: pending -> active, or pending -> active and pending when a level-sensitive line is still high (or another
// source still has the SGI pending). Returns the ID with, for an SGI, the source CPU in bits 12:10.
uint32_t GicState::acknowledge(unsigned cpu) {
    const Candidate c = highest_pending(cpu);
    if (!can_signal(cpu, c)) return kSpurious;
    Cpu& k = cpus_[cpu];
    Word& x = word(cpu, c.id / 32);
    const uint32_t bit = 1u << (c.id % 32);
    uint32_t iar = c.id;
    if (c.id < kSgis) {
        k.sgi_sources[c.id] &= uint8_t(~(1u << c.source));
        iar |= c.source << 10;
    } else {
        x.latch &= ~bit;
    }
    x.active |= bit;
    k.running.push_back({iar, uint8_t(c.priority)});
    return iar;
}

// GICC_EOIR: priority drop and deactivation of the running interrupt.
void GicState::end_of_interrupt(unsigned cpu, uint32_t value) {
    const uint32_t id = value & 0x3ff;
    if (id >= 1020) return;  // 1023 (spurious) and the reserved special IDs: ignored, as IHI 0048B says for 1023
    Cpu& k = cpus_[cpu];
    const uint32_t expected = id < kSgis ? (value & 0x1fff) : id;
    if (k.running.empty() || k.running.back().iar != expected) {
        report(Misuse::EoiMismatch, cpu,
               eoi_mismatch_message(value, !k.running.empty(), k.running.empty() ? 0 : k.running.back().iar));
        return;
    }
    k.running.pop_back();
    word(cpu, id / 32).active &= ~(1u << (id % 32));
}

void GicState::send_sgi(unsigned cpu, uint32_t value) {
    uint32_t list;
    switch ((value >> 24) & 3) {
    case 0: list = (value >> 16) & 0xff; break;
    case 1: list = cpu_mask() & ~(1u << cpu); break;
    case 2: list = 1u << cpu; break;
    default:
        report(Misuse::ReservedSgiFilter, cpu, reserved_sgi_filter_message(value));
        return;
    }
    list &= cpu_mask();  // CPUs that do not exist are ignored
    const unsigned sgi = value & 0xf;
    for (unsigned t = 0; t < ncpus_; ++t)
        if (list >> t & 1) cpus_[t].sgi_sources[sgi] |= uint8_t(1u << cpu);
    if (sgi_hook_) sgi_hook_(cpu, sgi, uint8_t(list));
}

// ---- Distributor registers -----------------------------------------------------------------------------------------

uint32_t GicState::rd_enable(unsigned cpu, unsigned n) {
    const uint32_t m = implemented_mask(n);
    return m ? word(cpu, n).enabled & m : 0;
}

// The SGI bits of the set/clear-enable and set/clear-pending registers are read-only (see gic_state.h).
void GicState::wr_set_enable(unsigned cpu, unsigned n, uint32_t v, uint32_t) {
    const uint32_t m = implemented_mask(n) & (n == 0 ? 0xffff0000u : ~0u);
    if (m) word(cpu, n).enabled |= v & m;
}

void GicState::wr_clear_enable(unsigned cpu, unsigned n, uint32_t v, uint32_t) {
    const uint32_t m = implemented_mask(n) & (n == 0 ? 0xffff0000u : ~0u);
    if (m) word(cpu, n).enabled &= ~(v & m);
}

void GicState::wr_set_pending(unsigned cpu, unsigned n, uint32_t v, uint32_t) {
    const uint32_t m = implemented_mask(n) & (n == 0 ? 0xffff0000u : ~0u);
    if (m) word(cpu, n).latch |= v & m;
}

// A level-sensitive interrupt whose line is high stays pending.
void GicState::wr_clear_pending(unsigned cpu, unsigned n, uint32_t v, uint32_t) {
    const uint32_t m = implemented_mask(n) & (n == 0 ? 0xffff0000u : ~0u);
    if (m) word(cpu, n).latch &= ~(v & m);
}

// The active bits can be set and cleared (for save and restore); the running priority is not changed by them.
void GicState::wr_set_active(unsigned cpu, unsigned n, uint32_t v, uint32_t) {
    const uint32_t m = implemented_mask(n);
    if (m) word(cpu, n).active |= v & m;
}

void GicState::wr_clear_active(unsigned cpu, unsigned n, uint32_t v, uint32_t) {
    const uint32_t m = implemented_mask(n);
    if (m) word(cpu, n).active &= ~(v & m);
}

uint32_t GicState::rd_priority(unsigned cpu, unsigned n) {
    uint32_t v = 0;
    for (unsigned k = 0; k < 4; ++k)
        if (implemented(4 * n + k)) v |= uint32_t(priority(cpu, 4 * n + k)) << (8 * k);
    return v;
}

void GicState::wr_priority(unsigned cpu, unsigned n, uint32_t v, uint32_t lanes) {
    for (unsigned k = 0; k < 4; ++k)
        if ((lanes >> (8 * k) & 0xff) && implemented(4 * n + k))
            priority_ref(cpu, 4 * n + k) = uint8_t(v >> (8 * k)) & kPriorityMask;
}

uint32_t GicState::rd_spi_targets(unsigned, unsigned n) {
    uint32_t v = 0;
    for (unsigned k = 0; k < 4; ++k)
        if (implemented(4 * n + k)) v |= uint32_t(spi_targets_[4 * n + k - kFirstSpi]) << (8 * k);
    return v;
}

void GicState::wr_spi_targets(unsigned, unsigned n, uint32_t v, uint32_t lanes) {
    for (unsigned k = 0; k < 4; ++k)
        if ((lanes >> (8 * k) & 0xff) && implemented(4 * n + k))
            spi_targets_[4 * n + k - kFirstSpi] = uint8_t(v >> (8 * k)) & cpu_mask();
}

// GICD_ICFGRn holds IDs 16n..16n+15, two bits each; bit 2k+1 is the edge bit (the low bit is reserved, RAZ/WI).
uint32_t GicState::rd_config(unsigned cpu, unsigned n) {
    const unsigned w = n / 2, half = (n % 2) * 16;
    const uint32_t m = implemented_mask(w);
    if (!m) return 0;
    const uint32_t edge = word(cpu, w).edge & m;
    uint32_t v = 0;
    for (unsigned k = 0; k < 16; ++k)
        if (edge >> (half + k) & 1) v |= 2u << (2 * k);
    return v;
}

void GicState::wr_config(unsigned cpu, unsigned n, uint32_t v, uint32_t) {
    const unsigned w = n / 2, half = (n % 2) * 16;
    const uint32_t m = implemented_mask(w);
    if (!m) return;
    Word& x = word(cpu, w);
    for (unsigned k = 0; k < 16; ++k) {
        const uint32_t bit = 1u << (half + k);
        if (!(m & bit)) continue;
        x.edge = (v >> (2 * k + 1) & 1) ? (x.edge | bit) : (x.edge & ~bit);
    }
}

// GICD_CPENDSGIRn / SPENDSGIRn: byte k is SGI 4n+k of the accessing CPU, bit s its pending state from CPU s.
uint32_t GicState::rd_sgi_pending(unsigned cpu, unsigned n) {
    uint32_t v = 0;
    for (unsigned k = 0; k < 4; ++k) v |= uint32_t(cpus_[cpu].sgi_sources[4 * n + k]) << (8 * k);
    return v;
}

void GicState::wr_set_sgi_pending(unsigned cpu, unsigned n, uint32_t v, uint32_t lanes) {
    for (unsigned k = 0; k < 4; ++k)
        if (lanes >> (8 * k) & 0xff) cpus_[cpu].sgi_sources[4 * n + k] |= uint8_t(v >> (8 * k)) & cpu_mask();
}

void GicState::wr_clear_sgi_pending(unsigned cpu, unsigned n, uint32_t v, uint32_t lanes) {
    for (unsigned k = 0; k < 4; ++k)
        if (lanes >> (8 * k) & 0xff) cpus_[cpu].sgi_sources[4 * n + k] &= uint8_t(~(v >> (8 * k)));
}

// ---- CPU interface registers ---------------------------------------------------------------------------------------

// A binary point below the minimum reads back as the minimum (IHI 0048B, GICC_BPR).
void GicState::wr_bpr(unsigned cpu, unsigned, uint32_t v, uint32_t) {
    cpus_[cpu].bpr = uint8_t(std::max<uint32_t>(v & 7, kMinBpr));
}

uint32_t GicState::rd_hppir(unsigned cpu, unsigned) {
    const Candidate c = highest_pending(cpu);
    const Cpu& k = cpus_[cpu];
    if (!k.enabled || c.id == kSpurious || c.priority >= k.pmr) return kSpurious;
    return c.id | (c.id < kSgis ? c.source << 10 : 0u);
}

}  // namespace oobsim

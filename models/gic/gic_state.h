// The GICv2 interrupt controller (ARM IHI 0048B) as plain C++: the distributor and one CPU interface per CPU, with no
// notion of time. The SystemC wrapper (gic.h) adds the bus, the latencies and the wires to the cores; this class is
// what a unit test or an RTL comparison drives register by register.
//
// What is implemented, and the choices the architecture leaves to an implementation (docs/platform.md repeats them):
//   - 1..8 CPU interfaces; 16 SGIs and 16 PPIs banked per CPU; 0..988 SPIs (IDs 32 .. 32 + nspis - 1).
//     GICD_TYPER.ITLinesNumber = ceil(nspis / 32); IDs inside those lines that have no SPI are RAZ/WI.
//   - No Security Extensions: one security state, every interrupt in Group 0. GICD_IGROUPRn are RAZ/WI;
//     GICD_CTLR bit 0 enables forwarding, GICC_CTLR bit 0 enables signalling; their other bits are RAZ/WI
//     (no Group 1, no FIQ, no bypass, no EOImode split: GICC_DIR would lie outside the 4 KiB CPU-interface window).
//   - 5 priority bits, as on the GIC-400: priorities and GICC_PMR keep bits [7:3] (mask 0xf8), so the minimum
//     binary point is 2 and there are 32 preemption levels.
//   - SGIs are always enabled (GICD_ISENABLER0[15:0] RAO/WI, GICD_ICENABLER0[15:0] WI) and always edge-triggered
//     (GICD_ICFGR0 is read-only 0xaaaaaaaa). Their pending state is per source CPU (GICD_SPENDSGIRn/CPENDSGIRn);
//     the SGI bits of GICD_ISPENDR0/ICPENDR0 read that state and ignore writes. Active state is per SGI ID and CPU.
//   - PPIs are configurable, per CPU: GICD_ICFGR1 is banked and its edge bits are writable (reset: level).
//     SPIs reset to level-sensitive. The low bit of each ICFGR field (reserved in GICv2) is RAZ/WI.
//   - GICD_ITARGETSR0..7 (SGIs, PPIs) are read-only and read the reading CPU's bit in every byte; SPI target bits of
//     CPUs that do not exist are RAZ/WI. With one CPU every GICD_ITARGETSRn is RAZ/WI and every SPI goes to CPU 0
//     (IHI 0048B: a uniprocessor GIC).
//   - GICD_IIDR = 0x01000000 (ProductID 0x01, variant and revision 0, implementer 0: no JEP106 code, as this is
//     no vendor's GIC); GICC_IIDR = 0x00120000 (ProductID 0x001, ArchitectureVersion 2, implementer 0);
//     GICD_ICPIDR2 = 0x20 (ArchRev 2); the other identification registers (0xfd0..0xffc) read 0.
//   - Among pending interrupts of equal priority the lowest ID wins; among the sources of one SGI the lowest CPU.
//     An interrupt that is active (or active and pending) is not signalled again until it is deactivated.
//   - GICC_RPR is the priority of the most recently acknowledged interrupt not yet ended (0xff when none): the
//     running priority as if BPR were at its minimum. A pending interrupt preempts it only when its group priority
//     is higher: (priority & G) < (running priority & G), G = the group-priority mask of the current GICC_BPR.
//   - GICC_HPPIR reads the interrupt GICC_IAR would return if the running priority were idle (it obeys
//     GICD_CTLR, GICC_CTLR and GICC_PMR, not preemption); 1023 when there is none.
//   - GICC_EOIR must name the most recently acknowledged interrupt that has not ended (with the source CPU of an
//     SGI): writes of another value are ignored and reported (IHI 0048B leaves them UNPREDICTABLE); 1020..1023 are
//     ignored silently.
//   - Accesses: 32-bit, aligned, to every register; in addition bytes to GICD_IPRIORITYRn, GICD_ITARGETSRn,
//     GICD_CPENDSGIRn and GICD_SPENDSGIRn. Anything else (other sizes, misaligned, reserved offsets, GICC_APRn and
//     the Group 1 aliases, which are not implemented) is refused: the platform makes it a bus error. Write-only
//     registers read 0. Writes to read-only registers are ignored, counted and reported (Misuse::ReadOnlyWrite).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace oobsim {

class GicState {
public:
    static constexpr unsigned kMaxCpus = 8;
    static constexpr unsigned kSgis = 16;
    static constexpr unsigned kFirstPpi = 16;
    static constexpr unsigned kFirstSpi = 32;
    static constexpr unsigned kMaxSpis = 988;        // IDs 32..1019; 1020..1023 are special IDs
    static constexpr uint32_t kSpurious = 1023;
    static constexpr uint8_t kPriorityMask = 0xf8;   // the 5 implemented priority bits
    static constexpr uint32_t kMinBpr = 2;           // 7 - implemented priority bits
    static constexpr uint8_t kIdlePriority = 0xff;   // GICC_RPR with nothing running
    static constexpr uint32_t kGicdIidr = 0x01000000;
    static constexpr uint32_t kGiccIidr = 0x00120000;
    static constexpr uint32_t kIcpidr2 = 0x20;

    // Guest mistakes that complete as the architecture says (the access is not refused) but deserve a report.
    enum class Misuse { ReadOnlyWrite, EoiMismatch, ReservedSgiFilter };
    // `what` names the register (ReadOnlyWrite) or describes the mistake.
    using Reporter = std::function<void(Misuse kind, unsigned cpu, const std::string& what)>;

    // Throws std::invalid_argument for a CPU count outside 1..8 or an SPI count above 988.
    GicState(unsigned ncpus, unsigned nspis);
    void reset();
    void set_reporter(Reporter reporter) { reporter_ = std::move(reporter); }

    // A register access by `cpu` (which banks SGI/PPI state and selects the CPU interface) at byte `offset` of the
    // distributor or the CPU-interface window; `size` bytes, the value in the low bits. Returns false for an access
    // the GIC refuses (see above); last_error() then says why.
    bool read(unsigned cpu, bool distributor, uint32_t offset, unsigned size, uint32_t* value);
    bool write(unsigned cpu, bool distributor, uint32_t offset, unsigned size, uint32_t value);
    const std::string& last_error() const { return last_error_; }

    // The wording of the GIC's refusals and reports, for another model of the same GIC that answers with codes (the
    // RTL, models/gic/rtl_gic.h), so both say the same. refusal(): what read()/write() would leave in last_error() for
    // that access, or "" when it would be taken. register_name(): the register at `offset` as reports name it (e.g.
    // "GICD_ISENABLER1"), "" if there is none.
    std::string refusal(unsigned cpu, bool distributor, uint32_t offset, unsigned size) const;
    std::string register_name(bool distributor, uint32_t offset) const;
    static std::string eoi_mismatch_message(uint32_t value, bool running, uint32_t running_iar);
    static std::string reserved_sgi_filter_message(uint32_t value);

    // An interrupt input line: a PPI (16..31) of `cpu`, or an SPI (32..) for which `cpu` is ignored. Throws
    // std::out_of_range for an ID that has no line. Level-sensitive: pending while high. Edge: a rising edge pends.
    void set_line(unsigned id, bool level, unsigned cpu = 0);
    // The CPU interface's interrupt request: an interrupt can be acknowledged now (GICC_IAR would not read 1023).
    bool irq_output(unsigned cpu) const;

    // Observation, for tests, traces and comparisons with the RTL model.
    unsigned ncpus() const { return ncpus_; }
    unsigned nspis() const { return nspis_; }
    unsigned it_lines_number() const { return (nspis_ + 31) / 32; }
    bool implemented(unsigned id) const { return id < kFirstSpi || id - kFirstSpi < nspis_; }
    bool pending(unsigned cpu, unsigned id) const;
    bool active(unsigned cpu, unsigned id) const;
    uint8_t running_priority(unsigned cpu) const;
    unsigned long ignored_writes() const { return ignored_writes_; }
    // For traces: the pending and active bits of IDs 32w..32w+31 as `cpu` sees them (w = 0: its banked SGIs and PPIs;
    // the SPI words are the same for every CPU), for w < id_words().
    unsigned id_words() const { return unsigned(spis_.size()); }
    uint32_t pending_word(unsigned cpu, unsigned w) const { return pending_mask(cpu, w); }
    uint32_t active_word(unsigned cpu, unsigned w) const { return word(cpu, w).active & implemented_mask(w); }
    // For traces: called for every SGI sent through GICD_SGIR (source CPU, SGI ID, the CPUs it went to).
    using SgiHook = std::function<void(unsigned source, unsigned sgi, uint8_t targets)>;
    void set_sgi_hook(SgiHook hook) { sgi_hook_ = std::move(hook); }

private:
    // The state of 32 consecutive interrupt IDs, one bit each. Word 0 (SGIs, PPIs) is banked per CPU.
    struct Word {
        uint32_t enabled = 0;
        uint32_t latch = 0;   // pending set by an edge or GICD_ISPENDR (PPIs, SPIs; SGIs use sgi_sources)
        uint32_t active = 0;
        uint32_t level = 0;   // the input line
        uint32_t edge = 0;    // 1: edge-triggered, 0: level-sensitive
    };
    struct Running {
        uint32_t iar;      // the value GICC_IAR returned (ID and SGI source)
        uint8_t priority;  // the interrupt's priority when acknowledged
    };
    struct Cpu {
        Word banked;
        std::array<uint8_t, 32> priority{};
        std::array<uint8_t, kSgis> sgi_sources{};  // per SGI: bit n = pending from CPU n
        // CPU interface.
        bool enabled = false;
        uint8_t pmr = 0;
        uint8_t bpr = kMinBpr;
        std::vector<Running> running;  // acknowledged, not yet ended; back() is the running interrupt
    };
    struct Candidate {
        uint32_t id = kSpurious;
        unsigned source = 0;    // SGIs: the source CPU
        unsigned priority = 0x100;
    };

    // A register array: `count` 32-bit registers from `offset`; `index0` is the architectural number of the first.
    enum class Access : uint8_t { RW, RO, WO, RAZ_WI };
    using ReadFn = uint32_t (GicState::*)(unsigned cpu, unsigned n);
    using WriteFn = void (GicState::*)(unsigned cpu, unsigned n, uint32_t value, uint32_t lanes);
    struct Reg {
        const char* name;
        uint32_t offset;
        unsigned count;
        unsigned index0;
        Access access;
        bool bytes;  // byte accesses allowed as well as words
        ReadFn read;
        WriteFn write;
    };
    void build_register_tables();
    const Reg* find(const std::vector<Reg>& table, uint32_t offset) const;
    // Checks the CPU, size and alignment; gives the register, its number and the byte lanes touched, or null and why.
    const Reg* decode(unsigned cpu, bool distributor, uint32_t offset, unsigned size, unsigned* n, uint32_t* lanes,
                      std::string* why) const;
    bool refuse(const std::string& why);
    void report(Misuse kind, unsigned cpu, const std::string& what);
    static std::string reg_name(const Reg& r, unsigned n);

    // State helpers.
    Word& word(unsigned cpu, unsigned w) { return w == 0 ? cpus_[cpu].banked : spis_[w]; }
    const Word& word(unsigned cpu, unsigned w) const { return w == 0 ? cpus_[cpu].banked : spis_[w]; }
    uint32_t implemented_mask(unsigned w) const;
    uint32_t pending_mask(unsigned cpu, unsigned w) const;
    // Pending: latched (an edge, GICD_ISPENDR) or, level-sensitive, the line high; SGIs: pending from any source.
    static uint32_t latched_or_high(const Word& x) { return x.latch | (x.level & ~x.edge); }
    static uint32_t banked_pending(const Cpu& k);  // word 0 of the CPU, before masking
    uint8_t& priority_ref(unsigned cpu, unsigned id) {
        return id < kFirstSpi ? cpus_[cpu].priority[id] : spi_priority_[id - kFirstSpi];
    }
    uint8_t priority(unsigned cpu, unsigned id) const {
        return id < kFirstSpi ? cpus_[cpu].priority[id] : spi_priority_[id - kFirstSpi];
    }
    bool targets(unsigned id, unsigned cpu) const;
    uint8_t cpu_mask() const { return uint8_t((1u << ncpus_) - 1); }
    Candidate highest_pending(unsigned cpu) const;
    bool can_signal(unsigned cpu, const Candidate& c) const;
    static unsigned group_priority(unsigned priority, unsigned bpr);
    uint32_t acknowledge(unsigned cpu);
    void end_of_interrupt(unsigned cpu, uint32_t value);
    void send_sgi(unsigned cpu, uint32_t value);

    // Register behaviour: distributor.
    uint32_t rd_ctlr(unsigned, unsigned) { return dist_enabled_ ? 1u : 0u; }
    void wr_ctlr(unsigned, unsigned, uint32_t v, uint32_t) { dist_enabled_ = v & 1; }
    uint32_t rd_typer(unsigned, unsigned) { return ((ncpus_ - 1) << 5) | it_lines_number(); }
    uint32_t rd_gicd_iidr(unsigned, unsigned) { return kGicdIidr; }
    uint32_t rd_zero(unsigned, unsigned) { return 0; }
    uint32_t rd_enable(unsigned cpu, unsigned n);
    void wr_set_enable(unsigned cpu, unsigned n, uint32_t v, uint32_t);
    void wr_clear_enable(unsigned cpu, unsigned n, uint32_t v, uint32_t);
    uint32_t rd_pending(unsigned cpu, unsigned n) { return pending_mask(cpu, n); }
    void wr_set_pending(unsigned cpu, unsigned n, uint32_t v, uint32_t);
    void wr_clear_pending(unsigned cpu, unsigned n, uint32_t v, uint32_t);
    uint32_t rd_active(unsigned cpu, unsigned n) {
        const uint32_t m = implemented_mask(n);
        return m ? word(cpu, n).active & m : 0;
    }
    void wr_set_active(unsigned cpu, unsigned n, uint32_t v, uint32_t);
    void wr_clear_active(unsigned cpu, unsigned n, uint32_t v, uint32_t);
    uint32_t rd_priority(unsigned cpu, unsigned n);
    void wr_priority(unsigned cpu, unsigned n, uint32_t v, uint32_t lanes);
    uint32_t rd_private_targets(unsigned cpu, unsigned) { return 0x01010101u << cpu; }
    uint32_t rd_spi_targets(unsigned cpu, unsigned n);
    void wr_spi_targets(unsigned cpu, unsigned n, uint32_t v, uint32_t lanes);
    uint32_t rd_sgi_config(unsigned, unsigned) { return 0xaaaaaaaau; }
    uint32_t rd_config(unsigned cpu, unsigned n);
    void wr_config(unsigned cpu, unsigned n, uint32_t v, uint32_t);
    void wr_sgir(unsigned cpu, unsigned, uint32_t v, uint32_t) { send_sgi(cpu, v); }
    uint32_t rd_sgi_pending(unsigned cpu, unsigned n);
    void wr_set_sgi_pending(unsigned cpu, unsigned n, uint32_t v, uint32_t lanes);
    void wr_clear_sgi_pending(unsigned cpu, unsigned n, uint32_t v, uint32_t lanes);
    uint32_t rd_id(unsigned, unsigned n) { return n == 2 ? kIcpidr2 : 0; }  // ICPIDR2 at 0xfe8
    // CPU interface.
    uint32_t rd_cpu_ctlr(unsigned cpu, unsigned) { return cpus_[cpu].enabled ? 1u : 0u; }
    void wr_cpu_ctlr(unsigned cpu, unsigned, uint32_t v, uint32_t) { cpus_[cpu].enabled = v & 1; }
    uint32_t rd_pmr(unsigned cpu, unsigned) { return cpus_[cpu].pmr; }
    void wr_pmr(unsigned cpu, unsigned, uint32_t v, uint32_t) { cpus_[cpu].pmr = uint8_t(v & kPriorityMask); }
    uint32_t rd_bpr(unsigned cpu, unsigned) { return cpus_[cpu].bpr; }
    void wr_bpr(unsigned cpu, unsigned, uint32_t v, uint32_t);
    uint32_t rd_iar(unsigned cpu, unsigned) { return acknowledge(cpu); }
    void wr_eoir(unsigned cpu, unsigned, uint32_t v, uint32_t) { end_of_interrupt(cpu, v); }
    uint32_t rd_rpr(unsigned cpu, unsigned) { return running_priority(cpu); }
    uint32_t rd_hppir(unsigned cpu, unsigned);
    uint32_t rd_gicc_iidr(unsigned, unsigned) { return kGiccIidr; }

    unsigned ncpus_, nspis_;
    bool dist_enabled_ = false;
    std::vector<Cpu> cpus_;
    std::vector<Word> spis_;              // index id / 32; [0] is unused (banked)
    std::vector<uint8_t> spi_priority_;   // index id - 32
    std::vector<uint8_t> spi_targets_;    // index id - 32
    std::vector<Reg> dist_regs_, cpu_regs_;
    std::string last_error_;
    unsigned long ignored_writes_ = 0;
    Reporter reporter_;
    SgiHook sgi_hook_;
};

}  // namespace oobsim

// The RTL GIC verilated as a SystemC module (verilator --sc: Voobsim_gic_sc, MAX_SPIS 64) in a SystemC testbench,
// against GicState, cycle by cycle. The C++ (--cc) verilation behind the platform is checked the same way by
// gic_rtl_equivalence_test.cpp, with the same stimulus (gic_stimulus.h); this program checks the sc_module itself: its
// ports, its clock, its reset and its evaluation by the SystemC kernel.
//
// Each GicBench binds every port of one module instance to an sc_signal, its clock to an sc_clock whose period is the
// core clock of the timing model (TimingProfile::clock_hz, 1 GHz by default), and drives it from an SC_THREAD as a
// synchronous bus master: at the rising edge that begins a cycle it writes the cycle's request (or req_valid low),
// its line changes and an observation address; at the rising edge that ends the cycle it reads the outputs. GicState
// gets the same operation (the access, then the line changes: the RTL's order within an edge) and every sampled
// output is compared with it: whether the access was refused, the value read, the misuse, the SGI sent, whether
// the accessing CPU has a running interrupt, all eight IRQ outputs, the count of ignored writes and one observation
// word (every word of every CPU in turn, and all of them at the end).
//
// What a SystemC master sees, and how the bench accounts for it (docs/rtl-gic.md, "The SystemC module"):
//  - The module evaluates in its own SC_METHOD, sensitive to the clock and every input. Signals written in one delta
//    cycle change in the next, where the method runs; the outputs it writes change one delta after that. A
//    combinational read (the --cc model's response within the call that presents the request) becomes, for a
//    master, "the response is on rsp_* two delta cycles after req_* are written": reading them in between gives the
//    previous cycle's response. The bench checks that count once (check_response_deltas), then samples at the edge
//    that ends the cycle, where every combinational output has long settled and still holds its value from before
//    the edge: the response computed from the state before the access, which is what the RTL means.
//  - The state outputs (irq, ignored_writes, obs_pending/obs_active) are functions of registered state only. Sampled
//    at the edge that ends cycle k they are what the edge that ended cycle k-1 registered: one cycle behind the
//    access presented in cycle k, whose effects the sampling edge itself registers. So they are compared with
//    GicState as it was before cycle k's operation, and an idle cycle after the last operation checks the final
//    state (check_irq_offset shows the offset on an interrupt line).
//
// Three instances run in one simulation on one clock, each with its own reset straps: the platform's default
// configuration (4 CPUs, 64 SPIs: directed sequences, then a 100 000-cycle seeded random stream), 8 CPUs with 37
// SPIs (20 000 cycles; pins 37..63 of the build are toggled now and then: the RTL must ignore them) and 1 CPU with no
// SPIs (10 000). The first mismatch stops its bench with the cycle, the field and the last operations. Exit status 0
// when every bench passed.
#include <systemc>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>
#include <vector>

#include "Voobsim_gic_sc.h"
#include "models/cpu/timing.h"
#include "models/gic/gic_state.h"
#include "tests/rtl/gic_stimulus.h"

namespace {

using oobsim::GicState;
using namespace oobsim::rtl_test;  // offsets, operations, the random stream, the opening writes
namespace rtl = oobsim::rtl;

constexpr unsigned kBuildSpis = 64;  // models/gic/rtl/CMakeLists.txt: the --sc build's MAX_SPIS (spi_lines is 64 bits)
constexpr unsigned kMaxCpus = 8;

struct Mismatch {};  // thrown by GicBench::fail: ends the bench's thread

class GicBench : public sc_core::sc_module {
public:
    struct Config {
        unsigned ncpus;
        unsigned nspis;
        uint64_t seed;
        unsigned random_cycles;
        bool directed;  // the directed sequences (written for 4 CPUs and 64 SPIs)
    };

    sc_core::sc_in<bool> clk;

    SC_HAS_PROCESS(GicBench);
    GicBench(sc_core::sc_module_name name, const Config& config, sc_core::sc_clock& clock)
        : sc_module(name), config_(config), period_(clock.period()), ref_(config.ncpus, config.nspis), gic_("gic") {
        clk(clock);
        ref_.set_reporter([this](GicState::Misuse kind, unsigned, const std::string&) {
            ref_misuse_ = rtl::Misuse(unsigned(kind) + 1);  // GicState::Misuse has no "none"
        });
        ref_.set_sgi_hook([this](unsigned, unsigned, uint8_t targets) {
            ref_sgi_sent_ = true;
            ref_sgi_targets_ = targets;
        });
        gic_.clk(clk);
        gic_.rst_n(rst_n_);
        gic_.cfg_cpus(cfg_cpus_);
        gic_.cfg_spis(cfg_spis_);
        gic_.req_valid(req_valid_);
        gic_.req_write(req_write_);
        gic_.req_dist(req_dist_);
        gic_.req_cpu(req_cpu_);
        gic_.req_addr(req_addr_);
        gic_.req_size(req_size_);
        gic_.req_wdata(req_wdata_);
        gic_.rsp_rdata(rsp_rdata_);
        gic_.rsp_status(rsp_status_);
        gic_.rsp_misuse(rsp_misuse_);
        gic_.rsp_sgi_sent(rsp_sgi_sent_);
        gic_.rsp_sgi_targets(rsp_sgi_targets_);
        gic_.rsp_running_valid(rsp_running_valid_);
        gic_.rsp_running_iar(rsp_running_iar_);
        gic_.spi_lines(spi_lines_);
        gic_.ppi_lines(ppi_lines_);
        gic_.irq(irq_);
        gic_.ignored_writes(ignored_writes_);
        gic_.obs_cpu(obs_cpu_);
        gic_.obs_word(obs_word_);
        gic_.obs_pending(obs_pending_);
        gic_.obs_active(obs_active_);
        // The straps are sampled during the reset, so they hold from the start.
        cfg_cpus_.write(config.ncpus);
        cfg_spis_.write(config.nspis);
        ++running_;
        SC_THREAD(run);
    }

    bool passed() const { return finished_ && !failed_; }
    static unsigned running() { return running_; }

private:
    void end_of_simulation() override { gic_.final(); }

    void run() {
        try {
            reset();
            if (config_.directed) check_response_deltas();
            for (const rtl::Request& q : opening_writes(config_.ncpus, config_.nspis)) cycle(&q);
            if (config_.directed) {
                check_irq_offset();
                check_sgi_iar_eoi();
                check_preemption();
            }
            random_stream();
            // The state outputs lag one cycle: idle cycles show the final state, every observation word in turn.
            for (unsigned i = 0; i < config_.ncpus * 32; ++i) cycle(nullptr);
            finished_ = true;
            std::printf("%s: %llu cycles of %s (%u random: %u accesses, %u with line changes, %u interrupts "
                        "acknowledged); every output matched GicState\n",
                        name(), (unsigned long long)cycles_, period_.to_string().c_str(), config_.random_cycles,
                        accesses_, line_cycles_, acks_);
        } catch (const Mismatch&) {
            failed_ = true;
        }
        if (--running_ == 0) sc_core::sc_stop();
    }

    // The synchronous reset: two rising edges with rst_n low. Returns at a rising edge, rst_n high from it on.
    void reset() {
        rst_n_.write(false);
        wait(clk.posedge_event());
        wait(clk.posedge_event());
        rst_n_.write(true);
    }

    // One clock cycle, entered and left at a rising edge. Returns GicState's outcome of the access.
    Outcome cycle(const rtl::Request* q, const std::vector<LineChange>& lines = {},
                  const std::vector<unsigned>& masked_spi_pins = {}, unsigned* response_deltas = nullptr) {
        history_.push_back(describe(q, lines));
        if (history_.size() > 12) history_.pop_front();

        // What the state outputs must show at the end of this cycle: GicState before this cycle's operation.
        uint32_t expected_irq = 0;
        for (unsigned c = 0; c < config_.ncpus; ++c) expected_irq |= uint32_t(ref_.irq_output(c)) << c;
        const uint64_t expected_ignored = ref_.ignored_writes();
        const unsigned obs_cpu = obs_next_ / 32 % config_.ncpus, obs_word = obs_next_ % 32;
        ++obs_next_;
        const bool in_range = obs_word < ref_.id_words();
        const uint32_t expected_pending = in_range ? ref_.pending_word(obs_cpu, obs_word) : 0;
        const uint32_t expected_active = in_range ? ref_.active_word(obs_cpu, obs_word) : 0;
        // The accessing CPU's running interrupt (rsp_running_*), from the state before the access.
        const bool own_cpu = q && q->cpu < config_.ncpus;
        const bool expected_running = own_cpu && ref_.running_priority(q->cpu) != GicState::kIdlePriority;

        // Drive. The port widths bound the request as GicRtlModel does for the --cc model.
        req_valid_.write(q != nullptr);
        if (q) {
            req_write_.write(q->write);
            req_dist_.write(q->distributor);
            req_cpu_.write(q->cpu > 0xff ? 0xff : q->cpu);
            req_addr_.write(q->offset);
            req_size_.write(q->size > 7 ? 7 : q->size);
            req_wdata_.write(q->wdata);
        }
        for (const LineChange& l : lines) {
            if (l.id < 32)
                ppi_bits_[16 * l.cpu + l.id - 16] = l.level;
            else
                spi_bits_ = (spi_bits_ & ~(uint64_t(1) << (l.id - 32))) | uint64_t(l.level) << (l.id - 32);
        }
        for (unsigned pin : masked_spi_pins) spi_bits_ ^= uint64_t(1) << pin;
        if (!lines.empty() || !masked_spi_pins.empty()) {
            spi_lines_.write(spi_bits_);
            ppi_lines_.write(ppi_bits_);
        }
        obs_cpu_.write(obs_cpu);
        obs_word_.write(obs_word);

        // The reference: the access, then the lines.
        ref_misuse_ = rtl::Misuse::None;
        ref_sgi_sent_ = false;
        Outcome res;
        if (q) res.ok = q->write ? ref_.write(q->cpu, q->distributor, q->offset, q->size, q->wdata)
                                 : ref_.read(q->cpu, q->distributor, q->offset, q->size, &res.value);
        for (const LineChange& l : lines) ref_.set_line(l.id, l.level, l.cpu);
        res.misuse = ref_misuse_;

        if (response_deltas) {
            // How many delta cycles until the value read is on rsp_rdata (the caller makes it differ from the
            // previous cycle's).
            *response_deltas = 0;
            while (rsp_rdata_.read() != res.value && *response_deltas < 10) {
                wait(sc_core::SC_ZERO_TIME);
                ++*response_deltas;
            }
        }

        wait(clk.posedge_event());  // values read now are those from before this edge
        ++cycles_;
        if (q) {
            const bool ok = rsp_status_.read() == uint32_t(rtl::Status::Ok);
            expect_eq(ok, res.ok, "accepted (rsp_status " + std::to_string(rsp_status_.read()) + ")");
            if (res.ok && !q->write) expect_eq(rsp_rdata_.read(), res.value, "rsp_rdata");
            expect_eq(rsp_misuse_.read(), uint32_t(ref_misuse_), "rsp_misuse");
            expect_eq(rsp_sgi_sent_.read(), ref_sgi_sent_, "rsp_sgi_sent");
            if (ref_sgi_sent_) expect_eq(rsp_sgi_targets_.read(), uint32_t(ref_sgi_targets_), "rsp_sgi_targets");
            if (own_cpu) expect_eq(rsp_running_valid_.read(), expected_running, "rsp_running_valid");
        }
        expect_eq(irq_.read(), expected_irq, "irq (bit c: CPU interface c)");
        expect_eq(ignored_writes_.read(), expected_ignored, "ignored_writes");
        const std::string obs = " of CPU " + std::to_string(obs_cpu) + ", word " + std::to_string(obs_word);
        expect_eq(obs_pending_.read(), expected_pending, "obs_pending" + obs);
        expect_eq(obs_active_.read(), expected_active, "obs_active" + obs);
        return res;
    }

    uint32_t read(unsigned cpu, bool dist, uint32_t offset, unsigned size = 4) {
        const rtl::Request q = access(false, dist, cpu, offset, size);
        return cycle(&q).value;
    }
    Outcome write(unsigned cpu, bool dist, uint32_t offset, uint32_t value, unsigned size = 4) {
        const rtl::Request q = access(true, dist, cpu, offset, size, value);
        return cycle(&q);
    }
    // The IRQ outputs once the operations so far are registered: an idle cycle, sampled at its end.
    uint32_t settled_irq() {
        cycle(nullptr);
        return irq_.read();
    }

    // ---- Directed sequences (4 CPUs, 64 SPIs), the architectural values written out --------------------------------

    // A read's value reaches rsp_rdata two delta cycles after the request is written: one for the request signals,
    // one for the output signals the module's SC_METHOD writes.
    void check_response_deltas() {
        expect_eq(read(0, true, 0x008), GicState::kGicdIidr, "GICD_IIDR");
        const rtl::Request typer = access(false, true, 0, 0x004);
        unsigned deltas = 0;
        cycle(&typer, {}, {}, &deltas);
        expect_eq(rsp_rdata_.read(), (3u << 5) | 2u, "GICD_TYPER");
        expect_eq(deltas, 2u, "delta cycles from writing req_* to the response on rsp_rdata");
    }

    // An interrupt line raised in cycle k is sampled by the edge that ends cycle k; the IRQ output it causes is on
    // irq from one delta after that edge, so a master sampling at edges sees it at the end of cycle k + 1.
    void check_irq_offset() {
        write(0, true, kIpriorityr + 40, 0x80, 1);
        write(0, true, kItargetsr + 40, 1, 1);
        cycle(nullptr, {{40, 0, true}});
        expect_eq(irq_.read() & 1u, 0u, "CPU 0's IRQ at the edge that samples SPI 40");
        expect_eq(settled_irq() & 1u, 1u, "CPU 0's IRQ one cycle later");
        cycle(nullptr, {{40, 0, false}});  // level-sensitive: withdrawn with the line
        expect_eq(settled_irq() & 1u, 0u, "CPU 0's IRQ after SPI 40 fell");
    }

    // SGIs: per-source pending state, the three target filters, the source in GICC_IAR and GICC_EOIR.
    void check_sgi_iar_eoi() {
        expect_eq(write(3, true, kSgir, 0x00010005).misuse, rtl::Misuse::None, "CPU 3 -> list {0}, SGI 5");
        expect_eq(rsp_sgi_targets_.read(), 0x01u, "targets of CPU 3's SGI 5");
        write(1, true, kSgir, 0x01000005);  // CPU 1 -> every other CPU, SGI 5
        expect_eq(rsp_sgi_targets_.read(), 0x0du, "targets of CPU 1's SGI 5");
        write(2, true, kSgir, 0x02000007);  // CPU 2 -> itself, SGI 7
        expect_eq(rsp_sgi_targets_.read(), 0x04u, "targets of CPU 2's SGI 7");
        expect_eq(write(2, true, kSgir, 0x03000007).misuse, rtl::Misuse::ReservedSgiFilter, "reserved filter");
        expect_eq(rsp_sgi_sent_.read(), false, "an SGI sent with the reserved filter");
        expect_eq(read(0, true, kSpendsgir + 4), 0x00000a00u, "CPU 0's GICD_SPENDSGIR1 (SGI 5 from CPUs 1, 3)");
        expect_eq(settled_irq(), 0x0du, "IRQ outputs with SGIs pending at CPUs 0, 2, 3");
        // CPU 0: the lowest source first; the EOI must name the source.
        expect_eq(read(0, false, kIar), (1u << 10) | 5, "CPU 0's GICC_IAR");
        expect_eq(read(0, false, kHppir), kSpurious, "CPU 0's GICC_HPPIR (SGI 5 active)");
        expect_eq(write(0, false, kEoir, 5).misuse, rtl::Misuse::EoiMismatch, "EOI without the source");
        expect_eq(write(0, false, kEoir, (1u << 10) | 5).misuse, rtl::Misuse::None, "EOI of SGI 5 from CPU 1");
        expect_eq(read(0, false, kIar), (3u << 10) | 5, "CPU 0's GICC_IAR, second source");
        write(0, false, kEoir, (3u << 10) | 5);
        // CPU 2: SGI 5 (from 1) before SGI 7 (from 2) at equal priority; 7 does not preempt 5.
        expect_eq(read(2, false, kIar), (1u << 10) | 5, "CPU 2's GICC_IAR");
        expect_eq(read(2, false, kIar), kSpurious, "CPU 2's GICC_IAR while SGI 5 runs");
        expect_eq(read(2, false, kRpr), 0x00u, "CPU 2's GICC_RPR");
        write(2, false, kEoir, (1u << 10) | 5);
        expect_eq(read(2, false, kIar), (2u << 10) | 7, "CPU 2's GICC_IAR after the EOI");
        write(2, false, kEoir, (2u << 10) | 7);
        expect_eq(read(3, false, kIar), (1u << 10) | 5, "CPU 3's GICC_IAR");
        write(3, false, kEoir, (1u << 10) | 5);
        expect_eq(read(2, false, kRpr), 0xffu, "CPU 2's GICC_RPR, idle");
        expect_eq(settled_irq(), 0u, "IRQ outputs after every SGI ended");
        // Only existing CPUs can be sources; GICD_CPENDSGIRn clears by source.
        write(0, true, kSpendsgir + 6, 0xff, 1);
        expect_eq(read(0, true, kSpendsgir + 4), 0x000f0000u, "CPU 0's GICD_SPENDSGIR1 after setting SGI 6");
        write(0, true, kCpendsgir + 4, 0x000f0000u);
        expect_eq(read(0, true, kSpendsgir + 4), 0u, "CPU 0's GICD_SPENDSGIR1 after clearing");
    }

    // Nesting: a higher group priority preempts the running interrupt, an equal one does not; EOIs unwind.
    void check_preemption() {
        for (unsigned id : {41u, 42u}) {
            write(0, true, kIpriorityr + id, 0x40, 1);
            write(0, true, kItargetsr + id, 1, 1);
        }
        cycle(nullptr, {{40, 0, true}});
        expect_eq(read(0, false, kIar), 40u, "GICC_IAR: SPI 40");
        expect_eq(read(0, false, kRpr), 0x80u, "GICC_RPR with SPI 40 running");
        cycle(nullptr, {{41, 0, true}, {42, 0, true}});
        expect_eq(read(0, false, kHppir), 41u, "GICC_HPPIR: the lower of two IDs of equal priority");
        expect_eq(settled_irq() & 1u, 1u, "CPU 0's IRQ: 0x40 preempts 0x80");
        expect_eq(read(0, false, kIar), 41u, "GICC_IAR: SPI 41 preempts");
        expect_eq(settled_irq() & 1u, 0u, "CPU 0's IRQ: SPI 42 has the running priority");
        expect_eq(write(0, false, kEoir, 40).misuse, rtl::Misuse::EoiMismatch, "EOI of SPI 40 while 41 runs");
        write(0, false, kEoir, 41);
        write(0, false, kEoir, 40);
        cycle(nullptr, {{40, 0, false}, {41, 0, false}, {42, 0, false}});
        expect_eq(read(0, false, kRpr), 0xffu, "GICC_RPR after both EOIs");
        expect_eq(settled_irq(), 0u, "IRQ outputs with every line low");
    }

    // ---- The seeded random stream ----------------------------------------------------------------------------------

    void random_stream() {
        RandomStream stream(config_.seed, config_.ncpus, config_.nspis);
        for (unsigned i = 0; i < config_.random_cycles; ++i) {
            const Op op = stream.next();
            const Outcome r = cycle(op.has_access ? &op.request : nullptr, op.lines, stream.masked_pins(kBuildSpis));
            stream.observe(op, r);
            accesses_ += op.has_access;
            line_cycles_ += !op.lines.empty();
            acks_ += op.has_access && !op.request.write && !op.request.distributor && op.request.offset == kIar &&
                     r.ok && (r.value & 0x3ff) < 1020;
        }
        // The stream exercised the module: interrupts were acknowledged, accesses and line changes happened.
        expect_true(acks_ > config_.random_cycles / 50, "acknowledged interrupts: " + std::to_string(acks_));
        expect_true(accesses_ > config_.random_cycles / 2, "accesses: " + std::to_string(accesses_));
        expect_true(line_cycles_ > config_.random_cycles / 10,
                    "cycles with line changes: " + std::to_string(line_cycles_));
    }

    // ---- Checks -----------------------------------------------------------------------------------------------------

    template <class A, class B>
    void expect_eq(const A& actual, const B& expected, const std::string& what) {
        if (actual == A(expected)) return;
        fail(what + ": the module has " + hex(uint64_t(actual)) + ", expected " + hex(uint64_t(expected)));
    }
    void expect_true(bool condition, const std::string& what) {
        if (!condition) fail("not enough stimulus: " + what);
    }
    static std::string hex(uint64_t v) {
        char buf[24];
        std::snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)v);
        return buf;
    }
    [[noreturn]] void fail(const std::string& what) {
        std::string s = std::string(name()) + " (CPUs " + std::to_string(config_.ncpus) + ", SPIs " +
                        std::to_string(config_.nspis) + ", seed " + hex(config_.seed) +
                        "): MISMATCH at the end of cycle " + std::to_string(cycles_) + " (" +
                        sc_core::sc_time_stamp().to_string() + "): " + what + "\n  last operations, oldest first:";
        for (const std::string& h : history_) s += "\n    " + h;
        std::fprintf(stderr, "%s\n", s.c_str());
        throw Mismatch{};
    }

    const Config config_;
    const sc_core::sc_time period_;
    GicState ref_;
    rtl::Misuse ref_misuse_ = rtl::Misuse::None;
    bool ref_sgi_sent_ = false;
    uint8_t ref_sgi_targets_ = 0;

    sc_core::sc_signal<bool> rst_n_{"rst_n", false};
    sc_core::sc_signal<uint32_t> cfg_cpus_{"cfg_cpus"}, cfg_spis_{"cfg_spis"};
    sc_core::sc_signal<bool> req_valid_{"req_valid"}, req_write_{"req_write"}, req_dist_{"req_dist"};
    sc_core::sc_signal<uint32_t> req_cpu_{"req_cpu"}, req_addr_{"req_addr"}, req_size_{"req_size"},
        req_wdata_{"req_wdata"};
    sc_core::sc_signal<uint32_t> rsp_rdata_{"rsp_rdata"}, rsp_status_{"rsp_status"}, rsp_misuse_{"rsp_misuse"},
        rsp_sgi_targets_{"rsp_sgi_targets"}, rsp_running_iar_{"rsp_running_iar"};
    sc_core::sc_signal<bool> rsp_sgi_sent_{"rsp_sgi_sent"}, rsp_running_valid_{"rsp_running_valid"};
    sc_core::sc_signal<uint64_t> spi_lines_{"spi_lines"};
    sc_core::sc_signal<sc_dt::sc_bv<16 * kMaxCpus>> ppi_lines_{"ppi_lines"};
    sc_core::sc_signal<uint32_t> irq_{"irq"};
    sc_core::sc_signal<uint64_t> ignored_writes_{"ignored_writes"};
    sc_core::sc_signal<uint32_t> obs_cpu_{"obs_cpu"}, obs_word_{"obs_word"}, obs_pending_{"obs_pending"},
        obs_active_{"obs_active"};
    Voobsim_gic_sc gic_;

    uint64_t spi_bits_ = 0;
    sc_dt::sc_bv<16 * kMaxCpus> ppi_bits_;
    unsigned obs_next_ = 0;
    uint64_t cycles_ = 0;
    unsigned accesses_ = 0, line_cycles_ = 0, acks_ = 0;
    std::deque<std::string> history_;
    bool finished_ = false, failed_ = false;
    static inline unsigned running_ = 0;
};

}  // namespace

int sc_main(int argc, char** argv) {
    if (argc > 1) {
        std::fprintf(stderr, "usage: %s (no arguments: the benches and their seeds are fixed)\n", argv[0]);
        return 2;
    }
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    const sc_core::sc_time period(double(oobsim::TimingProfile{}.cycle_ps()), sc_core::SC_PS);
    sc_core::sc_clock clock("clock", period);
    GicBench platform_default("gic_4cpus_64spis", {4, 64, 0x5c5eed01, 100000, true}, clock);
    GicBench eight_cpus("gic_8cpus_37spis", {8, 37, 0x5c5eed02, 20000, false}, clock);
    GicBench one_cpu("gic_1cpu_0spis", {1, 0, 0x5c5eed03, 10000, false}, clock);
    sc_core::sc_start();

    unsigned passed = 0, failed = 0;
    for (const GicBench* bench : {&platform_default, &eight_cpus, &one_cpu}) (bench->passed() ? passed : failed)++;
    std::printf("%u passed, %u failed\n", passed, failed);
    return failed == 0 && GicBench::running() == 0 ? 0 : 1;
}

// The SystemC banner off before the kernel starts, as in oobsim.
int main(int argc, char** argv) {
    setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);
    return sc_core::sc_elab_and_sim(argc, argv);
}

// `oobsim run`: options, platform, run, traces, report (sim/run.h).
#include "run.h"

#include <systemc>

#include <chrono>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "elf_loader.h"
#include "platform.h"
#include "trace/session.h"

namespace oobsim {
namespace {

const char* kHelp = R"(oobsim - a cycle-exact SystemC/TLM-2.0 simulator of a multicore RV32IMA platform

Usage:
  oobsim run FILE.elf [options]     run a RISC-V ELF32 executable on the platform
  oobsim timing                     list the timing-model parameters with their defaults
  oobsim --help                     show this text

Options of `run`:
  --cpus N              number of cores, 1..8 (default 1; 1..64 with --no-gic); every core starts at the ELF entry
                        point
  --spis N              shared peripheral interrupts of the GIC, 0..988 (default 64): interrupt IDs 32..31+N
  --irq-source SPEC     program the next channel of the IRQ sources (repeatable; channel i for the i-th), e.g.
                          mode=periodic,period=10000,phase=500,spi=40,level
                          mode=random,dist=exp,mean=5000,seed=7      mode=oneshot,at=12345
                          mode=burst,count=4,gap=100,every=50000
                        (docs/irq-sources.md lists every key)
  --no-gic              a platform without the GIC interrupt controller (its windows are bus errors); allows up to
                        64 cores
  --gic tlm|rtl         the GIC's model: the C++ one (default) or the verilated RTL (docs/rtl-gic.md); same
                        registers, timing and traces
  --max-cycles N        stop with an error after N cycles (default 10000000000)
  --mode fast|reference scheduling mode (default fast). Both give bit-identical results; reference steps every
                        core cycle by cycle and is much slower.
  --timing KEY=VALUE    override one timing-model parameter (repeatable; see `oobsim timing`)
  --insn-trace FILE     write every retired instruction as "core cycle pc insn" (hex pc/insn) to FILE
  --state-dump FILE     write the final architectural state (registers, CSRs, cycle counts, a RAM digest) to FILE
  --quiet               print only the guest's console output (no report)
  --scenario-table FILE write FILE (a binary scenario table: firmware/include/oobsim/scenario_table.h) over the
                        program's symbol oobsim_scenario_table before the first instruction; the scenario firmware
                        (build/firmware/scenario*.elf) reads it. Python scenarios (docs/python.md) make these tables

Tracing (docs/observability.md, docs/metrics.md). None of it changes a cycle of the run; each file is streamed, so a
long run does not hold its trace in memory:
  --events FILE         the event log: every trace HINT (decoded by the pipeline's event table) and every hardware
                        interrupt event (GIC input lines, pending/active, IAR/EOIR, SGIs, MEIP/MSIP/MTIP, traps, MRET,
                        mstatus.MIE, WFI), one "CYCLE CPU EVENT KEY=VALUE..." line each, in time order
  --vcd FILE            waveforms (VCD; timescale = the core clock period, so times are cycles): per CPU stage,
                        stalls, hard irqs, log sizes, the IRQ being handled and its stage, thread, MEIP/MSIP/MTIP; per
                        GIC line used: line, pending, active; IRQ-source outputs; SGI traffic. Opens in GTKWave
  --perfetto FILE       timeline (Chrome trace-event JSON; open it in ui.perfetto.dev): one track per CPU with nested
                        slices (trap, pipeline, handlers, replays, in-band stall, run_oob_call, ...), instant events,
                        flow arrows from IPI/SGI sends to their receipt
  --metrics FILE        latency metrics as JSON (count, min, mean, p50, p90, p99, p99.9, max in cycles and ns, the
                        cycle of the max, the histogram); the report prints them as a table too
  --histogram FILE      the metrics' histograms as text, latmus style
  --histogram-cell NS   the histogram cell width in ns (default 100)
  --trace-hint ID=LABEL name trace HINT id ID (repeatable; the pipeline's ids are named by its own list). These
                        labels mean something to the outputs: thread_switch (value: the thread now running),
                        xcall_issue, xcall_func_start, xcall_func_end, xcall_wait_return (value: the ticket),
                        softint_entry, softint_exit (value: the IPL), oob_call_fn_begin, oob_call_fn_end

The guest's console output goes to standard output as it is printed; the report follows it: how the run ended,
per-core cycles, instructions and sleep cycles, and host speed (simulated MIPS; in the fast mode, the scheduler slices).
Firmware ends a run by writing its exit code to the simulation-control EXIT register, or, for riscv-tests
programs, by writing to `tohost` (value 1 = pass; (N << 1) | 1 = test N failed).

Exit status:
  the firmware's exit code (low 8 bits) when it exits; riscv-tests: 0 pass, N = the failing test number
  100  bad command line               101  impossible configuration (CPU or SPI count, timing key or value)
  102  program file unreadable        103  not a little-endian ELF32 RISC-V executable
  104  program does not fit the platform (segment outside RAM or over a device, entry point not loaded)
  105  cycle limit reached            106  trap with no handler (mtvec = 0) or unsupported tohost call
  107  deadlock: all cores in WFI, nothing can wake them          108  internal error
Firmware should use exit codes below 100 so they cannot be mistaken for these.
)";

struct Usage : std::runtime_error {
    using std::runtime_error::runtime_error;
};
struct BadConfig : std::runtime_error {
    using std::runtime_error::runtime_error;
};

uint64_t parse_count(const std::string& opt, const std::string& text) {
    size_t used = 0;
    unsigned long long v = 0;
    try {
        if (!text.empty() && text[0] != '-') v = std::stoull(text, &used, 0);
    } catch (const std::exception&) {
        used = 0;
    }
    if (text.empty() || used != text.size()) throw Usage(opt + " needs a non-negative integer, not '" + text + "'");
    return v;
}

class TraceWriter : public InsnObserver {
public:
    explicit TraceWriter(const std::string& path) : f_(std::fopen(path.c_str(), "w")) {
        if (!f_) throw Usage("cannot write --insn-trace file " + path);
        std::setvbuf(f_, nullptr, _IOFBF, 1 << 20);
    }
    ~TraceWriter() override { std::fclose(f_); }
    void on_insn(unsigned cpu, uint64_t cycle, uint32_t pc, uint32_t insn) override {
        std::fprintf(f_, "%u %" PRIu64 " %08x %08x\n", cpu, cycle, pc, insn);
    }

private:
    std::FILE* f_;
};

void dump_state(const std::string& path, Platform& p, const RunOutcome& o) {
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (!f) {
        warn("cannot write --state-dump file " + path);
        return;
    }
    Cluster& c = p.cluster();
    std::fprintf(f, "outcome %d exit %d cycle %" PRIu64 "\n", int(o.kind), o.exit_code, o.cycle);
    for (unsigned i = 0; i < c.ncpus(); ++i) {
        Hart& h = c.hart(i);
        std::fprintf(f, "core %u pc %08x time %" PRIu64 " instret %" PRIu64 " sleep %" PRIu64 "\n", i, h.pc(), h.time(),
                     h.instret(), h.sleep_cycles());
        for (unsigned r = 0; r < 32; ++r) std::fprintf(f, "%08x%c", h.reg(r), r % 8 == 7 ? '\n' : ' ');
        for (uint32_t csr : {0x300u, 0x304u, 0x344u, 0x305u, 0x340u, 0x341u, 0x342u, 0x343u}) {
            uint32_t v = 0;
            h.read_csr(csr, &v);
            std::fprintf(f, "csr %03x %08x\n", csr, v);
        }
    }
    // FNV-1a over all of RAM.
    uint64_t hash = 1469598103934665603ull;
    const uint8_t* ram = c.memory().ram();
    for (uint32_t i = 0; i < c.memory().size(); ++i) hash = (hash ^ ram[i]) * 1099511628211ull;
    std::fprintf(f, "ram fnv1a %016" PRIx64 "\n", hash);
    std::fclose(f);
}

__attribute__((format(printf, 2, 3))) void appendf(std::string& out, const char* fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    out += buf;
}

std::string report(Platform& p, const RunOutcome& o, double seconds) {
    Cluster& c = p.cluster();
    const double ns_per_cycle = 1e9 / double(c.timing().clock_hz);
    std::string out;
    appendf(out, "\n--- oobsim report ---\n");
    switch (o.kind) {
    case RunOutcome::Exit:
        appendf(out, "exit: code %d%s at cycle %" PRIu64 " (%.3f us)\n", o.exit_code,
                    o.via_tohost ? (o.exit_code ? " (tohost: FAIL)" : " (tohost: PASS)") : "", o.cycle,
                    double(o.cycle) * ns_per_cycle / 1000.0);
        break;
    case RunOutcome::MaxCycles: appendf(out, "stopped: cycle limit reached\n"); break;
    case RunOutcome::Deadlock: appendf(out, "stopped: deadlock\n"); break;
    case RunOutcome::Fatal: appendf(out, "stopped: fatal error\n"); break;
    }
    appendf(out, "%-5s %14s %14s %14s %6s\n", "core", "cycles", "instructions", "sleep-cycles", "IPC");
    uint64_t total = 0;
    for (unsigned i = 0; i < c.ncpus(); ++i) {
        Hart& h = c.hart(i);
        uint64_t busy = h.time() - h.sleep_cycles();
        appendf(out, "%-5u %14" PRIu64 " %14" PRIu64 " %14" PRIu64 " %6.3f\n", i, h.time(), h.instret(),
                    h.sleep_cycles(), busy ? double(h.instret()) / double(busy) : 0.0);
        total += h.instret();
    }
    appendf(out, "host: %.3f s, %" PRIu64 " instructions, %.1f simulated MIPS (", seconds, total,
            seconds > 0 ? double(total) / seconds / 1e6 : 0.0);
    if (c.mode() == SchedMode::Fast)
        appendf(out, "fast mode, %" PRIu64 " scheduler slices)\n", c.slices());
    else
        appendf(out, "reference mode)\n");
    std::string repeats = summary_of_repeats();
    if (!repeats.empty()) out += "repeated warnings:\n" + repeats;
    return out;
}

RunSummary run_command(const std::vector<std::string>& args, const RunHooks& hooks) {
    std::string elf_path, trace_path, dump_path, table_path;
    bool quiet = false, spis_given = false, gic_given = false;
    PlatformConfig config;
    trace::TraceOptions tracing;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> const std::string& {
            if (i + 1 >= args.size()) throw Usage(a + " needs a value");
            return args[++i];
        };
        if (a == "--cpus") {
            config.cpus = unsigned(std::min<uint64_t>(parse_count(a, value()), 1000000));
        } else if (a == "--spis") {
            config.spis = unsigned(std::min<uint64_t>(parse_count(a, value()), 1000000));
            spis_given = true;
        } else if (a == "--irq-source") {
            const std::string& spec = value();
            try {
                config.irq_sources.push_back(parse_irq_source(spec));
            } catch (const std::invalid_argument& e) {
                throw BadConfig("--irq-source '" + spec + "': " + e.what());
            }
        } else if (a == "--gic") {
            const std::string& m = value();
            if (m == "tlm")
                config.gic_model = PlatformConfig::GicModel::Tlm;
            else if (m == "rtl")
                config.gic_model = PlatformConfig::GicModel::Rtl;
            else
                throw Usage("--gic must be tlm or rtl, not '" + m + "'");
            gic_given = true;
        } else if (a == "--no-gic") {
            config.gic = false;
        } else if (a == "--max-cycles") {
            config.max_cycles = parse_count(a, value());
        } else if (a == "--mode") {
            const std::string& m = value();
            if (m == "fast")
                config.mode = SchedMode::Fast;
            else if (m == "reference")
                config.mode = SchedMode::Reference;
            else
                throw Usage("--mode must be fast or reference, not '" + m + "'");
        } else if (a == "--timing") {
            try {
                config.timing.set_from_string(value());
            } catch (const std::invalid_argument& e) {
                throw BadConfig(e.what());
            }
        } else if (a == "--insn-trace") {
            trace_path = value();
        } else if (a == "--state-dump") {
            dump_path = value();
        } else if (a == "--scenario-table") {
            table_path = value();
        } else if (a == "--quiet") {
            quiet = true;
        } else if (a == "--events") {
            tracing.events = value();
        } else if (a == "--vcd") {
            tracing.vcd = value();
        } else if (a == "--perfetto") {
            tracing.perfetto = value();
        } else if (a == "--metrics") {
            tracing.metrics = value();
        } else if (a == "--histogram") {
            tracing.histogram = value();
        } else if (a == "--histogram-cell") {
            tracing.histogram_cell_ns = parse_count(a, value());
            if (tracing.histogram_cell_ns == 0) throw Usage("--histogram-cell must be at least 1 (ns)");
        } else if (a == "--trace-hint") {
            tracing.hint_names.push_back(value());
        } else if (!a.empty() && a[0] == '-') {
            throw Usage("unknown option '" + a + "' (see oobsim --help)");
        } else if (elf_path.empty()) {
            elf_path = a;
        } else {
            throw Usage("more than one program given ('" + elf_path + "' and '" + a + "')");
        }
    }
    if (elf_path.empty()) throw Usage("run needs an ELF file (see oobsim --help)");
    if (spis_given && !config.gic) throw Usage("--spis needs the GIC, and --no-gic removes it");
    if (gic_given && !config.gic) throw Usage("--gic needs the GIC, and --no-gic removes it");
    const std::string impossible = config.check();
    if (!impossible.empty()) throw BadConfig(impossible);
    if (config.max_cycles == 0) throw BadConfig("--max-cycles must be at least 1");
    try {
        trace::HintTable names;  // checked even when nothing is traced
        for (const std::string& spec : tracing.hint_names) names.define_from_string(spec);
    } catch (const std::invalid_argument& e) {
        throw Usage(std::string("--trace-hint: ") + e.what());
    }
    if (!table_path.empty()) {
        std::ifstream in(table_path, std::ios::binary);
        if (!in) throw RunError(kUnreadable, "cannot read --scenario-table file " + table_path);
        config.scenario_table.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (config.scenario_table.empty()) throw BadConfig("--scenario-table file " + table_path + " is empty");
    }

    ElfImage program = ElfImage::read(elf_path);
    std::unique_ptr<TraceWriter> trace;
    if (!trace_path.empty()) trace = std::make_unique<TraceWriter>(trace_path);
    config.insns = trace.get();
    config.console = hooks.console;
    std::unique_ptr<trace::TraceSession> session;
    if (tracing.any()) {
        try {
            session = std::make_unique<trace::TraceSession>(tracing, config.timing, config.cpus);
        } catch (const std::invalid_argument& e) {
            throw Usage(std::string("--trace-hint: ") + e.what());
        } catch (const std::runtime_error& e) {
            throw Usage(e.what());
        }
        config.hints = session->hint_observer();
    }

    Platform platform(config, program);
    if (session) session->attach(platform);
    auto t0 = std::chrono::steady_clock::now();
    const RunOutcome& outcome = hooks.progress ? platform.run(hooks.progress) : platform.run();
    RunSummary s;
    s.host_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fflush(stdout);
    trace.reset();  // flush the trace before anything else can go wrong
    for (unsigned i = 0; i < platform.cluster().ncpus(); ++i) {
        const Hart& h = platform.cluster().hart(i);
        s.cores.push_back({h.time(), h.instret(), h.sleep_cycles()});
        s.end_cycle = std::max(s.end_cycle, h.time());
    }
    s.end_cycle = std::max(s.end_cycle, outcome.cycle);
    if (session) {
        try {
            session->finish(s.end_cycle);
        } catch (const std::runtime_error& e) {
            warn(std::string("tracing: ") + e.what());
        }
        if (session->stream().late_events())
            warn("tracing: " + std::to_string(session->stream().late_events()) +
                 " events arrived out of time order (by up to " + std::to_string(session->stream().max_lateness()) +
                 " cycles) and were written out of order: please report this");
    }
    if (!dump_path.empty()) dump_state(dump_path, platform, outcome);
    s.outcome = outcome;
    s.quiet = quiet;
    s.report = report(platform, outcome, s.host_seconds);
    if (session && session->metrics()) s.report += session->metrics()->table();
    switch (outcome.kind) {
    case RunOutcome::Exit: s.exit_code = outcome.exit_code & 0xff; break;
    case RunOutcome::MaxCycles: s.exit_code = kMaxCycles; break;
    case RunOutcome::Deadlock: s.exit_code = kDeadlock; break;
    case RunOutcome::Fatal: s.exit_code = kUnhandledTrap; break;
    }
    if (outcome.kind != RunOutcome::Exit) s.error = "oobsim: error: " + outcome.message;
    return s;
}

}  // namespace

const char* cli_help() { return kHelp; }

std::string timing_table() {
    TimingProfile defaults;
    std::string out;
    appendf(out, "%-22s %12s  %s\n", "key", "default", "meaning");
    for (const auto& p : TimingProfile::params())
        appendf(out, "%-22s %12llu  %s\n", p.name, (unsigned long long)defaults.get(p.name), p.description);
    return out;
}

RunSummary run_program(const std::vector<std::string>& args, const RunHooks& hooks) {
    try {
        return run_command(args, hooks);
    } catch (const Usage& e) {
        throw RunError(kUsage, e.what(), true);
    } catch (const BadConfig& e) {
        throw RunError(kBadConfig, e.what());
    } catch (const ElfError& e) {
        throw RunError(e.kind == ElfError::Unreadable ? kUnreadable
                       : e.kind == ElfError::NotValid ? kNotValidElf
                                                      : kDoesNotFit,
                       e.what());
    } catch (const std::invalid_argument& e) {
        throw RunError(kBadConfig, e.what());
    }
}

}  // namespace oobsim

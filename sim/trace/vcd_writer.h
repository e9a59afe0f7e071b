// The VCD waveform (--vcd FILE): signals derived from the event stream (docs/observability.md lists them).
//
// The timescale is the core clock period ("1ns" at 1 GHz; otherwise the period in ps, times then in ps), so a VCD time
// is a cycle number times one. Changes within one cycle are merged: a signal shows the value it has after the last
// event of that cycle (trace HINTs take no time, so a stall and an unstall in the same cycle leave no pulse).
//
// Streaming: value changes go to FILE.body as the events come; the header, which declares only the GIC lines and
// IRQ-source channels the run used, is written at the end, followed by the body. Memory holds the signal table only.
#pragma once

#include <bitset>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "event.h"
#include "hint_table.h"
#include "sink.h"

namespace oobsim::trace {

class VcdWriter : public EventSink {
public:
    // Throws std::runtime_error when the files cannot be written.
    VcdWriter(const std::string& path, const HintTable& hints, const Clock& clock, unsigned ncpus);
    ~VcdWriter() override;
    void event(const Event& e) override;
    void finish(uint64_t end_cycle) override;

    // The $timescale for a clock period: "1ns" style when the period is 1, 10 or 100 of a unit (multiplier 1),
    // else "1ps" with VCD times = cycles * cycle_ps (multiplier cycle_ps).
    static std::string timescale(uint64_t cycle_ps, uint64_t* multiplier);

private:
    struct Var {
        std::vector<std::string> scope;
        std::string name;
        unsigned width;
        std::string code;
        uint64_t value, out_value;
        bool x, out_x;
        uint64_t init_value;
        bool init_x;
        bool dirty;
    };
    struct CpuSignals {
        unsigned stage, inband_stall, oob_stall, hard_irqs_on, log_inband, log_oob, irq, irq_stage, thread, meip, msip,
            mtip, in_pipeline, replay, in_trap, wfi, hint, hint_value;
        unsigned sgi_sent, sgi_last, sgi_targets, sgi_received;
    };
    struct CpuState {
        std::bitset<1024> log[2];
        std::vector<std::pair<uint32_t, uint32_t>> handlers;  // (irq, stage), innermost last
        unsigned pipeline_depth = 0, replay_depth = 0, trap_depth = 0;
        uint64_t sgi_sent = 0, sgi_received = 0;
    };
    struct LineSignals {
        int line = -1, pending = -1, active = -1;
    };

    unsigned declare(std::vector<std::string> scope, const std::string& name, unsigned width, bool x = false);
    void set(unsigned var, uint64_t value);
    void set_x(unsigned var);
    void advance(uint64_t cycle);
    void flush();  // writes the changes of the current time step
    void write_value(std::FILE* f, const Var& v, uint64_t value, bool x) const;
    LineSignals& line_signals(uint16_t cpu, uint32_t id);
    void on_hint(unsigned cpu, uint32_t id, uint32_t value);
    void update_handler_signals(unsigned cpu);

    std::string path_, body_path_;
    std::FILE* body_;
    const HintTable& hints_;
    Clock clock_;
    unsigned ncpus_;
    uint64_t mult_;
    std::string timescale_;
    uint64_t now_ = 0, last_written_ = 0;
    std::vector<Var> vars_;
    std::vector<unsigned> dirty_;
    std::vector<CpuSignals> cpu_vars_;
    std::vector<CpuState> cpus_;
    std::map<uint32_t, LineSignals> lines_;  // (cpu << 16) | id; cpu = kNoCpu for SPIs
    std::map<unsigned, unsigned> sources_;   // channel -> var
    bool finished_ = false;
};

}  // namespace oobsim::trace

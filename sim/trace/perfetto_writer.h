// The timeline (--perfetto FILE): Chrome trace-event JSON ({"traceEvents": [...]}), which ui.perfetto.dev and
// chrome://tracing open. One track (tid) per CPU with nested slices (B/E pairs), instant events, counters, and flow
// arrows (s/f with ids) from IPI and SGI sends to their receipt and through cross calls. Timestamps are microseconds,
// exact to the picosecond (cycle * cycle_ps). docs/observability.md lists every slice, instant and flow.
//
// Slices always nest: a slice that ends while slices opened after it are still open (the in-band stall, for
// instance, is not bracketed by the code structure) closes them first and reopens them right after, marked
// "continued". Everything still open at the end of the run is closed there. Streaming: memory holds the open slices
// and the unmatched flow starts (bounded per key).
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

class PerfettoWriter : public EventSink {
public:
    static constexpr unsigned kDeviceTid = 1000;  // the track of GIC input lines and IRQ sources

    // Throws std::runtime_error when the file cannot be written.
    PerfettoWriter(const std::string& path, const HintTable& hints, const Clock& clock, unsigned ncpus);
    ~PerfettoWriter() override;
    void event(const Event& e) override;
    void finish(uint64_t end_cycle) override;

    // "12.345678": cycles as microseconds, exact.
    static std::string timestamp(uint64_t cycle, uint64_t cycle_ps);

private:
    enum class Slice : uint8_t {
        Trap, Pipeline, Handler, Replay, InbandStall, RunOobCall, IrqWork, XcallFn, Softint, Wfi, Anchor,
    };
    struct Open {
        Slice kind;
        uint64_t key;
        std::string name, cat, args;
    };
    struct Track {
        std::vector<Open> stack;
        bool inband_stalled = false;
        std::bitset<1024> log[2];
    };

    void emit(const char* json);
    void start_line(char phase, unsigned tid);
    void end_line(const char* cat, const std::string& name, const std::string& args);
    void begin(unsigned tid, Slice kind, uint64_t key, const std::string& name, const char* cat,
               const std::string& args);
    void end(unsigned tid, Slice kind, uint64_t key);
    void instant(unsigned tid, const std::string& name, const char* cat, const std::string& args);
    void flow(unsigned tid, char phase, uint64_t id, const char* name);
    void counter(const std::string& name, const std::string& args);
    void on_hint(unsigned cpu, uint32_t id, uint32_t value);
    void ipi_send(unsigned cpu, unsigned kind, uint32_t value);
    void ipi_receive(unsigned cpu, unsigned kind, uint32_t num);
    void log_counter(unsigned cpu);

    std::FILE* f_;
    const HintTable& hints_;
    Clock clock_;
    unsigned ncpus_;
    uint64_t now_ = 0;
    std::string ts_;    // timestamp(now_)
    std::string line_;  // the event being written
    bool first_ = true;
    std::vector<Track> tracks_;
    uint64_t next_flow_ = 1;
    // Flow starts waiting for their end, bounded per key: IPIs by (target, kind, number); SGIs by (target, SGI, source);
    // xcalls by ticket.
    std::map<uint64_t, std::vector<uint64_t>> ipi_flows_, sgi_flows_, xcall_done_flows_;
    struct XcallIssue {
        unsigned cpu;
        uint64_t base;  // flow base + CPU: the flow to that CPU's run of the function
    };
    std::map<uint32_t, XcallIssue> xcall_issues_;
    uint64_t unmatched_ends_ = 0;
    bool finished_ = false;
};

}  // namespace oobsim::trace

// Decoding trace HINT ids: the interrupt pipeline's events come from its own list (PIPELINE_TRACE_EVENTS in
// pipeline/include/pipeline/trace_events.h); other ids may be named on the command line (--trace-hint ID=LABEL).
// Some labels have a meaning for the VCD, the Perfetto trace and the metrics (roles): a thread switch, the xcall
// events, the start and end of run_oob_call()'s function, soft interrupts. A role is bound to every id that carries
// one of its labels, so an event the pipeline's list gains with such a label is picked up without a change here.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/trace_events.h"

namespace oobsim::trace {

enum class Role : uint8_t {
    ThreadSwitch,     // "thread_switch", "kthread_switch", "oob_reschedule": value = the thread now running on the CPU
    OobThreadSwitch,  // "thread_switch", "oob_reschedule": an oob thread (or in-band) now runs (responder metric)
    XcallIssue,       // "xcall_issue": value = the call's ticket (32 bits)
    XcallFuncStart,   // "xcall_func_start": a CPU starts running the call's function, value = the ticket
    XcallFuncEnd,     // "xcall_func_end": ... has run it, value = the ticket
    XcallWaitReturn,  // "xcall_wait_return": xc_wait() returns, value = the ticket
    OobFnBegin,       // "oob_call_fn_begin": run_oob_call()'s fn starts (for the overhead metric)
    OobFnEnd,         // "oob_call_fn_end": ... and returns
    SoftintEntry,     // "softint_entry": a soft interrupt handler runs, value = its IPL
    SoftintExit,      // "softint_exit": ... has run, value = its IPL
    Count,
};

class HintTable {
public:
    static constexpr uint32_t kIds = 2048;  // `slti x0, rs1, id`: a 12-bit immediate, ids 0..2047

    struct Info {
        std::string label;  // e.g. "handler_entry_oob"; empty: the id is unnamed
        std::string value;  // what the value means
        bool pipeline = false;
    };

    HintTable();  // the pipeline's events

    // Names another id. Throws std::invalid_argument for an id above 2047, one the pipeline already names, or a label
    // that is empty or not [a-z0-9_]+.
    void define(uint32_t id, const std::string& label, const std::string& value = "value");
    // Parses "ID=LABEL" (the --trace-hint option).
    void define_from_string(const std::string& spec);

    const Info& info(uint32_t id) const { return ids_[id & (kIds - 1)]; }
    bool named(uint32_t id) const { return id < kIds && !ids_[id].label.empty(); }
    // Whether id carries one of the role's labels; the lowest such id, or -1.
    bool is(uint32_t id, Role r) const { return id < kIds && roles_[size_t(r)][id]; }
    int role(Role r) const;
    // The labels that give a role, e.g. {"thread_switch", "kthread_switch", "oob_reschedule"}.
    static std::vector<std::string> role_labels(Role r);

private:
    void bind(uint32_t id);
    std::vector<Info> ids_;
    std::array<std::bitset<kIds>, size_t(Role::Count)> roles_;
};

}  // namespace oobsim::trace

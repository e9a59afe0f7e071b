// oobsim._core: the simulator as a Python extension module (pybind11). One function, run(), taking the options of
// `oobsim run` (sim/run.h) and returning what the CLI would print and exit with, as a dict. SystemC elaborates once
// per process, so run() works once per process: the Python package (python/oobsim/) calls it in a child process.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <systemc>

#include <cstdlib>
#include <string>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/run.h"

namespace py = pybind11;
using namespace oobsim;

namespace {

const char* outcome_name(RunOutcome::Kind k) {
    switch (k) {
    case RunOutcome::Exit: return "exit";
    case RunOutcome::MaxCycles: return "max_cycles";
    case RunOutcome::Deadlock: return "deadlock";
    case RunOutcome::Fatal: return "fatal";
    }
    return "?";
}

PyObject* sim_error_type = nullptr;  // lives as long as the process (the module is never unloaded)

[[noreturn]] void raise_sim_error(int code, const std::string& message) {
    py::object err = py::handle(sim_error_type)(message);
    err.attr("code") = code;
    err.attr("message") = message;
    PyErr_SetObject(sim_error_type, err.ptr());
    throw py::error_already_set();
}

py::dict run(const std::vector<std::string>& argv, const std::function<void(uint64_t)>& progress) {
    static bool ran = false;
    if (ran)
        raise_sim_error(kInternal,
                        "oobsim._core.run() runs once per process (SystemC elaborates once): start a new process "
                        "for each run (oobsim.Scenario.run() does)");
    ran = true;
    std::string console, warnings;
    RunHooks hooks;
    hooks.console = [&console](char ch) { console += ch; };
    hooks.progress = progress;
    set_warning_sink([&warnings](const std::string& w) { warnings += w; });
    RunSummary s;
    try {
        s = run_program(argv, hooks);
    } catch (const RunError& e) {
        set_warning_sink(nullptr);
        raise_sim_error(e.code, std::string(e.usage ? "usage error: " : "") + e.what());
    } catch (const py::error_already_set&) {
        set_warning_sink(nullptr);
        throw;  // from the progress callback (KeyboardInterrupt, ...)
    } catch (const std::exception& e) {
        set_warning_sink(nullptr);
        raise_sim_error(kInternal, std::string("internal error: ") + e.what());
    }
    set_warning_sink(nullptr);
    py::list cores;
    for (const CoreSummary& c : s.cores) {
        py::dict d;
        d["cycles"] = c.cycles;
        d["instructions"] = c.instructions;
        d["sleep_cycles"] = c.sleep_cycles;
        cores.append(d);
    }
    py::dict r;
    r["exit_code"] = s.exit_code;
    r["outcome"] = outcome_name(s.outcome.kind);
    r["message"] = s.outcome.kind == RunOutcome::Exit ? std::string() : s.outcome.message;
    r["end_cycle"] = s.end_cycle;
    r["console"] = py::bytes(console).attr("decode")("utf-8", "replace");
    r["report"] = s.report;
    r["host_seconds"] = s.host_seconds;
    r["warnings"] = warnings;
    r["cores"] = cores;
    return r;
}

}  // namespace

// libsystemc refers to the program's sc_main(); a module has none and never calls sc_elab_and_sim().
extern "C" __attribute__((visibility("default"))) int sc_main(int, char*[]) { return kInternal; }

PYBIND11_MODULE(_core, m) {
    m.doc() = "The oobsim simulator (one run per process); use the oobsim package, not this module directly.";
    // Before the SystemC kernel exists: its banner is not the user's output.
    setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    sim_error_type = PyErr_NewException("oobsim._core.SimError", PyExc_RuntimeError, nullptr);
    m.attr("SimError") = py::handle(sim_error_type);
    m.def("run", &run, py::arg("argv"), py::arg("progress") = nullptr,
          "Run the simulator with the options of `oobsim run` (program first). Returns a dict: exit_code, outcome, "
          "message, end_cycle, console, report, host_seconds, warnings, cores. Raises SimError (.code: the CLI exit "
          "code) for a bad command line, an impossible configuration or an unloadable program.");
}

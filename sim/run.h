// One simulation run as the `oobsim run` command line describes it: parse the options, build the platform, run it,
// write the traces and the report. Shared by the CLI (sim/main.cpp) and the Python module (python/core_module.cpp),
// so both take the same options and give the same errors and exit codes.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/cpu/cluster.h"

namespace oobsim {

// Exit codes of the simulator's own errors. The firmware's exit code is passed through otherwise.
enum ExitCode {
    kUsage = 100,          // bad command line
    kBadConfig = 101,      // impossible configuration (CPU or SPI count, timing key or value, scenario table)
    kUnreadable = 102,     // the program (or another input file) cannot be read
    kNotValidElf = 103,    // not a little-endian ELF32 RISC-V executable
    kDoesNotFit = 104,     // segments outside RAM / over devices, or entry point not loaded
    kMaxCycles = 105,      // the cycle limit was reached (runaway firmware)
    kUnhandledTrap = 106,  // a trap with no handler (mtvec = 0), or an unsupported tohost call
    kDeadlock = 107,       // every core in WFI with nothing that could wake it
    kInternal = 108,       // a bug in oobsim: please report it
};

// An error of the simulator's own, found before the run starts: `code` is the exit code, what() the message.
struct RunError : std::runtime_error {
    RunError(int c, const std::string& message, bool is_usage = false)
        : std::runtime_error(message), code(c), usage(is_usage) {}
    int code;
    bool usage;  // a bad command line (the CLI says "usage error")
};

struct RunHooks {
    std::function<void(char)> console;  // every byte the guest prints
    // Called about every 0.1 s of host time with the simulated cycle reached; none: the run is not interrupted.
    std::function<void(uint64_t)> progress;
};

struct CoreSummary {
    uint64_t cycles = 0, instructions = 0, sleep_cycles = 0;
};

struct RunSummary {
    RunOutcome outcome;
    int exit_code = 0;      // what `oobsim run` exits with
    bool quiet = false;     // --quiet was given
    std::string report;     // the report the CLI prints after the run (with the metrics table when traced)
    std::string error;      // for a run that did not exit: "oobsim: error: ..." as the CLI prints it
    double host_seconds = 0;
    uint64_t end_cycle = 0;  // the latest core's time
    std::vector<CoreSummary> cores;
};

// `args`: what follows `oobsim run` (the program and the options). Throws RunError for a bad command line, an
// impossible configuration or a program that cannot be loaded; anything else thrown is an internal error.
RunSummary run_program(const std::vector<std::string>& args, const RunHooks& hooks);

// The text of `oobsim --help`, and the `oobsim timing` table.
const char* cli_help();
std::string timing_table();

}  // namespace oobsim

// The oobsim command line. `oobsim --help` documents every option and exit code; sim/run.cpp does the work.
#include <cstdlib>
#include <systemc>

#include <cstdio>
#include <string>
#include <vector>

#include "run.h"

using namespace oobsim;

int sc_main(int argc, char* argv[]) {
    std::vector<std::string> args(argv + 1, argv + argc);
    // Keep the kernel's informational chatter ("Simulation stopped by user") out of the user's output.
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    try {
        if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
            std::fputs(cli_help(), args.empty() ? stderr : stdout);
            return args.empty() ? kUsage : 0;
        }
        if (args[0] == "timing") {
            std::fputs(timing_table().c_str(), stdout);
            return 0;
        }
        if (args[0] != "run") throw RunError(kUsage, "unknown command '" + args[0] + "' (see oobsim --help)", true);
        RunHooks hooks;
        hooks.console = [](char ch) { std::putchar(ch); };
        RunSummary s = run_program({args.begin() + 1, args.end()}, hooks);
        std::fflush(stdout);
        if (!s.quiet) std::fputs(s.report.c_str(), stdout);
        std::fflush(stdout);
        if (!s.error.empty()) std::fprintf(stderr, "%s\n", s.error.c_str());
        return s.exit_code;
    } catch (const RunError& e) {
        std::fflush(stdout);
        std::fprintf(stderr, "oobsim: %s: %s\n", e.usage ? "usage error" : "error", e.what());
        return e.code;
    } catch (const std::exception& e) {
        std::fflush(stdout);
        std::fprintf(stderr, "oobsim: internal error: %s\n", e.what());
        return kInternal;
    }
}

// Our own main, so the SystemC kernel's banner is off before the kernel starts: it is not the user's output.
int main(int argc, char* argv[]) {
    setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);
    return sc_core::sc_elab_and_sim(argc, argv);
}

#include "diagnostics.h"

#include <cstdio>
#include <map>

namespace oobsim {

namespace {
std::map<std::string, unsigned long>& counts() {
    static std::map<std::string, unsigned long> c;
    return c;
}
std::function<void(const std::string&)>& sink() {
    static std::function<void(const std::string&)> s;
    return s;
}
}  // namespace

void set_warning_sink(std::function<void(const std::string&)> s) { sink() = std::move(s); }

void warn(const std::string& message) {
    if (sink()) return sink()("oobsim: warning: " + message + "\n");
    std::fflush(stdout);  // keep the console output and the warnings in the order they happened
    std::fprintf(stderr, "oobsim: warning: %s\n", message.c_str());
}

void warn_once(const std::string& key, const std::string& message) {
    if (counts()[key]++ == 0) warn(message + " (further ones are counted, not shown)");
}

std::string summary_of_repeats() {
    std::string s;
    for (const auto& [key, n] : counts())
        if (n > 1) s += "  " + key + ": " + std::to_string(n) + " times\n";
    return s;
}

}  // namespace oobsim

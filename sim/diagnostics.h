// Messages to the user from the simulator (not from the guest): one format, to stderr, each kind said once when asked.
#pragma once

#include <functional>
#include <string>

namespace oobsim {

void warn(const std::string& message);
// Where warnings go instead of stderr (the Python module returns them with the result); none: stderr.
void set_warning_sink(std::function<void(const std::string&)> sink);
// Says `message` the first time `key` is seen, and counts every time; summary_of_repeats() lists the counts.
void warn_once(const std::string& key, const std::string& message);
std::string summary_of_repeats();

}  // namespace oobsim

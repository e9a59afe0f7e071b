// Messages to the user from the simulator (not from the guest): one format, to stderr, each kind said once when asked.
#pragma once

#include <string>

namespace oobsim {

void warn(const std::string& message);
// Says `message` the first time `key` is seen, and counts every time; summary_of_repeats() lists the counts.
void warn_once(const std::string& key, const std::string& message);
std::string summary_of_repeats();

}  // namespace oobsim

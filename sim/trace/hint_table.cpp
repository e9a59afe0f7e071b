#include "hint_table.h"

#include <stdexcept>

namespace oobsim::trace {

namespace {
// Per role, the labels that give it (in the order of Role).
const std::vector<std::vector<std::string>>& role_table() {
    static const std::vector<std::vector<std::string>> t = {
        {"thread_switch", "kthread_switch", "oob_reschedule"},
        {"thread_switch", "oob_reschedule"},
        {"xcall_issue"},
        {"xcall_func_start"},
        {"xcall_func_end"},
        {"xcall_wait_return"},
        {"oob_call_fn_begin"},
        {"oob_call_fn_end"},
        {"softint_entry"},
        {"softint_exit"},
    };
    return t;
}

bool good_label(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}
}  // namespace

std::vector<std::string> HintTable::role_labels(Role r) { return role_table().at(size_t(r)); }

int HintTable::role(Role r) const {
    const auto& ids = roles_[size_t(r)];
    for (uint32_t id = 0; id < kIds; ++id)
        if (ids[id]) return int(id);
    return -1;
}

void HintTable::bind(uint32_t id) {
    for (size_t r = 0; r < size_t(Role::Count); ++r) {
        roles_[r][id] = false;
        for (const std::string& label : role_table()[r])
            if (ids_[id].label == label) roles_[r][id] = true;
    }
}

static_assert(size_t(Role::Count) == 10, "role_table() has one entry per role");

HintTable::HintTable() : ids_(kIds) {
#define OOBSIM_HINT_ENTRY_(name, id, label, value) ids_[id] = Info{label, value, true};
    PIPELINE_TRACE_EVENTS(OOBSIM_HINT_ENTRY_)
#undef OOBSIM_HINT_ENTRY_
    for (uint32_t id = 0; id < kIds; ++id) bind(id);
}

void HintTable::define(uint32_t id, const std::string& label, const std::string& value) {
    if (id >= kIds) throw std::invalid_argument("trace hint id " + std::to_string(id) + " is not 0..2047");
    if (ids_[id].pipeline)
        throw std::invalid_argument("trace hint id " + std::to_string(id) + " is the pipeline's '" + ids_[id].label +
                                    "'");
    if (!good_label(label))
        throw std::invalid_argument("trace hint label '" + label + "' must be lower-case letters, digits and _");
    ids_[id] = Info{label, value, false};
    bind(id);
}

void HintTable::define_from_string(const std::string& spec) {
    const size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) throw std::invalid_argument("expected ID=LABEL, not '" + spec + "'");
    const std::string id_text = spec.substr(0, eq);
    size_t used = 0;
    unsigned long id = 0;
    try {
        id = std::stoul(id_text, &used, 0);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != id_text.size() || id_text[0] == '-') throw std::invalid_argument("'" + id_text + "' is not a hint id");
    if (id >= kIds) throw std::invalid_argument("trace hint id " + id_text + " is not 0..2047");
    define(uint32_t(id), spec.substr(eq + 1));
}

}  // namespace oobsim::trace

#include "timing.h"

#include <stdexcept>

namespace oobsim {

namespace {

struct Field {
    TimingProfile::Param param;
    uint32_t TimingProfile::*u32;
    uint64_t TimingProfile::*u64;
};

// One row per parameter: the single place that names and documents them (docs/timing-model.md mirrors it).
const std::vector<Field>& fields() {
    using T = TimingProfile;
    static const std::vector<Field> table = {
        {{"base_cpi", "cycles of a plain ALU instruction", 1, 1000}, &T::base_cpi, nullptr},
        {{"branch_taken_penalty", "extra cycles of a taken conditional branch", 0, 1000}, &T::branch_taken_penalty,
         nullptr},
        {{"jump_penalty", "extra cycles of JAL and JALR", 0, 1000}, &T::jump_penalty, nullptr},
        {{"load_use_stall", "extra cycles when an instruction reads the destination of the load just before it", 0,
          1000},
         &T::load_use_stall, nullptr},
        {{"mul_cycles", "total cycles of MUL, MULH, MULHSU, MULHU", 1, 1000}, &T::mul_cycles, nullptr},
        {{"div_cycles", "total cycles of DIV, DIVU, REM, REMU", 1, 1000}, &T::div_cycles, nullptr},
        {{"csr_cycles", "total cycles of a CSR instruction", 1, 1000}, &T::csr_cycles, nullptr},
        {{"amo_cycles", "total cycles of LR, SC and AMOs before memory latency", 1, 1000}, &T::amo_cycles, nullptr},
        {{"fence_cycles", "total cycles of FENCE", 1, 1000}, &T::fence_cycles, nullptr},
        {{"fence_i_cycles", "total cycles of FENCE.I", 1, 1000}, &T::fence_i_cycles, nullptr},
        {{"trap_entry_cycles", "cycles from a trap to the first instruction of its handler", 1, 1000},
         &T::trap_entry_cycles, nullptr},
        {{"mret_cycles", "total cycles of MRET", 1, 1000}, &T::mret_cycles, nullptr},
        {{"wfi_cycles", "cycles of WFI before the core sleeps", 1, 1000}, &T::wfi_cycles, nullptr},
        {{"wfi_wakeup_cycles", "cycles from the wake-up interrupt to the next instruction boundary", 0, 1000},
         &T::wfi_wakeup_cycles, nullptr},
        {{"ram_latency", "extra cycles of a load, store or AMO that hits RAM", 0, 1000}, &T::ram_latency, nullptr},
        {{"mmio_latency", "extra cycles of a load or store to a device", 0, 100000}, &T::mmio_latency, nullptr},
        {{"misaligned_penalty", "extra cycles of a misaligned load or store to RAM", 0, 1000}, &T::misaligned_penalty,
         nullptr},
        {{"irq_write_latency", "cycles from an MMIO write that changes an interrupt line to the line changing", 1,
          100000},
         &T::irq_write_latency, nullptr},
        {{"gic_latency", "cycles from a GIC state change to the IRQ output (mip.MEIP) of a CPU interface following it",
          1, 100000},
         &T::gic_latency, nullptr},
        {{"gic_access_latency", "extra cycles of a load or store to a GIC register, on top of mmio_latency", 0, 100000},
         &T::gic_access_latency, nullptr},
        {{"clock_hz", "core clock in Hz (1 MHz .. 10 GHz)", 1000000, 10000000000ull}, nullptr, &T::clock_hz},
    };
    return table;
}

const Field& find(const std::string& key) {
    for (const Field& f : fields())
        if (key == f.param.name) return f;
    std::string known;
    for (const Field& f : fields()) known += std::string(known.empty() ? "" : ", ") + f.param.name;
    throw std::invalid_argument("unknown timing key '" + key + "' (known keys: " + known + ")");
}

}  // namespace

const std::vector<TimingProfile::Param>& TimingProfile::params() {
    static const std::vector<Param> list = [] {
        std::vector<Param> v;
        for (const Field& f : fields()) v.push_back(f.param);
        return v;
    }();
    return list;
}

void TimingProfile::set(const std::string& key, uint64_t value) {
    const Field& f = find(key);
    if (value < f.param.min || value > f.param.max)
        throw std::invalid_argument("timing key '" + key + "' = " + std::to_string(value) + " is out of range [" +
                                    std::to_string(f.param.min) + ", " + std::to_string(f.param.max) + "]");
    if (f.u32)
        this->*f.u32 = static_cast<uint32_t>(value);
    else
        this->*f.u64 = value;
}

uint64_t TimingProfile::get(const std::string& key) const {
    const Field& f = find(key);
    return f.u32 ? this->*f.u32 : this->*f.u64;
}

void TimingProfile::set_from_string(const std::string& assignment) {
    auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == assignment.size())
        throw std::invalid_argument("timing setting '" + assignment + "' is not of the form KEY=VALUE");
    std::string key = assignment.substr(0, eq), text = assignment.substr(eq + 1);
    find(key);  // unknown keys are reported before bad values
    size_t used = 0;
    unsigned long long value = 0;
    try {
        if (text[0] == '-') throw std::invalid_argument("negative");
        value = std::stoull(text, &used, 0);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size())
        throw std::invalid_argument("timing key '" + key + "': '" + text + "' is not a non-negative integer");
    set(key, value);
}

}  // namespace oobsim

// The RTL GIC on the platform: the verilated SystemVerilog GIC (models/gic/rtl/, docs/rtl-gic.md) as the architecture
// behind the TLM wrapper Gic (gic.h), in place of GicState. Gic keeps the two target sockets, gic_access_latency per
// access, the MEIP wires with gic_latency and the tracing, so the RTL presents the same interface with the same
// timing; `oobsim run --gic rtl` (PlatformConfig::gic_model) selects it.
//
// Every GicCore call is clock cycles of the RTL: an access is one cycle (its response is the RTL's, sampled before
// the clock edge that registers its effects), a line change is one cycle with no access. The RTL changes nothing in a
// cycle with neither, so clocking it only when something happens gives the same state as a free-running clock. What
// the RTL reports as codes (why an access is refused, which misuse it was) becomes the same messages as GicState's.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/gic/gic.h"
#include "models/gic/rtl/gic_rtl_model.h"

namespace oobsim {

class RtlGicCore final : public GicCore {
public:
    // Throws std::invalid_argument for a CPU count outside 1..8 or an SPI count above 988 (GicState's messages).
    RtlGicCore(unsigned ncpus, unsigned nspis);

    bool read(unsigned cpu, bool distributor, uint32_t offset, unsigned size, uint32_t* value) override;
    bool write(unsigned cpu, bool distributor, uint32_t offset, unsigned size, uint32_t value) override;
    const std::string& last_error() const override { return last_error_; }
    // Throws std::out_of_range for an ID with no line, as GicState does.
    void set_line(unsigned id, bool level, unsigned cpu = 0) override;
    bool irq_output(unsigned cpu) const override { return cpu < ncpus_ && (model_->irq() >> cpu & 1); }
    unsigned ncpus() const override { return ncpus_; }
    unsigned id_words() const override { return (nspis_ + 31) / 32 + 1; }
    uint32_t pending_word(unsigned cpu, unsigned w) const override { return model_->pending_word(cpu, w); }
    uint32_t active_word(unsigned cpu, unsigned w) const override { return model_->active_word(cpu, w); }
    unsigned long ignored_writes() const override { return (unsigned long)model_->ignored_writes(); }
    void set_reporter(GicState::Reporter reporter) override { reporter_ = std::move(reporter); }
    void set_sgi_hook(GicState::SgiHook hook) override { sgi_hook_ = std::move(hook); }

    rtl::GicRtlModel& model() { return *model_; }

private:
    bool access(const rtl::Request& request, uint32_t* value);
    std::string register_name(const rtl::Request& request) const;

    unsigned ncpus_, nspis_;
    // The same GIC's C++ model, never clocked: only for the wording of refusals and reports (GicState::refusal()).
    const GicState wording_;
    std::unique_ptr<rtl::GicRtlModel> model_;  // its observation port is evaluated by const observers
    std::string last_error_;
    GicState::Reporter reporter_;
    GicState::SgiHook sgi_hook_;
};

}  // namespace oobsim

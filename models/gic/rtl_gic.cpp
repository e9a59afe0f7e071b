#include "rtl_gic.h"

#include <stdexcept>
#include <string>


namespace oobsim {

RtlGicCore::RtlGicCore(unsigned ncpus, unsigned nspis)
    : ncpus_(ncpus), nspis_(nspis), wording_(ncpus, nspis), model_(rtl::GicRtlModel::create(ncpus, nspis)) {}

// The register the RTL decoded, as GicState names it (the RTL answers with codes).
std::string RtlGicCore::register_name(const rtl::Request& q) const {
    std::string name = wording_.register_name(q.distributor, q.offset);
    if (name.empty())
        throw std::logic_error("RTL GIC: the RTL decodes a register GicState does not have, at offset " +
                               std::to_string(q.offset));
    return name;
}

bool RtlGicCore::access(const rtl::Request& q, uint32_t* value) {
    const rtl::Response r = model_->cycle(&q);
    if (r.status != rtl::Status::Ok) {
        // The two models decode alike (tests/rtl), so GicState says why this access is refused.
        last_error_ = wording_.refusal(q.cpu, q.distributor, q.offset, q.size);
        if (last_error_.empty())
            throw std::logic_error("RTL GIC: the RTL refused an access GicState takes, at offset " +
                                   std::to_string(q.offset));
        return false;
    }
    if (value) *value = r.rdata;
    switch (r.misuse) {
    case rtl::Misuse::None: break;
    case rtl::Misuse::ReadOnlyWrite:
        if (reporter_) reporter_(GicState::Misuse::ReadOnlyWrite, q.cpu, register_name(q));
        break;
    case rtl::Misuse::EoiMismatch:
        if (reporter_)
            reporter_(GicState::Misuse::EoiMismatch, q.cpu,
                      GicState::eoi_mismatch_message(q.wdata, r.running_valid, r.running_iar));
        break;
    case rtl::Misuse::ReservedSgiFilter:
        if (reporter_)
            reporter_(GicState::Misuse::ReservedSgiFilter, q.cpu, GicState::reserved_sgi_filter_message(q.wdata));
        break;
    }
    if (r.sgi_sent && sgi_hook_) sgi_hook_(q.cpu, q.wdata & 0xf, r.sgi_targets);
    return true;
}

bool RtlGicCore::read(unsigned cpu, bool distributor, uint32_t offset, unsigned size, uint32_t* value) {
    rtl::Request q;
    q.write = false;
    q.distributor = distributor;
    q.cpu = cpu;
    q.offset = offset;
    q.size = size;
    return access(q, value);
}

bool RtlGicCore::write(unsigned cpu, bool distributor, uint32_t offset, unsigned size, uint32_t value) {
    rtl::Request q;
    q.write = true;
    q.distributor = distributor;
    q.cpu = cpu;
    q.offset = offset;
    q.size = size;
    q.wdata = value;
    return access(q, nullptr);
}

void RtlGicCore::set_line(unsigned id, bool level, unsigned cpu) {
    if (id < GicState::kFirstPpi || (id >= GicState::kFirstSpi && id - GicState::kFirstSpi >= nspis_))
        throw std::out_of_range("GIC interrupt " + std::to_string(id) + " has no input line (PPIs are 16..31, SPIs " +
                                (nspis_ ? "32.." + std::to_string(GicState::kFirstSpi + nspis_ - 1) : "none") + ")");
    if (id < GicState::kFirstSpi) {
        if (cpu >= ncpus_)
            throw std::out_of_range("GIC PPI " + std::to_string(id) + " of CPU " + std::to_string(cpu) +
                                    ": there is no such CPU");
        model_->set_ppi_line(cpu, id - GicState::kFirstPpi, level);
    } else {
        model_->set_spi_line(id - GicState::kFirstSpi, level);
    }
    model_->cycle(nullptr);
}

}  // namespace oobsim

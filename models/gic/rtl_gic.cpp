#include "rtl_gic.h"

#include <cstdio>
#include <stdexcept>

#include "sim/memory_map.h"

namespace oobsim {

namespace {

std::string hex(uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", v);
    return buf;
}

// The register names of GicState's register map (gic_state.cpp), for the messages only: the RTL answers with codes.
struct RegisterName {
    const char* name;
    uint32_t offset;
    unsigned count;   // 32-bit registers from offset
    unsigned index0;  // the number of the first
    bool bytes;       // takes byte accesses
};
const RegisterName kDistributor[] = {
    {"GICD_CTLR", OOBSIM_GICD_CTLR, 1, 0, false},
    {"GICD_TYPER", OOBSIM_GICD_TYPER, 1, 0, false},
    {"GICD_IIDR", OOBSIM_GICD_IIDR, 1, 0, false},
    {"GICD_IGROUPR", OOBSIM_GICD_IGROUPR, 32, 0, false},
    {"GICD_ISENABLER", OOBSIM_GICD_ISENABLER, 32, 0, false},
    {"GICD_ICENABLER", OOBSIM_GICD_ICENABLER, 32, 0, false},
    {"GICD_ISPENDR", OOBSIM_GICD_ISPENDR, 32, 0, false},
    {"GICD_ICPENDR", OOBSIM_GICD_ICPENDR, 32, 0, false},
    {"GICD_ISACTIVER", OOBSIM_GICD_ISACTIVER, 32, 0, false},
    {"GICD_ICACTIVER", OOBSIM_GICD_ICACTIVER, 32, 0, false},
    {"GICD_IPRIORITYR", OOBSIM_GICD_IPRIORITYR, 255, 0, true},
    {"GICD_ITARGETSR", OOBSIM_GICD_ITARGETSR, 255, 0, true},
    {"GICD_ICFGR0", OOBSIM_GICD_ICFGR, 1, 0, false},
    {"GICD_ICFGR", OOBSIM_GICD_ICFGR + 4, 63, 1, false},
    {"GICD_SGIR", OOBSIM_GICD_SGIR, 1, 0, false},
    {"GICD_CPENDSGIR", OOBSIM_GICD_CPENDSGIR, 4, 0, true},
    {"GICD_SPENDSGIR", OOBSIM_GICD_SPENDSGIR, 4, 0, true},
    {"GICD_ICPIDR", 0xfd0, 4, 4, false},
    {"GICD_ICPIDR", 0xfe0, 4, 0, false},
    {"GICD_ICCIDR", 0xff0, 4, 0, false},
};
const RegisterName kCpuInterface[] = {
    {"GICC_CTLR", OOBSIM_GICC_CTLR, 1, 0, false},   {"GICC_PMR", OOBSIM_GICC_PMR, 1, 0, false},
    {"GICC_BPR", OOBSIM_GICC_BPR, 1, 0, false},     {"GICC_IAR", OOBSIM_GICC_IAR, 1, 0, false},
    {"GICC_EOIR", OOBSIM_GICC_EOIR, 1, 0, false},   {"GICC_RPR", OOBSIM_GICC_RPR, 1, 0, false},
    {"GICC_HPPIR", OOBSIM_GICC_HPPIR, 1, 0, false}, {"GICC_IIDR", OOBSIM_GICC_IIDR, 1, 0, false},
};

// The register at `offset` (which the RTL decoded: it is there), named as GicState names it.
const RegisterName& register_at(bool distributor, uint32_t offset, std::string* name) {
    auto find = [&](const auto& table) -> const RegisterName& {
        for (const RegisterName& r : table)
            if (offset >= r.offset && offset - r.offset < 4 * r.count) return r;
        throw std::logic_error("RTL GIC: a register the RTL decodes at " + hex(offset) + " has no name");
    };
    const RegisterName& r = distributor ? find(kDistributor) : find(kCpuInterface);
    *name = r.count == 1 ? r.name : r.name + std::to_string(r.index0 + (offset - r.offset) / 4);
    return r;
}

}  // namespace

RtlGicCore::RtlGicCore(unsigned ncpus, unsigned nspis)
    : ncpus_(ncpus), nspis_(nspis), model_(rtl::GicRtlModel::create(ncpus, nspis)) {}

void RtlGicCore::refused(const rtl::Request& q, rtl::Status status) {
    const std::string at = std::string(q.distributor ? "GICD" : "GICC") + " offset " + hex(q.offset) + ": ";
    switch (status) {
    case rtl::Status::NoCpuInterface: last_error_ = "CPU " + std::to_string(q.cpu) + " has no GIC CPU interface"; break;
    case rtl::Status::BadSize: last_error_ = at + "a " + std::to_string(q.size) + "-byte access"; break;
    case rtl::Status::Misaligned: last_error_ = at + "a misaligned " + std::to_string(q.size) + "-byte access"; break;
    case rtl::Status::NoRegister: last_error_ = at + "no register there"; break;
    case rtl::Status::BadWidth: {
        std::string name;
        const RegisterName& r = register_at(q.distributor, q.offset & ~3u, &name);
        last_error_ = name + ": a " + std::to_string(q.size) + "-byte access (the register takes " +
                      (r.bytes ? "32-bit and byte accesses)" : "32-bit accesses only)");
        break;
    }
    case rtl::Status::Ok: break;
    }
}

bool RtlGicCore::access(const rtl::Request& q, uint32_t* value) {
    const rtl::Response r = model_->cycle(&q);
    if (r.status != rtl::Status::Ok) {
        refused(q, r.status);
        return false;
    }
    if (value) *value = r.rdata;
    switch (r.misuse) {
    case rtl::Misuse::None: break;
    case rtl::Misuse::ReadOnlyWrite:
        if (reporter_) {
            std::string name;
            register_at(q.distributor, q.offset & ~3u, &name);
            reporter_(GicState::Misuse::ReadOnlyWrite, q.cpu, name);
        }
        break;
    case rtl::Misuse::EoiMismatch:
        if (reporter_)
            reporter_(GicState::Misuse::EoiMismatch, q.cpu,
                      "GICC_EOIR written with " + hex(q.wdata) + " while " +
                          (r.running_valid ? "the running interrupt is " + hex(r.running_iar)
                                           : std::string("no interrupt is active")) +
                          " (end interrupts in the reverse order of acknowledging them): ignored");
        break;
    case rtl::Misuse::ReservedSgiFilter:
        if (reporter_)
            reporter_(GicState::Misuse::ReservedSgiFilter, q.cpu,
                      "GICD_SGIR written with " + hex(q.wdata) + ": TargetListFilter 3 is reserved; no SGI sent");
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

#include "router.h"

#include <stdexcept>

namespace oobsim {

Router::Router(sc_core::sc_module_name name) : sc_module(name), target("target"), initiator("initiator") {
    target.register_b_transport(this, &Router::b_transport);
    target.register_get_direct_mem_ptr(this, &Router::get_direct_mem_ptr);
    target.register_transport_dbg(this, &Router::transport_dbg);
    initiator.register_invalidate_direct_mem_ptr(this, &Router::invalidate_direct_mem_ptr);
}

void Router::map(uint64_t base, uint64_t size, const std::string& name, tlm::tlm_target_socket<>& socket) {
    for (const Range& r : ranges_)
        if (base < r.base + r.size && r.base < base + size)
            throw std::invalid_argument("bus: " + name + " overlaps " + r.name);
    initiator.bind(socket);  // binding order = index in ranges_
    ranges_.push_back({base, size, name});
}

const Router::Range* Router::find(uint64_t addr) const {
    for (const Range& r : ranges_)
        if (addr - r.base < r.size) return &r;
    return nullptr;
}

int Router::decode(uint64_t addr, unsigned len) const {
    for (size_t i = 0; i < ranges_.size(); ++i) {
        const Range& r = ranges_[i];
        if (addr - r.base < r.size && len <= r.size - (addr - r.base)) return int(i);
    }
    return -1;
}

void Router::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
    uint64_t addr = trans.get_address();
    int i = decode(addr, trans.get_data_length());
    if (i < 0) {
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    trans.set_address(addr - ranges_[i].base);
    initiator[i]->b_transport(trans, delay);
    trans.set_address(addr);
}

bool Router::get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
    uint64_t addr = trans.get_address();
    int i = decode(addr, 1);
    if (i < 0) return false;
    trans.set_address(addr - ranges_[i].base);
    bool ok = initiator[i]->get_direct_mem_ptr(trans, dmi);
    trans.set_address(addr);
    // Back to bus addresses, clipped to the mapped range.
    uint64_t base = ranges_[i].base, last = base + ranges_[i].size - 1;
    dmi.set_start_address(base + dmi.get_start_address());
    dmi.set_end_address(std::min<uint64_t>(last, base + dmi.get_end_address()));
    return ok;
}

unsigned Router::transport_dbg(tlm::tlm_generic_payload& trans) {
    uint64_t addr = trans.get_address();
    int i = decode(addr, trans.get_data_length());
    if (i < 0) return 0;
    trans.set_address(addr - ranges_[i].base);
    unsigned n = initiator[i]->transport_dbg(trans);
    trans.set_address(addr);
    return n;
}

void Router::invalidate_direct_mem_ptr(int id, sc_dt::uint64 start, sc_dt::uint64 end) {
    uint64_t base = ranges_.at(id).base;
    target->invalidate_direct_mem_ptr(base + start, base + end);
}

}  // namespace oobsim

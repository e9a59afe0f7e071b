// RAM: a TLM-2.0 target that grants direct memory access (the harts use the DMI pointer; b_transport is the fallback).
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <vector>

namespace oobsim {

class Ram : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Ram> socket;

    Ram(sc_core::sc_module_name name, uint32_t size);
    uint8_t* data() { return bytes_.data(); }
    uint32_t size() const { return uint32_t(bytes_.size()); }

private:
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
    unsigned transport_dbg(tlm::tlm_generic_payload& trans);

    std::vector<uint8_t> bytes_;
};

}  // namespace oobsim

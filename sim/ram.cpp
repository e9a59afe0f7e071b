#include "ram.h"

#include <cstring>

namespace oobsim {

Ram::Ram(sc_core::sc_module_name name, uint32_t size) : sc_module(name), socket("socket"), bytes_(size, 0) {
    socket.register_b_transport(this, &Ram::b_transport);
    socket.register_get_direct_mem_ptr(this, &Ram::get_direct_mem_ptr);
    socket.register_transport_dbg(this, &Ram::transport_dbg);
}

void Ram::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time&) {
    if (transport_dbg(trans) != trans.get_data_length()) {
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    trans.set_dmi_allowed(true);
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

bool Ram::get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
    dmi.set_dmi_ptr(bytes_.data());
    dmi.set_start_address(0);
    dmi.set_end_address(bytes_.size() - 1);
    dmi.allow_read_write();
    return true;
}

unsigned Ram::transport_dbg(tlm::tlm_generic_payload& trans) {
    uint64_t addr = trans.get_address();
    unsigned len = trans.get_data_length();
    if (addr >= bytes_.size() || len > bytes_.size() - addr || trans.get_byte_enable_ptr()) return 0;
    if (trans.is_read())
        std::memcpy(trans.get_data_ptr(), &bytes_[addr], len);
    else if (trans.is_write())
        std::memcpy(&bytes_[addr], trans.get_data_ptr(), len);
    return len;
}

}  // namespace oobsim

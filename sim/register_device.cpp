#include "register_device.h"

#include <cstring>
#include <stdexcept>

#include "diagnostics.h"
#include "models/cpu/cluster.h"

namespace oobsim {

RegisterDevice::RegisterDevice(sc_core::sc_module_name name, uint32_t size)
    : sc_module(name), socket("socket"), size_(size) {
    socket.register_b_transport(this, &RegisterDevice::b_transport);
    socket.register_transport_dbg(this, &RegisterDevice::transport_dbg);
}

RegisterDevice::Register& RegisterDevice::add_register(const std::string& name, uint32_t offset, uint32_t reset,
                                                       ReadFn read, WriteFn write) {
    if ((offset & 3) || offset >= size_ || registers_.count(offset))
        throw std::logic_error(std::string(basename()) + ": bad register offset for " + name);
    Register& r = registers_[offset];
    r.name = name;
    r.offset = offset;
    r.reset = r.value = reset;
    r.read = std::move(read);
    r.write = std::move(write);
    return r;
}

RegisterDevice::Register& RegisterDevice::add_storage_register(const std::string& name, uint32_t offset,
                                                               uint32_t reset) {
    Register& r = add_register(name, offset, reset);
    Register* p = &r;
    r.write = [p](uint32_t value, uint32_t mask, unsigned) { p->value = merge(p->value, value, mask); };
    return r;
}

bool RegisterDevice::access(tlm::tlm_generic_payload& trans, unsigned cpu) {
    uint64_t addr = trans.get_address();
    unsigned len = trans.get_data_length();
    if (!(len == 1 || len == 2 || len == 4) || (addr & (len - 1)) || trans.get_byte_enable_ptr() ||
        trans.get_streaming_width() < len)
        return false;
    auto it = registers_.find(uint32_t(addr & ~3ull));
    if (it == registers_.end()) return false;
    Register& r = it->second;
    unsigned shift = 8 * unsigned(addr & 3);
    uint32_t lane_mask = (len == 4 ? 0xffffffffu : ((1u << (8 * len)) - 1)) << shift;
    if (trans.is_read()) {
        uint32_t v = (r.read ? r.read(cpu) : r.value) >> shift;
        std::memcpy(trans.get_data_ptr(), &v, len);
    } else if (trans.is_write()) {
        uint32_t v = 0;
        std::memcpy(&v, trans.get_data_ptr(), len);
        if (r.write) {
            r.write(v << shift, lane_mask, cpu);
        } else {
            ++ignored_writes_;
            warn_once(std::string(basename()) + "." + r.name + " write ignored",
                      std::string("write to read-only register ") + basename() + "." + r.name + " ignored");
        }
    }
    return true;
}

void RegisterDevice::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time&) {
    CpuIdExtension* ext = nullptr;
    trans.get_extension(ext);
    trans.set_response_status(access(trans, ext ? ext->cpu : 0) ? tlm::TLM_OK_RESPONSE
                                                                 : tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

unsigned RegisterDevice::transport_dbg(tlm::tlm_generic_payload& trans) {
    // Debug reads must not have side effects: only registers without a read callback answer them.
    if (!trans.is_read()) return 0;
    auto it = registers_.find(uint32_t(trans.get_address() & ~3ull));
    if (it == registers_.end() || it->second.read || trans.get_data_length() != 4 || (trans.get_address() & 3))
        return 0;
    std::memcpy(trans.get_data_ptr(), &it->second.value, 4);
    return 4;
}

}  // namespace oobsim

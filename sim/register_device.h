// A memory-mapped peripheral in the VCML style: registers declared with a name, an offset, a reset value and
// read/write callbacks; this base class decodes TLM transactions onto them.
//
// Accesses of 1, 2 or 4 bytes, naturally aligned, inside one 32-bit register are legal. Anything else, and any offset
// with no register, answers TLM_ADDRESS_ERROR_RESPONSE (the guest takes an access fault). A write to a register
// with no write callback is ignored, counted and reported once.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace oobsim {

class RegisterDevice : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<RegisterDevice> socket;

    // `cpu` is the CPU that made the access (from the transaction's CpuIdExtension; 0 for debug accesses).
    using ReadFn = std::function<uint32_t(unsigned cpu)>;
    // `value` holds the new bytes in their lanes; `mask` has 0xff in each lane written.
    using WriteFn = std::function<void(uint32_t value, uint32_t mask, unsigned cpu)>;

    struct Register {
        std::string name;
        uint32_t offset = 0;
        uint32_t reset = 0;
        uint32_t value = 0;  // storage for registers without a read callback
        ReadFn read;
        WriteFn write;
    };

    RegisterDevice(sc_core::sc_module_name name, uint32_t size);
    // No read callback: reads return the stored value. No write callback: read-only.
    Register& add_register(const std::string& name, uint32_t offset, uint32_t reset, ReadFn read = nullptr,
                           WriteFn write = nullptr);
    // A read-write register that just stores what is written.
    Register& add_storage_register(const std::string& name, uint32_t offset, uint32_t reset);
    uint32_t size() const { return size_; }
    unsigned long ignored_writes() const { return ignored_writes_; }

protected:
    static uint32_t merge(uint32_t old, uint32_t value, uint32_t mask) { return (old & ~mask) | (value & mask); }

private:
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& trans);
    bool access(tlm::tlm_generic_payload& trans, unsigned cpu);

    uint32_t size_;
    std::map<uint32_t, Register> registers_;
    unsigned long ignored_writes_ = 0;
};

}  // namespace oobsim

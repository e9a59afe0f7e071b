// The TLM-2.0 bus: maps address ranges to targets, translating addresses to target-local offsets.
// An address nothing is mapped at answers TLM_ADDRESS_ERROR_RESPONSE (the hart turns it into an access fault).
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <string>
#include <vector>

namespace oobsim {

class Router : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Router> target;
    tlm_utils::multi_passthrough_initiator_socket<Router> initiator;

    explicit Router(sc_core::sc_module_name name);

    // Maps [base, base + size) to `socket`; ranges must not overlap (throws std::invalid_argument).
    void map(uint64_t base, uint64_t size, const std::string& name, tlm::tlm_target_socket<>& socket);

    struct Range {
        uint64_t base, size;
        std::string name;
    };
    const std::vector<Range>& ranges() const { return ranges_; }
    // The range holding addr, or nullptr.
    const Range* find(uint64_t addr) const;

private:
    int decode(uint64_t addr, unsigned len) const;
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
    unsigned transport_dbg(tlm::tlm_generic_payload& trans);
    void invalidate_direct_mem_ptr(int id, sc_dt::uint64 start, sc_dt::uint64 end);

    std::vector<Range> ranges_;
};

}  // namespace oobsim

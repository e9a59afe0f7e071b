#include "platform.h"

#include <cstdio>
#include <stdexcept>

#include "diagnostics.h"
#include "memory_map.h"

namespace oobsim {

Platform::Platform(const PlatformConfig& config, const ElfImage& program, sc_core::sc_module_name name)
    : sc_module(name), config_(config), program_(program) {
    if (config_.cpus < 1 || config_.cpus > PlatformConfig::kMaxCpus)
        throw std::invalid_argument("--cpus must be 1 to " + std::to_string(PlatformConfig::kMaxCpus) + ", not " +
                                    std::to_string(config_.cpus));
    if (config_.ram_size == 0) config_.ram_size = OOBSIM_RAM_DEFAULT_SIZE;
    if (config_.max_cycles == 0) throw std::invalid_argument("--max-cycles must be at least 1");

    cluster_ = std::make_unique<Cluster>("cluster", config_.cpus, config_.timing, config_.mode, config_.max_cycles);
    bus_ = std::make_unique<Router>("bus");
    ram_ = std::make_unique<Ram>("ram", config_.ram_size);
    uart_ = std::make_unique<Uart>("uart", config_.console);
    uint32_t scenario = 0;
    program.symbol("oobsim_scenario", &scenario);
    simctrl_ = std::make_unique<SimCtrl>("simctrl", *cluster_, scenario);
    timers_ = std::make_unique<Timers>("timers", *cluster_);

    cluster_->socket.bind(bus_->target);
    bus_->map(OOBSIM_UART_BASE, OOBSIM_UART_SIZE, "the console UART", uart_->socket);
    bus_->map(OOBSIM_TIMER_BASE, OOBSIM_TIMER_SIZE, "the timers", timers_->socket);
    bus_->map(OOBSIM_SIMCTRL_BASE, OOBSIM_SIMCTRL_SIZE, "the simulation control device", simctrl_->socket);
    bus_->map(OOBSIM_RAM_BASE, config_.ram_size, "RAM", ram_->socket);
    // Reserved device windows (answer bus errors until their devices exist) still name themselves in messages.

    program.check_fits(OOBSIM_RAM_BASE, config_.ram_size, [this](uint32_t addr) {
        const Router::Range* r = bus_->find(addr);
        return r ? r->name : std::string();
    });
    cluster_->set_entry(program.entry);
    uint32_t tohost = 0;
    if (program.symbol("tohost", &tohost)) cluster_->set_tohost(tohost);
    cluster_->set_observers(config_.hints, config_.insns, this);
}

Platform::~Platform() = default;

void Platform::start_of_simulation() {
    for (const ElfImage::Segment& s : program_.segments) {
        // Loaded over the bus (debug transport), as a debugger would.
        std::vector<uint8_t> bytes(s.data);
        bytes.resize(s.memsz, 0);
        tlm::tlm_generic_payload t;
        t.set_command(tlm::TLM_WRITE_COMMAND);
        t.set_address(s.addr);
        t.set_data_ptr(bytes.data());
        t.set_data_length(unsigned(bytes.size()));
        t.set_streaming_width(unsigned(bytes.size()));
        if (cluster_->socket->transport_dbg(t) != bytes.size())
            throw std::logic_error("loading a segment over the bus failed");
    }
}

const RunOutcome& Platform::run() {
    sc_core::sc_start();
    if (!cluster_->finished()) throw std::logic_error("the simulation stopped before the cluster finished");
    std::fflush(stdout);
    return cluster_->outcome();
}

void Platform::on_bus_error(unsigned cpu, uint32_t pc, uint32_t addr, bool is_write, bool is_fetch) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "core %u pc 0x%08x: %s 0x%08x: nothing is mapped there (access fault)", cpu, pc,
                  is_fetch ? "instruction fetch from" : is_write ? "store to" : "load from", addr);
    warn_once("bus errors", buf);
}

}  // namespace oobsim

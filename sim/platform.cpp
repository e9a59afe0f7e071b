#include "platform.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "diagnostics.h"
#include "memory_map.h"
#include "models/gic/rtl_gic.h"

namespace oobsim {

Platform::Platform(const PlatformConfig& config, const ElfImage& program, sc_core::sc_module_name name)
    : sc_module(name), config_(config), program_(program) {
    const std::string why = config_.check();
    if (!why.empty()) throw std::invalid_argument(why);
    if (config_.ram_size == 0) config_.ram_size = OOBSIM_RAM_DEFAULT_SIZE;
    if (config_.max_cycles == 0) throw std::invalid_argument("--max-cycles must be at least 1");

    cluster_ = std::make_unique<Cluster>("cluster", config_.cpus, config_.timing, config_.mode, config_.max_cycles);
    bus_ = std::make_unique<Router>("bus");
    ram_ = std::make_unique<Ram>("ram", config_.ram_size);
    uart_ = std::make_unique<Uart>("uart", config_.console);
    if (!config_.scenario_table.empty()) {
        static const char kSymbol[] = "oobsim_scenario_table";  // SCENARIO_TABLE_SYMBOL
        auto size = program.symbol_sizes.find(kSymbol);
        if (!program.symbol(kSymbol, &scenario_table_addr_) || size == program.symbol_sizes.end())
            throw std::invalid_argument(program.path + " has no scenario table (no symbol " + kSymbol +
                                        "): a scenario table needs the scenario firmware (firmware/scenario/)");
        if (config_.scenario_table.size() > size->second)
            throw std::invalid_argument("the scenario table is " + std::to_string(config_.scenario_table.size()) +
                                        " bytes; " + program.path + " has room for " + std::to_string(size->second));
    }
    simctrl_ = std::make_unique<SimCtrl>("simctrl", *cluster_, scenario_table_addr_);
    // Before the devices that raise interrupts, so they can be given irq_controller().
    if (config_.gic)
        gic_ = std::make_unique<Gic>("gic", *cluster_, config_.spis,
                                     config_.gic_model == PlatformConfig::GicModel::Rtl
                                         ? std::make_unique<RtlGicCore>(config_.cpus, config_.spis)
                                         : nullptr);
    timers_ = std::make_unique<Timers>("timers", *cluster_, irq_controller());
    irq_sources_ = std::make_unique<IrqSources>("irq_sources", *cluster_, irq_controller(),
                                                PlatformConfig::kIrqSourceChannels, config_.gic ? config_.spis : 0);
    for (size_t i = 0; i < config_.irq_sources.size(); ++i) {
        const IrqSourceSpec& spec = config_.irq_sources[i];
        irq_sources_->configure(spec.channel.value_or(unsigned(i)), spec.config);
    }

    cluster_->socket.bind(bus_->target);
    if (gic_) {
        bus_->map(OOBSIM_GICD_BASE, OOBSIM_GICD_SIZE, "the GIC distributor", gic_->dist_socket);
        bus_->map(OOBSIM_GICC_BASE, OOBSIM_GICC_SIZE, "the GIC CPU interface", gic_->cpu_socket);
    }
    bus_->map(OOBSIM_UART_BASE, OOBSIM_UART_SIZE, "the console UART", uart_->socket);
    bus_->map(OOBSIM_TIMER_BASE, OOBSIM_TIMER_SIZE, "the timers", timers_->socket);
    bus_->map(OOBSIM_IRQSRC_BASE, OOBSIM_IRQSRC_SIZE, "the IRQ sources", irq_sources_->socket);
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

IrqController* Platform::irq_controller() { return gic_.get(); }

std::string PlatformConfig::check() const {
    if (gic && (cpus < 1 || cpus > kMaxCpusWithGic))
        return "--cpus must be 1 to " + std::to_string(kMaxCpusWithGic) + " (the GIC has " +
               std::to_string(kMaxCpusWithGic) + " CPU interfaces; --no-gic allows up to " + std::to_string(kMaxCpus) +
               "), not " + std::to_string(cpus);
    if (cpus < 1 || cpus > kMaxCpus)
        return "--cpus must be 1 to " + std::to_string(kMaxCpus) + ", not " + std::to_string(cpus);
    if (!gic && !irq_sources.empty()) return "IRQ sources raise GIC interrupts: they need the GIC (no --no-gic)";
    if (irq_sources.size() > kIrqSourceChannels)
        return "at most " + std::to_string(kIrqSourceChannels) + " IRQ sources, not " +
               std::to_string(irq_sources.size());
    // A channel takes one configuration: a second one would silently replace the first.
    for (size_t i = 0; i < irq_sources.size(); ++i)
        for (size_t j = 0; j < i; ++j)
            if (irq_sources[i].channel.value_or(unsigned(i)) == irq_sources[j].channel.value_or(unsigned(j)))
                return "IRQ sources #" + std::to_string(j + 1) + " and #" + std::to_string(i + 1) +
                       " both configure channel " + std::to_string(irq_sources[i].channel.value_or(unsigned(i))) +
                       " (one configuration per channel)";
    if (gic && spis > kMaxSpis)
        return "--spis must be 0 to " + std::to_string(kMaxSpis) + " (GIC interrupt IDs 32..1019), not " +
               std::to_string(spis);
    return "";
}

void Platform::start_of_simulation() {
    // Loaded over the bus (debug transport), as a debugger would.
    auto load = [this](uint32_t addr, std::vector<uint8_t> bytes) {
        tlm::tlm_generic_payload t;
        t.set_command(tlm::TLM_WRITE_COMMAND);
        t.set_address(addr);
        t.set_data_ptr(bytes.data());
        t.set_data_length(unsigned(bytes.size()));
        t.set_streaming_width(unsigned(bytes.size()));
        if (cluster_->socket->transport_dbg(t) != bytes.size())
            throw std::logic_error("loading a segment over the bus failed");
    };
    for (const ElfImage::Segment& s : program_.segments) {
        std::vector<uint8_t> bytes(s.data);
        bytes.resize(s.memsz, 0);
        load(s.addr, std::move(bytes));
    }
    // After the segments, which may hold the table's symbol with zeros.
    if (!config_.scenario_table.empty()) load(scenario_table_addr_, config_.scenario_table);
}

const RunOutcome& Platform::run() {
    sc_core::sc_start();
    if (!cluster_->finished()) throw std::logic_error("the simulation stopped before the cluster finished");
    std::fflush(stdout);
    return cluster_->outcome();
}

const RunOutcome& Platform::run(const std::function<void(uint64_t)>& progress) {
    // Slices of simulated time, grown or shrunk to take about 0.1 s of host time each.
    uint64_t slice = 1000000;
    for (bool started = false; !cluster_->finished(); started = true) {
        // Before the first sc_start() nothing is scheduled yet; after it, the cluster always is until it finishes.
        if (started && !sc_core::sc_pending_activity()) break;
        auto t0 = std::chrono::steady_clock::now();
        sc_core::sc_start(cluster_->cycles_to_time(slice), sc_core::SC_EXIT_ON_STARVATION);
        double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (sc_core::sc_get_status() == sc_core::SC_STOPPED) break;
        // The cores may be ahead of SystemC time (the scheduler runs them in slices): the slowest says how far we are.
        uint64_t reached = cluster_->hart(0).time();
        for (unsigned i = 1; i < cluster_->ncpus(); ++i) reached = std::min(reached, cluster_->hart(i).time());
        progress(std::max(reached, cluster_->now_cycle()));
        if (took < 0.05 && slice < (1ull << 40)) slice *= 2;
        else if (took > 0.2 && slice > 1000) slice /= 2;
    }
    if (!cluster_->finished()) throw std::logic_error("the simulation stopped before the cluster finished");
    std::fflush(stdout);
    return cluster_->outcome();
}

void Platform::on_bus_error(unsigned cpu, uint32_t pc, uint32_t addr, bool is_write, bool is_fetch) {
    // A device can refuse an access too (no register at that offset, a size it does not take).
    const Router::Range* device = bus_->find(addr);
    const std::string why = device ? device->name + " refused the access" : "nothing is mapped there";
    char buf[200];
    std::snprintf(buf, sizeof buf, "core %u pc 0x%08x: %s 0x%08x: %s (access fault)", cpu, pc,
                  is_fetch ? "instruction fetch from" : is_write ? "store to" : "load from", addr, why.c_str());
    warn_once("bus errors", buf);
}

}  // namespace oobsim

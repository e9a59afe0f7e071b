#include "devices.h"

#include "memory_map.h"
#include "models/cpu/cluster.h"

namespace oobsim {

using namespace sc_core;

// ---- UART ----------------------------------------------------------------------------------------------------------

Uart::Uart(sc_module_name name, std::function<void(char)> sink)
    : RegisterDevice(name, OOBSIM_UART_SIZE), sink_(std::move(sink)) {
    add_register("TX", OOBSIM_UART_TX, 0, [](unsigned) { return 0u; },
                 [this](uint32_t value, uint32_t mask, unsigned) {
                     if (!(mask & 0xff)) return;
                     char c = char(value & 0xff);
                     output_ += c;
                     if (sink_) sink_(c);
                 });
    add_register("STATUS", OOBSIM_UART_STATUS, OOBSIM_UART_STATUS_TX_READY);
}

// ---- Simulation control --------------------------------------------------------------------------------------------

SimCtrl::SimCtrl(sc_module_name name, Cluster& cluster, uint32_t scenario_addr)
    : RegisterDevice(name, OOBSIM_SIMCTRL_SIZE) {
    add_register("EXIT", OOBSIM_SIMCTRL_EXIT, 0, [](unsigned) { return 0u; },
                 [&cluster](uint32_t value, uint32_t, unsigned) { cluster.request_exit(int(value), cluster.now_cycle()); });
    add_register("SCENARIO", OOBSIM_SIMCTRL_SCENARIO, scenario_addr);
    add_register("NCPUS", OOBSIM_SIMCTRL_NCPUS, cluster.ncpus());
    add_register("CLOCK_KHZ", OOBSIM_SIMCTRL_CLOCK_KHZ, uint32_t(cluster.timing().clock_hz / 1000));
}

// ---- Per-CPU timers and software interrupts ------------------------------------------------------------------------

Timers::Timers(sc_module_name name, Cluster& cluster)
    : RegisterDevice(name, OOBSIM_TIMER_SIZE), cluster_(cluster), cpus_(cluster.ncpus()) {
    for (unsigned i = 0; i < cpus_.size(); ++i) {
        const uint32_t base = i * OOBSIM_TIMER_STRIDE;
        const std::string n = "cpu" + std::to_string(i) + ".";
        add_register(n + "MSIP", base + OOBSIM_TIMER_MSIP, 0, [this, i](unsigned) { return cpus_[i].msip; },
                     [this, i](uint32_t v, uint32_t mask, unsigned) {
                         cpus_[i].msip = merge(cpus_[i].msip, v, mask) & 1;
                         schedule_write(i, false, cpus_[i].msip);
                     });
        add_register(n + "CMP_LO", base + OOBSIM_TIMER_CMP_LO, ~0u,
                     [this, i](unsigned) { return uint32_t(cpus_[i].cmp); },
                     [this, i](uint32_t v, uint32_t mask, unsigned) {
                         uint64_t& c = cpus_[i].cmp;
                         c = (c & ~0xffffffffull) | merge(uint32_t(c), v, mask);
                         schedule_write(i, true, c);
                     });
        add_register(n + "CMP_HI", base + OOBSIM_TIMER_CMP_HI, ~0u,
                     [this, i](unsigned) { return uint32_t(cpus_[i].cmp >> 32); },
                     [this, i](uint32_t v, uint32_t mask, unsigned) {
                         uint64_t& c = cpus_[i].cmp;
                         c = (c & 0xffffffffull) | (uint64_t(merge(uint32_t(c >> 32), v, mask)) << 32);
                         schedule_write(i, true, c);
                     });
    }
    add_register("COUNTER_LO", OOBSIM_TIMER_COUNTER_LO, 0, [this](unsigned) { return uint32_t(cluster_.now_cycle()); });
    add_register("COUNTER_HI", OOBSIM_TIMER_COUNTER_HI, 0,
                 [this](unsigned) { return uint32_t(cluster_.now_cycle() >> 32); });
    SC_HAS_PROCESS(Timers);
    SC_METHOD(update);
    sensitive << update_event_;
    dont_initialize();
}

void Timers::schedule_write(unsigned cpu, bool is_cmp, uint64_t value) {
    uint64_t at = cluster_.now_cycle() + cluster_.timing().irq_write_latency;
    pending_.push_back({at, cpu, is_cmp, value});
    update_event_.notify(cluster_.cycles_to_time(at - cluster_.now_cycle()));
}

void Timers::update() {
    const uint64_t now = cluster_.now_cycle();
    size_t done = 0;
    for (; done < pending_.size() && pending_[done].cycle <= now; ++done) {
        const PendingWrite& w = pending_[done];
        if (w.is_cmp)
            cpus_[w.cpu].cmp_eff = w.value;
        else
            cpus_[w.cpu].msip_eff = uint32_t(w.value);
    }
    pending_.erase(pending_.begin(), pending_.begin() + done);

    uint64_t next = pending_.empty() ? ~0ull : pending_.front().cycle;
    for (unsigned i = 0; i < cpus_.size(); ++i) {
        PerCpu& c = cpus_[i];
        bool msip = c.msip_eff != 0, mtip = now >= c.cmp_eff;
        if (msip != c.msip_line) cluster_.set_irq(i, kMSIP, c.msip_line = msip);
        if (mtip != c.mtip_line) cluster_.set_irq(i, kMTIP, c.mtip_line = mtip);
        if (!mtip && c.cmp_eff < next) next = c.cmp_eff;
    }
    // A compare value further away than any run can reach (2^50 cycles) needs no event.
    if (next != ~0ull && next - now < (1ull << 50)) update_event_.notify(cluster_.cycles_to_time(next - now));
}

}  // namespace oobsim

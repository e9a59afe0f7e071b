#include "devices.h"

#include <algorithm>

#include "irq.h"
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

static_assert(Timers::kTimerPpi == OOBSIM_TIMER_PPI, "memory_map.h and the timer disagree on the timer PPI");

Timers::Timers(sc_module_name name, Cluster& cluster, IrqController* gic)
    : RegisterDevice(name, OOBSIM_TIMER_SIZE), cluster_(cluster), gic_(gic), cpus_(cluster.ncpus()),
      update_event_(cluster, [this] { update(); }) {
    // 2^50 cycles is beyond any run; the SystemC bound keeps such cycles representable as SystemC time at slow clocks.
    horizon_ = std::min<uint64_t>(1ull << 50, sc_max_time().value() / 2 / cluster.cycles_to_time(1).value());
    for (unsigned i = 0; i < cpus_.size(); ++i) add_cpu_registers(i);
    add_register("COUNTER_LO", OOBSIM_TIMER_COUNTER_LO, 0, [this](unsigned) { return uint32_t(cluster_.now_cycle()); });
    add_register("COUNTER_HI", OOBSIM_TIMER_COUNTER_HI, 0,
                 [this](unsigned) { return uint32_t(cluster_.now_cycle() >> 32); });
}

void Timers::add_cpu_registers(unsigned i) {
    const uint32_t base = i * OOBSIM_TIMER_STRIDE;
    const std::string n = "cpu" + std::to_string(i) + ".";
    PerCpu& c = cpus_[i];
    add_register(n + "MSIP", base + OOBSIM_TIMER_MSIP, 0, [&c](unsigned) { return c.msip; },
                 [this, &c, i](uint32_t v, uint32_t mask, unsigned) {
                     c.msip = merge(c.msip, v, mask) & 1;
                     schedule_write(i, Field::Msip, c.msip);
                 });
    add_register(n + "CMP_LO", base + OOBSIM_TIMER_CMP_LO, ~0u, [&c](unsigned) { return uint32_t(c.cmp); },
                 [this, &c, i](uint32_t v, uint32_t mask, unsigned) {
                     c.cmp = (c.cmp & ~0xffffffffull) | merge(uint32_t(c.cmp), v, mask);
                     schedule_write(i, Field::Cmp, c.cmp);
                 });
    add_register(n + "CMP_HI", base + OOBSIM_TIMER_CMP_HI, ~0u, [&c](unsigned) { return uint32_t(c.cmp >> 32); },
                 [this, &c, i](uint32_t v, uint32_t mask, unsigned) {
                     c.cmp = (c.cmp & 0xffffffffull) | (uint64_t(merge(uint32_t(c.cmp >> 32), v, mask)) << 32);
                     schedule_write(i, Field::Cmp, c.cmp);
                 });
    add_register(n + "CTRL", base + OOBSIM_TIMER_CTRL, 0, [&c](unsigned) { return c.ctrl; },
                 [this, &c, i](uint32_t v, uint32_t mask, unsigned) {
                     c.ctrl = merge(c.ctrl, v, mask) & (OOBSIM_TIMER_CTRL_ENABLE | OOBSIM_TIMER_CTRL_PERIODIC);
                     schedule_write(i, Field::Ctrl, c.ctrl);
                 });
    add_register(n + "RELOAD", base + OOBSIM_TIMER_RELOAD, 0, [&c](unsigned) { return c.reload; },
                 [this, &c, i](uint32_t v, uint32_t mask, unsigned) {
                     c.reload = merge(c.reload, v, mask);
                     schedule_write(i, Field::Reload, c.reload);
                 });
    // STATUS shows the timer's own state, so firmware can poll CLEARING to know when its clear has landed (and the
    // PPI has fallen) before it ends the interrupt at the GIC.
    add_register(n + "STATUS", base + OOBSIM_TIMER_STATUS, 0,
                 [&c](unsigned) {
                     return (c.fired ? OOBSIM_TIMER_STATUS_FIRED : 0u) |
                            (c.clears_in_flight ? OOBSIM_TIMER_STATUS_CLEARING : 0u);
                 },
                 [this, &c, i](uint32_t v, uint32_t mask, unsigned) {
                     if (!(v & mask & OOBSIM_TIMER_STATUS_FIRED)) return;
                     ++c.clears_in_flight;
                     schedule_write(i, Field::ClearFired, 0);
                 });
}

void Timers::schedule_write(unsigned cpu, Field field, uint64_t value) {
    uint64_t at = cluster_.now_cycle() + cluster_.timing().irq_write_latency;
    if (field == Field::Cmp) ++cpus_[cpu].cmp_writes_in_flight;
    pending_.push_back({at, cpu, field, value});
    update_event_.notify_at(at);
}

void Timers::apply(const PendingWrite& w) {
    PerCpu& c = cpus_[w.cpu];
    switch (w.field) {
    case Field::Msip: c.msip_eff = uint32_t(w.value); break;
    case Field::Cmp:
        c.cmp_eff = w.value;
        c.armed = true;
        --c.cmp_writes_in_flight;
        break;
    case Field::Ctrl: {
        const bool was_enabled = c.ctrl_eff & OOBSIM_TIMER_CTRL_ENABLE;
        c.ctrl_eff = uint32_t(w.value);
        if (!was_enabled && (c.ctrl_eff & OOBSIM_TIMER_CTRL_ENABLE)) c.armed = true;
        break;
    }
    case Field::Reload: c.reload_eff = uint32_t(w.value); break;
    case Field::ClearFired:
        c.fired = false;
        --c.clears_in_flight;
        break;
    }
}

void Timers::fire_if_due(unsigned cpu, uint64_t now) {
    PerCpu& c = cpus_[cpu];
    if (!(c.ctrl_eff & OOBSIM_TIMER_CTRL_ENABLE) || !c.armed || now < c.cmp_eff) return;
    c.fired = true;
    if (!(c.ctrl_eff & OOBSIM_TIMER_CTRL_PERIODIC) || c.reload_eff == 0) {
        c.armed = false;
        return;
    }
    // Drift-free: the next compare is CMP + k * RELOAD, the first such point after now (periods already missed,
    // e.g. when CMP was written in the past, are skipped rather than fired in a burst).
    const uint64_t k = (now - c.cmp_eff) / c.reload_eff + 1;
    const uint64_t step = k * c.reload_eff;  // no overflow: k * reload <= now - cmp + reload
    if (c.cmp_eff > ~0ull - step) {
        c.cmp_eff = ~0ull;  // past the end of time: never again
        c.armed = false;
    } else {
        c.cmp_eff += step;
    }
    // The register reads the advanced compare, unless the firmware has a newer value on its way.
    if (c.cmp_writes_in_flight == 0) c.cmp = c.cmp_eff;
}

void Timers::drive_lines(unsigned cpu, uint64_t now) {
    PerCpu& c = cpus_[cpu];
    const bool msip = c.msip_eff != 0, mtip = now >= c.cmp_eff;
    const bool ppi = c.fired && (c.ctrl_eff & OOBSIM_TIMER_CTRL_ENABLE);
    if (msip != c.msip_line) cluster_.set_irq(cpu, kMSIP, c.msip_line = msip);
    if (mtip != c.mtip_line) cluster_.set_irq(cpu, kMTIP, c.mtip_line = mtip);
    if (ppi != c.ppi_line) {
        c.ppi_line = ppi;
        if (gic_) gic_->set_ppi(cpu, kTimerPpi, ppi);
    }
}

void Timers::update() {
    const uint64_t now = cluster_.now_cycle();
    // Writes that reach the timer at `now` act before the comparator looks at `now`: a CMP or CTRL write landing in
    // the cycle the old compare would fire decides whether it fires.
    size_t done = 0;
    for (; done < pending_.size() && pending_[done].cycle <= now; ++done) apply(pending_[done]);
    pending_.erase(pending_.begin(), pending_.begin() + done);

    uint64_t next = pending_.empty() ? ~0ull : pending_.front().cycle;
    for (unsigned i = 0; i < cpus_.size(); ++i) {
        fire_if_due(i, now);
        drive_lines(i, now);
        // Both MTIP and the PPI comparator change next at cmp_eff, if it is still ahead.
        if (cpus_[i].cmp_eff > now && cpus_[i].cmp_eff < next) next = cpus_[i].cmp_eff;
    }
    if (next != ~0ull && next - now < horizon_) update_event_.notify_at(next);
}

}  // namespace oobsim

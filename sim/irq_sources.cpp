#include "irq_sources.h"

#include <algorithm>
#include <stdexcept>

#include "irq.h"
#include "memory_map.h"
#include "models/cpu/cluster.h"

namespace oobsim {

namespace {

constexpr unsigned kFirstSpi = IrqSourceConfig::kFirstSpi;
constexpr unsigned kMaxSpis = IrqSourceConfig::kMaxSpis;
constexpr uint64_t kNever = IrqArrivals::kNever;

[[noreturn]] void bad(const std::string& message) {
    throw std::invalid_argument(message);
}

std::string str(uint64_t v) {
    return std::to_string(v);
}

unsigned checked_channels(unsigned channels, unsigned num_spis) {
    if (channels > OOBSIM_IRQSRC_MAX_CHANNELS)
        bad("too many IRQ source channels: " + str(channels) + " (at most " + str(OOBSIM_IRQSRC_MAX_CHANNELS) + ")");
    if (num_spis > kMaxSpis) bad("too many SPIs: " + str(num_spis) + " (a GICv2 has at most " + str(kMaxSpis) + ")");
    return channels;
}

}  // namespace

IrqSources::IrqSources(sc_core::sc_module_name name, Cluster& cluster, IrqController* gic, unsigned channels,
                       unsigned num_spis)
    : RegisterDevice(name, OOBSIM_IRQSRC_SIZE),
      cluster_(cluster),
      gic_(gic),
      num_spis_(num_spis),
      channels_(checked_channels(channels, num_spis)),
      spi_drivers_(num_spis, 0),
      update_event_(cluster, [this] { update(); }) {
    for (unsigned k = 0; k < channels; ++k) {
        channels_[k].config.spi = kFirstSpi + k;  // the default wiring, shown by the SPI register
        add_channel_registers(k);
    }
    add_register("CHANNELS", OOBSIM_IRQSRC_CHANNELS, channels);
}

void IrqSources::add_channel_registers(unsigned k) {
    const uint32_t base = k * OOBSIM_IRQSRC_STRIDE;
    const std::string n = "ch" + std::to_string(k) + ".";
    const Channel& ch = channels_[k];
    add_register(n + "STATUS", base + OOBSIM_IRQSRC_STATUS, 0, [this, &ch](unsigned) { return status(ch); });
    add_register(
        n + "ACK", base + OOBSIM_IRQSRC_ACK, 0, [](unsigned) { return 0u; },
        [this, k](uint32_t v, uint32_t mask, unsigned) {
            if (v & mask & 1) ack(k);
        });
    add_register(n + "COUNT", base + OOBSIM_IRQSRC_COUNT, 0, [&ch](unsigned) { return uint32_t(ch.count); });
    add_register(n + "OVERRUN", base + OOBSIM_IRQSRC_OVERRUN, 0, [&ch](unsigned) { return uint32_t(ch.overruns); });
    add_register(n + "LAST_CYCLE_LO", base + OOBSIM_IRQSRC_LAST_CYCLE_LO, 0,
                 [&ch](unsigned) { return uint32_t(ch.last_cycle); });
    add_register(n + "LAST_CYCLE_HI", base + OOBSIM_IRQSRC_LAST_CYCLE_HI, 0,
                 [&ch](unsigned) { return uint32_t(ch.last_cycle >> 32); });
    add_register(n + "SPI", base + OOBSIM_IRQSRC_SPI, 0, [&ch](unsigned) { return ch.config.spi; });
}

uint32_t IrqSources::status(const Channel& ch) const {
    return (ch.line ? OOBSIM_IRQSRC_STATUS_LINE : 0u) | (ch.config.level ? OOBSIM_IRQSRC_STATUS_LEVEL : 0u) |
           (ch.next != kNever ? OOBSIM_IRQSRC_STATUS_ACTIVE : 0u) |
           (ch.acks_in_flight ? OOBSIM_IRQSRC_STATUS_ACK_PENDING : 0u);
}

void IrqSources::configure(unsigned channel, const IrqSourceConfig& config) {
    if (started_) throw std::logic_error("IRQ sources can only be configured before the simulation starts");
    if (channel >= channels_.size()) {
        if (channels_.empty()) bad("IRQ source channel " + str(channel) + " is out of range: there are no channels");
        bad("IRQ source channel " + str(channel) + " is out of range: there are " + str(channels_.size()) +
            " channels (0 to " + str(channels_.size() - 1) + ")");
    }
    IrqSourceConfig c = config;
    if (c.spi == 0) c.spi = kFirstSpi + channel;
    try {
        validate_irq_source(c, num_spis_);
    } catch (const std::invalid_argument& e) {
        bad("IRQ source channel " + str(channel) + ": " + e.what());
    }
    Channel& ch = channels_[channel];
    ch.config = c;
    ch.configured = true;
    ch.arrivals.emplace(c);
    ch.next = ch.arrivals->next();
}

void IrqSources::start_of_simulation() {
    started_ = true;
    // Event cycles must stay representable as SystemC time, which follows the cores; an event further away than that
    // is beyond any run.
    horizon_ = sc_core::sc_max_time().value() / 2 / cluster_.cycles_to_time(1).value();
    update_event_.notify_at(0);  // raises the events due at cycle 0 and schedules the first
}

void IrqSources::ack(unsigned k) {
    // Like every device write that changes an interrupt line, the ACK reaches the device irq_write_latency cycles
    // after the store (and another core cannot see its effect sooner: the fast scheduler relies on that).
    const uint64_t latency = cluster_.timing().irq_write_latency;
    ++channels_[k].acks_in_flight;
    acks_.push_back({cluster_.now_cycle() + latency, k});
    update_event_.notify_at(cluster_.now_cycle() + latency);
}

void IrqSources::drive(Channel& ch, bool level) {
    if (ch.line == level) return;
    ch.line = level;
    if (observer_)
        observer_->on_source_line(cluster_.now_cycle(), unsigned(&ch - channels_.data()), ch.config.spi, level);
    unsigned& drivers = spi_drivers_[ch.config.spi - kFirstSpi];
    const bool was_high = drivers != 0;
    drivers = level ? drivers + 1 : drivers - 1;
    if (gic_ && was_high != (drivers != 0)) gic_->set_spi(ch.config.spi, drivers != 0);
}

void IrqSources::raise_event(Channel& ch, uint64_t now) {
    ++ch.count;
    ch.last_cycle = now;
    if (!ch.config.level) {
        drive(ch, true);  // the pulse of the previous event ended before this one (update() lowers it first)
        ch.pulse_end = now + 1;
    } else if (ch.line) {
        ++ch.overruns;  // the firmware has not acknowledged the previous event: the line just stays high
    } else {
        drive(ch, true);
    }
    ch.next = ch.arrivals->next();
}

void IrqSources::update() {
    const uint64_t now = cluster_.now_cycle();
    // ACKs landing now act before events due now, so an event in the same cycle raises the line again (not lost).
    while (!acks_.empty() && acks_.front().cycle <= now) {
        Channel& ch = channels_[acks_.front().channel];
        acks_.pop_front();
        --ch.acks_in_flight;
        if (ch.config.level) drive(ch, false);
    }
    uint64_t next = acks_.empty() ? kNever : acks_.front().cycle;
    for (Channel& ch : channels_) {
        // An edge pulse lasts one cycle; an event in the cycle it falls makes a new rising edge at once.
        if (ch.pulse_end <= now) {
            drive(ch, false);
            ch.pulse_end = kNever;
        }
        while (ch.next <= now) raise_event(ch, now);  // once: events are at least a cycle apart
        next = std::min({next, ch.pulse_end, ch.next});
    }
    if (next != kNever && next - now <= horizon_) update_event_.notify_at(next);
}

}  // namespace oobsim

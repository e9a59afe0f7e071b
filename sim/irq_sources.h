// Programmable IRQ sources: scenario stimulus for interrupt-driven firmware. Each channel raises one GIC shared
// peripheral interrupt (SPI) at cycles the simulator side programs (one-shot, periodic, bursts, seeded random);
// firmware sees and acknowledges them through registers. Register layout in memory_map.h, behaviour and the string
// syntax in docs/irq-sources.md.
//
// The configuration, its string form and the arrival times are in irq_source_config.h (plain C++, unit-tested).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "irq_source_config.h"
#include "models/cpu/cluster.h"
#include "register_device.h"

namespace oobsim {

class IrqController;

// Tracing (sim/trace): a channel's output changed at `cycle` (before the wired OR of channels sharing an SPI).
class IrqSourceObserver {
public:
    virtual ~IrqSourceObserver() = default;
    virtual void on_source_line(uint64_t cycle, unsigned channel, unsigned spi, bool level) = 0;
};

// The device: `channels` channels, each driving one SPI through the IrqController. Channels do nothing until
// configured. Channels may share an SPI: the line the GIC sees is the OR of their outputs.
class IrqSources : public RegisterDevice {
public:
    // `gic` may be null (the lines are then not driven; registers still work). `num_spis`: the GIC's SPI count.
    // Throws std::invalid_argument when `channels` exceeds OOBSIM_IRQSRC_MAX_CHANNELS or num_spis exceeds 988.
    IrqSources(sc_core::sc_module_name name, Cluster& cluster, IrqController* gic, unsigned channels,
               unsigned num_spis);

    // Programs one channel; before the simulation starts only. Throws std::invalid_argument (channel or SPI out of
    // range, inconsistent parameters) or std::logic_error (called once the simulation runs).
    void configure(unsigned channel, const IrqSourceConfig& config);

    unsigned channels() const { return unsigned(channels_.size()); }
    void set_observer(IrqSourceObserver* observer) { observer_ = observer; }
    unsigned num_spis() const { return num_spis_; }
    // For reports: the resolved configuration and what happened so far.
    bool configured(unsigned channel) const { return channels_.at(channel).configured; }
    const IrqSourceConfig& config(unsigned channel) const { return channels_.at(channel).config; }
    uint64_t event_count(unsigned channel) const { return channels_.at(channel).count; }
    uint64_t overruns(unsigned channel) const { return channels_.at(channel).overruns; }

private:
    struct Channel {
        IrqSourceConfig config;
        bool configured = false;
        std::optional<IrqArrivals> arrivals;
        uint64_t next = IrqArrivals::kNever;       // cycle of the next event
        uint64_t pulse_end = IrqArrivals::kNever;  // edge: cycle at which the pulse falls
        bool line = false;
        unsigned acks_in_flight = 0;
        uint64_t count = 0, overruns = 0, last_cycle = 0;
    };
    struct PendingAck {
        uint64_t cycle;
        unsigned channel;
    };

    void add_channel_registers(unsigned k);
    uint32_t status(const Channel& ch) const;
    void ack(unsigned k);
    void start_of_simulation() override;
    void update();  // the device event: lands ACKs, ends pulses, raises events, schedules the next change
    void raise_event(Channel& ch, uint64_t now);
    void drive(Channel& ch, bool level);

    Cluster& cluster_;
    IrqController* gic_;
    unsigned num_spis_;
    std::vector<Channel> channels_;      // sized once: the register callbacks hold references into it
    std::vector<unsigned> spi_drivers_;  // per SPI (ID - 32): how many channels hold it high (the wired OR)
    std::deque<PendingAck> acks_;        // in cycle order
    bool started_ = false;
    uint64_t horizon_ = 0;  // events further ahead (in cycles) than SystemC time can express are never scheduled
    DeviceEvent update_event_;
    IrqSourceObserver* observer_ = nullptr;
};

}  // namespace oobsim

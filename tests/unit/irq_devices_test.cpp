// The per-CPU timers' GIC mode and the programmable IRQ sources, on a real cluster and SystemC kernel, with a fake
// interrupt controller that records every line change with its cycle.
//
// One process can elaborate SystemC only once, so one simulation runs every scenario (on different CPUs and
// channels) the first time a test asks for it; the tests then check what it recorded. Two harts spin on `j .` so the
// cluster's scheduler runs as in a real simulation (fast mode, and reference mode in device_tests_reference); a test
// thread plays the firmware through the devices' sockets at chosen cycles.
#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/cpu/cluster.h"
#include "sim/devices.h"
#include "sim/irq.h"
#include "sim/irq_sources.h"
#include "sim/memory_map.h"
#include "sim/ram.h"
#include "sim/router.h"

namespace oobsim {
namespace {

using namespace sc_core;

// Built twice (tests/CMakeLists.txt): both scheduling modes must give the devices the same cycles.
#ifdef OOBSIM_TEST_REFERENCE_MODE
constexpr SchedMode kMode = SchedMode::Reference;
#else
constexpr SchedMode kMode = SchedMode::Fast;
#endif

struct LineChange {
    uint64_t cycle;
    unsigned cpu;  // PPIs only
    unsigned id;
    bool level;
    bool operator==(const LineChange& o) const {
        return cycle == o.cycle && cpu == o.cpu && id == o.id && level == o.level;
    }
};

std::ostream& operator<<(std::ostream& os, const LineChange& c) {
    return os << "{" << c.cycle << ", cpu " << c.cpu << ", id " << c.id << ", " << c.level << "}";
}

class RecordingGic : public IrqController {
public:
    explicit RecordingGic(const Cluster*& cluster) : cluster_(cluster) {}
    void set_spi(unsigned id, bool level) override { spis.push_back({cluster_->now_cycle(), 0, id, level}); }
    void set_ppi(unsigned cpu, unsigned id, bool level) override {
        ppis.push_back({cluster_->now_cycle(), cpu, id, level});
    }
    std::vector<LineChange> spis, ppis;

    std::vector<LineChange> spi_changes(unsigned id) const {
        std::vector<LineChange> v;
        for (const LineChange& c : spis)
            if (c.id == id) v.push_back(c);
        return v;
    }
    std::vector<LineChange> ppi_changes(unsigned cpu) const {
        std::vector<LineChange> v;
        for (const LineChange& c : ppis)
            if (c.cpu == cpu) v.push_back(c);
        return v;
    }

private:
    const Cluster*& cluster_;
};

// What the scripted firmware saw: register values read at given cycles, and access results.
struct Observed {
    std::vector<std::pair<std::string, uint32_t>> reads;
    uint32_t value(const std::string& what) const {
        for (const auto& [name, v] : reads)
            if (name == what) return v;
        ADD_FAILURE() << "no read named " << what;
        return 0xdeadbeef;
    }
    bool late_configure_refused = false;
    bool bad_offset_refused = false, misaligned_refused = false;
    uint32_t mip0_at_1001 = 0, mip1_at_4001 = 0, mip1_at_3001 = 0;
};

class Harness : public sc_module {
public:
    tlm_utils::simple_initiator_socket<Harness> timer_port, irqsrc_port;

    Harness(sc_module_name name, Cluster& cluster, Timers& timers, IrqSources& sources, Observed& seen)
        : sc_module(name),
          timer_port("timer_port"),
          irqsrc_port("irqsrc_port"),
          cluster_(cluster),
          sources_(sources),
          seen_(seen) {
        timer_port.bind(timers.socket);
        irqsrc_port.bind(sources.socket);
        SC_HAS_PROCESS(Harness);
        SC_THREAD(script);
    }

private:
    void at(uint64_t cycle) {
        const sc_time t = cluster_.cycles_to_time(cycle);
        ASSERT_GE(t, sc_time_stamp()) << "the script goes back in time at cycle " << cycle;
        wait(t - sc_time_stamp());
    }
    bool access(tlm_utils::simple_initiator_socket<Harness>& port, bool write, uint32_t offset, uint32_t* value,
                unsigned len = 4) {
        tlm::tlm_generic_payload t;
        uint8_t bytes[4];
        std::memcpy(bytes, value, 4);
        t.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        t.set_address(offset);
        t.set_data_ptr(bytes);
        t.set_data_length(len);
        t.set_streaming_width(len);
        sc_time delay = SC_ZERO_TIME;
        port->b_transport(t, delay);
        if (!write) std::memcpy(value, bytes, 4);
        return t.is_response_ok();
    }
    void write(tlm_utils::simple_initiator_socket<Harness>& port, uint32_t offset, uint32_t v) {
        EXPECT_TRUE(access(port, true, offset, &v)) << "write to 0x" << std::hex << offset;
    }
    uint32_t read(tlm_utils::simple_initiator_socket<Harness>& port, uint32_t offset) {
        uint32_t v = 0;
        EXPECT_TRUE(access(port, false, offset, &v)) << "read of 0x" << std::hex << offset;
        return v;
    }
    void note(const std::string& what, uint32_t v) { seen_.reads.push_back({what, v}); }
    static uint32_t timer(unsigned cpu, uint32_t reg) { return cpu * OOBSIM_TIMER_STRIDE + reg; }
    static uint32_t chan(unsigned k, uint32_t reg) { return k * OOBSIM_IRQSRC_STRIDE + reg; }

    void script();

    Cluster& cluster_;
    IrqSources& sources_;
    Observed& seen_;
};

// Cycle by cycle, what the firmware does; the comments say what the devices must do in response.
void Harness::script() {
    // Timers. CPU 0: one-shot GIC mode at 1000. CPU 1: periodic from 2000 every 500. Writes land 10 cycles later.
    at(100);
    write(timer_port, timer(0, OOBSIM_TIMER_CMP_HI), 0);
    write(timer_port, timer(0, OOBSIM_TIMER_CMP_LO), 1000);
    write(timer_port, timer(0, OOBSIM_TIMER_CTRL), OOBSIM_TIMER_CTRL_ENABLE);
    write(timer_port, timer(1, OOBSIM_TIMER_CMP_HI), 0);
    write(timer_port, timer(1, OOBSIM_TIMER_CMP_LO), 2000);
    write(timer_port, timer(1, OOBSIM_TIMER_RELOAD), 500);
    write(timer_port, timer(1, OOBSIM_TIMER_CTRL), OOBSIM_TIMER_CTRL_ENABLE | OOBSIM_TIMER_CTRL_PERIODIC | 0xfc);
    note("t1.ctrl", read(timer_port, timer(1, OOBSIM_TIMER_CTRL)));
    note("t0.status@105", read(timer_port, timer(0, OOBSIM_TIMER_STATUS)));

    // IRQ sources: a late configure is refused; registers and bus errors.
    try {
        sources_.configure(0, IrqSourceConfig());
    } catch (const std::logic_error&) {
        seen_.late_configure_refused = true;
    }
    note("channels", read(irqsrc_port, OOBSIM_IRQSRC_CHANNELS));
    note("ch5.spi", read(irqsrc_port, chan(5, OOBSIM_IRQSRC_SPI)));
    note("ch2.spi", read(irqsrc_port, chan(2, OOBSIM_IRQSRC_SPI)));
    uint32_t v = 0;
    seen_.bad_offset_refused = !access(irqsrc_port, false, chan(0, 0x1c), &v);
    seen_.misaligned_refused = !access(irqsrc_port, false, chan(0, OOBSIM_IRQSRC_COUNT) + 2, &v);
    write(irqsrc_port, chan(0, OOBSIM_IRQSRC_COUNT), 99);  // read-only: ignored

    at(150);
    note("ch1.status@150", read(irqsrc_port, chan(1, OOBSIM_IRQSRC_STATUS)));
    // Channel 1 (level, events at 100, 400, 700): an ACK landing at 400, the cycle of the next event.
    at(390);
    write(irqsrc_port, chan(1, OOBSIM_IRQSRC_ACK), 1);
    note("ch1.status@390", read(irqsrc_port, chan(1, OOBSIM_IRQSRC_STATUS)));
    at(800);                                            // the event at 700 found the line high: an overrun
    write(irqsrc_port, chan(1, OOBSIM_IRQSRC_ACK), 1);  // lands at 810
    at(900);
    note("ch1.status@900", read(irqsrc_port, chan(1, OOBSIM_IRQSRC_STATUS)));
    note("ch1.count", read(irqsrc_port, chan(1, OOBSIM_IRQSRC_COUNT)));
    note("ch1.overrun", read(irqsrc_port, chan(1, OOBSIM_IRQSRC_OVERRUN)));
    note("ch1.last", read(irqsrc_port, chan(1, OOBSIM_IRQSRC_LAST_CYCLE_LO)));
    note("ch0.count", read(irqsrc_port, chan(0, OOBSIM_IRQSRC_COUNT)));
    note("ch0.last", read(irqsrc_port, chan(0, OOBSIM_IRQSRC_LAST_CYCLE_LO)));
    note("ch0.status", read(irqsrc_port, chan(0, OOBSIM_IRQSRC_STATUS)));

    at(1001);
    seen_.mip0_at_1001 = cluster_.hart(0).mip();  // the legacy MTIP still follows CMP
    at(1150);
    note("ch2.status@1150", read(irqsrc_port, chan(2, OOBSIM_IRQSRC_STATUS)));
    at(1200);
    note("t0.status@1200", read(timer_port, timer(0, OOBSIM_TIMER_STATUS)));
    at(1500);
    write(timer_port, timer(0, OOBSIM_TIMER_STATUS), OOBSIM_TIMER_STATUS_FIRED);  // PPI falls at 1510
    note("t0.status@1500", read(timer_port, timer(0, OOBSIM_TIMER_STATUS)));
    at(1600);
    note("t0.status@1600", read(timer_port, timer(0, OOBSIM_TIMER_STATUS)));
    note("ch2.overrun", read(irqsrc_port, chan(2, OOBSIM_IRQSRC_OVERRUN)));
    note("ch2.count", read(irqsrc_port, chan(2, OOBSIM_IRQSRC_COUNT)));

    at(2001);
    note("t1.cmp@2001", read(timer_port, timer(1, OOBSIM_TIMER_CMP_LO)));  // advanced by RELOAD
    at(2100);
    write(timer_port, timer(1, OOBSIM_TIMER_STATUS), 1);  // falls at 2110; fires again at 2500 and 3000
    at(3001);
    seen_.mip1_at_3001 = cluster_.hart(1).mip();  // periodic: CMP is always ahead, so no MTIP
    at(3490);
    write(timer_port, timer(1, OOBSIM_TIMER_STATUS), 1);  // lands at 3500, the cycle it fires again: stays high
    at(3600);
    write(timer_port, timer(1, OOBSIM_TIMER_CTRL), 0);  // PPI falls at 3610; CMP stays 4000
    at(3700);
    note("t1.status@3700", read(timer_port, timer(1, OOBSIM_TIMER_STATUS)));
    note("t1.cmp@3700", read(timer_port, timer(1, OOBSIM_TIMER_CMP_LO)));
    at(4001);
    seen_.mip1_at_4001 = cluster_.hart(1).mip();

    // Channels 5 and 6 share SPI 40 (level, events at 4000 and 4100): it falls only when both are acknowledged.
    at(4200);
    write(irqsrc_port, chan(5, OOBSIM_IRQSRC_ACK), 1);
    at(4250);
    note("ch5.status@4250", read(irqsrc_port, chan(5, OOBSIM_IRQSRC_STATUS)));
    at(4300);
    write(irqsrc_port, chan(6, OOBSIM_IRQSRC_ACK), 1);

    // Timer 0 again: disable, then enable with CMP (1000) long past: it fires as soon as the enable lands.
    at(4500);
    write(timer_port, timer(0, OOBSIM_TIMER_CTRL), 0);
    at(4600);
    write(timer_port, timer(0, OOBSIM_TIMER_CTRL), OOBSIM_TIMER_CTRL_ENABLE);

    at(25000);
    note("ch7.count", read(irqsrc_port, chan(7, OOBSIM_IRQSRC_COUNT)));
    note("ch7.last", read(irqsrc_port, chan(7, OOBSIM_IRQSRC_LAST_CYCLE_LO)));
    note("ch7.last_hi", read(irqsrc_port, chan(7, OOBSIM_IRQSRC_LAST_CYCLE_HI)));
    note("ch7.status", read(irqsrc_port, chan(7, OOBSIM_IRQSRC_STATUS)));
}

IrqSourceConfig parsed(const std::string& text) {
    return parse_irq_source(text).config;
}

struct Simulation {
    const Cluster* cluster_ptr = nullptr;
    RecordingGic gic{cluster_ptr};
    Observed seen;
    std::string configure_errors[3];
    RunOutcome outcome;
    unsigned long ignored_writes = 0;

    Simulation() {
        TimingProfile timing;  // irq_write_latency 10
        Cluster cluster("cluster", 2, timing, kMode, 30000);
        cluster_ptr = &cluster;
        Router bus("bus");
        Ram ram("ram", 0x10000);
        const uint32_t j_self = 0x0000006f;  // j .
        std::memcpy(ram.data(), &j_self, 4);
        cluster.socket.bind(bus.target);
        bus.map(OOBSIM_RAM_BASE, ram.size(), "RAM", ram.socket);
        cluster.set_entry(OOBSIM_RAM_BASE);

        Timers timers("timers", cluster, &gic);
        IrqSources sources("irqsrc", cluster, &gic, 8, 16);
        sources.configure(0, parsed("mode=oneshot,at=500"));
        sources.configure(1, parsed("mode=periodic,period=300,phase=100,level,limit=3"));
        sources.configure(2, parsed("mode=periodic,period=100,phase=1000,level,limit=3"));
        sources.configure(3, parsed("mode=burst,count=3,gap=2,every=50,start=2000,limit=6"));
        sources.configure(4, parsed("mode=periodic,period=1,start=3000,limit=3"));
        sources.configure(5, parsed("mode=oneshot,at=4000,level,spi=40"));
        sources.configure(6, parsed("mode=oneshot,at=4100,level,spi=40"));
        sources.configure(7, parsed("mode=random,dist=exp,mean=5000,seed=7,limit=3,spi=39"));
        configure_errors[0] = error_of([&] { sources.configure(8, parsed("mode=oneshot,at=1")); });
        configure_errors[1] = error_of([&] { sources.configure(3, parsed("mode=oneshot,at=1,spi=48")); });
        configure_errors[2] = error_of([&] {
            IrqSourceConfig c;
            c.mode = IrqSourceConfig::Periodic;
            sources.configure(3, c);
        });
        Harness harness("harness", cluster, timers, sources, seen);
        sc_start();
        outcome = cluster.outcome();
        ignored_writes = sources.ignored_writes();
        cluster_ptr = nullptr;
    }

    template <typename F>
    static std::string error_of(F f) {
        try {
            f();
        } catch (const std::invalid_argument& e) {
            return e.what();
        }
        return "";
    }
};

const Simulation& sim() {
    static Simulation s;
    return s;
}

using Changes = std::vector<LineChange>;

TEST(IrqDevices, RunsToTheCycleLimit) {
    EXPECT_EQ(sim().outcome.kind, RunOutcome::MaxCycles) << sim().outcome.message;
}

TEST(TimerGicMode, OneShotFiresAtExactlyCmpAndClearsAfterTheWriteLatency) {
    // Fires at 1000; the clear written at 1500 lands at 1510; re-enabled at 4600 with CMP past: fires at 4610.
    EXPECT_EQ(sim().gic.ppi_changes(0), (Changes{{1000, 0, 30, true}, {1510, 0, 30, false}, {4610, 0, 30, true}}));
    EXPECT_EQ(sim().seen.value("t0.status@105"), 0u);
    EXPECT_EQ(sim().seen.value("t0.status@1200"), OOBSIM_TIMER_STATUS_FIRED);
    EXPECT_EQ(sim().seen.value("t0.status@1500"), OOBSIM_TIMER_STATUS_FIRED | OOBSIM_TIMER_STATUS_CLEARING);
    EXPECT_EQ(sim().seen.value("t0.status@1600"), 0u);
    EXPECT_TRUE(sim().seen.mip0_at_1001 & kMTIP);
}

TEST(TimerGicMode, PeriodicIsDriftFree) {
    // 2000 fires; cleared at 2110; 2500 fires; 3000 fires while FIRED is still set (no change); the clear landing at
    // 3500 meets the firing at 3500 (stays high); disabling lands at 3610.
    EXPECT_EQ(sim().gic.ppi_changes(1),
              (Changes{{2000, 1, 30, true}, {2110, 1, 30, false}, {2500, 1, 30, true}, {3610, 1, 30, false}}));
    EXPECT_EQ(sim().seen.value("t1.ctrl"), OOBSIM_TIMER_CTRL_ENABLE | OOBSIM_TIMER_CTRL_PERIODIC);
    EXPECT_EQ(sim().seen.value("t1.cmp@2001"), 2500u);
    EXPECT_EQ(sim().seen.value("t1.cmp@3700"), 4000u);
    EXPECT_EQ(sim().seen.value("t1.status@3700"), OOBSIM_TIMER_STATUS_FIRED);  // disabling does not clear FIRED
    EXPECT_FALSE(sim().seen.mip1_at_3001 & kMTIP);
    EXPECT_TRUE(sim().seen.mip1_at_4001 & kMTIP);  // with ENABLE off, CMP stays and MTIP follows it as before
}

TEST(IrqSourcesDevice, Registers) {
    EXPECT_EQ(sim().seen.value("channels"), 8u);
    EXPECT_EQ(sim().seen.value("ch5.spi"), 40u);
    EXPECT_EQ(sim().seen.value("ch2.spi"), 34u);
    EXPECT_TRUE(sim().seen.bad_offset_refused);
    EXPECT_TRUE(sim().seen.misaligned_refused);
    EXPECT_EQ(sim().ignored_writes, 1u);
}

TEST(IrqSourcesDevice, ConfigureChecksRanges) {
    EXPECT_EQ(sim().configure_errors[0], "IRQ source channel 8 is out of range: there are 8 channels (0 to 7)");
    EXPECT_EQ(sim().configure_errors[1],
              "IRQ source channel 3: SPI 48 is out of range: the GIC has 16 SPIs (IDs 32 to 47)");
    EXPECT_NE(sim().configure_errors[2].find("period"), std::string::npos);
    EXPECT_TRUE(sim().seen.late_configure_refused);
}

TEST(IrqSourcesDevice, EdgeOneShotIsAOneCyclePulse) {
    EXPECT_EQ(sim().gic.spi_changes(32), (Changes{{500, 0, 32, true}, {501, 0, 32, false}}));
    EXPECT_EQ(sim().seen.value("ch0.count"), 1u);
    EXPECT_EQ(sim().seen.value("ch0.last"), 500u);
    EXPECT_EQ(sim().seen.value("ch0.status"), 0u);  // edge, line low, no more events
}

TEST(IrqSourcesDevice, LevelLineHeldUntilAckWithOverruns) {
    // Events at 100, 400, 700. The ACK landing at 400 lowers the line just before the event of that cycle raises it
    // again (not an overrun); the event at 700 finds it high (an overrun); the ACK written at 800 lands at 810.
    EXPECT_EQ(sim().gic.spi_changes(33),
              (Changes{{100, 0, 33, true}, {400, 0, 33, false}, {400, 0, 33, true}, {810, 0, 33, false}}));
    const uint32_t line = OOBSIM_IRQSRC_STATUS_LINE, level = OOBSIM_IRQSRC_STATUS_LEVEL;
    const uint32_t active = OOBSIM_IRQSRC_STATUS_ACTIVE, acking = OOBSIM_IRQSRC_STATUS_ACK_PENDING;
    EXPECT_EQ(sim().seen.value("ch1.status@150"), line | level | active);
    EXPECT_EQ(sim().seen.value("ch1.status@390"), line | level | active | acking);
    EXPECT_EQ(sim().seen.value("ch1.status@900"), level);
    EXPECT_EQ(sim().seen.value("ch1.count"), 3u);
    EXPECT_EQ(sim().seen.value("ch1.overrun"), 1u);
    EXPECT_EQ(sim().seen.value("ch1.last"), 700u);
}

TEST(IrqSourcesDevice, NeverAcknowledgedLevelLineCountsOverruns) {
    EXPECT_EQ(sim().gic.spi_changes(34), (Changes{{1000, 0, 34, true}}));
    EXPECT_EQ(sim().seen.value("ch2.status@1150"),
              OOBSIM_IRQSRC_STATUS_LINE | OOBSIM_IRQSRC_STATUS_LEVEL | OOBSIM_IRQSRC_STATUS_ACTIVE);
    EXPECT_EQ(sim().seen.value("ch2.count"), 3u);
    EXPECT_EQ(sim().seen.value("ch2.overrun"), 2u);
}

TEST(IrqSourcesDevice, Bursts) {
    Changes want;
    for (uint64_t t : {2000, 2002, 2004, 2050, 2052, 2054}) {
        want.push_back({t, 0, 35, true});
        want.push_back({t + 1, 0, 35, false});
    }
    EXPECT_EQ(sim().gic.spi_changes(35), want);
}

TEST(IrqSourcesDevice, BackToBackEdgesFallAndRiseInOneCycle) {
    EXPECT_EQ(sim().gic.spi_changes(36), (Changes{{3000, 0, 36, true},
                                                  {3001, 0, 36, false},
                                                  {3001, 0, 36, true},
                                                  {3002, 0, 36, false},
                                                  {3002, 0, 36, true},
                                                  {3003, 0, 36, false}}));
}

TEST(IrqSourcesDevice, SharedSpiIsTheOrOfItsChannels) {
    EXPECT_EQ(sim().gic.spi_changes(40), (Changes{{4000, 0, 40, true}, {4310, 0, 40, false}}));
    EXPECT_EQ(sim().seen.value("ch5.status@4250"), OOBSIM_IRQSRC_STATUS_LEVEL);  // its own line is low
}

TEST(IrqSourcesDevice, RandomArrivalsAtTheReferenceCycles) {
    // tests/scripts/irq_arrivals_reference.py: exp, mean 5000, seed 7 -> 7020, 21929, 22553.
    EXPECT_EQ(sim().gic.spi_changes(39), (Changes{{7020, 0, 39, true},
                                                  {7021, 0, 39, false},
                                                  {21929, 0, 39, true},
                                                  {21930, 0, 39, false},
                                                  {22553, 0, 39, true},
                                                  {22554, 0, 39, false}}));
    EXPECT_EQ(sim().seen.value("ch7.count"), 3u);
    EXPECT_EQ(sim().seen.value("ch7.last"), 22553u);
    EXPECT_EQ(sim().seen.value("ch7.last_hi"), 0u);
    EXPECT_EQ(sim().seen.value("ch7.status"), 0u);
}

TEST(IrqSourcesDevice, UnconfiguredChannelsAndUnusedSpisStayQuiet) {
    for (const LineChange& c : sim().gic.spis)
        EXPECT_TRUE(c.id == 32 || c.id == 33 || c.id == 34 || c.id == 35 || c.id == 36 || c.id == 39 || c.id == 40)
            << c;
}

}  // namespace
}  // namespace oobsim

// SystemC's own main() calls sc_main, which runs the tests.
int sc_main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}

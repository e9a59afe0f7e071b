// The events oobsim traces (docs/observability.md): every trace HINT the firmware executes and what the hardware does
// around interrupts, each with the cycle, the CPU and up to three arguments. Plain C++, no SystemC: the writers and
// the metrics (this directory) consume a stream of these, and unit tests make synthetic streams.
#pragma once

#include <cstdint>

namespace oobsim::trace {

constexpr uint16_t kNoCpu = 0xffff;  // a device-side event that belongs to no core (an SPI line, an IRQ source)

enum class Kind : uint8_t {
    Hint,     // cpu: a = hint id (0..2047), b = value (rs1)
    Trap,     // cpu: a = mcause, b = mepc (the interrupted or faulting pc), c = mtval
    Mret,     // cpu: a = pc of the MRET, b = the pc it returns to
    Mie,      // cpu: a = mstatus.MIE after the change (hard irqs enabled)
    Sleep,    // cpu: WFI put the core to sleep
    Wake,     // cpu: an interrupt woke the core
    CoreIrq,  // cpu: a = mip bit number (3 MSIP, 7 MTIP, 11 MEIP), b = level
    Line,     // cpu = the PPI's CPU, or kNoCpu for an SPI: a = interrupt ID, b = level of the GIC input line
    Pending,  // cpu = the banked CPU of an SGI/PPI, or kNoCpu for an SPI: a = interrupt ID, b = pending at the GIC
    Active,   // idem: b = active at the GIC
    Iar,      // cpu: a = the raw GICC_IAR value read (ID [9:0], SGI source [12:10]; ID 1023: spurious)
    Eoir,     // cpu: a = the raw GICC_EOIR value written
    Sgi,      // cpu = the sender: a = SGI ID, b = mask of the CPUs it went to
    Source,   // kNoCpu: a = IRQ-source channel, b = its output level, c = the SPI it drives
};

struct Event {
    uint64_t cycle = 0;
    Kind kind = Kind::Hint;
    uint16_t cpu = kNoCpu;
    uint32_t a = 0, b = 0, c = 0;
};

inline Event make_event(uint64_t cycle, Kind kind, uint16_t cpu, uint32_t a = 0, uint32_t b = 0, uint32_t c = 0) {
    Event e;
    e.cycle = cycle;
    e.kind = kind;
    e.cpu = cpu;
    e.a = a;
    e.b = b;
    e.c = c;
    return e;
}

// mip bit numbers of Kind::CoreIrq.
constexpr uint32_t kBitMsip = 3, kBitMtip = 7, kBitMeip = 11;

// Pieces of a raw GICC_IAR / GICC_EOIR value.
inline uint32_t iar_id(uint32_t raw) { return raw & 0x3ff; }
inline uint32_t iar_source(uint32_t raw) { return (raw >> 10) & 7; }

// Picoseconds per cycle -> "12.345678" microseconds (exact: the trace formats print no rounded time).
struct Clock {
    uint64_t cycle_ps = 1000;
    uint64_t clock_hz = 1000000000;
    double ns(uint64_t cycles) const { return double(cycles) * double(cycle_ps) / 1000.0; }
};

}  // namespace oobsim::trace

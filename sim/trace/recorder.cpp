#include "recorder.h"

#include "sim/platform.h"

namespace oobsim::trace {

namespace {
uint32_t bit_number(uint32_t mip_bit) { return unsigned(__builtin_ctz(mip_bit)); }
}  // namespace

void Recorder::attach(Platform& platform) {
    platform.cluster().set_cpu_observer(this);
    platform.cluster().set_irq_observer(this);
    if (Gic* gic = platform.gic()) gic->set_observer(this);
    platform.irq_sources().set_observer(this);
}

void Recorder::on_hint(unsigned cpu, uint64_t cycle, uint32_t id, uint32_t value) {
    push(1 + cpu, cycle, Kind::Hint, uint16_t(cpu), id, value);
}

void Recorder::on_trap(unsigned cpu, uint64_t cycle, uint32_t mcause, uint32_t epc, uint32_t tval) {
    push(1 + cpu, cycle, Kind::Trap, uint16_t(cpu), mcause, epc, tval);
}

void Recorder::on_mret(unsigned cpu, uint64_t cycle, uint32_t pc, uint32_t target) {
    push(1 + cpu, cycle, Kind::Mret, uint16_t(cpu), pc, target);
}

void Recorder::on_mie(unsigned cpu, uint64_t cycle, bool enabled) {
    push(1 + cpu, cycle, Kind::Mie, uint16_t(cpu), enabled);
}

void Recorder::on_sleep(unsigned cpu, uint64_t cycle) { push(1 + cpu, cycle, Kind::Sleep, uint16_t(cpu)); }

// A wake-up is the effect of a device event (an interrupt input changed), not of an instruction.
void Recorder::on_wake(unsigned cpu, uint64_t cycle) { push(0, cycle, Kind::Wake, uint16_t(cpu)); }

void Recorder::on_core_irq(unsigned cpu, uint64_t cycle, uint32_t bit, bool level) {
    push(0, cycle, Kind::CoreIrq, uint16_t(cpu), bit_number(bit), level);
}

void Recorder::on_gic(const GicTraceEvent& e) {
    const unsigned origin = e.origin < 0 ? 0 : 1 + unsigned(e.origin);
    const uint16_t cpu = e.cpu < 0 ? kNoCpu : uint16_t(e.cpu);
    switch (e.kind) {
    case GicTraceEvent::Line: push(origin, e.cycle, Kind::Line, cpu, e.id, e.value); break;
    case GicTraceEvent::Pending: push(origin, e.cycle, Kind::Pending, cpu, e.id, e.value); break;
    case GicTraceEvent::Active: push(origin, e.cycle, Kind::Active, cpu, e.id, e.value); break;
    case GicTraceEvent::Ack: push(origin, e.cycle, Kind::Iar, cpu, e.id); break;
    case GicTraceEvent::Eoi: push(origin, e.cycle, Kind::Eoir, cpu, e.id); break;
    case GicTraceEvent::Sgi: push(origin, e.cycle, Kind::Sgi, cpu, e.id, e.value); break;
    }
}

void Recorder::on_source_line(uint64_t cycle, unsigned channel, unsigned spi, bool level) {
    push(0, cycle, Kind::Source, kNoCpu, channel, level, spi);
}

}  // namespace oobsim::trace

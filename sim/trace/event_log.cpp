#include "event_log.h"

#include <cinttypes>
#include <stdexcept>

#include "text.h"

namespace oobsim::trace {

namespace {
const char* core_irq_name(uint32_t bit) {
    switch (bit) {
    case kBitMsip: return "msip";
    case kBitMtip: return "mtip";
    case kBitMeip: return "meip";
    default: return "mip";
    }
}

// Writes "CYCLE CPU NAME args" for `e` at p (at most about 160 characters) and returns the end.
char* format_into(char* p, const Event& e, const HintTable& hints) {
    using namespace text;
    p = put_dec(p, e.cycle);
    p = put(p, ' ');
    p = e.cpu == kNoCpu ? put(p, '-') : put_dec(p, e.cpu);
    p = put(p, ' ');
    auto kv = [&](const char* key, uint64_t v) {
        p = put(p, ' ');
        p = put(p, key);
        p = put_dec(p, v);
    };
    auto kx = [&](const char* key, uint32_t v, int digits) {
        p = put(p, ' ');
        p = put(p, key);
        p = put_hex(p, v, digits);
    };
    switch (e.kind) {
    case Kind::Hint: {
        const HintTable::Info& info = hints.info(e.a);
        p = put(p, info.label.empty() ? "hint" : info.label.c_str());
        kv("id=", e.a);
        kv("value=", e.b);
        break;
    }
    case Kind::Trap:
        p = put(p, "trap");
        kx("cause=", e.a, 8);
        kx("epc=", e.b, 8);
        kx("tval=", e.c, 8);
        break;
    case Kind::Mret:
        p = put(p, "mret");
        kx("pc=", e.a, 8);
        kx("target=", e.b, 8);
        break;
    case Kind::Mie:
        p = put(p, "mie");
        kv("level=", e.a);
        break;
    case Kind::Sleep: p = put(p, "wfi"); break;
    case Kind::Wake: p = put(p, "wake"); break;
    case Kind::CoreIrq:
        p = put(p, core_irq_name(e.a));
        kv("level=", e.b);
        break;
    case Kind::Line:
    case Kind::Pending:
    case Kind::Active:
        p = put(p, e.kind == Kind::Line ? "line" : e.kind == Kind::Pending ? "pending" : "active");
        kv("irq=", e.a);
        kv("level=", e.b);
        break;
    case Kind::Iar:
    case Kind::Eoir:
        p = put(p, e.kind == Kind::Iar ? "iar" : "eoir");
        kv("irq=", iar_id(e.a));
        kv("src=", iar_source(e.a));
        kx("raw=", e.a, 1);
        break;
    case Kind::Sgi:
        p = put(p, "sgi_send");
        kv("sgi=", e.a);
        kx("targets=", e.b, 1);
        break;
    case Kind::Source:
        p = put(p, "source");
        kv("channel=", e.a);
        kv("spi=", e.c);
        kv("level=", e.b);
        break;
    }
    return p;
}
}  // namespace

EventLogWriter::EventLogWriter(const std::string& path, const HintTable& hints, const Clock& clock, unsigned ncpus)
    : f_(std::fopen(path.c_str(), "w")), hints_(hints) {
    if (!f_) throw std::runtime_error("cannot write the event log " + path);
    std::setvbuf(f_, nullptr, _IOFBF, 1 << 20);
    std::fprintf(f_,
                 "# oobsim event log: CYCLE CPU EVENT [KEY=VALUE ...], in time order (docs/observability.md)\n"
                 "# clock_hz=%" PRIu64 " cycle_ps=%" PRIu64 " cpus=%u\n",
                 clock.clock_hz, clock.cycle_ps, ncpus);
}

EventLogWriter::~EventLogWriter() {
    if (f_) std::fclose(f_);
}

std::string EventLogWriter::format(const Event& e, const HintTable& hints) {
    char buf[256];
    return std::string(buf, format_into(buf, e, hints));
}

void EventLogWriter::event(const Event& e) {
    char buf[256];  // labels are at most 64 characters (HintTable)
    char* end = format_into(buf, e, hints_);
    *end++ = '\n';
    std::fwrite(buf, 1, size_t(end - buf), f_);
}

void EventLogWriter::finish(uint64_t end_cycle) {
    std::fprintf(f_, "%" PRIu64 " - end\n", end_cycle);
    std::fclose(f_);
    f_ = nullptr;
}

}  // namespace oobsim::trace

// The stimulus of the RTL GIC's cycle-by-cycle comparisons with GicState, shared by the test of the C++ (--cc)
// verilation (gic_rtl_equivalence_test.cpp) and that of the SystemC (--sc) one (gic_rtl_systemc_test.cpp): register
// offsets, one cycle's operation (at most one access, any number of line changes), a seeded random stream of them
// and the writes that open every interrupt. Header only: the two tests are separate programs (the two verilations
// must not be linked together: their Verilator runtimes are compiled with and without SystemC).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "models/gic/rtl/gic_rtl_model.h"

namespace oobsim::rtl_test {

namespace rtl = oobsim::rtl;

// Offsets (IHI 0048B tables 4-1, 4-2).
constexpr uint32_t kCtlr = 0x000, kTyper = 0x004, kIsenabler = 0x100, kIcenabler = 0x180, kIspendr = 0x200,
                   kIcpendr = 0x280, kIsactiver = 0x300, kIcactiver = 0x380, kIpriorityr = 0x400, kItargetsr = 0x800,
                   kIcfgr = 0xc00, kSgir = 0xf00, kCpendsgir = 0xf10, kSpendsgir = 0xf20;
constexpr uint32_t kCCtlr = 0x00, kPmr = 0x04, kBpr = 0x08, kIar = 0x0c, kEoir = 0x10, kRpr = 0x14, kHppir = 0x18;
constexpr uint32_t kSpurious = 1023;

struct LineChange {
    unsigned id;   // 16..31: a PPI of `cpu`; 32..: an SPI
    unsigned cpu;
    bool level;
};

inline rtl::Request access(bool write, bool dist, unsigned cpu, uint32_t offset, unsigned size = 4, uint32_t wdata = 0) {
    rtl::Request q;
    q.write = write;
    q.distributor = dist;
    q.cpu = cpu;
    q.offset = offset;
    q.size = size;
    q.wdata = wdata;
    return q;
}

inline std::string describe(const rtl::Request* q, const std::vector<LineChange>& lines) {
    char buf[160];
    std::string s;
    if (q) {
        std::snprintf(buf, sizeof buf, "cpu %u %s %s+0x%x size %u", q->cpu, q->write ? "write" : "read",
                      q->distributor ? "GICD" : "GICC", q->offset, q->size);
        s = buf;
        if (q->write) {
            std::snprintf(buf, sizeof buf, " = 0x%x", q->wdata);
            s += buf;
        }
    } else {
        s = "no access";
    }
    for (const LineChange& l : lines) {
        s += "; line " + std::to_string(l.id) + (l.id < 32 ? " of cpu " + std::to_string(l.cpu) : "") + " -> " +
             std::to_string(l.level);
    }
    return s;
}

// What GicState made of a cycle's access: the stream needs it to end the interrupts it acknowledged.
struct Outcome {
    bool ok = true;  // not refused
    uint32_t value = 0;
    rtl::Misuse misuse = rtl::Misuse::None;
};

struct Op {
    bool has_access = false;
    rtl::Request request;
    std::vector<LineChange> lines;
};

// Operations that make interrupts flow: a small set of "hot" IDs (so priorities tie, interrupts nest, lines and
// registers collide), IAR reads and mostly well-ordered EOIs, every register written now and then, and a share of
// misuse and of accesses anywhere with any size.
class RandomStream {
public:
    RandomStream(uint64_t seed, unsigned ncpus, unsigned nspis)
        : rng_(seed), ncpus_(ncpus), nspis_(nspis), acked_(ncpus), ppi_level_(ncpus * 16, false),
          spi_level_(nspis, false) {
        for (unsigned i = 0; i < std::min(nspis, 12u); ++i) hot_spis_.push_back(32 + i);
        for (unsigned i = nspis > 16 ? nspis - 4 : nspis; i < nspis; ++i) hot_spis_.push_back(32 + i);
    }

    // What GicState did with the previous operation (IAR values to end later).
    void observe(const Op& op, const Outcome& r) {
        if (!op.has_access || !r.ok) return;
        const rtl::Request& q = op.request;
        if (!q.distributor && q.offset == kIar && !q.write && q.size == 4 && (r.value & 0x3ff) < 1020)
            acked_[q.cpu].push_back(r.value);
        if (!q.distributor && q.offset == kEoir && q.write && q.size == 4 && (q.wdata & 0x3ff) < 1020 &&
            r.misuse == rtl::Misuse::None && !acked_[q.cpu].empty())
            acked_[q.cpu].pop_back();
    }

    // Every draw from the generator is a statement or an initializer of its own, or one operand of ?: or &&, so the
    // order of draws, and with it the stream of a seed, is the same whatever the compiler and its options (operands
    // of | or of a call are evaluated in an unspecified order).
    Op next() {
        Op op;
        const unsigned kind = u(1000);
        const unsigned c = cpu();  // the accessing CPU
        if (kind < 120) {
            op.has_access = true;  // IAR
            op.request = access(false, false, c, kIar);
        } else if (kind < 220) {
            op.has_access = true;  // EOIR: mostly the running interrupt
            uint32_t v = 0;
            if (u(5) == 0) {
                const uint32_t id = random_id();
                v = id | u(8) << 10;  // any ID, any source
            } else if (u(20) == 0) {
                v = 1020 + u(4);  // special IDs
            } else if (!acked_[c].empty()) {
                v = acked_[c].back();
            }
            op.request = access(true, false, c, kEoir, 4, v);
        } else if (kind < 260) {
            op.has_access = true;
            op.request = access(false, false, c, u(2) ? kHppir : kRpr);
        } else if (kind < 330) {
            op.has_access = true;  // SGIR
            const uint32_t filter = u(12) == 0 ? 3 : u(3);
            const uint32_t list = u(256);
            const uint32_t sgi = u(16);
            const uint32_t reserved_bits = u(4) == 0 ? uint32_t(rng_()) & 0xfc00fff0 : 0;
            op.request = access(true, true, c, kSgir, 4, filter << 24 | list << 16 | sgi | reserved_bits);
        } else if (kind < 560) {
            op.lines = line_changes();  // lines, with an access in the same cycle now and then
            if (u(3) == 0) {
                Op other = next();
                if (other.has_access) {
                    op.has_access = true;
                    op.request = other.request;
                }
            }
        } else if (kind < 670) {
            op.has_access = true;  // enables, pending, active: set or clear, a word of bits
            const uint32_t base = kind < 610   ? (u(2) ? kIsenabler : kIcenabler)
                                  : kind < 650 ? (u(2) ? kIspendr : kIcpendr)
                                               : (u(2) ? kIsactiver : kIcactiver);
            const unsigned w = word();
            op.request = access(true, true, c, base + 4 * w, 4, bits());
        } else if (kind < 720) {
            op.has_access = true;  // priorities: a byte or a word, from a few levels (ties) and anything
            static const uint8_t kLevels[] = {0x00, 0x08, 0x40, 0x80, 0x80, 0xa0, 0xf0, 0xf8};
            auto level = [&]() -> uint32_t { return u(4) ? kLevels[u(8)] : uint8_t(rng_()); };
            const unsigned id = random_id();
            if (u(3)) {
                op.request = access(true, true, c, kIpriorityr + id, 1, level());
            } else {
                const uint32_t l0 = level(), l1 = level(), l2 = level(), l3 = level();
                op.request = access(true, true, c, kIpriorityr + (id & ~3u), 4, l0 | l1 << 8 | l2 << 16 | l3 << 24);
            }
        } else if (kind < 750) {
            op.has_access = true;  // SPI targets
            const unsigned id = u(4) ? random_id() : u(1024);
            if (u(3))
                op.request = access(true, true, c, kItargetsr + id, 1, u(4) ? 1u << cpu() : u(256));
            else
                op.request = access(true, true, c, kItargetsr + (id & ~3u), 4, uint32_t(rng_()));
        } else if (kind < 775) {
            op.has_access = true;  // trigger modes
            const unsigned n = u(4) ? 1 + u(4) : u(64);
            op.request = access(true, true, c, kIcfgr + 4 * n, 4, uint32_t(rng_()));
        } else if (kind < 800) {
            op.has_access = true;  // SGI pending by source
            const uint32_t base = u(2) ? kCpendsgir : kSpendsgir;
            if (u(2)) {
                const unsigned byte = u(16);
                op.request = access(true, true, c, base + byte, 1, u(256));
            } else {
                const unsigned n = u(4);
                op.request = access(true, true, c, base + 4 * n, 4, uint32_t(rng_()));
            }
        } else if (kind < 840) {
            op.has_access = true;  // enables, masks, binary points: mostly letting interrupts through
            switch (u(4)) {
            case 0: op.request = access(true, true, c, kCtlr, 4, u(8) ? 1 : uint32_t(rng_()) & ~1u); break;
            case 1: op.request = access(true, false, c, kCCtlr, 4, u(8) ? 1 : uint32_t(rng_())); break;
            case 2: op.request = access(true, false, c, kPmr, 4, u(4) ? 0xff : uint32_t(rng_())); break;
            default: op.request = access(true, false, c, kBpr, 4, u(8)); break;
            }
        } else if (kind < 930) {
            op.has_access = true;  // a read of any register
            op.request = any_register_read(c);
        } else if (kind < 955) {
            op.has_access = true;  // anything at all: any window, offset, size, CPU, direction
            const bool write = u(2), dist = u(2);
            const unsigned any_cpu = u(ncpus_ + 2);
            const uint32_t offset = u(10) == 0 ? uint32_t(rng_()) : u(0x1004);
            const unsigned size = u(9);
            op.request = access(write, dist, any_cpu, offset, size, uint32_t(rng_()));
        }
        // else: an idle cycle
        return op;
    }

    // SPI pins the configuration does not have, within the RTL build (driven to check the RTL ignores them).
    std::vector<unsigned> masked_pins(unsigned build_spis) {
        std::vector<unsigned> pins;
        if (nspis_ < build_spis && u(50) == 0) pins.push_back(nspis_ + u(build_spis - nspis_));
        return pins;
    }

private:
    unsigned u(unsigned n) { return unsigned(rng_() % n); }
    unsigned cpu() { return u(ncpus_); }
    unsigned word() { return u(5) == 0 ? u(32) : u(std::min(3u, (nspis_ + 31) / 32 + 1)); }
    uint32_t bits() {
        switch (u(4)) {
        case 0: return uint32_t(rng_());
        case 1: return ~0u;
        default: {
            const uint32_t one = 1u << u(32);
            return one | 1u << u(32);
        }
        }
    }
    unsigned random_id() {
        const unsigned k = u(10);
        if (k < 3) return u(16);
        if (k < 5) return 16 + u(16);
        if (k < 9 && !hot_spis_.empty()) return hot_spis_[u(unsigned(hot_spis_.size()))];
        return u(1020);
    }
    std::vector<LineChange> line_changes() {
        std::vector<LineChange> lines;
        const unsigned n = 1 + (u(4) == 0 ? u(3) : 0);
        for (unsigned i = 0; i < n; ++i) {
            if (u(2) || hot_spis_.empty()) {
                const unsigned c = cpu(), k = u(16);
                bool seen = false;
                for (const LineChange& l : lines) seen |= l.id == 16 + k && l.cpu == c;
                if (seen) continue;
                ppi_level_[c * 16 + k] = !ppi_level_[c * 16 + k];
                lines.push_back({16 + k, c, bool(ppi_level_[c * 16 + k])});
            } else {
                const unsigned id = hot_spis_[u(unsigned(hot_spis_.size()))];
                bool seen = false;
                for (const LineChange& l : lines) seen |= l.id == id;
                if (seen) continue;
                spi_level_[id - 32] = !spi_level_[id - 32];
                lines.push_back({id, 0, bool(spi_level_[id - 32])});
            }
        }
        return lines;
    }
    rtl::Request any_register_read(unsigned c) {
        if (u(4) == 0) {
            static const uint32_t kCpuRegs[] = {kCCtlr, kPmr, kBpr, kRpr, kHppir, 0xfc, 0x10};
            return access(false, false, c, kCpuRegs[u(7)]);
        }
        const unsigned k = u(8);
        const uint32_t off = k == 0 ? 4 * u(4)
                             : k < 4 ? 0x100 + 4 * u(160)
                             : k == 4 ? 0x400 + u(0x400)
                             : k == 5 ? 0x800 + u(0x400)
                             : k == 6 ? 0xc00 + 4 * u(64)
                                      : 0xf00 + u(0x100);
        const bool byte = (k == 4 || k == 5 || k == 7) && u(2);
        return access(false, true, c, byte ? off : off & ~3u, byte ? 1 : 4);
    }

    std::mt19937_64 rng_;
    unsigned ncpus_, nspis_;
    std::vector<std::vector<uint32_t>> acked_;  // per CPU: GICC_IAR values not yet ended, as GicState gave them
    std::vector<char> ppi_level_, spi_level_;
    std::vector<unsigned> hot_spis_;
};

// Distributor and CPU interfaces on, nothing masked, every SPI enabled and spread over the CPUs: the state random
// streams start from. The writes, in order, each one cycle's access.
inline std::vector<rtl::Request> opening_writes(unsigned ncpus, unsigned nspis) {
    std::vector<rtl::Request> writes;
    writes.push_back(access(true, true, 0, kCtlr, 4, 1));
    for (unsigned c = 0; c < ncpus; ++c) {
        writes.push_back(access(true, false, c, kCCtlr, 4, 1));
        writes.push_back(access(true, false, c, kPmr, 4, 0xff));
        writes.push_back(access(true, true, c, kIsenabler, 4, 0xffffffff));
    }
    for (unsigned w = 1; w <= (nspis + 31) / 32; ++w)
        writes.push_back(access(true, true, 0, kIsenabler + 4 * w, 4, 0xffffffff));
    for (unsigned id = 32; id < 32 + nspis; ++id)
        writes.push_back(access(true, true, 0, kItargetsr + id, 1, 1u << (id % ncpus)));
    return writes;
}

}  // namespace oobsim::rtl_test

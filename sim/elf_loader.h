// ELF32 RISC-V executables: read, check and describe what to load.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace oobsim {

// What is wrong with a file the user gave; `kind` picks the CLI exit code.
struct ElfError : std::runtime_error {
    enum Kind { Unreadable, NotValid, DoesNotFit } kind;
    ElfError(Kind k, const std::string& message) : std::runtime_error(message), kind(k) {}
};

struct ElfImage {
    struct Segment {
        uint32_t addr;   // physical address (p_paddr)
        uint32_t memsz;  // bytes in memory; those past data.size() are zero
        std::vector<uint8_t> data;
        bool executable;
    };
    std::string path;
    uint32_t entry = 0;
    std::vector<Segment> segments;
    std::map<std::string, uint32_t> symbols;       // from .symtab, if present
    std::map<std::string, uint32_t> symbol_sizes;  // their st_size (bytes of a data object)

    // Throws ElfError(Unreadable) if the file cannot be read, ElfError(NotValid) if it is not a little-endian ELF32
    // RISC-V executable with sane headers (the message says which field and what it holds).
    static ElfImage read(const std::string& path);
    static ElfImage parse(const std::vector<uint8_t>& bytes, const std::string& path);

    // Checks that every segment lies inside [ram_base, ram_base + ram_size) and that the entry point is in a loaded
    // segment (of any flags); `region_name(addr)` names what is at an address outside RAM (a device, or nothing) for the message.
    template <typename NameFn>
    void check_fits(uint32_t ram_base, uint32_t ram_size, NameFn region_name) const;
    bool symbol(const std::string& name, uint32_t* value) const;
};

template <typename NameFn>
void ElfImage::check_fits(uint32_t ram_base, uint32_t ram_size, NameFn region_name) const {
    auto hex = [](uint64_t v) {
        char b[24];
        std::snprintf(b, sizeof b, "0x%08llx", (unsigned long long)v);
        return std::string(b);
    };
    bool entry_loaded = false;
    for (const Segment& s : segments) {
        uint64_t lo = s.addr, hi = uint64_t(s.addr) + s.memsz;  // [lo, hi)
        if (lo < ram_base || hi > uint64_t(ram_base) + ram_size) {
            uint64_t bad = lo < ram_base ? lo : std::max<uint64_t>(lo, uint64_t(ram_base) + ram_size);
            std::string what = region_name(uint32_t(bad));
            throw ElfError(ElfError::DoesNotFit,
                           path + ": segment [" + hex(lo) + ", " + hex(hi) + ") does not fit in RAM [" +
                               hex(ram_base) + ", " + hex(uint64_t(ram_base) + ram_size) + "): " + hex(bad) +
                               (what.empty() ? " is unmapped" : " is " + what));
        }
        if (entry >= lo && entry < hi) entry_loaded = true;  // p_flags are not required: some linkers leave them 0
    }
    for (size_t i = 0; i < segments.size(); ++i)
        for (size_t j = i + 1; j < segments.size(); ++j) {
            const Segment &a = segments[i], &b = segments[j];
            if (a.memsz && b.memsz && a.addr < uint64_t(b.addr) + b.memsz && b.addr < uint64_t(a.addr) + a.memsz)
                throw ElfError(ElfError::DoesNotFit, path + ": segments at " + hex(a.addr) + " and " + hex(b.addr) +
                                                         " overlap");
        }
    if (!entry_loaded)
        throw ElfError(ElfError::DoesNotFit,
                       path + ": entry point " + hex(entry) + " is not inside a loaded segment");
}

}  // namespace oobsim

#include "elf_loader.h"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <iterator>

namespace oobsim {

namespace {

std::string hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "0x%llx", (unsigned long long)v);
    return b;
}

}  // namespace

ElfImage ElfImage::read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ElfError(ElfError::Unreadable, path + ": cannot open file (" + std::strerror(errno) + ")");
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw ElfError(ElfError::Unreadable, path + ": read error");
    return parse(bytes, path);
}

ElfImage ElfImage::parse(const std::vector<uint8_t>& bytes, const std::string& path) {
    auto bad = [&](const std::string& why) { return ElfError(ElfError::NotValid, path + ": " + why); };
    const uint64_t n = bytes.size();
    if (n < EI_NIDENT || std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0) throw bad("not an ELF file (no ELF magic)");
    if (bytes[EI_CLASS] != ELFCLASS32)
        throw bad(std::string("ELF class is ") + (bytes[EI_CLASS] == ELFCLASS64 ? "64-bit" : "invalid") +
                  ", expected 32-bit (RV32)");
    if (bytes[EI_DATA] != ELFDATA2LSB) throw bad("ELF data encoding is not little-endian");
    if (n < sizeof(Elf32_Ehdr)) throw bad("truncated ELF header");
    Elf32_Ehdr eh;
    std::memcpy(&eh, bytes.data(), sizeof eh);
    if (eh.e_machine != EM_RISCV)
        throw bad("ELF machine is " + std::to_string(eh.e_machine) + ", expected RISC-V (" +
                  std::to_string(EM_RISCV) + ")");
    if (eh.e_type != ET_EXEC) throw bad("ELF type is " + std::to_string(eh.e_type) + ", expected an executable (ET_EXEC)");
    if (eh.e_phnum == 0) throw bad("no program headers: nothing to load");
    if (eh.e_phentsize != sizeof(Elf32_Phdr)) throw bad("program header size is " + std::to_string(eh.e_phentsize));
    if (uint64_t(eh.e_phoff) + uint64_t(eh.e_phnum) * sizeof(Elf32_Phdr) > n)
        throw bad("program headers lie past the end of the file");

    ElfImage img;
    img.path = path;
    img.entry = eh.e_entry;
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        Elf32_Phdr ph;
        std::memcpy(&ph, bytes.data() + eh.e_phoff + i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
        if (ph.p_filesz > ph.p_memsz)
            throw bad("segment " + std::to_string(i) + " has file size " + hex(ph.p_filesz) + " > memory size " +
                      hex(ph.p_memsz));
        if (uint64_t(ph.p_offset) + ph.p_filesz > n)
            throw bad("segment " + std::to_string(i) + " data [" + hex(ph.p_offset) + ", " +
                      hex(uint64_t(ph.p_offset) + ph.p_filesz) + ") lies past the end of the file (" + hex(n) +
                      " bytes)");
        if (uint64_t(ph.p_paddr) + ph.p_memsz > 0x100000000ull)
            throw bad("segment " + std::to_string(i) + " wraps past the 4 GiB address space");
        Segment s;
        s.addr = ph.p_paddr;
        s.memsz = ph.p_memsz;
        s.data.assign(bytes.begin() + ph.p_offset, bytes.begin() + ph.p_offset + ph.p_filesz);
        s.executable = (ph.p_flags & PF_X) != 0;
        img.segments.push_back(std::move(s));
    }
    if (img.segments.empty()) throw bad("no loadable (PT_LOAD) segment");

    // Symbols (optional: a stripped executable simply has none).
    if (eh.e_shoff && eh.e_shentsize == sizeof(Elf32_Shdr) &&
        uint64_t(eh.e_shoff) + uint64_t(eh.e_shnum) * sizeof(Elf32_Shdr) <= n) {
        std::vector<Elf32_Shdr> sh(eh.e_shnum);
        std::memcpy(sh.data(), bytes.data() + eh.e_shoff, eh.e_shnum * sizeof(Elf32_Shdr));
        for (const Elf32_Shdr& s : sh) {
            if (s.sh_type != SHT_SYMTAB || s.sh_link >= sh.size()) continue;
            const Elf32_Shdr& str = sh[s.sh_link];
            if (uint64_t(s.sh_offset) + s.sh_size > n || uint64_t(str.sh_offset) + str.sh_size > n) continue;
            for (uint64_t off = s.sh_offset; off + sizeof(Elf32_Sym) <= uint64_t(s.sh_offset) + s.sh_size;
                 off += sizeof(Elf32_Sym)) {
                Elf32_Sym sym;
                std::memcpy(&sym, bytes.data() + off, sizeof sym);
                if (sym.st_name == 0 || sym.st_name >= str.sh_size) continue;
                const char* name = reinterpret_cast<const char*>(bytes.data() + str.sh_offset + sym.st_name);
                size_t maxlen = str.sh_size - sym.st_name;
                std::string key(name, strnlen(name, maxlen));
                if (img.symbols.emplace(key, sym.st_value).second) img.symbol_sizes.emplace(key, sym.st_size);
            }
        }
    }
    return img;
}

bool ElfImage::symbol(const std::string& name, uint32_t* value) const {
    auto it = symbols.find(name);
    if (it == symbols.end()) return false;
    *value = it->second;
    return true;
}

}  // namespace oobsim

// Symbol addresses from an ELF file (a libpython or a statically linked python).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace hotpath {

// One PT_LOAD segment: link-time address range and where its bytes are in the file.
struct ElfLoadSegment {
  uint64_t vaddr = 0;
  uint64_t fileOffset = 0;
  uint64_t fileSize = 0;
};

struct ElfSymbols {
  // Value (link-time virtual address) of each requested symbol that was found.
  std::unordered_map<std::string, uint64_t> values;
  // Address to add to a symbol value to get the address in the target:
  // for ET_DYN the mapping base minus the first PT_LOAD's page-aligned vaddr,
  // for ET_EXEC zero. Filled by loadBias().
  bool sharedObject = false;
  uint64_t firstLoadVaddr = 0;
  std::vector<ElfLoadSegment> loads;

  uint64_t loadBias(uint64_t mappingBase) const {
    return sharedObject ? mappingBase - firstLoadVaddr : 0;
  }
  bool has(const std::string& name) const { return values.count(name) != 0; }

  // The file offset of the byte at link-time address `vaddr`; false when no
  // segment holds it in the file (.bss, or outside every segment).
  bool fileOffsetOf(uint64_t vaddr, uint64_t& offset) const {
    for (const ElfLoadSegment& s : loads) {
      if (vaddr >= s.vaddr && vaddr - s.vaddr < s.fileSize) {
        offset = s.fileOffset + (vaddr - s.vaddr);
        return true;
      }
    }
    return false;
  }
};

// Called with one block of the file's read-only data; returns true to stop.
using ElfDataScan = std::function<bool(const char* data, size_t size)>;

// Reads the ELF at `path` and looks up `names` in .dynsym, then .symtab.
// When `scan` is given, it is then called with each read-only data section
// (.rodata first; the read-only PT_LOAD segments when the file has no section
// headers) until it returns true. One open and one mapping serve both, so a
// file that vanishes meanwhile (the target exited) cannot give half an answer.
// Returns false when the file cannot be read or is not a 64-bit ELF.
bool readElfSymbols(const std::string& path, const std::vector<std::string>& names, ElfSymbols& out,
                    const ElfDataScan& scan = nullptr);

// The bytes of the section named `name` (".AsyncioDebug") in the ELF at `path`; false when the
// file cannot be read, is not a 64-bit ELF, or has no such section with bytes in the file.
bool readElfSection(const std::string& path, const std::string& name, std::vector<uint8_t>& out);

}  // namespace hotpath

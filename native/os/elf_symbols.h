// Symbol addresses from an ELF file (a libpython or a statically linked python).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace hotpath {

struct ElfSymbols {
  // Value (link-time virtual address) of each requested symbol that was found.
  std::unordered_map<std::string, uint64_t> values;
  // Address to add to a symbol value to get the address in the target:
  // for ET_DYN the mapping base minus the first PT_LOAD's page-aligned vaddr,
  // for ET_EXEC zero. Filled by loadBias().
  bool sharedObject = false;
  uint64_t firstLoadVaddr = 0;

  uint64_t loadBias(uint64_t mappingBase) const {
    return sharedObject ? mappingBase - firstLoadVaddr : 0;
  }
  bool has(const std::string& name) const { return values.count(name) != 0; }
};

// Reads the ELF at `path` and looks up `names` in .dynsym, then .symtab.
// Returns false when the file cannot be read or is not a 64-bit ELF.
bool readElfSymbols(const std::string& path, const std::vector<std::string>& names,
                    ElfSymbols& out);

}  // namespace hotpath

// ELF symbol lookup by reading the file (mmap), with every offset
// bounds-checked: the file comes from the target's root and is not trusted.
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <string_view>
#include <unordered_set>

#include "os/elf_symbols.h"

namespace hotpath {
namespace {

class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st;
    if (fstat(fd, &st) == 0 && st.st_size > 0) {
      void* p = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) {
        data_ = static_cast<const uint8_t*>(p);
        size_ = static_cast<size_t>(st.st_size);
      }
    }
    close(fd);
  }
  ~MappedFile() {
    if (data_) munmap(const_cast<uint8_t*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // A pointer to `count` objects of T at `offset`, or null when out of bounds.
  template <typename T>
  const T* at(uint64_t offset, uint64_t count = 1) const {
    if (!data_ || offset > size_ || count > (size_ - offset) / sizeof(T)) return nullptr;
    return reinterpret_cast<const T*>(data_ + offset);
  }
  size_t size() const { return size_; }

 private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

void scanSymbolTable(const MappedFile& file, const Elf64_Shdr& symtab, const Elf64_Shdr& strtab,
                     const std::unordered_set<std::string_view>& wanted, ElfSymbols& out) {
  if (symtab.sh_entsize != sizeof(Elf64_Sym)) return;
  uint64_t count = symtab.sh_size / sizeof(Elf64_Sym);
  const Elf64_Sym* syms = file.at<Elf64_Sym>(symtab.sh_offset, count);
  const char* strings = file.at<char>(strtab.sh_offset, strtab.sh_size);
  if (!syms || !strings) return;
  for (uint64_t i = 0; i < count; ++i) {
    const Elf64_Sym& s = syms[i];
    if (s.st_name >= strtab.sh_size || s.st_shndx == SHN_UNDEF || s.st_value == 0) continue;
    const char* name = strings + s.st_name;
    size_t maxLen = strtab.sh_size - s.st_name;
    size_t len = strnlen(name, maxLen);
    if (len == maxLen) continue;
    // A full .symtab has thousands of names: compare views, build a string only on a hit.
    std::string_view key(name, len);
    if (!wanted.count(key)) continue;
    out.values.emplace(std::string(key), s.st_value);  // the first definition wins
  }
}

bool isReadOnlyData(const Elf64_Shdr& s) {
  return s.sh_type == SHT_PROGBITS && (s.sh_flags & SHF_ALLOC) &&
         !(s.sh_flags & (SHF_WRITE | SHF_EXECINSTR));
}

// Hands `scan` the read-only data, .rodata first (where string literals go).
void scanReadOnlyData(const MappedFile& file, const Elf64_Ehdr& eh, const Elf64_Shdr* sh,
                      const Elf64_Phdr* ph, const ElfDataScan& scan) {
  const char* names = nullptr;
  uint64_t namesSize = 0;
  if (sh && eh.e_shstrndx < eh.e_shnum) {
    namesSize = sh[eh.e_shstrndx].sh_size;
    names = file.at<char>(sh[eh.e_shstrndx].sh_offset, namesSize);
  }
  auto named = [&](const Elf64_Shdr& s, const char* want) {
    size_t len = strlen(want);
    return names && s.sh_name < namesSize && namesSize - s.sh_name > len &&
           memcmp(names + s.sh_name, want, len + 1) == 0;
  };
  bool anySection = false;
  for (bool rodataPass : {true, false}) {
    for (int i = 0; sh && i < eh.e_shnum; ++i) {
      if (!isReadOnlyData(sh[i]) || named(sh[i], ".rodata") != rodataPass) continue;
      anySection = true;
      const char* data = file.at<char>(sh[i].sh_offset, sh[i].sh_size);
      if (data && scan(data, sh[i].sh_size)) return;
    }
  }
  if (anySection) return;
  for (int i = 0; i < eh.e_phnum; ++i) {
    if (ph[i].p_type != PT_LOAD || (ph[i].p_flags & (PF_W | PF_X))) continue;
    const char* data = file.at<char>(ph[i].p_offset, ph[i].p_filesz);
    if (data && scan(data, ph[i].p_filesz)) return;
  }
}

}  // namespace

bool readElfSymbols(const std::string& path, const std::vector<std::string>& names, ElfSymbols& out,
                    const ElfDataScan& scan) {
  MappedFile file(path);
  const Elf64_Ehdr* eh = file.at<Elf64_Ehdr>(0);
  if (!eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64) {
    return false;
  }
  out.sharedObject = eh->e_type == ET_DYN;
  const Elf64_Phdr* ph = file.at<Elf64_Phdr>(eh->e_phoff, eh->e_phnum);
  if (!ph || eh->e_phentsize != sizeof(Elf64_Phdr)) return false;
  for (int i = 0; i < eh->e_phnum; ++i) {
    if (ph[i].p_type != PT_LOAD) continue;
    if (out.loads.empty()) {
      // The first PT_LOAD is mapped at file offset 0's page: its page-aligned
      // vaddr is what the mapping base corresponds to.
      uint64_t align = ph[i].p_align > 1 ? ph[i].p_align : 4096;
      out.firstLoadVaddr = ph[i].p_vaddr & ~(align - 1);
    }
    out.loads.push_back({ph[i].p_vaddr, ph[i].p_offset, ph[i].p_filesz});
  }
  if (out.loads.empty()) return false;

  const Elf64_Shdr* sh = file.at<Elf64_Shdr>(eh->e_shoff, eh->e_shnum);
  if (!sh || eh->e_shentsize != sizeof(Elf64_Shdr)) return false;
  std::unordered_set<std::string_view> wanted(names.begin(), names.end());
  // .dynsym first (present even in stripped binaries), then .symtab.
  for (uint32_t type : {static_cast<uint32_t>(SHT_DYNSYM), static_cast<uint32_t>(SHT_SYMTAB)}) {
    for (int i = 0; i < eh->e_shnum; ++i) {
      if (sh[i].sh_type != type || sh[i].sh_link >= eh->e_shnum) continue;
      scanSymbolTable(file, sh[i], sh[sh[i].sh_link], wanted, out);
    }
  }
  if (scan) scanReadOnlyData(file, *eh, eh->e_shnum ? sh : nullptr, ph, scan);
  return true;
}

bool readElfSection(const std::string& path, const std::string& name, std::vector<uint8_t>& out) {
  MappedFile file(path);
  const Elf64_Ehdr* eh = file.at<Elf64_Ehdr>(0);
  if (!eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64) {
    return false;
  }
  const Elf64_Shdr* sh = file.at<Elf64_Shdr>(eh->e_shoff, eh->e_shnum);
  if (!sh || eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shstrndx >= eh->e_shnum) return false;
  const Elf64_Shdr& namesHeader = sh[eh->e_shstrndx];
  const char* names = file.at<char>(namesHeader.sh_offset, namesHeader.sh_size);
  if (!names) return false;
  for (int i = 0; i < eh->e_shnum; ++i) {
    if (sh[i].sh_name >= namesHeader.sh_size || sh[i].sh_type == SHT_NOBITS) continue;
    size_t room = namesHeader.sh_size - sh[i].sh_name;
    if (strnlen(names + sh[i].sh_name, room) != name.size() ||
        memcmp(names + sh[i].sh_name, name.data(), name.size()) != 0) {
      continue;
    }
    const uint8_t* data = file.at<uint8_t>(sh[i].sh_offset, sh[i].sh_size);
    if (!data) return false;
    out.assign(data, data + sh[i].sh_size);
    return true;
  }
  return false;
}

}  // namespace hotpath

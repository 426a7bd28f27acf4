#include "python/python_binary.h"

#include <cctype>
#include <cstdio>
#include <cstring>
#include <vector>

#include "os/elf_symbols.h"
#include "os/error.h"
#include "os/memory_maps.h"
#include "python/debug_offsets.h"
#include "python/layout_dispatch.h"

namespace hotpath {
namespace {

std::string baseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

struct Candidate {
  std::string path;
  uint64_t base = 0;
  bool library = false;
};

// Files mapped at offset 0 that look like a CPython library or binary,
// libraries first (a shared build's python3.X executable has no _PyRuntime).
std::vector<Candidate> findCandidates(int pid, const std::vector<MemoryMapping>& maps) {
  std::vector<Candidate> libs, bins;
  const std::string exe = readExecutablePath(pid);
  for (const MemoryMapping& m : maps) {
    if (m.fileOffset != 0 || m.path.empty() || m.path[0] != '/') continue;
    bool dup = false;
    for (const auto* list : {&libs, &bins}) {
      for (const Candidate& c : *list) dup = dup || c.path == m.path;
    }
    if (dup) continue;
    int major, minor;
    std::string flags;
    bool library;
    if (parsePythonFileName(m.path, major, minor, flags, library)) {
      (library ? libs : bins).push_back({m.path, m.start, library});
    } else if (m.path == exe) {
      // An embedding or renamed static interpreter: try it last.
      bins.push_back({m.path, m.start, false});
    }
  }
  libs.insert(libs.end(), bins.begin(), bins.end());
  return libs;
}

// The dynamic loader maps a library in steps: one mapping of the whole span from
// the file's start, then each segment over it at its own file offset. Until the
// data segment is in place, _PyRuntime's address shows unrelated bytes of the
// file, so nothing may be judged from them. True when `symbol`'s address is
// mapped from `path` at the file offset its segment gives, and, for data the
// interpreter writes (`writable`), in a writable mapping: a linker that gives
// every segment its file offset as address makes a file mapped whole to be
// read (mmap) look the same at every address, but never writable.
bool mappedInPlace(const std::vector<MemoryMapping>& maps, const std::string& path,
                   const ElfSymbols& syms, uint64_t bias, const char* symbol, bool writable) {
  uint64_t value = syms.values.at(symbol);
  uint64_t want = 0;
  bool fileBacked = syms.fileOffsetOf(value, want);
  uint64_t addr = value + bias;
  for (const MemoryMapping& m : maps) {
    if (addr >= m.start && addr < m.end) {
      if (writable && !m.writable) return false;
      // Not file-backed (.bss): only the place can be judged, not the bytes.
      if (!fileBacked) return true;
      return m.path == path && m.fileOffset + (addr - m.start) == want;
    }
  }
  return !fileBacked && !writable;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Length of a pre-release / distribution suffix at `p` ("rc2", "b1", "a3",
// "+", "rc1+"), or -1 when the text there is not one.
int versionSuffixLength(const char* p, const char* end) {
  const char* q = p;
  if (q < end && (*q == 'a' || *q == 'b')) {
    ++q;
  } else if (end - q >= 2 && q[0] == 'r' && q[1] == 'c') {
    q += 2;
  }
  if (q != p) {
    const char* digits = q;
    while (q < end && isDigit(*q) && q - digits < 3) ++q;
    if (q == digits) return -1;
  }
  if (q < end && *q == '+') ++q;
  return static_cast<int>(q - p);
}

}  // namespace

std::string findVersionInData(const char* data, size_t size, int minor) {
  // PY_VERSION ("3.9.18", "3.10.0rc2", "3.9.2+"), NUL-terminated, in read-only data. The linker
  // may have merged it into the tail of a longer string (".../versions/3.9.18"), so anything
  // but a digit or a dot may precede it. memmem keeps this at memory speed (.rodata is ≈ 1 MB).
  const std::string needle = "3." + std::to_string(minor) + ".";
  const char* end = data + size;
  for (const char* p = data; p < end;) {
    const void* hit = memmem(p, static_cast<size_t>(end - p), needle.data(), needle.size());
    if (!hit) break;
    const char* pos = static_cast<const char*>(hit);
    p = pos + 1;
    if (pos > data && (isDigit(pos[-1]) || pos[-1] == '.')) continue;
    const char* micro = pos + needle.size();
    const char* q = micro;
    while (q < end && isDigit(*q) && q - micro < 4) ++q;
    if (q == micro || q - micro > 3) continue;
    int suffix = versionSuffixLength(q, end);
    if (suffix < 0 || q + suffix >= end || q[suffix] != '\0') continue;
    return std::string(pos, static_cast<size_t>(q - pos));  // major.minor.micro only
  }
  return "";
}

namespace {

std::string versionFromHex(uint64_t hex) {
  char buf[48];
  snprintf(buf, sizeof buf, "%d.%d.%d", static_cast<int>((hex >> 24) & 0xff),
           static_cast<int>((hex >> 16) & 0xff), static_cast<int>((hex >> 8) & 0xff));
  return buf;
}

[[noreturn]] void refuse(const std::string& version, const std::string& why) {
  throw HotpathError(ErrorCode::UnsupportedVersion, "Python " + version + why +
                                                        ": Hotpath profiles release (non-debug, "
                                                        "GIL-enabled) builds of CPython " +
                                                        supportedRangeText() +
                                                        ". Choose one of those interpreters.");
}

}  // namespace

bool parsePythonFileName(const std::string& path, int& major, int& minor, std::string& abiFlags,
                         bool& isLibrary) {
  std::string name = baseName(path);
  const std::string deleted = " (deleted)";
  if (name.size() > deleted.size() &&
      name.compare(name.size() - deleted.size(), deleted.size(), deleted) == 0) {
    name.resize(name.size() - deleted.size());
  }
  size_t i = 0;
  isLibrary = name.compare(0, 9, "libpython") == 0;
  if (isLibrary) {
    i = 9;
  } else if (name.compare(0, 6, "python") == 0) {
    i = 6;
  } else {
    return false;
  }
  auto number = [&](int& out) {
    size_t start = i;
    out = 0;
    while (i < name.size() && isdigit(static_cast<unsigned char>(name[i])) && i - start < 3) {
      out = out * 10 + (name[i] - '0');
      ++i;
    }
    return i > start;
  };
  if (!number(major) || i >= name.size() || name[i] != '.') return false;
  ++i;
  if (!number(minor)) return false;
  abiFlags.clear();
  while (i < name.size() && islower(static_cast<unsigned char>(name[i]))) abiFlags += name[i++];
  if (isLibrary) return name.compare(i, 3, ".so") == 0;
  return i == name.size();  // an executable is exactly python3.X[flags]
}

bool mapsPythonNamedFile(int pid) {
  int major = 0, minor = 0;
  std::string flags;
  bool library = false;
  std::vector<MemoryMapping> maps = readMemoryMaps(pid);
  // A process that has exited (a zombie) keeps its /proc entry but maps nothing: no answer.
  if (maps.empty()) {
    throw HotpathError(ErrorCode::NoProcess, "process " + std::to_string(pid) + " has exited");
  }
  for (const MemoryMapping& m : maps) {
    if (parsePythonFileName(m.path, major, minor, flags, library)) return true;
  }
  return parsePythonFileName(readExecutablePath(pid), major, minor, flags, library);
}

PythonBinary findPythonBinary(int pid, ProcessMemory& memory) {
  std::vector<MemoryMapping> maps = readMemoryMaps(pid);
  std::vector<Candidate> candidates = findCandidates(pid, maps);
  const std::vector<std::string> wanted = {
      "_PyRuntime",          "PyCode_Type",  "Py_Version", "_Py_NegativeRefcount",
      "_Py_PrintReferences", "_Py_RefTotal", "PyCoro_Type"};
  std::string loading;  // a candidate not (yet) mapped the way the loader leaves a library
  for (const Candidate& c : candidates) {
    int major = 0, minor = 0;
    std::string flags;
    bool library = false;
    bool named = parsePythonFileName(c.path, major, minor, flags, library);
    std::string nameVersion = std::to_string(major) + "." + std::to_string(minor);
    if (named && (major != 3 || minor < kOldestMinor)) {
      refuse(nameVersion, " (" + baseName(c.path) + ") is too old");
    }
    ElfSymbols syms;
    std::string file = pathInTargetRoot(pid, c.path);
    // Before 3.11 (no Py_Version) the micro version is PY_VERSION's text in read-only data,
    // looked for in the same pass over the file as the symbols.
    std::string versionText;
    ElfDataScan findVersion = [&](const char* data, size_t size) {
      versionText = findVersionInData(data, size, minor);
      return !versionText.empty();
    };
    bool oldNamed = named && minor < 11;
    if (!readElfSymbols(file, wanted, syms, oldNamed ? findVersion : nullptr) ||
        !syms.has("_PyRuntime")) {
      continue;
    }
    uint64_t bias = syms.loadBias(c.base);
    if (!mappedInPlace(maps, c.path, syms, bias, "_PyRuntime", true) ||
        (syms.has("Py_Version") && !mappedInPlace(maps, c.path, syms, bias, "Py_Version", false))) {
      // Still being loaded, or mapped whole by other means (not as a program's code).
      if (loading.empty()) loading = c.path;
      continue;
    }

    PythonBinary bin;
    bin.path = c.path;
    bin.runtimeAddr = syms.values["_PyRuntime"] + bias;
    bin.codeTypeAddr = syms.has("PyCode_Type") ? syms.values["PyCode_Type"] + bias : 0;
    bin.coroTypeAddr = syms.has("PyCoro_Type") ? syms.values["PyCoro_Type"] + bias : 0;
    if (syms.has("Py_Version")) {
      uint64_t hex = 0;
      ReadResult r = memory.read(syms.values["Py_Version"] + bias, &hex, sizeof hex);
      if (r != ReadResult::Ok) throwReadFailure(r, pid);
      bin.versionHex = hex & 0xffffffffu;
      bin.minor = static_cast<int>((hex >> 16) & 0xff);
      bin.version = versionFromHex(hex);
      if (((hex >> 24) & 0xff) != 3) refuse(bin.version, " is not CPython 3");
    } else if (named) {
      bin.minor = minor;
      if (versionText.empty()) {
        throw HotpathError(ErrorCode::UnsupportedVersion,
                           c.path + " carries no Python " + nameVersion +
                               ".N version string; it is not a CPython build Hotpath can read.");
      }
      bin.version = versionText;
    } else {
      continue;  // a renamed pre-3.11 binary: no way to tell its version
    }
    if (bin.minor > kNewestMinor) refuse(bin.version, " is newer than this Hotpath knows");
    if (bin.minor < kOldestMinor) refuse(bin.version, " is too old");
    if (bin.codeTypeAddr == 0) {
      throw HotpathError(ErrorCode::NotPython, c.path +
                                                   " has _PyRuntime but no PyCode_Type "
                                                   "symbol; it is not a CPython build "
                                                   "Hotpath can read.");
    }
    if (syms.has("_Py_NegativeRefcount") || syms.has("_Py_RefTotal") ||
        flags.find('d') != std::string::npos) {
      refuse(bin.version, " is a debug build (its objects have a different layout)");
    }
    if (syms.has("_Py_PrintReferences")) {
      refuse(bin.version, " is built with Py_TRACE_REFS (its objects have a different layout)");
    }
    // A free-threaded (no-GIL) build lays out objects, frames and code differently
    // (docs/free-threaded.md says what sampling one would take).
    const std::string freeThreaded = " (" + c.path + ") is a free-threaded build";
    if (flags.find('t') != std::string::npos) refuse(bin.version, freeThreaded);
    if (bin.minor >= 13) {
      uint8_t header[24];
      ReadResult r = memory.read(bin.runtimeAddr, header, sizeof header);
      if (r != ReadResult::Ok) throwReadFailure(r, pid);
      DebugOffsetsHeader h = parseDebugOffsetsHeader(header, sizeof header);
      if (!h.cookieOk || (h.version >> 16) != (bin.versionHex >> 16)) {
        throw HotpathError(ErrorCode::UnsupportedVersion,
                           "Python " + bin.version + " in " + c.path +
                               " does not carry the expected _Py_DebugOffsets header; it is "
                               "not a CPython build Hotpath can read.");
      }
      if (h.freeThreaded) refuse(bin.version, freeThreaded);
    }
    return bin;
  }
  if (!loading.empty()) {
    throw HotpathError(ErrorCode::NotPython, loading +
                                                 " is mapped but not (yet) loaded as a library: "
                                                 "its data is not at the place its ELF headers "
                                                 "give");
  }
  throw HotpathError(ErrorCode::NotPython,
                     "Process " + std::to_string(pid) +
                         " has no CPython interpreter loaded (no libpython3.X or python3.X "
                         "with a _PyRuntime symbol is mapped). If it is a launcher that starts "
                         "Python (a pyenv shim, a wrapper script), wait for it to exec the "
                         "interpreter; otherwise point Hotpath at a CPython program.");
}

}  // namespace hotpath

// Finding the CPython interpreter inside a process: which mapped file holds
// _PyRuntime, where it is loaded, and which version it is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "os/process_memory.h"

namespace hotpath {

struct PythonBinary {
  std::string path;           // as the target maps it (libpython3.X.so… or a static python3.X)
  uint64_t runtimeAddr = 0;   // _PyRuntime in the target
  uint64_t codeTypeAddr = 0;  // PyCode_Type in the target
  uint64_t coroTypeAddr = 0;  // PyCoro_Type in the target, 0 when not found
  int minor = 0;
  std::string version;      // major.minor.micro: "3.12.1" (pre-release suffixes dropped)
  uint64_t versionHex = 0;  // PY_VERSION_HEX when known (3.11+), else 0
};

// Locates and identifies the interpreter. Throws HotpathError:
//   NoProcess, Permission: the process cannot be inspected;
//   NotPython: no interpreter is mapped (yet: a shim or wrapper may still exec it);
//   UnsupportedVersion: CPython outside 3.8–3.15, a debug/trace-refs or free-threaded build.
PythonBinary findPythonBinary(int pid, ProcessMemory& memory);

// True when the process maps a file named like a CPython library or binary (libpython3.X.so…,
// python3.X), its executable included: it is Python, or on its way (just exec'd, still loading).
// False for a process that runs something else. Throws NoProcess when it has exited (a zombie
// maps nothing) or its maps cannot be read.
bool mapsPythonNamedFile(int pid);

// Parses "libpython3.12.so.1.0" / "python3.12" / "libpython3.13t.so" into
// major, minor and ABI flags ("" release, "d" debug, "t" free-threaded, "m" 3.7-).
// Returns false for any other file name. Exposed for tests.
bool parsePythonFileName(const std::string& path, int& major, int& minor, std::string& abiFlags,
                         bool& isLibrary);

// The "3.<minor>.<micro>" of a NUL-terminated PY_VERSION string inside `data`
// (a suffix such as "rc2" or "+" is accepted and dropped), or "" when there is
// none. Exposed for tests.
std::string findVersionInData(const char* data, size_t size, int minor);

}  // namespace hotpath

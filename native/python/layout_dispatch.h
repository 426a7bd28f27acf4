// The one place that maps a CPython version to its layout.
#pragma once

#include <cstdint>

#include "os/process_memory.h"
#include "python/layout.h"

namespace hotpath {

constexpr int kOldestMinor = 8;
// The newest release whose _Py_DebugOffsets Hotpath understands (the last
// entry of layout_dispatch.cc's table of described versions; checked there).
constexpr int kNewestMinor = 15;

// "3.8–3.15": for messages.
const char* supportedRangeText();

// The layout of 3.`minor` (kOldestMinor…kNewestMinor). For 3.13+ the offsets
// are read from the target's _Py_DebugOffsets at `runtimeAddr`. Throws
// HotpathError (UnsupportedVersion, NoProcess, Permission) when it cannot.
PythonLayout layoutForVersion(int minor, ProcessMemory& memory, uint64_t runtimeAddr,
                              const char* versionText);

}  // namespace hotpath

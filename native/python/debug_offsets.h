// 3.13+: CPython places _Py_DebugOffsets at the start of _PyRuntime so that
// out-of-process tools can read struct offsets from the target itself. The
// positions of its fields are generated per version (layouts_generated.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "python/layout.h"

namespace hotpath {

// Byte position of each value inside _Py_DebugOffsets (kAbsent: not there).
struct DebugOffsetPositions {
  int32_t size = 0;  // sizeof(_Py_DebugOffsets)
  int32_t version = kAbsent;
  int32_t freeThreaded = kAbsent;
#define HOTPATH_DEBUG_FIELDS(X)                                                              \
  X(runtimeInterpretersHead)                                                                 \
  X(interpNext)                                                                              \
  X(interpThreadsHead) X(interpCevalGil) X(tstateSize) X(tstateNext) X(tstateInterp)         \
      X(tstateFrame) X(tstateThreadId) X(tstateNativeThreadId) X(tstateDatastackChunk)       \
          X(tstateStatus) X(frameSize) X(frameBack) X(frameCode) X(frameInstr) X(frameOwner) \
              X(codeSize) X(codeFirstLine) X(codeFilename) X(codeName) X(codeQualname)       \
                  X(codeLinetable) X(codeAdaptive) X(strLength) X(strState) X(strAsciiData)  \
                      X(bytesSize) X(bytesData)
#define HOTPATH_DECLARE_POSITION(name) int32_t name = kAbsent;
  HOTPATH_DEBUG_FIELDS(HOTPATH_DECLARE_POSITION)
#undef HOTPATH_DECLARE_POSITION
};

constexpr char kDebugOffsetsCookie[8] = {'x', 'd', 'e', 'b', 'u', 'g', 'p', 'y'};

struct DebugOffsetsHeader {
  bool cookieOk = false;
  uint64_t version = 0;  // PY_VERSION_HEX
  bool freeThreaded = false;
};

// Reads cookie, version and free-threaded flag (the first 24 bytes; stable
// across versions). `len` must be ≥ 24.
DebugOffsetsHeader parseDebugOffsetsHeader(const uint8_t* bytes, size_t len);

// Overwrites every field of `layout` that _Py_DebugOffsets describes with the
// target's value and derives the rest that follow from them. Returns false
// (with `error`) when a value is absurd, i.e. the positions do not match.
bool applyDebugOffsets(const uint8_t* bytes, size_t len, const DebugOffsetPositions& positions,
                       PythonLayout& layout, std::string& error);

}  // namespace hotpath

// 3.13+: CPython places _Py_DebugOffsets at the start of _PyRuntime so that
// out-of-process tools can read struct offsets from the target itself. The
// positions of its fields are generated for 3.13 (layouts_generated.h) and
// counted from each later release's declaration of the struct
// (layouts_current.h, positionsFromFieldList).
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
// One line per group of fields, which the formatter would re-flow into a staircase.
// clang-format off
#define HOTPATH_DEBUG_FIELDS(X)                                                                    \
  X(runtimeInterpretersHead) X(interpNext) X(interpThreadsHead) X(interpCevalGil) X(interpModules) \
  X(tstateSize) X(tstateNext) X(tstateInterp) X(tstateFrame) X(tstateBaseFrame) X(tstateThreadId)  \
  X(tstateNativeThreadId) X(tstateDatastackChunk) X(tstateStatus) X(tstateHoldsGil)                \
  X(frameSize) X(frameBack) X(frameCode) X(frameInstr) X(frameOwner)                               \
  X(codeSize) X(codeFirstLine) X(codeFilename) X(codeName) X(codeQualname) X(codeLinetable)        \
  X(codeAdaptive) X(strLength) X(strState) X(strAsciiData) X(strCompactData)                       \
  X(bytesSize) X(bytesData) X(typeFlags) X(typeBasicSize) X(typeDictOffset)                        \
  X(heapTypeCachedKeys) X(dictKeys) X(dictValues) X(longDigits)                                     \
  X(frameStackpointer) X(genIframe) X(genFrameState) X(setTable) X(setMask) X(llistNext)        \
  X(interpGc) X(gcCollecting)
// clang-format on
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

// One release's _Py_DebugOffsets as declared: its "section.field" names in
// order, every one a uint64_t after the 24-byte header (cookie, version,
// free_threaded). Names Hotpath does not use are listed too: they hold places.
struct DebugOffsetsFieldList {
  const char* const* names;
  size_t count;
};

// Where each value Hotpath uses sits in a struct declared as `fields`, and
// its size.
DebugOffsetPositions positionsFromFieldList(const DebugOffsetsFieldList& fields);

// Checks values read with a field list against the struct's own shape: in
// every section with a `size`, each other value (but sizes, `…_size`) is an
// offset or a flag below that size. A list that misses or adds a field reads sizes where
// offsets are and offsets where sizes are, which fails this. Returns false
// (with `error` naming the value) when it does not hold.
bool sectionsFitTheirSizes(const uint8_t* bytes, size_t len, const DebugOffsetsFieldList& fields,
                           std::string& error);

// Reads cookie, version and free-threaded flag (the first 24 bytes; stable
// across versions). `len` must be ≥ 24.
DebugOffsetsHeader parseDebugOffsetsHeader(const uint8_t* bytes, size_t len);

// Overwrites every field of `layout` that _Py_DebugOffsets describes with the
// target's value and derives the rest that follow from them. Returns false
// (with `error`) when a value is absurd, i.e. the positions do not match.
bool applyDebugOffsets(const uint8_t* bytes, size_t len, const DebugOffsetPositions& positions,
                       PythonLayout& layout, std::string& error);

}  // namespace hotpath

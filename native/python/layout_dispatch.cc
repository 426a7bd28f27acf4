#include "python/layout_dispatch.h"

#include <string>
#include <vector>

#include "os/error.h"
#include "python/debug_offsets.h"
#include "python/layouts_current.h"
#include "python/layouts_generated.h"

namespace hotpath {

const char* supportedRangeText() { return "3.8–3.15"; }

namespace {

// Releases that describe their layout in _Py_DebugOffsets, each with what it
// does not describe there and where its values sit in it: the one place that
// says which debug-offsets versions Hotpath understands. A release not listed
// (3.16) is refused; listing it needs its field list and base layout
// (layouts_current.h).
struct DescribedVersion {
  int minor;
  PythonLayout (*baseLayout)();
  DebugOffsetPositions (*positions)();
  DebugOffsetsFieldList fields;  // as declared (3.14+); 3.13's positions are compiled
};
const DescribedVersion kDescribedVersions[] = {
    {13, generated::layout_3_13, generated::debugPositions_3_13, {nullptr, 0}},
    {14, current::layout_3_14, current::debugPositions_3_14,
     current::fieldList(current::kDebugFields_3_14)},
    {15, current::layout_3_15, current::debugPositions_3_15,
     current::fieldList(current::kDebugFields_3_15)},
};
static_assert(sizeof kDescribedVersions / sizeof kDescribedVersions[0] ==
                  static_cast<size_t>(kNewestMinor - 13 + 1),
              "kNewestMinor is the last described version");

// Every field the reader takes from a struct must lie inside the bytes it
// reads of that struct; a layout that breaks this (a wrong table, a
// _Py_DebugOffsets the positions misread) would read past its buffers.
bool fitsIn(int32_t offset, int32_t width, int32_t size) {
  return offset == kAbsent || (offset >= 0 && offset + width <= size);
}

bool layoutIsConsistent(const PythonLayout& l) {
  const int32_t frameRead = l.interpreterFrames() ? l.frameSize : l.frameObjectBytes();
  return l.tstateSize > 0 && l.tstateSize <= 65536 && l.codeSize > 0 && l.codeSize <= 4096 &&
         fitsIn(l.tstateNext, 8, l.tstateSize) && fitsIn(l.tstateThreadId, 8, l.tstateSize) &&
         fitsIn(l.tstateFrame, 8, l.tstateSize) &&
         fitsIn(l.tstateNativeThreadId, 8, l.tstateSize) &&
         fitsIn(l.tstateDatastackChunk, 8, l.tstateSize) &&
         fitsIn(l.tstateDatastackTop, 8, l.tstateSize) && fitsIn(l.tstateStatus, 4, l.tstateSize) &&
         fitsIn(l.tstateHoldsGil, 4, l.tstateSize) && fitsIn(l.tstateBaseFrame, 8, l.tstateSize) &&
         l.ownerMax >= 0 && l.ownerMax < 128 && frameRead > 0 && frameRead <= 4096 &&
         fitsIn(l.frameBack, 8, frameRead) && fitsIn(l.frameCode, 8, frameRead) &&
         fitsIn(l.frameInstr, 8, frameRead) && fitsIn(l.frameOwner, 1, frameRead) &&
         fitsIn(l.frameIsEntry, 1, frameRead) && fitsIn(l.frameState, 1, frameRead) &&
         fitsIn(l.codeFirstLine, 4, l.codeSize) && fitsIn(l.codeFilename, 8, l.codeSize) &&
         fitsIn(l.codeName, 8, l.codeSize) && fitsIn(l.codeQualname, 8, l.codeSize) &&
         fitsIn(l.codeLinetable, 8, l.codeSize) && fitsIn(l.codeFirstTraceable, 4, l.codeSize) &&
         fitsIn(l.codeFramesize, 4, l.codeSize) && fitsIn(l.codeNlocalsplus, 4, l.codeSize) &&
         fitsIn(l.codeStacksize, 4, l.codeSize) && fitsIn(l.bytesSize, 8, l.codeSize) &&
         fitsIn(l.chunkSize, 8, 64) && fitsIn(l.strLength, 8, l.strCompactData) &&
         fitsIn(l.strState, 4, l.strCompactData) && fitsIn(l.strDataPtr, 8, l.strCompactData + 8) &&
         l.interpThreadsHead != kAbsent && l.runtimeInterpretersHead != kAbsent;
}

PythonLayout checked(const PythonLayout& layout, const char* versionText) {
  if (!layoutIsConsistent(layout)) {
    throw HotpathError(ErrorCode::UnsupportedVersion,
                       std::string("Python ") + versionText +
                           " has a memory layout Hotpath cannot use safely (inconsistent struct "
                           "offsets). Use a release build of CPython " +
                           supportedRangeText() + ".");
  }
  return layout;
}

}  // namespace

PythonLayout layoutForVersion(int minor, ProcessMemory& memory, uint64_t runtimeAddr,
                              const char* versionText) {
  switch (minor) {
    case 8:
      return checked(generated::layout_3_8(), versionText);
    case 9:
      return checked(generated::layout_3_9(), versionText);
    case 10:
      return checked(generated::layout_3_10(), versionText);
    case 11:
      return checked(generated::layout_3_11(), versionText);
    case 12:
      return checked(generated::layout_3_12(), versionText);
    default:
      break;
  }
  for (const DescribedVersion& described : kDescribedVersions) {
    if (described.minor != minor) continue;
    PythonLayout layout = described.baseLayout();
    DebugOffsetPositions positions = described.positions();
    std::vector<uint8_t> bytes(static_cast<size_t>(positions.size));
    ReadResult r = memory.read(runtimeAddr, bytes.data(), bytes.size());
    if (r != ReadResult::Ok) throwReadFailure(r, memory.pid());
    std::string error;
    if (!sectionsFitTheirSizes(bytes.data(), bytes.size(), described.fields, error) ||
        !applyDebugOffsets(bytes.data(), bytes.size(), positions, layout, error)) {
      throw HotpathError(ErrorCode::UnsupportedVersion,
                         std::string("Python ") + versionText +
                             " describes its own layout in a way Hotpath does not understand (" +
                             error + "). Use a release build of CPython " + supportedRangeText() +
                             ".");
    }
    return checked(layout, versionText);
  }
  throw HotpathError(ErrorCode::UnsupportedVersion,
                     std::string("Python ") + versionText + " is not supported: Hotpath profiles " +
                         "CPython " + supportedRangeText() + ". Choose one of those interpreters.");
}

}  // namespace hotpath

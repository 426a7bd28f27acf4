#include "python/layout_dispatch.h"

#include <string>
#include <vector>

#include "os/error.h"
#include "python/debug_offsets.h"
#include "python/layouts_generated.h"

namespace hotpath {

const char* supportedRangeText() { return "3.8–3.13"; }

namespace {

// Every field the reader takes from a struct must lie inside the bytes it
// reads of that struct; a layout that breaks this (a wrong table, a
// _Py_DebugOffsets the positions misread) would read past its buffers.
bool fitsIn(int32_t offset, int32_t width, int32_t size) {
  return offset == kAbsent || (offset >= 0 && offset + width <= size);
}

bool layoutIsConsistent(const PythonLayout& l) {
  const int32_t frameRead = l.interpreterFrames() ? l.frameSize : l.frameLasti + 4;
  return l.tstateSize > 0 && l.tstateSize <= 65536 && l.codeSize > 0 && l.codeSize <= 4096 &&
         fitsIn(l.tstateNext, 8, l.tstateSize) && fitsIn(l.tstateThreadId, 8, l.tstateSize) &&
         fitsIn(l.tstateFrame, 8, l.tstateSize) &&
         fitsIn(l.tstateNativeThreadId, 8, l.tstateSize) &&
         fitsIn(l.tstateDatastackChunk, 8, l.tstateSize) &&
         fitsIn(l.tstateDatastackTop, 8, l.tstateSize) && fitsIn(l.tstateStatus, 4, l.tstateSize) &&
         frameRead > 0 && frameRead <= 4096 && fitsIn(l.frameBack, 8, frameRead) &&
         fitsIn(l.frameCode, 8, frameRead) && fitsIn(l.frameInstr, 8, frameRead) &&
         fitsIn(l.frameOwner, 1, frameRead) && fitsIn(l.frameIsEntry, 1, frameRead) &&
         fitsIn(l.codeFirstLine, 4, l.codeSize) && fitsIn(l.codeFilename, 8, l.codeSize) &&
         fitsIn(l.codeName, 8, l.codeSize) && fitsIn(l.codeQualname, 8, l.codeSize) &&
         fitsIn(l.codeLinetable, 8, l.codeSize) && fitsIn(l.codeFirstTraceable, 4, l.codeSize) &&
         fitsIn(l.bytesSize, 8, l.codeSize) && fitsIn(l.chunkSize, 8, 64) &&
         fitsIn(l.strLength, 8, l.strCompactData) && fitsIn(l.strState, 4, l.strCompactData) &&
         fitsIn(l.strDataPtr, 8, l.strCompactData + 8) && l.interpThreadsHead != kAbsent &&
         l.runtimeInterpretersHead != kAbsent;
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
    case 13: {
      PythonLayout layout = generated::layout_3_13();
      DebugOffsetPositions positions = generated::debugPositions_3_13();
      std::vector<uint8_t> bytes(static_cast<size_t>(positions.size));
      ReadResult r = memory.read(runtimeAddr, bytes.data(), bytes.size());
      if (r != ReadResult::Ok) throwReadFailure(r, memory.pid());
      std::string error;
      if (!applyDebugOffsets(bytes.data(), bytes.size(), positions, layout, error)) {
        throw HotpathError(ErrorCode::UnsupportedVersion,
                           std::string("Python ") + versionText +
                               " describes its own layout in a way Hotpath does not understand (" +
                               error + "). Use a release build of CPython " + supportedRangeText() +
                               ".");
      }
      return checked(layout, versionText);
    }
    default:
      break;
  }
  throw HotpathError(ErrorCode::UnsupportedVersion,
                     std::string("Python ") + versionText + " is not supported: Hotpath profiles " +
                         "CPython " + supportedRangeText() + ". Choose one of those interpreters.");
}

}  // namespace hotpath

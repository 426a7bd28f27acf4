#include "python/layout_dispatch.h"

#include <string>
#include <vector>

#include "os/error.h"
#include "python/debug_offsets.h"
#include "python/layouts_generated.h"

namespace hotpath {

const char* supportedRangeText() { return "3.8–3.13"; }

PythonLayout layoutForVersion(int minor, ProcessMemory& memory, uint64_t runtimeAddr,
                              const char* versionText) {
  switch (minor) {
    case 8:
      return generated::layout_3_8();
    case 9:
      return generated::layout_3_9();
    case 10:
      return generated::layout_3_10();
    case 11:
      return generated::layout_3_11();
    case 12:
      return generated::layout_3_12();
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
                               error + "). Use a release build of CPython " +
                               supportedRangeText() + ".");
      }
      return layout;
    }
    default:
      break;
  }
  throw HotpathError(ErrorCode::UnsupportedVersion,
                     std::string("Python ") + versionText + " is not supported: Hotpath profiles " +
                         "CPython " + supportedRangeText() + ". Choose one of those interpreters.");
}

}  // namespace hotpath

#include "python/debug_offsets.h"

#include <cstring>

namespace hotpath {
namespace {

uint64_t u64At(const uint8_t* bytes, size_t pos) {
  uint64_t v;
  memcpy(&v, bytes + pos, sizeof v);
  return v;
}

// No structure the reader walks is anywhere near this large; a bigger value
// means the positions are wrong for this build.
constexpr uint64_t kMaxPlausibleOffset = 1 << 20;

}  // namespace

DebugOffsetsHeader parseDebugOffsetsHeader(const uint8_t* bytes, size_t len) {
  DebugOffsetsHeader h;
  if (len < 24) return h;
  h.cookieOk = memcmp(bytes, kDebugOffsetsCookie, sizeof kDebugOffsetsCookie) == 0;
  h.version = u64At(bytes, 8);
  h.freeThreaded = u64At(bytes, 16) != 0;
  return h;
}

bool applyDebugOffsets(const uint8_t* bytes, size_t len, const DebugOffsetPositions& positions,
                       PythonLayout& layout, std::string& error) {
  if (len < static_cast<size_t>(positions.size)) {
    error = "short _Py_DebugOffsets";
    return false;
  }
#define HOTPATH_APPLY(name)                                                   \
  if (positions.name != kAbsent) {                                            \
    uint64_t v = u64At(bytes, static_cast<size_t>(positions.name));           \
    if (v >= kMaxPlausibleOffset) {                                           \
      error = std::string("implausible _Py_DebugOffsets value for ") + #name; \
      return false;                                                           \
    }                                                                         \
    layout.name = static_cast<int32_t>(v);                                    \
  }
  HOTPATH_DEBUG_FIELDS(HOTPATH_APPLY)
#undef HOTPATH_APPLY
  // datastack_top directly follows datastack_chunk in PyThreadState (3.11+).
  layout.tstateDatastackTop = layout.tstateDatastackChunk + 8;
  // Compact non-ASCII text follows PyCompactUnicodeObject: the ASCII header
  // plus utf8_length and utf8 (two words).
  layout.strCompactData = layout.strAsciiData + 16;
  layout.strDataPtr = layout.strCompactData;
  return true;
}

}  // namespace hotpath

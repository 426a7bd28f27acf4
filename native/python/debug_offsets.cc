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

// cookie[8], version, free_threaded: then the sections, all uint64_t.
constexpr int32_t kHeaderBytes = 24;

// The _Py_DebugOffsets names (as CPython declares them) of the values the
// reader takes from the target, and the layout field each one sets.
struct NamedPosition {
  const char* name;
  int32_t DebugOffsetPositions::*position;
};
using P = DebugOffsetPositions;
const NamedPosition kNamedPositions[] = {
    {"runtime_state.interpreters_head", &P::runtimeInterpretersHead},
    {"interpreter_state.next", &P::interpNext},
    {"interpreter_state.threads_head", &P::interpThreadsHead},
    {"interpreter_state.ceval_gil", &P::interpCevalGil},
    {"interpreter_state.imports_modules", &P::interpModules},
    {"interpreter_state.gc", &P::interpGc},
    {"gc.collecting", &P::gcCollecting},
    {"thread_state.size", &P::tstateSize},
    {"thread_state.next", &P::tstateNext},
    {"thread_state.interp", &P::tstateInterp},
    {"thread_state.current_frame", &P::tstateFrame},
    {"thread_state.base_frame", &P::tstateBaseFrame},
    {"thread_state.thread_id", &P::tstateThreadId},
    {"thread_state.native_thread_id", &P::tstateNativeThreadId},
    {"thread_state.datastack_chunk", &P::tstateDatastackChunk},
    {"thread_state.status", &P::tstateStatus},
    {"thread_state.holds_gil", &P::tstateHoldsGil},
    // The fixed part of a frame: what the walk reads of each.
    {"interpreter_frame.localsplus", &P::frameSize},
    {"interpreter_frame.previous", &P::frameBack},
    {"interpreter_frame.executable", &P::frameCode},
    {"interpreter_frame.instr_ptr", &P::frameInstr},
    {"interpreter_frame.owner", &P::frameOwner},
    {"code_object.size", &P::codeSize},
    {"code_object.filename", &P::codeFilename},
    {"code_object.name", &P::codeName},
    {"code_object.qualname", &P::codeQualname},
    {"code_object.linetable", &P::codeLinetable},
    {"code_object.firstlineno", &P::codeFirstLine},
    {"code_object.co_code_adaptive", &P::codeAdaptive},
    {"type_object.tp_flags", &P::typeFlags},
    {"type_object.tp_basicsize", &P::typeBasicSize},
    {"type_object.tp_dictoffset", &P::typeDictOffset},
    {"heap_type_object.ht_cached_keys", &P::heapTypeCachedKeys},
    {"dict_object.ma_keys", &P::dictKeys},
    {"dict_object.ma_values", &P::dictValues},
    {"long_object.ob_digit", &P::longDigits},
    {"bytes_object.ob_size", &P::bytesSize},
    {"bytes_object.ob_sval", &P::bytesData},
    {"unicode_object.state", &P::strState},
    {"unicode_object.length", &P::strLength},
    {"unicode_object.asciiobject_size", &P::strAsciiData},
    {"unicode_object.compactunicodeobject_size", &P::strCompactData},
    {"interpreter_frame.stackpointer", &P::frameStackpointer},
    {"gen_object.gi_iframe", &P::genIframe},
    {"gen_object.gi_frame_state", &P::genFrameState},
    {"set_object.table", &P::setTable},
    {"set_object.mask", &P::setMask},
    {"llist_node.next", &P::llistNext},
};

}  // namespace

DebugOffsetPositions positionsFromFieldList(const DebugOffsetsFieldList& fields) {
  DebugOffsetPositions p;
  p.version = 8;
  p.freeThreaded = 16;
  p.size = kHeaderBytes + static_cast<int32_t>(fields.count * sizeof(uint64_t));
  for (size_t i = 0; i < fields.count; ++i) {
    for (const NamedPosition& named : kNamedPositions) {
      if (strcmp(named.name, fields.names[i]) == 0) {
        p.*named.position = kHeaderBytes + static_cast<int32_t>(i * sizeof(uint64_t));
      }
    }
  }
  return p;
}

bool sectionsFitTheirSizes(const uint8_t* bytes, size_t len, const DebugOffsetsFieldList& fields,
                           std::string& error) {
  if (len < kHeaderBytes + fields.count * sizeof(uint64_t)) {
    error = "short _Py_DebugOffsets";
    return false;
  }
  auto value = [bytes](size_t i) { return u64At(bytes, kHeaderBytes + i * sizeof(uint64_t)); };
  auto section = [](const char* name) {
    const char* dot = strchr(name, '.');
    return std::string(name, dot ? static_cast<size_t>(dot - name) : strlen(name));
  };
  for (size_t i = 0; i < fields.count; ++i) {
    std::string sec = section(fields.names[i]);
    std::string sizeName = sec + ".size";
    size_t nameLen = strlen(fields.names[i]);
    bool isSize = nameLen >= 5 && strcmp(fields.names[i] + nameLen - 5, "_size") == 0;
    if (sizeName == fields.names[i] || isSize) continue;  // a size, not an offset
    for (size_t j = 0; j < fields.count; ++j) {
      if (sizeName != fields.names[j]) continue;
      if (value(i) >= value(j)) {
        error = std::string(fields.names[i]) + " = " + std::to_string(value(i)) +
                " is not inside " + sizeName + " = " + std::to_string(value(j));
        return false;
      }
    }
  }
  return true;
}

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
  // plus utf8_length and utf8 (two words); 3.15+ gives its size.
  if (positions.strCompactData == kAbsent) layout.strCompactData = layout.strAsciiData + 16;
  // A str subclass's `data` pointer follows the same header.
  layout.strDataPtr = layout.strCompactData;
  return true;
}

}  // namespace hotpath

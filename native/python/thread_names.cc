#include "python/thread_names.h"

#include <cstring>
#include <vector>

#include "python/remote_string.h"

namespace hotpath {
namespace {

// Dicts larger than this are not the ones we look for (or torn).
constexpr uint64_t kMaxEntries = 1 << 16;

}  // namespace

uint64_t ThreadNames::word(uint64_t addr, bool& ok) {
  uint64_t v = 0;
  if (!ok || addr == 0 || memory_.read(addr, &v, sizeof v) != ReadResult::Ok) ok = false;
  return v;
}

bool ThreadNames::scanKeys(uint64_t keys, uint64_t values,
                           const std::function<bool(uint64_t, uint64_t)>& visit) {
  const PythonLayout& L = layout_;
  uint8_t header[64];
  if (keys == 0 || memory_.read(keys, header, sizeof header) != ReadResult::Ok) return false;
  int64_t nentries;
  memcpy(&nentries, header + L.dkNentries, 8);
  if (nentries < 0 || static_cast<uint64_t>(nentries) > kMaxEntries) return false;
  uint64_t indexBytes;
  size_t entrySize = 24;  // hash, key, value
  if (L.dkLog2Size != kAbsent) {
    uint8_t log2IndexBytes = header[L.dkLog2IndexBytes];
    if (log2IndexBytes > 40) return false;
    indexBytes = uint64_t{1} << log2IndexBytes;
    if (header[L.dkKind] != 0) entrySize = 16;  // unicode keys: key, value
  } else {
    int64_t size;
    memcpy(&size, header + L.dkSize, 8);
    if (size <= 0 || static_cast<uint64_t>(size) > 2 * kMaxEntries) return false;
    uint64_t width = size <= 0xff ? 1 : size <= 0xffff ? 2 : size <= 0xffffffffLL ? 4 : 8;
    indexBytes = static_cast<uint64_t>(size) * width;
  }
  size_t n = static_cast<size_t>(nentries);
  std::vector<uint64_t> entries(n * entrySize / 8);
  if (n && memory_.read(keys + L.dkIndices + indexBytes, entries.data(), n * entrySize) !=
               ReadResult::Ok) {
    return false;
  }
  std::vector<uint64_t> split(values ? n : 0);
  if (values && n && memory_.read(values, split.data(), n * 8) != ReadResult::Ok) return false;
  const size_t words = entrySize / 8;
  for (size_t i = 0; i < n; ++i) {
    uint64_t key = entries[i * words + words - 2];
    uint64_t value = values ? split[i] : entries[i * words + words - 1];
    if (key && value && visit(key, value)) return true;
  }
  return true;
}

bool ThreadNames::scanDict(uint64_t dict, const std::function<bool(uint64_t, uint64_t)>& visit) {
  bool ok = true;
  uint64_t keys = word(dict + layout_.dictKeys, ok);
  uint64_t values = word(dict + layout_.dictValues, ok);
  if (!ok) return false;
  if (values && layout_.dictValuesValues != kAbsent) values += layout_.dictValuesValues;
  return scanKeys(keys, values, visit);
}

uint64_t ThreadNames::findStrKey(uint64_t dict, const std::string& key) {
  uint64_t found = 0;
  std::string text;
  scanDict(dict, [&](uint64_t k, uint64_t v) {
    if (readRemoteString(memory_, layout_, k, text) && text == key) found = v;
    return found != 0;
  });
  return found;
}

bool ThreadNames::readInt(uint64_t obj, uint64_t& value) {
  uint8_t buf[40];
  if (memory_.read(obj, buf, sizeof buf) != ReadResult::Ok) return false;
  int64_t sizeOrTag;
  memcpy(&sizeOrTag, buf + 16, 8);
  int64_t digits;
  if (layout_.minor >= 12) {
    if ((sizeOrTag & 3) == 2) return false;  // negative: not a thread ident
    digits = sizeOrTag >> 3;
  } else {
    if (sizeOrTag < 0) return false;
    digits = sizeOrTag;
  }
  if (digits > 3) return false;  // idents fit in 64 bits = at most 3 30-bit digits
  value = 0;
  for (int64_t i = 0; i < digits; ++i) {
    uint32_t d;
    memcpy(&d, buf + layout_.longDigits + 4 * i, 4);
    value |= static_cast<uint64_t>(d & 0x3fffffff) << (30 * i);
  }
  return true;
}

uint64_t ThreadNames::instanceAttribute(uint64_t obj, const std::string& name) {
  const PythonLayout& L = layout_;
  bool ok = true;
  uint64_t type = word(obj + 8, ok);
  uint64_t flags = word(type + L.typeFlags, ok);
  int64_t dictOffset = static_cast<int64_t>(word(type + L.typeDictOffset, ok));
  int64_t basicSize = static_cast<int64_t>(word(type + L.typeBasicSize, ok));
  if (!ok) return 0;
  uint64_t found = 0;
  std::string text;
  auto match = [&](uint64_t k, uint64_t v) {
    if (readRemoteString(memory_, L, k, text) && text == name) found = v;
    return found != 0;
  };
  if (L.managedDictFlag == kAbsent || !(flags & static_cast<uint64_t>(L.managedDictFlag))) {
    if (dictOffset <= 0 || dictOffset > 4096) return 0;
    uint64_t dict = word(obj + dictOffset, ok);
    return ok && dict ? findStrKey(dict, name) : 0;
  }
  // Managed dicts (3.11+): attribute values live beside the object, keyed by
  // the type's shared keys, until a real dict is created for it.
  uint64_t sharedKeys = word(type + L.heapTypeCachedKeys, ok);
  if (L.minor == 11) {
    uint64_t values = word(obj - 32, ok);
    uint64_t dict = word(obj - 24, ok);
    if (!ok) return 0;
    if (dict) return findStrKey(dict, name);
    if (values) scanKeys(sharedKeys, values, match);
    return found;
  }
  if (L.minor == 12) {
    uint64_t dictOrValues = word(obj - 24, ok);
    if (!ok || !dictOrValues) return 0;
    if (dictOrValues & 1) {
      scanKeys(sharedKeys, dictOrValues + 1, match);
      return found;
    }
    return findStrKey(dictOrValues, name);
  }
  // 3.13: inline values right after the object while they are valid.
  if (L.inlineValuesFlag != kAbsent && (flags & static_cast<uint64_t>(L.inlineValuesFlag)) &&
      basicSize > 0 && basicSize < 4096) {
    uint8_t valid = 0;
    uint64_t values = obj + static_cast<uint64_t>(basicSize);
    if (memory_.read(values + L.dictValuesValid, &valid, 1) == ReadResult::Ok && valid) {
      scanKeys(sharedKeys, values + L.dictValuesValues, match);
      return found;
    }
  }
  uint64_t dict = word(obj - 24, ok);
  return ok && dict ? findStrKey(dict, name) : 0;
}

uint64_t ThreadNames::locateActive() {
  const PythonLayout& L = layout_;
  bool ok = true;
  uint64_t interp = word(runtime_ + L.runtimeInterpretersHead, ok);
  uint64_t modules = word(interp + L.interpModules, ok);
  if (!ok || !modules) return 0;
  dictType_ = word(modules + 8, ok);  // PyDict_Type: sys.modules is a plain dict
  uint64_t threading = findStrKey(modules, "threading");
  uint64_t moduleDict = threading ? word(threading + L.moduleDict, ok) : 0;
  return ok && moduleDict ? findStrKey(moduleDict, "_active") : 0;
}

uint64_t ThreadNames::findThread(uint64_t active, uint64_t ident) {
  bool ok = true;
  if (!active || word(active + 8, ok) != dictType_ || !ok) return 0;
  uint64_t thread = 0;
  scanDict(active, [&](uint64_t k, uint64_t v) {
    uint64_t id;
    if (readInt(k, id) && id == ident) thread = v;
    return thread != 0;
  });
  return thread;
}

std::string ThreadNames::nameOf(uint64_t ident, int32_t tid) {
  const PythonLayout& L = layout_;
  if (L.interpModules == kAbsent || L.dictKeys == kAbsent) return "";
  uint64_t thread = findThread(active_, ident);
  if (!thread) {
    active_ = locateActive();
    thread = findThread(active_, ident);
  }
  if (!thread) return "";
  // `_native_id` is set before the thread enters _active; an unreadable one
  // (None, or an object being changed) is not trusted either.
  uint64_t nativeId = instanceAttribute(thread, "_native_id");
  uint64_t tidOfThread = 0;
  if (!nativeId || !readInt(nativeId, tidOfThread) ||
      tidOfThread != static_cast<uint64_t>(static_cast<uint32_t>(tid))) {
    return "";
  }
  uint64_t name = instanceAttribute(thread, "_name");
  std::string text;
  if (!name || !readRemoteString(memory_, L, name, text)) return "";
  return text;
}

}  // namespace hotpath

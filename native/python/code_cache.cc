#include "python/code_cache.h"

#include <cstring>

#include "python/field.h"
#include "python/line_table.h"
#include "python/refcount.h"
#include "python/remote_string.h"

namespace hotpath {
namespace {

// Line tables are a few bytes per instruction; anything larger is torn.
constexpr int64_t kMaxLineTableBytes = 1 << 22;
// co_flags of generators, coroutines and async generators (CO_GENERATOR,
// CO_COROUTINE, CO_ITERABLE_COROUTINE, CO_ASYNC_GENERATOR).
constexpr int32_t kResumableFlags = 0x20 | 0x80 | 0x100 | 0x200;
// Most names and paths fit in one read of this size, header included.
constexpr size_t kStringProbe = 256;

}  // namespace

bool CodeCache::sameIdentity(const uint8_t* a, const uint8_t* b) const {
  int32_t nameOffset = layout_.codeQualname != kAbsent ? layout_.codeQualname : layout_.codeName;
  auto same = [a, b](int32_t offset, size_t size) {
    return memcmp(a + offset, b + offset, size) == 0;
  };
  return liveRefcount(field<int64_t>(b, 0)) && same(8, 8) && same(layout_.codeFilename, 8) &&
         same(nameOffset, 8) && same(layout_.codeLinetable, 8) && same(layout_.codeFirstLine, 4);
}

CodeCache::Entry* CodeCache::lookup(uint64_t addr, const uint8_t* header, SampleMemory& memory) {
  // A live code object is referenced and of the code type; one being freed
  // or freed (its strings and line table released, the memory maybe reused)
  // has no references left or a free-list link in their place.
  if (!header || field<uint64_t>(header, 8) != codeType_) return nullptr;  // ob_type
  if (!liveRefcount(field<int64_t>(header, 0))) return nullptr;
  int32_t nameOffset = layout_.codeQualname != kAbsent ? layout_.codeQualname : layout_.codeName;
  uint64_t filenamePtr = field<uint64_t>(header, layout_.codeFilename);
  uint64_t namePtr = field<uint64_t>(header, nameOffset);
  uint64_t linetablePtr = field<uint64_t>(header, layout_.codeLinetable);
  int32_t firstLine = field<int32_t>(header, layout_.codeFirstLine);

  auto it = byAddr_.find(addr);
  if (it != byAddr_.end()) {
    Entry& e = it->second;
    if (e.filenamePtr == filenamePtr && e.namePtr == namePtr && e.linetablePtr == linetablePtr &&
        e.firstLine == firstLine) {
      return &e;
    }
    byAddr_.erase(it);  // a different code object now lives here
  }

  ++misses_;
  CodeInfo info;
  info.firstLine = firstLine;
  Entry e;
  if (firstLine < 0 || !readString(filenamePtr, memory, info.filename) ||
      !readString(namePtr, memory, info.name) || !readBytes(linetablePtr, memory, e.linetable)) {
    return nullptr;
  }
  if (layout_.codeFirstTraceable != kAbsent) {
    e.firstTraceable = field<int32_t>(header, layout_.codeFirstTraceable);
    e.codeUnits = field<int64_t>(header, layout_.bytesSize);  // ob_size: code units
    // A first traceable instruction past the end is no tear: CPython 3.14+ give their
    // trampolines (the `__init__` cleanup shim of specialised class calls) one so that
    // their frames are never shown; resolveFrames hides them the same way.
    if (e.firstTraceable < 0 || e.codeUnits <= 0 || e.firstTraceable > (1 << 20)) return nullptr;
  }
  if (layout_.codeFramesize != kAbsent) {
    e.frameWords = field<int32_t>(header, layout_.codeFramesize);
  } else if (layout_.codeNlocalsplus != kAbsent && layout_.codeStacksize != kAbsent) {
    e.frameWords = field<int32_t>(header, layout_.codeNlocalsplus) +
                   field<int32_t>(header, layout_.codeStacksize) + layout_.frameSpecialsWords;
  }
  if (e.frameWords < 0 || e.frameWords > (1 << 20)) return nullptr;
  if (layout_.codeFlags != kAbsent) {
    e.resumable = (field<int32_t>(header, layout_.codeFlags) & kResumableFlags) != 0;
  }
  // The header may be from a moment ago: if the code object was freed since,
  // the strings and line table just read may be another object's memory.
  // Still alive and unchanged now, it held them all along.
  fresh_.resize(headerSize());
  if (!memory.copyNow(addr, fresh_.data(), fresh_.size()) || !sameIdentity(header, fresh_.data())) {
    return nullptr;
  }
  e.filenamePtr = filenamePtr;
  e.namePtr = namePtr;
  e.linetablePtr = linetablePtr;
  e.firstLine = firstLine;
  e.id = intern(std::move(info));
  return &byAddr_.emplace(addr, std::move(e)).first->second;
}

uint32_t CodeCache::intern(CodeInfo&& info) {
  std::string key = info.filename;
  key += '\0';
  key += info.name;
  key += '\0';
  key += std::to_string(info.firstLine);
  auto it = byContent_.find(key);
  if (it != byContent_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(infos_.size());
  infos_.push_back(std::move(info));
  byContent_.emplace(std::move(key), id);
  return id;
}

bool CodeCache::readString(uint64_t addr, SampleMemory& memory, std::string& out) {
  // Read afresh and not remembered for prefetching: a code object's strings
  // are read once, and may be younger than the sample's snapshots.
  const uint8_t* p = memory.readNow(addr, kStringProbe);
  size_t have = kStringProbe;
  if (!p) {
    // The object may sit at the very end of a mapping: retry with the header only.
    have = static_cast<size_t>(layout_.strCompactData) + 8;
    p = memory.readNow(addr, have);
    if (!p) return false;
  }
  StrHeader h;
  if (!parseStrHeader(p, have, addr, layout_, h)) return false;
  uint64_t bytes = h.length * static_cast<uint64_t>(h.kind);
  const uint8_t* chars;
  if (h.dataAddr >= addr && h.dataAddr + bytes <= addr + have) {
    chars = p + (h.dataAddr - addr);
  } else {
    chars = memory.readNow(h.dataAddr, bytes);
    if (!chars && bytes > 0) return false;
  }
  out.clear();
  return appendUtf8(chars, h.length, h.kind, out);
}

bool CodeCache::readBytes(uint64_t addr, SampleMemory& memory, std::vector<uint8_t>& out) {
  size_t headerLen = static_cast<size_t>(layout_.bytesData);
  const uint8_t* p = memory.readNow(addr, kStringProbe);
  size_t have = kStringProbe;
  if (!p) {
    have = headerLen;
    p = memory.readNow(addr, have);
    if (!p) return false;
  }
  int64_t size = field<int64_t>(p, layout_.bytesSize);
  if (size < 0 || size > kMaxLineTableBytes) return false;
  size_t n = static_cast<size_t>(size);
  if (headerLen + n <= have) {
    out.assign(p + headerLen, p + headerLen + n);
    return true;
  }
  const uint8_t* data = memory.readNow(addr + headerLen, n);
  if (!data) return false;
  out.assign(data, data + n);
  return true;
}

int32_t CodeCache::line(Entry& e, int32_t offset) {
  auto it = e.lines.find(offset);
  if (it != e.lines.end()) return it->second;
  const uint8_t* t = e.linetable.data();
  size_t n = e.linetable.size();
  int32_t line;
  if (offset < 0) {
    line = e.firstLine;  // the frame has not executed an instruction yet
  } else if (layout_.minor <= 9) {
    line = lineFromLnotab(t, n, e.firstLine, offset);
  } else if (layout_.minor == 10) {
    line = lineFromLinetable310(t, n, e.firstLine, offset * 2);
    if (line < 0) line = e.firstLine;
  } else {
    line = lineFromLocationTable(t, n, e.firstLine, offset);
    // Instructions without a location (e.g. a cache slot) report the line
    // of the instruction before them, as tracebacks do.
    for (int32_t back = offset - 1; line < 0 && back >= 0 && offset - back < 64; --back) {
      line = lineFromLocationTable(t, n, e.firstLine, back);
    }
    if (line < 0) line = e.firstLine;
  }
  if (line < 0) line = 0;
  e.lines.emplace(offset, line);
  return line;
}

}  // namespace hotpath

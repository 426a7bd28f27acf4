// Code objects → interned CodeInfo ids, cached by address.
//
// Addresses are reused by new objects once a code object is freed, so a hit
// is only trusted when the code object's header still holds the same type,
// name, file and line-table pointers and first line (the header is read with
// the rest of the stack, so validation costs no extra system call).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "python/layout.h"
#include "python/python_reader.h"
#include "python/sample_memory.h"

namespace hotpath {

class CodeCache {
 public:
  CodeCache(const PythonLayout& layout, uint64_t codeTypeAddr)
      : layout_(layout), codeType_(codeTypeAddr) {}

  // Bytes of a code object's header that lookup() needs.
  size_t headerSize() const { return static_cast<size_t>(layout_.codeSize); }

  struct Entry {
    uint32_t id = 0;
    int32_t firstLine = 0;
    int32_t firstTraceable = 0;  // 3.11+: code units before the first traceable instruction
    int64_t codeUnits = 0;       // 3.11+: length of co_code_adaptive
    int32_t frameWords = 0;      // 3.12+: co_framesize (0: unknown)
    bool resumable = false;      // ≤ 3.10: a generator's or coroutine's code (co_flags)
    uint64_t filenamePtr = 0, namePtr = 0, linetablePtr = 0;
    std::vector<uint8_t> linetable;
    std::unordered_map<int32_t, int32_t> lines;  // instruction offset → line
    // 3.11+: co_code_adaptive as last read (specialisation rewrites its
    // opcodes, each within its family), the sample it was read at (0: never),
    // and which code units start an instruction (the others are inline cache
    // entries); empty if unknown. Kept by returned_frames.cc.
    uint64_t adaptiveReadAt = 0;
    std::vector<uint8_t> adaptive;
    std::vector<bool> starts;
  };

  // The entry for the code object at `addr` whose header was read into
  // `header`, resolving (strings, line table) on a miss. Null when it is not
  // a valid code object (a torn read).
  Entry* lookup(uint64_t addr, const uint8_t* header, SampleMemory& memory);

  // The entry last made for `addr`, not checked against the object there now
  // (null when none): for a judgement the sample can afford to get wrong
  // now and then, without reading the header again.
  Entry* known(uint64_t addr) {
    auto it = byAddr_.find(addr);
    return it == byAddr_.end() ? nullptr : &it->second;
  }

  // Line for an instruction offset: bytes (3.8/3.9 f_lasti), code units
  // (3.10 f_lasti, 3.11+ instruction index). 0 when unknown.
  int32_t line(Entry& entry, int32_t offset);

  const CodeInfo& info(uint32_t id) const { return infos_[id]; }
  uint32_t count() const { return static_cast<uint32_t>(infos_.size()); }
  uint64_t misses() const { return misses_; }

 private:
  bool readString(uint64_t addr, SampleMemory& memory, std::string& out);
  bool readBytes(uint64_t addr, SampleMemory& memory, std::vector<uint8_t>& out);
  uint32_t intern(CodeInfo&& info);
  // Both headers are of one live code object: referenced (b), same type, names, line table.
  bool sameIdentity(const uint8_t* a, const uint8_t* b) const;

  const PythonLayout& layout_;
  uint64_t codeType_;
  std::unordered_map<uint64_t, Entry> byAddr_;
  std::unordered_map<std::string, uint32_t> byContent_;
  // A deque so references handed out by info() survive later interning.
  std::deque<CodeInfo> infos_;
  std::vector<uint8_t> fresh_;  // a code object's header re-read after resolving it
  uint64_t misses_ = 0;
};

}  // namespace hotpath

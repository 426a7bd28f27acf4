// Python thread names (Thread.name) read from the target's threading module:
// sys.modules["threading"]._active[ident]._name. Several dependent reads, so
// callers ask once per new thread; every failure just yields "".
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "os/process_memory.h"
#include "python/layout.h"

namespace hotpath {

class ThreadNames {
 public:
  ThreadNames(ProcessMemory& memory, const PythonLayout& layout, uint64_t runtimeAddr)
      : memory_(memory), layout_(layout), runtime_(runtimeAddr) {}

  // The name of the thread whose threading.get_ident() is `ident` and whose
  // kernel thread id is `tid`, or "". The C library hands a joined thread's
  // ident to the next thread, so a name looked up late (a retry for a thread
  // first seen before it registered) could be its successor's: the Thread's
  // `_native_id` (3.8+) must be `tid`.
  std::string nameOf(uint64_t ident, int32_t tid);

 private:
  // Calls `visit(key, value)` for each entry of a dict's key table, values
  // taken from `values` (split tables) when non-zero. Stops when it returns true.
  bool scanKeys(uint64_t keys, uint64_t values,
                const std::function<bool(uint64_t, uint64_t)>& visit);
  bool scanDict(uint64_t dict, const std::function<bool(uint64_t, uint64_t)>& visit);
  uint64_t findStrKey(uint64_t dict, const std::string& key);
  uint64_t instanceAttribute(uint64_t obj, const std::string& name);
  bool readInt(uint64_t obj, uint64_t& value);
  uint64_t word(uint64_t addr, bool& ok);
  uint64_t locateActive();
  uint64_t findThread(uint64_t active, uint64_t ident);

  ProcessMemory& memory_;
  const PythonLayout& layout_;
  uint64_t runtime_;
  // threading._active: one dict for the life of the program (mutated in
  // place), so it is looked up once and re-located only when it stops
  // being a dict or lacks a thread.
  uint64_t active_ = 0;
  uint64_t dictType_ = 0;
};

}  // namespace hotpath

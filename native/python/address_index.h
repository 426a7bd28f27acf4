// A hash map from target addresses to small numbers, emptied in O(1).
//
// The reader meets the same addresses many times per sample (frames of a
// chain, code objects of a recursion, ranges to prefetch) and needs to know
// whether it has met one before. Sorting those lists every sample cost more
// than reading the stack itself for deep stacks; this is one probe per address.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hotpath {

class AddressIndex {
 public:
  // Forgets every address. Cheap: entries of older generations read as empty.
  void clear() {
    count_ = 0;
    if (++generation_ == 0) {  // wrapped: stale stamps could match again
      for (Slot& s : slots_) s.generation = 0;
      generation_ = 1;
    }
  }

  // Adds `addr` with `value` unless it is there. Returns the value stored
  // for `addr`; `inserted` says which case it was.
  uint32_t insert(uint64_t addr, uint32_t value, bool& inserted) {
    if (2 * (count_ + 1) > slots_.size()) grow();
    size_t mask = slots_.size() - 1;
    for (size_t i = hash(addr) & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.generation != generation_) {
        s = Slot{addr, value, generation_};
        ++count_;
        inserted = true;
        return value;
      }
      if (s.addr == addr) {
        inserted = false;
        return s.value;
      }
    }
  }

  // Adds `addr`; false when it was already there.
  bool add(uint64_t addr) {
    bool inserted = false;
    insert(addr, 0, inserted);
    return inserted;
  }

  size_t size() const { return count_; }

 private:
  struct Slot {
    uint64_t addr = 0;
    uint32_t value = 0;
    uint32_t generation = 0;
  };

  static size_t hash(uint64_t addr) {
    // Objects are 8- or 16-byte aligned: drop the low bits, spread the rest.
    return static_cast<size_t>(((addr >> 3) * 0x9E3779B97F4A7C15ull) >> 32);
  }

  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    uint32_t live = generation_;
    generation_ = 1;
    count_ = 0;
    for (const Slot& s : old) {
      if (s.generation != live) continue;
      bool inserted = false;
      insert(s.addr, s.value, inserted);
    }
  }

  std::vector<Slot> slots_;
  uint32_t generation_ = 1;
  size_t count_ = 0;
};

}  // namespace hotpath

// What a live object's reference count can be, read from another process.
#pragma once

#include <cstdint>

namespace hotpath {

// Live objects are referenced. The allocator reuses a freed object's first
// word (ob_refcnt, for objects without a GC header) as its free-list link, so
// a freed object reads as a pointer-sized count; no real count comes near
// 2^32 (3.12/3.13 immortal objects sit exactly at 2^32 - 1). 3.14+ split the
// word: a 32-bit count, a 16-bit overflow count, then 16 bits of flags
// (statically allocated objects set them). A user-space pointer (below 2^47)
// always has bits in the overflow half, never in the flags.
inline bool liveRefcount(int64_t refs) {
  uint64_t word = static_cast<uint64_t>(refs);
  return (word & 0xFFFFFFFFu) != 0 && ((word >> 32) & 0xFFFFu) == 0;
}

}  // namespace hotpath

// What a live object's reference count can be, read from another process.
#pragma once

#include <cstdint>

namespace hotpath {

// Live objects are referenced. The allocator reuses a freed object's first
// word (ob_refcnt, for objects without a GC header) as its free-list link, so
// a freed object reads as a pointer-sized count; no real count comes near
// 2^32 (3.12+ immortal objects sit exactly at 2^32 - 1).
inline bool liveRefcount(int64_t refs) { return refs > 0 && refs <= 0xFFFFFFFFll; }

}  // namespace hotpath

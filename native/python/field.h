// A value of type T at a byte offset of memory read from the target (which
// may be unaligned).
#pragma once

#include <cstdint>
#include <cstring>

namespace hotpath {

template <typename T>
T field(const uint8_t* base, int32_t offset) {
  T v;
  memcpy(&v, base + offset, sizeof v);
  return v;
}

}  // namespace hotpath

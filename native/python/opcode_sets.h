// Which instructions of one CPython version can have a Python callee while
// they run (generated per version: opcodes_generated.h, gen_opcodes.py).
#pragma once

#include <cstdint>

namespace hotpath {

struct OpcodeSets {
  // 3.11+: pushes a Python frame itself (the callee links straight to it).
  uint64_t inlineCall[4] = {0, 0, 0, 0};
  // Runs no Python code at all: a frame at one of these has no callee.
  uint64_t noCall[4] = {0, 0, 0, 0};
  // 3.11+: inline cache entries (code units) that follow the instruction.
  uint8_t cacheUnits[256] = {};
  // 3.11+: where a frame that returned, or a generator's that yielded, was
  // left (RETURN_VALUE, RETURN_CONST, YIELD_VALUE).
  uint64_t returns[4] = {0, 0, 0, 0};

  static bool has(const uint64_t (&set)[4], uint8_t op) { return (set[op >> 6] >> (op & 63)) & 1; }
};

// False for a version without tables (every instruction may then call).
bool opcodeSetsFor(int minor, OpcodeSets& out);

}  // namespace hotpath

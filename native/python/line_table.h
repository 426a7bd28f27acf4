// Current line from a code object's line table, one decoder per format.
// Each returns -1 when the offset has no line (the caller falls back).
#pragma once

#include <cstddef>
#include <cstdint>

namespace hotpath {

// 3.8/3.9 co_lnotab; `byteOffset` is f_lasti (bytes).
int32_t lineFromLnotab(const uint8_t* table, size_t len, int32_t firstLine, int32_t byteOffset);

// 3.10 co_linetable; `byteOffset` is 2 * f_lasti.
int32_t lineFromLinetable310(const uint8_t* table, size_t len, int32_t firstLine,
                             int32_t byteOffset);

// 3.11+ location table; `unit` is the instruction index in code units (2 bytes).
int32_t lineFromLocationTable(const uint8_t* table, size_t len, int32_t firstLine, int32_t unit);

}  // namespace hotpath

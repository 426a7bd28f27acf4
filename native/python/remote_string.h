// Decoding a CPython str object, already read into local memory, to UTF-8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "python/layout.h"

namespace hotpath {

// Longest name or path the reader accepts; longer means a torn read.
constexpr uint64_t kMaxStringChars = 4096;

struct StrHeader {
  uint64_t length = 0;
  int kind = 0;  // bytes per character: 1, 2 or 4
  bool compact = false;
  bool ascii = false;
  uint64_t dataAddr = 0;  // where the characters are in the target
};

// Parses the header of the str at `objAddr` from `bytes` (≥ strCompactData
// bytes of it). Returns false when the header is implausible.
bool parseStrHeader(const uint8_t* bytes, size_t len, uint64_t objAddr, const PythonLayout& layout,
                    StrHeader& out);

// Appends the UTF-8 encoding of `length` characters of width `kind` at `chars`.
// Returns false on an invalid code point (surrogates are kept as U+FFFD).
bool appendUtf8(const uint8_t* chars, uint64_t length, int kind, std::string& out);

}  // namespace hotpath

namespace hotpath {

class ProcessMemory;

// Reads the str object at `addr` from the target (one read for most names)
// and decodes it to UTF-8. False when it is not a plausible str.
bool readRemoteString(ProcessMemory& memory, const PythonLayout& layout, uint64_t addr,
                      std::string& out);

}  // namespace hotpath

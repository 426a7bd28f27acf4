#include "python/remote_string.h"

#include <cstring>

namespace hotpath {

bool parseStrHeader(const uint8_t* bytes, size_t len, uint64_t objAddr, const PythonLayout& layout,
                    StrHeader& out) {
  if (len < static_cast<size_t>(layout.strCompactData)) return false;
  int64_t length;
  uint32_t state;
  memcpy(&length, bytes + layout.strLength, sizeof length);
  memcpy(&state, bytes + layout.strState, sizeof state);
  if (length < 0 || static_cast<uint64_t>(length) > kMaxStringChars) return false;
  // state: interned bits 0–1, kind bits 2–4, compact bit 5, ascii bit 6.
  int kind = (state >> 2) & 7;
  if (kind != 1 && kind != 2 && kind != 4) return false;
  out.length = static_cast<uint64_t>(length);
  out.kind = kind;
  out.compact = (state >> 5) & 1;
  out.ascii = (state >> 6) & 1;
  if (out.ascii && kind != 1) return false;
  if (out.compact) {
    out.dataAddr = objAddr + (out.ascii ? layout.strAsciiData : layout.strCompactData);
  } else {
    if (len < static_cast<size_t>(layout.strDataPtr) + 8) return false;
    uint64_t ptr;
    memcpy(&ptr, bytes + layout.strDataPtr, sizeof ptr);
    out.dataAddr = ptr;
  }
  return out.dataAddr != 0;
}

bool appendUtf8(const uint8_t* chars, uint64_t length, int kind, std::string& out) {
  out.reserve(out.size() + length);
  for (uint64_t i = 0; i < length; ++i) {
    uint32_t c;
    if (kind == 1) {
      c = chars[i];
    } else if (kind == 2) {
      uint16_t v;
      memcpy(&v, chars + 2 * i, 2);
      c = v;
    } else {
      memcpy(&c, chars + 4 * i, 4);
    }
    if (c > 0x10ffff) return false;
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;  // lone surrogate (surrogateescape names)
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xe0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (c & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (c & 0x3f));
    }
  }
  return true;
}

}  // namespace hotpath

#include <vector>

#include "os/process_memory.h"

namespace hotpath {

bool readRemoteString(ProcessMemory& memory, const PythonLayout& layout, uint64_t addr,
                      std::string& out) {
  uint8_t probe[256];
  size_t have = sizeof probe;
  if (memory.read(addr, probe, have) != ReadResult::Ok) {
    have = static_cast<size_t>(layout.strCompactData) + 8;
    if (memory.read(addr, probe, have) != ReadResult::Ok) return false;
  }
  StrHeader h;
  if (!parseStrHeader(probe, have, addr, layout, h)) return false;
  uint64_t bytes = h.length * static_cast<uint64_t>(h.kind);
  out.clear();
  if (h.dataAddr >= addr && h.dataAddr + bytes <= addr + have) {
    return appendUtf8(probe + (h.dataAddr - addr), h.length, h.kind, out);
  }
  std::vector<uint8_t> chars(bytes);
  if (bytes && memory.read(h.dataAddr, chars.data(), bytes) != ReadResult::Ok) return false;
  return appendUtf8(chars.data(), h.length, h.kind, out);
}

}  // namespace hotpath

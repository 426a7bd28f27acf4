// Formats: CPython's Objects/lnotab_notes.txt (3.8–3.10) and
// Objects/locations.md (3.11+). Verified against co_lines()/co_positions()
// of the same code objects (see native/tools/README.md).
#include "python/line_table.h"

namespace hotpath {

int32_t lineFromLnotab(const uint8_t* table, size_t len, int32_t firstLine, int32_t byteOffset) {
  int32_t line = firstLine;
  int32_t addr = 0;
  for (size_t i = 0; i + 1 < len; i += 2) {
    addr += table[i];
    if (addr > byteOffset) break;
    line += static_cast<int8_t>(table[i + 1]);
  }
  return line;
}

int32_t lineFromLinetable310(const uint8_t* table, size_t len, int32_t firstLine,
                             int32_t byteOffset) {
  int32_t line = firstLine;
  int32_t end = 0;
  for (size_t i = 0; i + 1 < len; i += 2) {
    int32_t start = end;
    end += table[i];
    int8_t delta = static_cast<int8_t>(table[i + 1]);
    if (delta != -128) line += delta;
    if (start <= byteOffset && byteOffset < end) return delta == -128 ? -1 : line;
  }
  return -1;
}

namespace {

// Reads a 6-bit-group varint (0x40 = more follows). Stops at the table end.
uint32_t readVarint(const uint8_t* table, size_t len, size_t& i) {
  uint32_t value = 0;
  int shift = 0;
  while (i < len) {
    uint8_t b = table[i++];
    value |= static_cast<uint32_t>(b & 0x3f) << shift;
    if (!(b & 0x40) || shift > 24) break;
    shift += 6;
  }
  return value;
}

int32_t readSignedVarint(const uint8_t* table, size_t len, size_t& i) {
  uint32_t v = readVarint(table, len, i);
  return (v & 1) ? -static_cast<int32_t>(v >> 1) : static_cast<int32_t>(v >> 1);
}

}  // namespace

int32_t lineFromLocationTable(const uint8_t* table, size_t len, int32_t firstLine, int32_t unit) {
  int32_t line = firstLine;
  int32_t addr = 0;
  size_t i = 0;
  while (i < len) {
    uint8_t first = table[i++];
    if (!(first & 0x80)) return -1;  // not at an entry start: corrupt table
    int code = (first >> 3) & 0x0f;
    int32_t units = (first & 0x07) + 1;
    int32_t entryLine;  // -1: this entry has no line
    switch (code) {
      case 15:  // no location
        entryLine = -1;
        break;
      case 14:  // long form: line delta, end line delta, column, end column
        line += readSignedVarint(table, len, i);
        entryLine = line;
        readVarint(table, len, i);
        readVarint(table, len, i);
        readVarint(table, len, i);
        break;
      case 13:  // no column information
        line += readSignedVarint(table, len, i);
        entryLine = line;
        break;
      case 10:
      case 11:
      case 12:  // one-line form: delta in the code, then two column bytes
        line += code - 10;
        entryLine = line;
        i += 2;
        break;
      default:  // short form: same line, one column byte
        entryLine = line;
        i += 1;
        break;
    }
    if (unit >= addr && unit < addr + units) return entryLine;
    addr += units;
  }
  return -1;
}

}  // namespace hotpath

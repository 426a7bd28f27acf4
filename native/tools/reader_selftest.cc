// Self-checks of the CPython reader that need no addon (run by
// test/native/pythonReader.test.ts; build line in native/tools/README.md):
//
//   reader_selftest generated DIR      generated 3.8–3.13 tables == DIR/offsets_3.X.txt
//   reader_selftest layout PID FILE    a live target's layout (3.13+: from _Py_DebugOffsets) ==
//   FILE reader_selftest lines DUMP         line-table decoders == CPython's own lines
//   (linetable_dump.py) reader_selftest units              the pure parsers (maps, file names, str,
//   debug offsets)
//
// Prints what differs and exits 1 on any difference.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "os/memory_maps.h"
#include "python/cpython_reader.h"
#include "python/debug_offsets.h"
#include "python/layout_dispatch.h"
#include "python/layouts_current.h"
#include "python/layouts_generated.h"
#include "python/line_table.h"
#include "python/python_binary.h"
#include "python/remote_string.h"
#include "python/sample_memory.h"

namespace {

using hotpath::PythonLayout;

std::map<std::string, long> readOffsets(const std::string& path) {
  std::map<std::string, long> values;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    // "<name possibly with spaces>   <decimal>  0x<hex>"
    std::istringstream words(line);
    std::vector<std::string> parts;
    for (std::string w; words >> w;) parts.push_back(w);
    if (parts.size() < 3) continue;
    std::string name = parts[0];
    for (size_t i = 1; i + 2 < parts.size(); ++i) name += " " + parts[i];
    values[name] = strtol(parts[parts.size() - 2].c_str(), nullptr, 10);
  }
  return values;
}

// Compares each layout field with the verified table's entry for it.
int compareLayout(const PythonLayout& l, const std::map<std::string, long>& table,
                  const std::string& label) {
  struct Check {
    const char* name;
    int32_t value;
  };
  bool frames = l.interpreterFrames();
  std::vector<Check> checks = {
      {"_PyRuntimeState.interpreters.head", l.runtimeInterpretersHead},
      {"_PyRuntimeState.gilstate.tstate_current", l.runtimeGilstateTstateCurrent},
      {"PyInterpreterState.next", l.interpNext},
      {l.minor <= 10 ? "PyInterpreterState.tstate_head" : "PyInterpreterState.threads.head",
       l.interpThreadsHead},
      {"PyInterpreterState.ceval.gil", l.interpCevalGil},
      {"struct _gil_runtime_state.last_holder", l.gilLastHolder},
      {"struct _gil_runtime_state.locked", l.gilLocked},
      {"sizeof(PyThreadState)", l.tstateSize},
      {"PyThreadState.next", l.tstateNext},
      {"PyThreadState.interp", l.tstateInterp},
      {"PyThreadState.thread_id", l.tstateThreadId},
      {l.minor <= 10   ? "PyThreadState.frame"
       : l.minor <= 12 ? "PyThreadState.cframe"
                       : "PyThreadState.current_frame",
       l.tstateFrame},
      {"_PyCFrame.current_frame", l.cframeCurrentFrame},
      {"PyThreadState.native_thread_id", l.tstateNativeThreadId},
      {"PyThreadState.datastack_chunk", l.tstateDatastackChunk},
      {"PyThreadState._status", l.tstateStatus},
      {"PyThreadState.datastack_top", l.tstateDatastackTop},
      {"PyThreadState.holds_gil", l.tstateHoldsGil},
      {"PyThreadState.base_frame", l.tstateBaseFrame},
      {"PyThreadState._status.bound (bit)", l.statusBoundBit},
      {"PyThreadState._status.finalizing (bit)", l.statusFinalizingBit},
      {"PyCodeObject._co_firsttraceable", l.codeFirstTraceable},
      {frames ? "_PyInterpreterFrame.localsplus" : "sizeof(PyFrameObject)", l.frameSize},
      {frames ? "_PyInterpreterFrame.previous" : "PyFrameObject.f_back", l.frameBack},
      {frames ? (l.minor >= 13 ? "_PyInterpreterFrame.f_executable" : "_PyInterpreterFrame.f_code")
              : "PyFrameObject.f_code",
       l.frameCode},
      {"PyFrameObject.f_lasti", l.frameLasti},
      {l.minor >= 13 ? "_PyInterpreterFrame.instr_ptr" : "_PyInterpreterFrame.prev_instr",
       l.frameInstr},
      {"_PyInterpreterFrame.owner", l.frameOwner},
      {"sizeof(PyCodeObject)", l.codeSize},
      {"PyCodeObject.co_firstlineno", l.codeFirstLine},
      {"PyCodeObject.co_filename", l.codeFilename},
      {"PyCodeObject.co_name", l.codeName},
      {"PyCodeObject.co_qualname", l.codeQualname},
      {l.minor <= 9 ? "PyCodeObject.co_lnotab" : "PyCodeObject.co_linetable", l.codeLinetable},
      {"PyCodeObject.co_code_adaptive", l.codeAdaptive},
      {"PyInterpreterState.imports.modules", l.interpModules},
      {"PyTypeObject.tp_flags", l.typeFlags},
      {"PyTypeObject.tp_basicsize", l.typeBasicSize},
      {"PyTypeObject.tp_dictoffset", l.typeDictOffset},
      {"PyHeapTypeObject.ht_cached_keys", l.heapTypeCachedKeys},
      {"PyDictObject.ma_keys", l.dictKeys},
      {"PyDictObject.ma_values", l.dictValues},
      {"PyLongObject.long_value.ob_digit", l.longDigits},
      {"PyASCIIObject.length", l.strLength},
      {"PyASCIIObject.state", l.strState},
      {"sizeof(PyASCIIObject)", l.strAsciiData},
      {"sizeof(PyCompactUnicodeObject)", l.strCompactData},
      {"PyUnicodeObject.data", l.strDataPtr},
      {"PyVarObject.ob_size", l.bytesSize},
      {"PyBytesObject.ob_sval", l.bytesData},
  };
  int failures = 0, compared = 0;
  for (const Check& c : checks) {
    auto it = table.find(c.name);
    if (c.value == hotpath::kAbsent) continue;  // not used by the reader for this version
    if (it == table.end()) {
      // The older tables list what the reader used then; a field added
      // since must be listed for the releases that introduced it (3.14+).
      if (l.minor < 14) continue;
      printf("%s: %s = %d has no entry in the verified table\n", label.c_str(), c.name, c.value);
      ++failures;
      continue;
    }
    ++compared;
    if (it->second != c.value) {
      printf("%s: %s is %d, verified %ld\n", label.c_str(), c.name, c.value, it->second);
      ++failures;
    }
  }
  printf("%s: %d fields compared, %d differ\n", label.c_str(), compared, failures);
  return failures;
}

int checkGenerated(const std::string& dir) {
  namespace g = hotpath::generated;
  const PythonLayout layouts[] = {g::layout_3_8(),  g::layout_3_9(),  g::layout_3_10(),
                                  g::layout_3_11(), g::layout_3_12(), g::layout_3_13()};
  int failures = 0;
  for (const PythonLayout& l : layouts) {
    std::string file = dir + "/offsets_3." + std::to_string(l.minor) + ".txt";
    auto table = readOffsets(file);
    if (table.empty()) {
      printf("cannot read %s\n", file.c_str());
      return 1;
    }
    failures += compareLayout(l, table, "generated 3." + std::to_string(l.minor));
  }
  return failures ? 1 : 0;
}

int checkLive(int pid, const std::string& file) {
  auto reader = hotpath::PythonReader::attach(pid, hotpath::ReaderOptions{});
  auto* impl = dynamic_cast<hotpath::CPythonReader*>(reader.get());
  auto table = readOffsets(file);
  if (!impl || table.empty()) {
    printf("cannot compare (reader or %s missing)\n", file.c_str());
    return 1;
  }
  int failures = compareLayout(impl->layout(), table, "live " + reader->version());
  if (impl->layout().minor >= 14) {
    // A field list that declares the struct one value too long or too short
    // ends it elsewhere: _PyRuntimeState continues with `int _initialized`,
    // 1 once the runtime is up, and `int preinitializing`, 0 by then.
    auto memory = hotpath::openProcessMemory(pid);
    hotpath::PythonBinary bin = hotpath::findPythonBinary(pid, *memory);
    hotpath::DebugOffsetPositions p = impl->layout().minor == 14
                                          ? hotpath::current::debugPositions_3_14()
                                          : hotpath::current::debugPositions_3_15();
    int32_t after[2] = {0, 0};
    bool read =
        memory->read(bin.runtimeAddr + p.size, after, sizeof after) == hotpath::ReadResult::Ok;
    bool ends = read && after[0] == 1 && after[1] == 0;
    printf("live %s: _Py_DebugOffsets is %d bytes: %s\n", reader->version().c_str(), p.size,
           ends ? "_PyRuntimeState._initialized follows" : "the runtime does not continue there");
    if (!ends) ++failures;
  }
  return failures ? 1 : 0;
}

std::vector<uint8_t> fromHex(const std::string& hex) {
  std::vector<uint8_t> out;
  if (hex == "-") return out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

int checkLines(const std::string& path) {
  std::ifstream in(path);
  std::string word;
  int minor = 0, firstLine = 0;
  std::vector<uint8_t> table;
  long codes = 0, positions = 0, failures = 0;
  while (in >> word) {
    if (word == "code") {
      std::string hex;
      in >> minor >> firstLine >> hex;
      table = fromHex(hex);
      ++codes;
      continue;
    }
    int offset = std::stoi(word);
    int expected;
    in >> expected;
    int got;
    if (minor <= 9) {
      got = hotpath::lineFromLnotab(table.data(), table.size(), firstLine, offset);
    } else if (minor == 10) {
      got = hotpath::lineFromLinetable310(table.data(), table.size(), firstLine, offset);
    } else {
      got = hotpath::lineFromLocationTable(table.data(), table.size(), firstLine, offset);
    }
    ++positions;
    if (got != expected && ++failures <= 10) {
      printf("3.%d code at line %d, offset %d: decoded %d, CPython says %d\n", minor, firstLine,
             offset, got, expected);
    }
  }
  printf("3.%d: %ld code objects, %ld positions, %ld differ\n", minor, codes, positions, failures);
  return (failures || positions == 0) ? 1 : 0;
}

int unitFailures = 0;

void expect(bool ok, const std::string& what) {
  if (!ok) {
    printf("FAILED: %s\n", what.c_str());
    ++unitFailures;
  }
}

int checkUnits() {
  // /proc/PID/maps lines, including a path with spaces and a deleted file.
  auto maps = hotpath::parseMemoryMaps(
      "7f00a000-7f00b000 r-xp 00001000 08:01 123   /usr/lib/libpython3.12.so.1.0\n"
      "7f00c000-7f00d000 rw-p 00000000 00:00 0 \n"
      "55550000-55551000 r--p 00000000 08:01 9   /home/me/my dir/python3.11 (deleted)\n"
      "garbage\n");
  expect(maps.size() == 3, "three mappings parsed, garbage skipped");
  if (maps.size() == 3) {
    expect(maps[0].start == 0x7f00a000 && maps[0].end == 0x7f00b000, "range");
    expect(maps[0].fileOffset == 0x1000 && maps[0].executable, "offset and perms");
    expect(maps[0].path == "/usr/lib/libpython3.12.so.1.0", "path");
    expect(maps[1].path.empty(), "anonymous mapping has no path");
    expect(maps[2].path == "/home/me/my dir/python3.11 (deleted)", "path with spaces");
    expect(hotpath::pathInTargetRoot(42, maps[2].path) == "/proc/42/root/home/me/my dir/python3.11",
           "deleted suffix dropped, target root prefixed");
  }

  struct NameCase {
    const char* path;
    bool ok;
    int minor;
    const char* flags;
    bool library;
  };
  const NameCase names[] = {
      {"/x/libpython3.12.so.1.0", true, 12, "", true},
      {"/usr/bin/python3.11", true, 11, "", false},
      {"/x/libpython3.13t.so.1.0", true, 13, "t", true},
      {"/x/libpython3.8d.so", true, 8, "d", true},
      {"/x/libpython3.7m.so.1.0", true, 7, "m", true},
      {"/usr/bin/python3.11-config", false, 0, "", false},
      {"/usr/bin/python3", false, 0, "", false},
      {"/x/libpythonista.so", false, 0, "", false},
      {"/x/python3.12 (deleted)", true, 12, "", false},
  };
  for (const NameCase& c : names) {
    int major = 0, minor = 0;
    std::string flags;
    bool library = false;
    bool ok = hotpath::parsePythonFileName(c.path, major, minor, flags, library);
    expect(ok == c.ok, std::string("recognised: ") + c.path);
    if (ok && c.ok) {
      expect(major == 3 && minor == c.minor && flags == c.flags && library == c.library,
             std::string("parsed: ") + c.path);
    }
  }

  // PY_VERSION in read-only data (pre-3.11: the only source of the micro version).
  using namespace std::string_literals;
  struct VersionCase {
    std::string data;
    int minor;
    const char* version;
  };
  const VersionCase versions[] = {
      {"x\0/root/.pyenv/versions/3.8.18\0lib"s, 8, "3.8.18"},  // tail-merged
      {"3.9.2+\0"s, 9, "3.9.2"},
      {"3.10.0rc2\0"s, 10, "3.10.0"},
      {"3.10.0b1\0"s, 10, "3.10.0"},
      {"libpython3.9.so\0 13.9.1\0 3.9.12"s, 9, ""},  // no terminator at the end
      {"3.8.1234\0 3.8.1x\0 v3.8.5\0"s, 8, "3.8.5"},
      {"3.10.13\0"s, 1, ""},
  };
  for (const VersionCase& c : versions) {
    std::string found = hotpath::findVersionInData(c.data.data(), c.data.size(), c.minor);
    expect(found == c.version,
           "version in data: expected '" + std::string(c.version) + "', found '" + found + "'");
  }

  // str objects as 3.12 lays them out: header then characters.
  PythonLayout l = hotpath::generated::layout_3_12();
  auto makeStr = [&](uint32_t state, int64_t length, const std::vector<uint8_t>& chars,
                     bool ascii) {
    std::vector<uint8_t> obj(256, 0);
    memcpy(obj.data() + l.strLength, &length, 8);
    memcpy(obj.data() + l.strState, &state, 4);
    memcpy(obj.data() + (ascii ? l.strAsciiData : l.strCompactData), chars.data(), chars.size());
    return obj;
  };
  auto decode = [&](const std::vector<uint8_t>& obj, std::string& out) {
    hotpath::StrHeader h;
    if (!hotpath::parseStrHeader(obj.data(), obj.size(), 0x1000, l, h)) return false;
    out.clear();
    return hotpath::appendUtf8(obj.data() + (h.dataAddr - 0x1000), h.length, h.kind, out);
  };
  std::string text;
  // compact (bit 5) ascii (bit 6) kind 1 (bits 2-4)
  expect(decode(makeStr((1 << 6) | (1 << 5) | (1 << 2), 3, {'a', 'b', 'c'}, true), text) &&
             text == "abc",
         "compact ASCII");
  expect(decode(makeStr((1 << 5) | (1 << 2), 2, {0xfc, 0xe9}, false), text) &&
             text == "\xc3\xbc\xc3\xa9",
         "compact latin-1 (kind 1) to UTF-8");
  expect(decode(makeStr((1 << 5) | (2 << 2), 1, {0x3b, 0x04}, false), text) && text == "\xd0\xbb",
         "kind 2 to UTF-8");
  expect(decode(makeStr((1 << 5) | (4 << 2), 1, {0x00, 0xf6, 0x01, 0x00}, false), text) &&
             text == "\xf0\x9f\x98\x80",
         "kind 4 to UTF-8");
  expect(!decode(makeStr((1 << 5) | (3 << 2), 1, {'a'}, false), text), "kind 3 refused");
  expect(!decode(makeStr((1 << 6) | (1 << 5) | (1 << 2), 1 << 20, {}, true), text),
         "absurd length refused");
  expect(!decode(makeStr((1 << 6) | (1 << 5) | (1 << 2), -1, {}, true), text),
         "negative length refused");

  // A torn pointer near the top of the address space must not pass as covered
  // by a prefetched range (addr + len wrapped around and did, once).
  {
    static uint8_t target[8192];
    std::unique_ptr<hotpath::ProcessMemory> self = hotpath::openProcessMemory(getpid());
    hotpath::SampleMemory sample(*self);
    uint64_t base = reinterpret_cast<uintptr_t>(target);
    sample.begin();
    expect(sample.read(base, sizeof target) != nullptr, "own memory readable");
    sample.end();
    sample.begin();
    expect(sample.read(base + 16, 64) != nullptr, "prefetched range serves a read inside it");
    expect(sample.read(~uint64_t{0} - 4095, 8192) == nullptr, "wrapping range is not covered");
    sample.end();
  }

  uint8_t header[24] = {'x', 'd', 'e', 'b', 'u', 'g', 'p', 'y'};
  uint64_t version = 0x030d00f0, freeThreaded = 1;
  memcpy(header + 8, &version, 8);
  memcpy(header + 16, &freeThreaded, 8);
  auto h = hotpath::parseDebugOffsetsHeader(header, sizeof header);
  expect(h.cookieOk && h.version == version && h.freeThreaded, "debug offsets header");
  header[0] = 'X';
  expect(!hotpath::parseDebugOffsetsHeader(header, sizeof header).cookieOk, "bad cookie");

  // A release newer than the described ones is refused, naming the range.
  {
    std::unique_ptr<hotpath::ProcessMemory> self = hotpath::openProcessMemory(getpid());
    std::string message;
    try {
      hotpath::layoutForVersion(hotpath::kNewestMinor + 1, *self, 0, "3.16.0");
    } catch (const hotpath::HotpathError& e) {
      message = e.code() == hotpath::ErrorCode::UnsupportedVersion ? e.what() : "";
    }
    expect(message.find("3.16.0 is not supported") != std::string::npos &&
               message.find("3.8–3.15") != std::string::npos,
           "3.16 refused: " + message);
  }

  // Field lists: positions are counted after the 24-byte header.
  {
    namespace c = hotpath::current;
    auto p14 = c::debugPositions_3_14();
    auto p15 = c::debugPositions_3_15();
    expect(p14.size == 760 && p15.size == 888, "sizeof(_Py_DebugOffsets) 3.14 760, 3.15 888");
    expect(p14.runtimeInterpretersHead == 40 && p14.tstateFrame == 208 && p15.tstateFrame == 208,
           "runtime_state.interpreters_head and thread_state.current_frame positions");
    expect(p14.tstateBaseFrame == hotpath::kAbsent && p15.tstateBaseFrame == 216,
           "thread_state.base_frame only in 3.15");
    expect(p14.codeAdaptive == 384 && p15.codeAdaptive == 448, "code_object.co_code_adaptive");
    // Values shaped like the 3.15 struct: sizes 1000, offsets 8. Dropping a
    // field from the list makes a size be read as an offset and vice versa.
    std::vector<std::string> names(std::begin(c::kDebugFields_3_15),
                                   std::end(c::kDebugFields_3_15));
    std::vector<uint8_t> bytes(24 + 8 * names.size(), 0);
    for (size_t i = 0; i < names.size(); ++i) {
      uint64_t v =
          names[i].size() > 5 && names[i].compare(names[i].size() - 5, 5, ".size") == 0 ? 1000 : 8;
      memcpy(bytes.data() + 24 + 8 * i, &v, 8);
    }
    std::string error;
    expect(hotpath::sectionsFitTheirSizes(bytes.data(), bytes.size(),
                                          c::fieldList(c::kDebugFields_3_15), error),
           "a struct as declared fits its sizes: " + error);
    std::vector<const char*> shorter;
    for (const char* n : c::kDebugFields_3_15) {
      if (strcmp(n, "thread_state.prev") != 0) shorter.push_back(n);
    }
    expect(!hotpath::sectionsFitTheirSizes(bytes.data(), bytes.size(),
                                           {shorter.data(), shorter.size()}, error),
           "a list missing a field does not");
  }

  printf("units: %d failed\n", unitFailures);
  return unitFailures ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc == 3 && !strcmp(argv[1], "generated")) return checkGenerated(argv[2]);
    if (argc == 4 && !strcmp(argv[1], "layout")) return checkLive(atoi(argv[2]), argv[3]);
    if (argc == 3 && !strcmp(argv[1], "lines")) return checkLines(argv[2]);
    if (argc == 2 && !strcmp(argv[1], "units")) return checkUnits();
  } catch (const hotpath::HotpathError& e) {
    printf("%s: %s\n", hotpath::errorCodeName(e.code()), e.what());
    return 1;
  }
  fprintf(stderr,
          "Usage: reader_selftest generated DIR | layout PID OFFSETS_FILE | lines DUMP_FILE | "
          "units\n");
  return 2;
}

// Self-checks of the CPython reader that need no addon (run by
// test/native/pythonReader.test.ts; build line in native/tools/README.md):
//
//   reader_selftest generated DIR      generated 3.8–3.13 tables == DIR/offsets_3.X.txt
//   reader_selftest layout PID FILE    a live target's layout (3.13: from _Py_DebugOffsets) == FILE
//   reader_selftest lines DUMP         line-table decoders == CPython's own lines (linetable_dump.py)
//
// Prints what differs and exits 1 on any difference.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "python/cpython_reader.h"
#include "python/layouts_generated.h"
#include "python/line_table.h"

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
  return compareLayout(impl->layout(), table, "live " + reader->version()) ? 1 : 0;
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

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc == 3 && !strcmp(argv[1], "generated")) return checkGenerated(argv[2]);
    if (argc == 4 && !strcmp(argv[1], "layout")) return checkLive(atoi(argv[2]), argv[3]);
    if (argc == 3 && !strcmp(argv[1], "lines")) return checkLines(argv[2]);
  } catch (const hotpath::HotpathError& e) {
    printf("%s: %s\n", hotpath::errorCodeName(e.code()), e.what());
    return 1;
  }
  fprintf(stderr,
          "Usage: reader_selftest generated DIR | layout PID OFFSETS_FILE | lines DUMP_FILE\n");
  return 2;
}

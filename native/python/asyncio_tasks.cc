// CPythonReader::asyncTasks: asyncio's task graph read from outside (CPython 3.14+), as
// `python -m asyncio pstree PID` shows it. Each thread state lists its pending tasks (a list
// through Task.task_node); the interpreter keeps those of threads that have gone. A task's
// coroutine, while suspended in `await`, has the object it awaits on top of its value stack:
// following that down gives its await chain. Whom a task is awaited by is on the task itself
// (one task, or a set of them). Every read is bounded and checked: the program runs on.
#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "python/asyncio_offsets.h"
#include "python/cpython_reader.h"
#include "python/remote_string.h"

namespace hotpath {
namespace {

constexpr int kMaxInterpreters = 64;
constexpr int kMaxThreads = 4096;
constexpr int kMaxTasks = 100000;
constexpr int kMaxAwaitDepth = 256;
constexpr uint64_t kMaxSetMask = (1u << 20) - 1;
constexpr uint64_t kUnicodeSubclass = 1ull << 28;  // Py_TPFLAGS_UNICODE_SUBCLASS
constexpr uint64_t kLongSubclass = 1ull << 24;     // Py_TPFLAGS_LONG_SUBCLASS
// A _PyStackRef's low bits are tags; objects are at least 8-byte aligned.
constexpr uint64_t kRefTagBits = 7;

class Words {
 public:
  explicit Words(ProcessMemory& memory) : memory_(memory) {}
  uint64_t at(uint64_t addr) {
    uint64_t v = 0;
    if (!addr || memory_.read(addr, &v, sizeof v) != ReadResult::Ok) ok_ = false;
    return ok_ ? v : 0;
  }
  int8_t byte(uint64_t addr) {
    int8_t v = 0;
    if (!addr || memory_.read(addr, &v, sizeof v) != ReadResult::Ok) ok_ = false;
    return v;
  }
  bool ok() const { return ok_; }
  void reset() { ok_ = true; }

 private:
  ProcessMemory& memory_;
  bool ok_ = true;
};

}  // namespace

bool CPythonReader::frameAt(uint64_t code, uint64_t instr, RawFrame& out) {
  std::vector<uint8_t> header(codes_.headerSize());
  if (!code || memory_->read(code, header.data(), header.size()) != ReadResult::Ok) return false;
  CodeCache::Entry* e = codes_.lookup(code, header.data(), sampleMemory_);
  if (!e) return false;
  int64_t delta = static_cast<int64_t>(instr) - static_cast<int64_t>(code + layout_.codeAdaptive);
  int64_t offset = delta >= 0 ? delta / 2 : -1;
  if (offset > e->codeUnits) return false;
  out.codeId = e->id;
  out.line = codes_.line(*e, static_cast<int32_t>(offset));
  return true;
}

std::string CPythonReader::taskName(uint64_t name) {
  Words w(*memory_);
  uint64_t flags = w.at(w.at(name + 8) + layout_.typeFlags);
  if (!w.ok()) return "";
  std::string text;
  if ((flags & kUnicodeSubclass) && readRemoteString(*memory_, layout_, name, text)) return text;
  if (flags & kLongSubclass) {
    // An unnamed task keeps its number and says "Task-N" (3.12+ compact int: tag, digits).
    uint64_t tag = w.at(name + 16);
    uint32_t digit = 0;
    if (w.ok() && (tag & 3) == 0 && (tag >> 3) == 1 &&
        memory_->read(name + layout_.longDigits, &digit, sizeof digit) == ReadResult::Ok) {
      return "Task-" + std::to_string(digit & 0x3fffffff);
    }
  }
  return "";
}

bool CPythonReader::asyncTasks(std::vector<AsyncTask>& out, std::string& why) {
  const PythonLayout& L = layout_;
  if (L.minor < 14 || L.genIframe == kAbsent || L.llistNext == kAbsent ||
      L.genSuspendedYieldFrom == kNoFrameState) {
    throw HotpathError(ErrorCode::UnsupportedVersion,
                       "Reading asyncio tasks from outside the program needs CPython 3.14 or "
                       "newer, which describes them to debuggers and profilers; this process "
                       "runs Python " +
                           version() + ". Its threads' stacks can still be read.");
  }
  AsyncioOffsets A;
  if (!findAsyncioOffsets(pid_, binary_.path, A, why)) return false;
  out.clear();
  Words w(*memory_);
  std::vector<uint64_t> taskAddrs;
  std::unordered_map<uint64_t, uint64_t> runningIn;  // task → ident of the thread running it
  // Tasks of one list: `head` is the list's own node, every task's node links into it.
  auto listTasks = [&](uint64_t head) {
    uint64_t node = w.at(head + L.llistNext);
    for (int n = 0; w.ok() && node && node != head && n < kMaxTasks; ++n) {
      taskAddrs.push_back(node - A.taskNode);
      node = w.at(node + L.llistNext);
    }
  };
  uint64_t interp = w.at(binary_.runtimeAddr + L.runtimeInterpretersHead);
  for (int i = 0; w.ok() && interp && i < kMaxInterpreters; ++i) {
    uint64_t tstate = w.at(interp + L.interpThreadsHead);
    for (int t = 0; w.ok() && tstate && t < kMaxThreads; ++t) {
      uint64_t ident = w.at(tstate + L.tstateThreadId);
      uint64_t running = w.at(tstate + A.tstateRunningTask);
      if (running) runningIn[running] = ident;
      listTasks(tstate + A.tstateTasksHead);
      tstate = w.at(tstate + L.tstateNext);
    }
    listTasks(interp + A.interpTasksHead);
    interp = L.interpNext == kAbsent ? 0 : w.at(interp + L.interpNext);
  }
  if (!w.ok()) {
    why = "its task lists changed while they were read; try again";
    return false;
  }
  // A running task is no longer in its thread's list on some paths; it is still a task.
  for (const auto& [task, ident] : runningIn) {
    if (std::find(taskAddrs.begin(), taskAddrs.end(), task) == taskAddrs.end()) {
      taskAddrs.push_back(task);
    }
  }

  std::vector<uint8_t> task(A.taskSize);
  uint64_t coroType = 0;
  for (uint64_t addr : taskAddrs) {
    w.reset();
    if (memory_->read(addr, task.data(), task.size()) != ReadResult::Ok) continue;
    auto word = [&](uint64_t offset) {
      uint64_t v;
      memcpy(&v, task.data() + offset, sizeof v);
      return v;
    };
    AsyncTask t;
    t.id = addr;
    t.name = taskName(word(A.taskName));
    auto found = runningIn.find(addr);
    if (found != runningIn.end()) t.runningIdent = found->second;
    // Awaited by one task, or a set of them.
    uint64_t awaitedBy = word(A.taskAwaitedBy);
    if (awaitedBy && task[A.taskAwaitedByIsSet]) {
      uint64_t table = w.at(awaitedBy + L.setTable);
      uint64_t mask = w.at(awaitedBy + L.setMask);
      if (w.ok() && mask <= kMaxSetMask) {
        std::vector<uint64_t> entries(2 * (mask + 1));  // (key, hash) pairs
        if (memory_->read(table, entries.data(), entries.size() * 8) == ReadResult::Ok) {
          for (size_t e = 0; e < entries.size(); e += 2) {
            // An empty slot has no key; a removed one has the hash -1 (and the dummy key).
            if (entries[e] && static_cast<int64_t>(entries[e + 1]) != -1) {
              t.awaitedBy.push_back(entries[e]);
            }
          }
        }
      }
    } else if (awaitedBy) {
      t.awaitedBy.push_back(awaitedBy);
    }
    // The await chain: each coroutine suspended in `await` has what it awaits on top of its
    // value stack; a coroutine is followed, anything else (a future, a task) ends the chain.
    uint64_t coro = word(A.taskCoro);
    if (!coroType && coro) coroType = w.at(coro + 8);
    for (int depth = 0; coro && depth < kMaxAwaitDepth; ++depth) {
      if (w.at(coro + 8) != coroType || !w.ok()) break;
      uint64_t frame = coro + L.genIframe;
      RawFrame f;
      uint64_t code = w.at(frame + L.frameCode) & ~L.frameCodeTagMask;
      if (!frameAt(code, w.at(frame + L.frameInstr), f)) break;
      if (depth == 0) t.outerCode = f.codeId;
      int8_t state = w.byte(coro + L.genFrameState);

      if (!w.ok() || state == L.genExecuting) break;  // on its thread's stack
      t.frames.push_back(f);
      if (state != L.genSuspendedYieldFrom) break;
      uint64_t top = w.at(frame + L.frameStackpointer);
      coro = top ? w.at(top - 8 * static_cast<uint64_t>(L.genAwaitedSlot)) & ~kRefTagBits : 0;
      if (!w.ok()) break;
    }
    std::reverse(t.frames.begin(), t.frames.end());
    out.push_back(std::move(t));
  }
  return true;
}

}  // namespace hotpath

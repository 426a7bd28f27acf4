// asyncio's tasks read with every sample (ReaderOptions::asyncTasks, CPython 3.14+). A thread that
// runs an event loop lists its pending tasks (a list through Task.task_node); each task's await
// chain is followed down its coroutines as asyncio_tasks.cc does for `hotpath dump`, but through
// the sample's memory: a steady program's task objects, coroutines and names are then read in the
// sample's one vectored call, and a name is decoded once per name object.
#include <time.h>

#include <algorithm>
#include <cstring>

#include "python/cpython_reader.h"
#include "python/field.h"

namespace hotpath {
namespace {

// Tasks read per thread and sample: a program with more pending tasks than this has the rest
// left out of that sample (the first ones of its list, the newest, are kept).
constexpr int kMaxLoopTasks = 1000;
constexpr int kMaxAwaitDepth = 64;
// Time between two looks for the _asyncio module while the program has not loaded it (each look
// reads /proc/PID/maps and an ELF section's headers: ~0.1 ms of the sampler's time, about 1% of
// it). Counted in time, not samples: a late tick must not delay the first tasks seen.
constexpr int64_t kLookAgainNs = 10'000'000;
// A _PyStackRef's low bits are tags; objects are at least 8-byte aligned.
constexpr uint64_t kRefTagBits = 7;
// The bytes that identify a task's name object, after its reference count: a str's type,
// length, hash, state and first characters; an int's type, size tag and one digit.
constexpr size_t kStrIdentity = 48;
constexpr size_t kIntIdentity = 20;

}  // namespace

bool CPythonReader::asyncioKnown() {
  if (asyncio_) return true;
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  const int64_t nowNs = int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
  if (nowNs < nextAsyncioLook_) return false;
  nextAsyncioLook_ = nowNs + kLookAgainNs;
  AsyncioOffsets offsets;
  std::string why;
  if (!findAsyncioOffsets(pid_, binary_.path, offsets, why)) return false;
  asyncio_ = offsets;
  return true;
}

bool CPythonReader::taskNameId(uint64_t task, uint64_t name, uint32_t& id) {
  auto known = knownNames_.find(name);
  if (known != knownNames_.end()) {
    const KnownName& k = known->second;
    const uint8_t* now = sampleMemory_.read(name + 8, k.bytes.size());
    if (now && memcmp(now, k.bytes.data(), k.bytes.size()) == 0) {
      id = k.id;
      return true;
    }
  }
  // Decoded from the process as it is now, later than the sample's copy of the task: a task
  // that ended in between has had its name freed (and its memory reused). It is still the
  // task's name only when the task still points at it afterwards.
  std::string text = taskName(name);
  uint64_t still = 0;
  if (text.empty() || !sampleMemory_.copyNow(task + asyncio_->taskName, &still, 8) ||
      still != name) {
    return false;
  }
  auto [it, added] = taskNameIds_.emplace(text, static_cast<uint32_t>(taskNames_.size()));
  if (added) taskNames_.push_back(text);
  // A name that reads as a number was an int (an unnamed task's counter).
  bool isInt =
      text.rfind("Task-", 0) == 0 && text.size() > 5 &&
      std::all_of(text.begin() + 5, text.end(), [](char c) { return c >= '0' && c <= '9'; });
  size_t size = isInt ? kIntIdentity : kStrIdentity;
  const uint8_t* bytes = sampleMemory_.read(name + 8, size);
  if (bytes) knownNames_[name] = KnownName{std::vector<uint8_t>(bytes, bytes + size), it->second};
  id = it->second;
  return true;
}

bool CPythonReader::isTaskType(uint64_t type) {
  auto known = taskTypes_.find(type);
  if (known != taskTypes_.end()) return known->second;
  // A Task's type (asyncio's, or a subclass keeping its size) has the size the module declares
  // for its tasks. The memory of a task that has ended may hold another object by now.
  uint64_t size = 0;
  if (!type || layout_.typeBasicSize == kAbsent ||
      !sampleMemory_.copyNow(type + layout_.typeBasicSize, &size, 8)) {
    return false;
  }
  bool isTask = size == asyncio_->taskSize;
  if (taskTypes_.size() < 256) taskTypes_.emplace(type, isTask);
  return isTask;
}

bool CPythonReader::readTask(uint64_t addr, bool running, TaskSample& out) {
  const PythonLayout& L = layout_;
  const AsyncioOffsets& A = *asyncio_;
  const uint8_t* task = sampleMemory_.read(addr, A.taskSize);
  if (!task || !isTaskType(field<uint64_t>(task, 8))) return false;
  task = sampleMemory_.read(addr, A.taskSize);  // isTaskType may have read in between
  if (!task) return false;
  // Copied out: the pointer is valid until the next read.
  uint64_t name = field<uint64_t>(task, static_cast<int32_t>(A.taskName));
  uint64_t coro = field<uint64_t>(task, static_cast<int32_t>(A.taskCoro));
  uint64_t awaitedBy = field<uint64_t>(task, static_cast<int32_t>(A.taskAwaitedBy));
  bool awaitedBySet = task[A.taskAwaitedByIsSet] != 0;
  out.id = addr;
  out.running = running;
  // A task without a readable name is one that has just ended: not a task of this sample.
  if (!name || !taskNameId(addr, name, out.name)) return false;
  if (awaitedBy && awaitedBySet) {
    // A set: the first live entry of its table (key, hash pairs).
    uint64_t head[2] = {0, 0};  // table, mask
    if (sampleMemory_.copy(awaitedBy + L.setMask, &head[1], 8) &&
        sampleMemory_.copy(awaitedBy + L.setTable, &head[0], 8) && head[1] < 1024) {
      const uint8_t* entries = sampleMemory_.read(head[0], 16 * (head[1] + 1));
      for (uint64_t e = 0; entries && e <= head[1]; ++e) {
        uint64_t key = field<uint64_t>(entries, static_cast<int32_t>(16 * e));
        auto hash = field<int64_t>(entries, static_cast<int32_t>(16 * e + 8));
        if (key && hash != -1) {
          out.awaitedBy = key;
          break;
        }
      }
    }
  } else {
    out.awaitedBy = awaitedBy;
  }

  // The coroutine's header and its frame's code, instruction and stack pointer in one range.
  const int32_t lo = 8;
  const int32_t hi =
      std::max({L.genFrameState + 1, L.genIframe + L.frameCode + 8, L.genIframe + L.frameInstr + 8,
                L.genIframe + L.frameStackpointer + 8});
  for (int depth = 0; coro && depth < kMaxAwaitDepth; ++depth) {
    const uint8_t* g = sampleMemory_.read(coro + lo, static_cast<size_t>(hi - lo));
    if (!g) break;
    uint64_t type = field<uint64_t>(g, 8 - lo);
    if (type != binary_.coroTypeAddr) break;  // a future, a task: the chain ends
    uint64_t code = field<uint64_t>(g, L.genIframe + L.frameCode - lo) & ~L.frameCodeTagMask;
    uint64_t instr = field<uint64_t>(g, L.genIframe + L.frameInstr - lo);
    uint64_t top = field<uint64_t>(g, L.genIframe + L.frameStackpointer - lo);
    auto state = static_cast<int8_t>(g[L.genFrameState - lo]);
    const uint8_t* header = code ? sampleMemory_.read(code, codes_.headerSize()) : nullptr;
    CodeCache::Entry* e = header ? codes_.lookup(code, header, sampleMemory_) : nullptr;
    if (!e) break;
    int64_t delta = static_cast<int64_t>(instr) - static_cast<int64_t>(code + L.codeAdaptive);
    if (delta < 0 || delta / 2 > e->codeUnits) break;
    if (depth == 0) out.outerCode = e->id;
    // Running: its frames are on its thread's stack (readLoopTasks takes them from there).
    if (state == L.genExecuting) break;
    out.frames.push_back(RawFrame{e->id, codes_.line(*e, static_cast<int32_t>(delta / 2))});
    if (state != L.genSuspendedYieldFrom || !top) break;
    uint64_t awaited = 0;
    if (!sampleMemory_.copy(top - 8 * static_cast<uint64_t>(L.genAwaitedSlot), &awaited, 8)) break;
    coro = awaited & ~kRefTagBits;
  }
  std::reverse(out.frames.begin(), out.frames.end());
  return true;
}

void CPythonReader::readLoopTasks(uint64_t tstate, ThreadStack& stack) {
  const PythonLayout& L = layout_;
  if (!options_.asyncTasks || L.minor < 14 || L.genIframe == kAbsent || L.llistNext == kAbsent ||
      L.genSuspendedYieldFrom == kNoFrameState || !binary_.coroTypeAddr || !asyncioKnown()) {
    return;
  }
  const AsyncioOffsets& A = *asyncio_;
  const uint64_t headNext = A.tstateTasksHead + static_cast<uint64_t>(L.llistNext);
  const uint64_t lo = std::min({A.tstateRunningLoop, A.tstateRunningTask, headNext});
  const uint64_t hi = std::max({A.tstateRunningLoop, A.tstateRunningTask, headNext}) + 8;
  const uint8_t* t = sampleMemory_.read(tstate + lo, hi - lo);
  if (!t || !field<uint64_t>(t, static_cast<int32_t>(A.tstateRunningLoop - lo))) return;
  const uint64_t running = field<uint64_t>(t, static_cast<int32_t>(A.tstateRunningTask - lo));
  const uint64_t head = tstate + A.tstateTasksHead;
  uint64_t node = field<uint64_t>(t, static_cast<int32_t>(headNext - lo));
  loopTaskAddrs_.clear();
  for (int n = 0; node && node != head && n < kMaxLoopTasks; ++n) {
    uint64_t next = 0;
    if (!sampleMemory_.copy(node + L.llistNext, &next, 8)) break;
    loopTaskAddrs_.push_back(node - A.taskNode);
    node = next;
  }
  // The running task leaves its thread's list on some paths; it is still a task.
  if (running &&
      std::find(loopTaskAddrs_.begin(), loopTaskAddrs_.end(), running) == loopTaskAddrs_.end()) {
    loopTaskAddrs_.push_back(running);
  }
  for (uint64_t addr : loopTaskAddrs_) {
    TaskSample task;
    if (!readTask(addr, addr == running, task)) continue;
    if (task.running && task.frames.empty() && task.outerCode != UINT32_MAX) {
      // The thread's frames from the executing one down to the task's own coroutine (its
      // outermost occurrence: the loop runs one task at a time) are the task's.
      for (size_t k = stack.frames.size(); k-- > 0;) {
        if (stack.frames[k].codeId != task.outerCode) continue;
        auto end = stack.frames.begin() + static_cast<std::ptrdiff_t>(k + 1);
        task.frames.assign(stack.frames.begin(), end);
        stack.frames.erase(stack.frames.begin(), end);
        break;
      }
    }
    stack.tasks.push_back(std::move(task));
  }
}

}  // namespace hotpath

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
#include "python/remote_string.h"

namespace hotpath {
namespace {

// Tasks read per thread and sample: a program with more pending tasks than this has the rest
// left out of that sample (the first ones of its list, the oldest, are kept).
constexpr int kMaxLoopTasks = 1000;
constexpr int kMaxAwaitDepth = 64;
// Time between two looks for the _asyncio module while the program has not loaded it (each look
// reads /proc/PID/maps and an ELF section's headers: ~0.1 ms of the sampler's time, about 1% of
// it). Counted in time, not samples: a late tick must not delay the first tasks seen.
constexpr int64_t kLookAgainNs = 10'000'000;
// After this many looks (2 s), a program that has not loaded asyncio most likely will not soon
// (a large program's maps take longer to read): looked for 4 times a second from then on.
constexpr int kQuickLooks = 200;
constexpr int64_t kLookLaterNs = 250'000'000;
// A _PyStackRef's low bits are tags; objects are at least 8-byte aligned.
constexpr uint64_t kRefTagBits = 7;
// Names decoded are kept by (task, name object, coroutine): a task that ended and another made
// at its address has a new coroutine, and most likely a new name object. Forgotten all at once
// past this many (a program of many short tasks).
constexpr size_t kMaxKnownNames = 100000;
// A new name object is read this far: a str's header and its first characters (most names), an
// int's header and digit.
constexpr size_t kNameBytes = 96;
constexpr uint32_t kNameUnknown = UINT32_MAX;
constexpr uint64_t kUnicodeSubclass = 1ull << 28;  // Py_TPFLAGS_UNICODE_SUBCLASS
constexpr uint64_t kLongSubclass = 1ull << 24;     // Py_TPFLAGS_LONG_SUBCLASS
// Bytes of a coroutine read past its stack pointer field: the value stack of a small coroutine,
// where what it awaits usually is, so that the chain's next link needs no read of its own.
constexpr int32_t kStackBytes = 128;

}  // namespace

bool CPythonReader::asyncioKnown() {
  if (asyncio_) return true;
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  const int64_t nowNs = int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
  if (nowNs < nextAsyncioLook_) return false;
  nextAsyncioLook_ = nowNs + (asyncioLooks_++ < kQuickLooks ? kLookAgainNs : kLookLaterNs);
  AsyncioOffsets offsets;
  std::string why;
  if (!findAsyncioOffsets(pid_, binary_.path, offsets, why)) return false;
  asyncio_ = offsets;
  return true;
}

std::string CPythonReader::nameFromBytes(uint64_t name, const uint8_t* bytes) {
  // What kind of object its type makes it, asked once per type.
  const uint64_t type = field<uint64_t>(bytes, 8);
  auto kind = nameTypes_.find(type);
  if (kind == nameTypes_.end()) {
    uint64_t flags = 0;
    if (!type || !sampleMemory_.copyNow(type + layout_.typeFlags, &flags, 8)) return "";
    int k = (flags & kUnicodeSubclass) ? 1 : (flags & kLongSubclass) ? 2 : 0;
    if (nameTypes_.size() >= 256) nameTypes_.clear();  // types read from torn objects
    kind = nameTypes_.emplace(type, k).first;
  }
  if (kind->second == 2) {
    // An unnamed task keeps its number and says "Task-N" (3.12+ compact int: tag, one digit).
    uint64_t tag = field<uint64_t>(bytes, 16);
    if ((tag & 3) != 0 || (tag >> 3) != 1 || layout_.longDigits + 4 > kNameBytes) return "";
    return "Task-" + std::to_string(field<uint32_t>(bytes, layout_.longDigits) & 0x3fffffff);
  }
  if (kind->second != 1) return "";
  StrHeader header;
  if (!parseStrHeader(bytes, kNameBytes, name, layout_, header)) return "";
  std::string text;
  const uint64_t size = header.length * static_cast<uint64_t>(header.kind);
  if (header.compact && header.dataAddr + size <= name + kNameBytes) {
    if (!appendUtf8(bytes + (header.dataAddr - name), header.length, header.kind, text)) return "";
    return text;
  }
  return taskName(name);  // a long name: read on its own
}

void CPythonReader::decodeNewNames(std::vector<TaskSample>& tasks,
                                   const std::vector<uint64_t>& coros) {
  // The name objects first seen in this sample, read in one call as they are now, and each
  // task's name pointer read again right after: a task that ended in between has had its name
  // freed (and the memory reused), and is left out.
  std::vector<size_t> which;
  for (size_t i = 0; i < tasks.size(); ++i) {
    if (tasks[i].name == kNameUnknown) which.push_back(i);
  }
  if (which.empty()) return;
  const size_t n = which.size();
  nameBuffer_.resize(n * (kNameBytes + 8));
  nameSpans_.resize(2 * n);
  for (size_t k = 0; k < n; ++k) {
    nameSpans_[k] = ReadSpan{newNames_[k], &nameBuffer_[k * kNameBytes], kNameBytes, false};
    nameSpans_[n + k] = ReadSpan{tasks[which[k]].id + asyncio_->taskName,
                                 &nameBuffer_[n * kNameBytes + 8 * k], 8, false};
  }
  sampleMemory_.copyManyNow(nameSpans_.data(), nameSpans_.size());
  for (size_t k = 0; k < n; ++k) {
    TaskSample& task = tasks[which[k]];
    const uint64_t name = newNames_[k];
    std::string text = nameSpans_[k].ok ? nameFromBytes(name, &nameBuffer_[k * kNameBytes]) : "";
    uint64_t still = 0;
    memcpy(&still, &nameBuffer_[n * kNameBytes + 8 * k], 8);
    if (text.empty() || !nameSpans_[n + k].ok || still != name) continue;
    auto [it, added] = taskNameIds_.emplace(text, static_cast<uint32_t>(taskNames_.size()));
    if (added) taskNames_.push_back(text);
    if (knownNames_.size() >= kMaxKnownNames) knownNames_.clear();
    knownNames_.emplace(KnownName{task.id, name, coros[which[k]]}, it->second);
    task.name = it->second;
  }
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

bool CPythonReader::readTask(uint64_t addr, const uint8_t* task, bool running, TaskSample& out,
                             uint64_t& coro) {
  const PythonLayout& L = layout_;
  const AsyncioOffsets& A = *asyncio_;
  if (!task || !isTaskType(field<uint64_t>(task, 8))) return false;
  uint64_t name = field<uint64_t>(task, static_cast<int32_t>(A.taskName));
  coro = field<uint64_t>(task, static_cast<int32_t>(A.taskCoro));
  uint64_t awaitedBy = field<uint64_t>(task, static_cast<int32_t>(A.taskAwaitedBy));
  bool awaitedBySet = task[A.taskAwaitedByIsSet] != 0;
  out.id = addr;
  out.running = running;
  // A task without a name is one that is being torn down: not a task of this sample.
  if (!name) return false;
  auto known = knownNames_.find(KnownName{addr, name, coro});
  out.name = known != knownNames_.end() ? known->second : kNameUnknown;
  if (known == knownNames_.end()) newNames_.push_back(name);
  if (awaitedBy && awaitedBySet) {
    // A set: the first live entry of its table (key, hash pairs).
    uint64_t table = 0, mask = 0;
    if (sampleMemory_.copy(awaitedBy + L.setMask, &mask, 8) &&
        sampleMemory_.copy(awaitedBy + L.setTable, &table, 8) && mask < 1024) {
      const uint8_t* entries = sampleMemory_.read(table, 16 * (mask + 1));
      for (uint64_t e = 0; entries && e <= mask; ++e) {
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
  return true;
}

void CPythonReader::readAwaitChains(std::vector<TaskSample>& tasks, std::vector<uint64_t>& coros) {
  const PythonLayout& L = layout_;
  // A coroutine's header and its frame's code, instruction and stack pointer in one range.
  const int32_t lo = 8;
  const int32_t hi =
      std::max({L.genFrameState + 1, L.genIframe + L.frameCode + 8, L.genIframe + L.frameInstr + 8,
                L.genIframe + L.frameStackpointer + 8 + kStackBytes});
  // One level of every chain at a time, each level's reads in one call: the coroutines, their
  // code objects (long-lived: from the prefetch), then what each one awaits.
  chainTasks_.resize(tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) chainTasks_[i] = i;
  for (int depth = 0; !chainTasks_.empty() && depth < kMaxAwaitDepth; ++depth) {
    const size_t n = chainTasks_.size();
    chainAddrs_.resize(n);
    chainLens_.assign(n, static_cast<size_t>(hi - lo));
    for (size_t k = 0; k < n; ++k) chainAddrs_[k] = coros[chainTasks_[k]] + lo;
    sampleMemory_.readMany(chainAddrs_.data(), chainLens_.data(), n, chainCoros_);
    chainCodes_.assign(n, 0);
    for (size_t k = 0; k < n; ++k) {
      const uint8_t* g = chainCoros_[k];
      // A future, a task or anything else ends the chain.
      if (!g || field<uint64_t>(g, 8 - lo) != binary_.coroTypeAddr) continue;
      chainCodes_[k] = field<uint64_t>(g, L.genIframe + L.frameCode - lo) & ~L.frameCodeTagMask;
    }
    chainLens_.assign(n, codes_.headerSize());
    sampleMemory_.readMany(chainCodes_.data(), chainLens_.data(), n, chainHeaders_);
    size_t next = 0;
    for (size_t k = 0; k < n; ++k) {
      const uint8_t* g = chainCoros_[k];
      const uint8_t* header = chainHeaders_[k];
      if (!g || !header) continue;
      TaskSample& task = tasks[chainTasks_[k]];
      CodeCache::Entry* e = codes_.lookup(chainCodes_[k], header, sampleMemory_);
      if (!e) continue;
      uint64_t instr = field<uint64_t>(g, L.genIframe + L.frameInstr - lo);
      int64_t delta =
          static_cast<int64_t>(instr) - static_cast<int64_t>(chainCodes_[k] + L.codeAdaptive);
      if (delta < 0 || delta / 2 > e->codeUnits) continue;
      if (depth == 0) task.outerCode = e->id;
      // Running: its frames are on its thread's stack (readLoopTasks takes them from there).
      auto state = static_cast<int8_t>(g[L.genFrameState - lo]);
      if (state == L.genExecuting) continue;
      task.frames.push_back(RawFrame{e->id, codes_.line(*e, static_cast<int32_t>(delta / 2))});
      uint64_t top = field<uint64_t>(g, L.genIframe + L.frameStackpointer - lo);
      if (state != L.genSuspendedYieldFrom || !top) continue;
      const uint64_t slot = top - 8 * static_cast<uint64_t>(L.genAwaitedSlot);
      const uint64_t from = coros[chainTasks_[k]] + lo;
      chainTasks_[next] = chainTasks_[k];
      if (slot >= from && slot + 8 <= from + static_cast<uint64_t>(hi - lo)) {
        // In the bytes already read: the next link needs no read.
        coros[chainTasks_[k]] =
            field<uint64_t>(g, static_cast<int32_t>(slot - from)) & ~kRefTagBits;
        chainAddrs_[next] = 0;
      } else {
        chainAddrs_[next] = slot;
      }
      ++next;
    }
    chainTasks_.resize(next);
    chainLens_.assign(next, 8);
    sampleMemory_.readMany(chainAddrs_.data(), chainLens_.data(), next, chainCoros_);
    size_t kept = 0;
    for (size_t k = 0; k < next; ++k) {
      if (chainAddrs_[k]) {
        if (!chainCoros_[k]) continue;
        coros[chainTasks_[k]] = field<uint64_t>(chainCoros_[k], 0) & ~kRefTagBits;
      }
      chainTasks_[kept++] = chainTasks_[k];
    }
    chainTasks_.resize(kept);
  }
  // Read outermost first; kept innermost first, as a thread's frames are.
  for (TaskSample& task : tasks) std::reverse(task.frames.begin(), task.frames.end());
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
  const size_t n = loopTaskAddrs_.size();
  chainLens_.assign(n, A.taskSize);
  sampleMemory_.readMany(loopTaskAddrs_.data(), chainLens_.data(), n, chainCoros_);
  std::vector<const uint8_t*> taskBytes = chainCoros_;
  std::vector<TaskSample>& tasks = stack.tasks;
  std::vector<uint64_t> coros;
  tasks.reserve(n);
  coros.reserve(n);
  newNames_.clear();
  for (size_t i = 0; i < n; ++i) {
    TaskSample task;
    uint64_t coro = 0;
    uint64_t addr = loopTaskAddrs_[i];
    if (!readTask(addr, taskBytes[i], addr == running, task, coro)) continue;
    tasks.push_back(std::move(task));
    coros.push_back(coro);
  }
  decodeNewNames(tasks, coros);
  size_t named = 0;
  for (size_t i = 0; i < tasks.size(); ++i) {
    if (tasks[i].name == kNameUnknown) continue;
    if (named != i) {
      tasks[named] = std::move(tasks[i]);
      coros[named] = coros[i];
    }
    ++named;
  }
  tasks.resize(named);
  coros.resize(named);
  readAwaitChains(tasks, coros);
  for (TaskSample& task : tasks) {
    if (!task.running || !task.frames.empty() || task.outerCode == UINT32_MAX) continue;
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
}

}  // namespace hotpath

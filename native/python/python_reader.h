// The contract between the CPython reader (native/python/) and the sampling
// engine (native/sampler/). The reader knows CPython's memory layout and
// nothing about sampling; the engine knows timing, interning and spilling and
// nothing about CPython. Neither includes napi.h.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "os/error.h"  // ErrorCode, HotpathError, errorCodeName

namespace hotpath {

// Why one thread's stack was left out of a sample: each is a read that raced
// the program (or memory that went away), and each is counted, so that a
// profile with many drops says what kind of thing to look for.
enum class DropReason : uint8_t {
  ThreadState,        // the thread state could not be read (the rest of the list is lost too)
  Unreadable,         // a frame or stack chunk could not be read (unmapped, being freed)
  Loop,               // the chain of frames met a frame twice
  NoCode,             // a frame without a code object
  Owner,              // a frame's owner byte is none CPython writes
  DetachedGenerator,  // a generator's frame with no caller (it had just yielded)
  CutShort,           // the chain does not end where every chain of a thread ends
  FreedFrame,         // a frame object that had been freed (≤ 3.10)
  FreedCode,          // a code object that had been freed, or is not one
  Position,           // an instruction outside its code object
  TopMoved,           // ≤ 3.10: the top of the stack kept changing while it was read
  Count
};
constexpr size_t kDropReasons = static_cast<size_t>(DropReason::Count);
using DropCounts = std::array<uint64_t, kDropReasons>;
// The name profiles use for a reason ("loop", "cutShort", ...).
const char* dropReasonName(DropReason reason);

// A code object resolved to source identity. Interned by content (not by
// address: addresses are reused), so equal ids mean equal functions.
struct CodeInfo {
  std::string filename;
  std::string name;  // co_qualname on 3.11+, co_name before
  int32_t firstLine = 0;
};

struct RawFrame {
  uint32_t codeId = 0;  // index into PythonReader::code()
  int32_t line = 0;     // current line, 0 when unknown
};

// One task of the event loop a thread runs, at one sample (ReaderOptions::asyncTasks, 3.14+).
struct TaskSample {
  uint64_t id = 0;                  // the Task object's address: what awaitedBy refers to
  uint64_t awaitedBy = 0;           // the task awaiting it (the first of several), 0 when none
  uint32_t name = 0;                // PythonReader::taskNameText(name)
  uint32_t outerCode = UINT32_MAX;  // code id of its own coroutine, when read
  bool running = false;             // the task its thread is running
  // Innermost first. A waiting task: its await chain (each coroutine awaits the next one in). The
  // running task: its thread's frames from the executing one down to the task's coroutine.
  std::vector<RawFrame> frames;
};

struct ThreadStack {
  uint64_t ident = 0;  // PyThreadState.thread_id (threading.get_ident())
  int32_t tid = 0;     // OS thread id, 0 when unknown
  bool onCpu = false;  // /proc/PID/task/TID/stat state == 'R'
  bool holdsGil = false;
  // Holds the GIL while the interpreter collects garbage: the collector runs on this thread, on
  // top of the frames read (the allocation that set it off).
  bool inGc = false;
  bool isMain = false;           // the interpreter's main thread
  bool truncated = false;        // depth cap hit: frames holds the innermost maxDepth
  std::vector<RawFrame> frames;  // innermost first
  // The tasks of the event loop this thread runs (ReaderOptions::asyncTasks). The running task's
  // frames are moved from `frames` into its entry: `frames` keeps the loop's own.
  std::vector<TaskSample> tasks;
};

// An asyncio task (3.14+) as read once from the target.
struct AsyncTask {
  uint64_t id = 0;   // the Task object's address: what awaitedBy refers to
  std::string name;  // Task.get_name(): its name, or "Task-N"
  // The coroutines of its await chain, innermost first: each `await`s the next one in. Of a
  // running task only those suspended before it ran (none: its chain is on its thread's stack).
  std::vector<RawFrame> frames;
  uint32_t outerCode = UINT32_MAX;  // code id of its own coroutine (outermost), when read
  std::vector<uint64_t> awaitedBy;  // ids of the tasks that await it
  uint64_t runningIdent = 0;        // the thread (threading.get_ident()) running it; 0: suspended
};

enum class SampleStatus {
  Ok,          // every thread read
  Partial,     // some threads dropped (torn reads); the rest are valid
  NotReady,    // interpreter not initialised (yet / any more)
  TargetGone,  // the process exited (ESRCH)
};

struct ReaderOptions {
  int maxDepth = 4096;
  int maxThreads = 1024;
  // Also read each event loop's tasks with every sample (CPython 3.14+; ignored before).
  bool asyncTasks = false;
};

class PythonReader {
 public:
  virtual ~PythonReader() = default;

  // Finds the interpreter in /proc/PID/maps, locates _PyRuntime, detects the
  // version and checks it is supported. Throws HotpathError:
  //   NoProcess, NotPython (no python mapping yet: callers poll while a
  //   shim/wrapper execs), UnsupportedVersion, Permission.
  static std::unique_ptr<PythonReader> attach(int pid, const ReaderOptions& options);

  // After attach() threw NotPython: does the process map a file named like a CPython binary or
  // library (python3.X, libpython3.X.so…)? Then it is on its way to Python (just exec'd, still
  // loading); a process that was already running and maps none is not Python and will not be.
  // nullopt when it cannot tell (the process has exited: a zombie maps nothing). Never throws.
  static std::optional<bool> mapsPythonFile(int pid);

  // True once interpreters.head and its thread list are non-NULL.
  virtual bool interpreterReady() = 0;

  // Reads every thread's stack. Never throws for races with the running
  // target: bad frames/threads are dropped and counted in `droppedThreads`.
  virtual SampleStatus sample(std::vector<ThreadStack>& out, uint32_t& droppedThreads) = 0;

  virtual const CodeInfo& code(uint32_t id) const = 0;
  // The name of a task as TaskSample::name refers to it.
  virtual const std::string& taskNameText(uint32_t id) const {
    static const std::string none;
    return none;
  }
  virtual uint32_t codeCount() const = 0;

  // Python thread name for a thread ident (threading._active), or "" when
  // unknown. May be slow (several reads): call rarely, e.g. once per new thread.
  virtual std::string threadName(uint64_t ident, int32_t tid) = 0;

  virtual std::string version() const = 0;     // "3.12.1"
  virtual std::string binaryPath() const = 0;  // the mapped libpython or python binary
  virtual int pid() const = 0;
  // Samples so far whose innermost frames had returned while the stack was
  // read: those frames were cut off, the sample kept.
  virtual uint64_t returnedFramesCut() const { return 0; }
  // Threads' stacks dropped so far, by why (indexed by DropReason).
  virtual DropCounts dropsByReason() const { return {}; }

  // asyncio's pending tasks of every thread, read once (CPython 3.14+, which describes them to
  // outside readers). Throws HotpathError(UnsupportedVersion) before 3.14. False, with `why`,
  // when the program has not loaded asyncio's C module or its task lists could not be read.
  virtual bool asyncTasks(std::vector<AsyncTask>& out, std::string& why) {
    why = "not supported by this reader";
    return false;
  }
};

}  // namespace hotpath

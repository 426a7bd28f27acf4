#include "dump/stack_dump.h"

#include <algorithm>
#include <memory>

#include "python/python_reader.h"

namespace hotpath {
namespace {

// A thread whose frames changed while they were read is dropped from that
// read (after the reader's own retries); read the process again a few times
// so that a busy thread is shown rather than left out.
constexpr int kReads = 5;

[[noreturn]] void throwGone(int pid) {
  throw HotpathError(ErrorCode::NoProcess,
                     "Process " + std::to_string(pid) + " exited while its stacks were read.");
}

DumpFrame toDumpFrame(PythonReader& reader, const RawFrame& f) {
  const CodeInfo& code = reader.code(f.codeId);
  return DumpFrame{code.name, code.filename, f.line, code.firstLine};
}

// A running task's chain: its thread's frames from the executing one out to the task's own
// coroutine (the innermost frame of that code, counted from the inside).
std::vector<DumpFrame> runningChain(PythonReader& reader, const AsyncTask& task,
                                    const std::vector<ThreadStack>& threads) {
  std::vector<DumpFrame> chain;
  for (const ThreadStack& thread : threads) {
    if (thread.ident != task.runningIdent) continue;
    for (const RawFrame& f : thread.frames) {
      chain.push_back(toDumpFrame(reader, f));
      if (f.codeId == task.outerCode) return chain;
    }
    chain.clear();  // the task's coroutine is not on the stack (read a moment apart)
  }
  for (const RawFrame& f : task.frames) chain.push_back(toDumpFrame(reader, f));
  return chain;
}

void readTasks(PythonReader& reader, const std::vector<ThreadStack>& threads, bool ifSupported,
               StackDump& dump) {
  std::vector<AsyncTask> tasks;
  std::string why;
  dump.tasksRead = true;
  bool read = false;
  try {
    read = reader.asyncTasks(tasks, why);
  } catch (const HotpathError& e) {
    if (!ifSupported || e.code() != ErrorCode::UnsupportedVersion) throw;
    why = "reading them needs CPython 3.14 or newer";
  }
  if (!read) {
    dump.tasksNote = why;
    return;
  }
  for (const AsyncTask& task : tasks) {
    DumpTask t;
    t.id = task.id;
    t.name = task.name;
    t.running = task.runningIdent != 0;
    t.threadIdent = task.runningIdent;
    if (t.running) {
      t.frames = runningChain(reader, task, threads);
    } else {
      for (const RawFrame& f : task.frames) t.frames.push_back(toDumpFrame(reader, f));
    }
    t.awaitedBy = task.awaitedBy;
    dump.tasks.push_back(std::move(t));
  }
}

DumpThread toDumpThread(PythonReader& reader, const ThreadStack& stack) {
  DumpThread t;
  t.ident = stack.ident;
  t.tid = stack.tid;
  t.name = reader.threadName(stack.ident, stack.tid);
  t.isMain = stack.isMain;
  t.running = stack.onCpu;
  t.holdsGil = stack.holdsGil;
  t.truncated = stack.truncated;
  t.frames.reserve(stack.frames.size());
  for (const RawFrame& f : stack.frames) t.frames.push_back(toDumpFrame(reader, f));
  return t;
}

}  // namespace

StackDump dumpStacks(int pid, const DumpOptions& options) {
  ReaderOptions readerOptions;
  readerOptions.maxDepth = options.maxDepth;
  std::unique_ptr<PythonReader> reader = PythonReader::attach(pid, readerOptions);
  if (!reader->interpreterReady()) {
    throw HotpathError(ErrorCode::NotPython,
                       "Process " + std::to_string(pid) + " runs CPython " + reader->version() +
                           " but its interpreter is not running Python code (it is starting or "
                           "shutting down). Try again in a moment.");
  }
  std::vector<ThreadStack> best, stacks;
  uint32_t bestDropped = UINT32_MAX;
  for (int i = 0; i < kReads && bestDropped != 0; ++i) {
    uint32_t dropped = 0;
    SampleStatus status = reader->sample(stacks, dropped);
    if (status == SampleStatus::TargetGone) throwGone(pid);
    if (status == SampleStatus::NotReady) continue;
    if (dropped < bestDropped) {
      best.swap(stacks);
      bestDropped = dropped;
    }
  }
  if (bestDropped == UINT32_MAX) {
    throw HotpathError(ErrorCode::NotPython, "Process " + std::to_string(pid) +
                                                 ": its interpreter stopped running Python code "
                                                 "while it was read (it is shutting down).");
  }
  StackDump dump;
  dump.pid = pid;
  dump.pythonVersion = reader->version();
  dump.pythonBinary = reader->binaryPath();
  dump.droppedThreads = bestDropped;
  for (const ThreadStack& stack : best) dump.threads.push_back(toDumpThread(*reader, stack));
  if (options.async) readTasks(*reader, best, options.asyncIfSupported, dump);
  std::stable_sort(dump.threads.begin(), dump.threads.end(),
                   [](const DumpThread& a, const DumpThread& b) {
                     if (a.isMain != b.isMain) return a.isMain;
                     return a.tid < b.tid;
                   });
  return dump;
}

}  // namespace hotpath

// One look at a running CPython process: every thread's current stack, read
// once, for `hotpath dump` and Show Current Stacks. The process is never
// stopped or signalled; a read that races it is read again a few times. No
// N-API: binding.cc runs this on a worker thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hotpath {

struct DumpFrame {
  std::string function;  // qualified name on 3.11+, the code object's name before
  std::string file;
  int32_t line = 0;  // 0 when unknown
  int32_t firstLine = 0;
};

struct DumpThread {
  uint64_t ident = 0;  // threading.get_ident()
  int32_t tid = 0;     // OS thread id, 0 when unknown
  std::string name;    // threading's name, else the OS name, else ""
  bool isMain = false;
  // Running: holds the GIL, or the kernel says running or ready to run (the
  // sampler's on-CPU flag); anything else is waiting.
  bool running = false;
  bool holdsGil = false;
  bool truncated = false;         // deeper than maxDepth: frames holds the innermost part
  std::vector<DumpFrame> frames;  // innermost first
};

// An asyncio task (CPython 3.14+).
struct DumpTask {
  uint64_t id = 0;  // the Task object's address (what awaitedBy refers to)
  std::string name;
  // Running: the thread (ident) it runs in, and its chain down to the executing frame, from
  // that thread's stack. Suspended: its coroutines, each awaiting the next one in.
  bool running = false;
  uint64_t threadIdent = 0;
  std::vector<DumpFrame> frames;  // innermost first
  std::vector<uint64_t> awaitedBy;
};

struct StackDump {
  int pid = 0;
  std::string pythonVersion;
  std::string pythonBinary;
  std::vector<DumpThread> threads;  // the main thread first, then by OS thread id
  // Threads whose stack kept changing under every read: left out, and counted.
  uint32_t droppedThreads = 0;
  // With DumpOptions::async: every pending task; `tasksNote` says why there are none to read
  // (asyncio not imported) when it is not empty.
  bool tasksRead = false;
  std::vector<DumpTask> tasks;
  std::string tasksNote;
};

struct DumpOptions {
  int maxDepth = 4096;
  bool async = false;  // also asyncio's tasks (3.14+: UnsupportedVersion before)
  // With async: before 3.14, say so in tasksNote instead of failing (the editor's view).
  bool asyncIfSupported = false;
};

// Throws HotpathError: NoProcess (no such process, or it exited while read),
// NotPython (no interpreter, or one not initialised yet / finalising),
// UnsupportedVersion (also: async before 3.14), Permission (with how to allow it).
StackDump dumpStacks(int pid, const DumpOptions& options);

}  // namespace hotpath

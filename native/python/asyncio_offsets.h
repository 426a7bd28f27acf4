// Where asyncio keeps its tasks (CPython 3.14+): the _asyncio module describes its Task object
// and its per-thread and per-interpreter task lists in a section of its own ELF file,
// `.AsyncioDebug` (_Py_AsyncioModuleDebugOffsets, field list in layouts_current.h).
#pragma once

#include <cstdint>
#include <string>

namespace hotpath {

struct AsyncioOffsets {
  uint64_t taskSize = 0;
  uint64_t taskName = 0;
  uint64_t taskAwaitedBy = 0;
  uint64_t taskIsTask = 0;
  uint64_t taskAwaitedByIsSet = 0;
  uint64_t taskCoro = 0;
  uint64_t taskNode = 0;
  uint64_t interpSize = 0;
  uint64_t interpTasksHead = 0;
  uint64_t tstateSize = 0;
  uint64_t tstateRunningLoop = 0;
  uint64_t tstateRunningTask = 0;
  uint64_t tstateTasksHead = 0;
};

// Finds the _asyncio module the process has loaded (a `_asyncio.cpython-3XX-….so` mapping, or
// the interpreter's own file when the module is built in) and reads its offsets. False, with
// `why` said for a user, when none is loaded or its section does not have the declared shape.
bool findAsyncioOffsets(int pid, const std::string& interpreterFile, AsyncioOffsets& out,
                        std::string& why);

}  // namespace hotpath

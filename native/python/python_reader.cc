// PythonReader::attach: find the interpreter, pick the layout, build the reader.
#include "python/python_reader.h"

#include "os/process_memory.h"
#include "os/process_state.h"
#include "python/cpython_reader.h"
#include "python/layout_dispatch.h"
#include "python/python_binary.h"

namespace hotpath {

std::unique_ptr<PythonReader> PythonReader::attach(int pid, const ReaderOptions& options) {
  if (pid <= 0) {
    throw HotpathError(
        ErrorCode::BadArgument,
        "Usage: attach(pid): pid must be a positive process id, got " + std::to_string(pid) + ".");
  }
  if (processGone(pid)) throwReadFailure(ReadResult::Gone, pid);
  std::unique_ptr<ProcessMemory> memory = openProcessMemory(pid);
  PythonBinary binary = findPythonBinary(pid, *memory);
  // Surface a permission problem now rather than at the first sample.
  uint64_t probe = 0;
  ReadResult r = memory->read(binary.runtimeAddr, &probe, sizeof probe);
  if (r != ReadResult::Ok) throwReadFailure(r, pid);
  PythonLayout layout =
      layoutForVersion(binary.minor, *memory, binary.runtimeAddr, binary.version.c_str());
  return std::make_unique<CPythonReader>(pid, options, std::move(memory), std::move(binary),
                                         layout);
}

const char* dropReasonName(DropReason reason) {
  switch (reason) {
    case DropReason::ThreadState:
      return "threadState";
    case DropReason::Unreadable:
      return "unreadable";
    case DropReason::Loop:
      return "loop";
    case DropReason::NoCode:
      return "noCode";
    case DropReason::Owner:
      return "owner";
    case DropReason::DetachedGenerator:
      return "detachedGenerator";
    case DropReason::CutShort:
      return "cutShort";
    case DropReason::FreedFrame:
      return "freedFrame";
    case DropReason::FreedCode:
      return "freedCode";
    case DropReason::Position:
      return "position";
    case DropReason::TopMoved:
      return "topMoved";
    case DropReason::Count:
      break;
  }
  return "unknown";
}

std::optional<bool> PythonReader::mapsPythonFile(int pid) {
  try {
    return mapsPythonNamedFile(pid);
  } catch (const HotpathError&) {
    return std::nullopt;
  }
}

}  // namespace hotpath

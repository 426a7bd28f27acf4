// What a caller can ask of one sampling run, and the checks that turn a bad
// request into a BadArgument error before any thread starts.
#pragma once

#include <cstdint>
#include <string>

namespace hotpath {

struct SamplerOptions {
  int64_t intervalUs = 1000;
  std::string spillPath;  // empty: no spill file
  int64_t startTimeoutMs = 10000;
  int maxDepth = 4096;
  // The process was already running (attach): when it maps nothing Python-like it is not
  // Python, and start-up fails with NotPython at once instead of waiting startTimeoutMs for a
  // launcher to exec an interpreter.
  bool existingProcess = false;
  // Also sample every process started under the target, at any depth
  // (ProcessTracker); the target itself need not be Python then.
  bool followChildren = false;
  // Also record each event loop's asyncio tasks with every sample (CPython 3.14+), each task on a
  // lane of its own (ThreadRecord::loopThread).
  bool asyncTasks = false;
};

constexpr int64_t kMinIntervalUs = 50;
constexpr int64_t kMaxIntervalUs = 1000000;

// Throws HotpathError(BadArgument) naming the option, its value and the
// accepted range.
void validateOptions(const SamplerOptions& options);

}  // namespace hotpath

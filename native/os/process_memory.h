// Reading another process's memory without stopping it. The target keeps
// running, so any read may race a write or an unmap: a read that faults is
// "torn" (ReadResult::Fault), which callers treat as bad data, not an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace hotpath {

enum class ReadResult {
  Ok,      // every byte was read
  Fault,   // some address was not mapped (a torn pointer): drop the data
  Gone,    // the process no longer exists
  Denied,  // not permitted to read this process
};

// One piece of a batched read.
struct ReadSpan {
  uint64_t addr = 0;
  void* buf = nullptr;
  size_t len = 0;
  bool ok = false;  // set by readMany: true when every byte of this span was read
};

class ProcessMemory {
 public:
  virtual ~ProcessMemory() = default;

  virtual int pid() const = 0;

  // Reads exactly `len` bytes at `addr` into `buf`.
  virtual ReadResult read(uint64_t addr, void* buf, size_t len) = 0;

  // Reads every span, in as few system calls as the OS allows, marking each
  // span's `ok`. Returns Ok when the process could be read at all (even if
  // some spans faulted), Gone or Denied otherwise.
  virtual ReadResult readMany(ReadSpan* spans, size_t count) = 0;

  // Number of system calls made so far (for cost accounting in tools/benchmarks).
  virtual uint64_t syscallCount() const = 0;
};

// The OS backend for `pid` (Linux: process_vm_readv). Never throws; a missing
// process is reported by the first read.
std::unique_ptr<ProcessMemory> openProcessMemory(int pid);

// Throws the HotpathError that matches a failed read (Gone → NoProcess,
// Denied → Permission with the explanation of how to allow it).
[[noreturn]] void throwReadFailure(ReadResult result, int pid);

// The actionable text for EPERM when reading `pid` (ptrace_scope, capabilities, containers).
std::string permissionMessage(int pid);

}  // namespace hotpath

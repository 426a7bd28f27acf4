// ProcessMemory on Linux: process_vm_readv. One call costs a few microseconds
// whatever the size up to a few KiB, so batches go out as one vectored call.
// Where the system call does not exist (ENOSYS: qemu-user, which runs arm64
// builds on x86 machines, and sandboxes that leave it out) the same bytes are
// read with pread from /proc/PID/mem, one call per span; that file is opened
// read-only, so the target is still never written to.
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "os/error.h"
#include "os/process_memory.h"

namespace hotpath {
namespace {

// Linux's UIO_MAXIOV: more iovecs than this in one call fail with EINVAL.
constexpr size_t kMaxIovecs = 1024;

ReadResult resultForErrno(int err) {
  switch (err) {
    case ESRCH:
      return ReadResult::Gone;
    case EPERM:
    case EACCES:
      return ReadResult::Denied;
    default:
      // EFAULT (unmapped address), ENOMEM, EINVAL (absurd length from a torn
      // pointer): the data is bad, the process is fine.
      return ReadResult::Fault;
  }
}

class LinuxProcessMemory final : public ProcessMemory {
 public:
  explicit LinuxProcessMemory(int pid) : pid_(pid) {}
  ~LinuxProcessMemory() override {
    if (memFd_ >= 0) close(memFd_);
  }
  LinuxProcessMemory(const LinuxProcessMemory&) = delete;
  LinuxProcessMemory& operator=(const LinuxProcessMemory&) = delete;

  int pid() const override { return pid_; }
  uint64_t syscallCount() const override { return syscalls_; }

  ReadResult read(uint64_t addr, void* buf, size_t len) override {
    if (len == 0) return ReadResult::Ok;
    if (addr == 0) return ReadResult::Fault;
    if (memFd_ < 0) {
      iovec local{buf, len};
      iovec remote{reinterpret_cast<void*>(static_cast<uintptr_t>(addr)), len};
      ++syscalls_;
      ssize_t n = process_vm_readv(pid_, &local, 1, &remote, 1, 0);
      if (n == static_cast<ssize_t>(len)) return ReadResult::Ok;
      if (n >= 0) return ReadResult::Fault;  // partial: the range crosses into unmapped memory
      if (errno != ENOSYS) return resultForErrno(errno);
      ReadResult opened = openMemFile();
      if (opened != ReadResult::Ok) return opened;
    }
    return readMemFile(addr, buf, len);
  }

  ReadResult readMany(ReadSpan* spans, size_t count) override {
    if (memFd_ >= 0) return readManyMemFile(spans, count);
    size_t next = 0;
    while (next < count) {
      // process_vm_readv stops at the first span that faults and reports the
      // bytes read so far: mark what was covered, skip the faulting span and
      // continue with the rest in another call.
      local_.clear();
      remote_.clear();
      for (size_t i = next; i < count && local_.size() < kMaxIovecs; ++i) {
        spans[i].ok = false;
        if (spans[i].len == 0) {
          spans[i].ok = true;
          continue;
        }
        if (spans[i].addr == 0) continue;  // never valid; do not let it end the batch
        local_.push_back({spans[i].buf, spans[i].len});
        remote_.push_back(
            {reinterpret_cast<void*>(static_cast<uintptr_t>(spans[i].addr)), spans[i].len});
        index_.resize(local_.size());
        index_[local_.size() - 1] = i;
        next = i + 1;
      }
      if (local_.empty()) return ReadResult::Ok;
      ++syscalls_;
      ssize_t n =
          process_vm_readv(pid_, local_.data(), local_.size(), remote_.data(), remote_.size(), 0);
      if (n < 0 && errno == ENOSYS) {
        ReadResult opened = openMemFile();
        if (opened != ReadResult::Ok) return opened;
        return readManyMemFile(spans, count);
      }
      if (n < 0) {
        ReadResult r = resultForErrno(errno);
        if (r != ReadResult::Fault) return r;
        n = 0;  // the very first span faulted
      }
      size_t covered = static_cast<size_t>(n);
      size_t j = 0;
      for (; j < local_.size() && covered >= local_[j].iov_len; ++j) {
        covered -= local_[j].iov_len;
        spans[index_[j]].ok = true;
      }
      if (j < local_.size()) next = index_[j] + 1;  // span j faulted: resume after it
    }
    return ReadResult::Ok;
  }

 private:
  // Kept open for the process's life: opening checks permission once, as
  // process_vm_readv does on every call.
  ReadResult openMemFile() {
    std::string path = "/proc/" + std::to_string(pid_) + "/mem";
    memFd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (memFd_ >= 0) return ReadResult::Ok;
    return errno == ENOENT ? ReadResult::Gone : resultForErrno(errno);
  }

  ReadResult readMemFile(uint64_t addr, void* buf, size_t len) {
    if (addr > static_cast<uint64_t>(INT64_MAX) - len) return ReadResult::Fault;
    ++syscalls_;
    ssize_t n = pread(memFd_, buf, len, static_cast<off_t>(addr));
    if (n == static_cast<ssize_t>(len)) return ReadResult::Ok;
    // 0 bytes: the process has no memory left (it exited); EIO: an unmapped address.
    if (n == 0) return ReadResult::Gone;
    if (n > 0) return ReadResult::Fault;
    return resultForErrno(errno);
  }

  ReadResult readManyMemFile(ReadSpan* spans, size_t count) {
    for (size_t i = 0; i < count; ++i) {
      spans[i].ok = spans[i].len == 0;
      if (spans[i].ok || spans[i].addr == 0) continue;
      ReadResult r = readMemFile(spans[i].addr, spans[i].buf, spans[i].len);
      if (r == ReadResult::Gone || r == ReadResult::Denied) return r;
      spans[i].ok = r == ReadResult::Ok;
    }
    return ReadResult::Ok;
  }

  int pid_;
  int memFd_ = -1;  // /proc/PID/mem once process_vm_readv turned out not to exist
  uint64_t syscalls_ = 0;
  std::vector<iovec> local_;
  std::vector<iovec> remote_;
  std::vector<size_t> index_;
};

std::string readSmallFile(const char* path) {
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  return text;
}

}  // namespace

std::unique_ptr<ProcessMemory> openProcessMemory(int pid) {
  return std::make_unique<LinuxProcessMemory>(pid);
}

std::string permissionMessage(int pid) {
  std::string msg = "Not permitted to read the memory of process " + std::to_string(pid) + ". ";
  struct stat st;
  std::string procDir = "/proc/" + std::to_string(pid);
  if (stat(procDir.c_str(), &st) == 0 && st.st_uid != geteuid()) {
    msg += "It belongs to another user (uid " + std::to_string(st.st_uid) +
           ", Hotpath runs as uid " + std::to_string(geteuid()) +
           "): profile a program you started yourself, as the same user. ";
  }
  std::string scope = readSmallFile("/proc/sys/kernel/yama/ptrace_scope");
  if (scope == "1") {
    msg +=
        "The kernel's Yama policy (/proc/sys/kernel/yama/ptrace_scope = 1) lets a process read "
        "only its own descendants: start the program from Hotpath (Profile Current File, or "
        "`hotpath run`) instead of attaching to it, or allow attaching to any of your processes "
        "until the next reboot with `sudo sysctl kernel.yama.ptrace_scope=0`. ";
  } else if (scope == "2") {
    msg +=
        "The kernel's Yama policy (/proc/sys/kernel/yama/ptrace_scope = 2) allows reading "
        "other processes only with the CAP_SYS_PTRACE capability; ask an administrator to lower "
        "it to 1 (`sudo sysctl kernel.yama.ptrace_scope=1`), after which programs started by "
        "Hotpath can be profiled. ";
  } else if (scope == "3") {
    msg +=
        "The kernel's Yama policy (/proc/sys/kernel/yama/ptrace_scope = 3) forbids reading other "
        "processes until the next reboot; no profiler that reads memory can work here. ";
  } else {
    msg +=
        "A process that changed its user or is marked non-dumpable (setuid programs, "
        "prctl(PR_SET_DUMPABLE, 0)) cannot be read either. ";
  }
  msg +=
      "Inside a container, reading needs the SYS_PTRACE capability: run the container with "
      "`--cap-add SYS_PTRACE`. Running the editor as root is not needed and not advised.";
  return msg;
}

void throwReadFailure(ReadResult result, int pid) {
  switch (result) {
    case ReadResult::Gone:
      throw HotpathError(ErrorCode::NoProcess,
                         "Process " + std::to_string(pid) +
                             " has exited (or never existed); there is nothing to profile.");
    case ReadResult::Denied:
      throw HotpathError(ErrorCode::Permission, permissionMessage(pid));
    case ReadResult::Fault:
    case ReadResult::Ok:
      break;
  }
  throw HotpathError(ErrorCode::Internal,
                     "Reading the memory of process " + std::to_string(pid) +
                         " failed at an address that should be valid; the target may be "
                         "exiting. Try again.");
}

}  // namespace hotpath

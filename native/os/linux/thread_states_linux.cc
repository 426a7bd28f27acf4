// ThreadStates on Linux: field 3 of /proc/PID/task/TID/stat. Opening the file
// costs several times more than reading it, so fds stay open and are pread.
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <unordered_map>

#include "os/thread_states.h"

namespace hotpath {
namespace {

class LinuxThreadStates final : public ThreadStates {
 public:
  explicit LinuxThreadStates(int pid) : pid_(pid) {}
  ~LinuxThreadStates() override {
    for (auto& entry : files_) close(entry.second.fd);
  }

  char state(int32_t tid) override {
    if (tid <= 0) return 0;
    auto it = files_.find(tid);
    if (it == files_.end()) {
      std::string path = "/proc/" + std::to_string(pid_) + "/task/" + std::to_string(tid) + "/stat";
      int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) return 0;
      it = files_.emplace(tid, File{fd, generation_}).first;
    }
    it->second.seen = generation_;
    char buf[512];
    ssize_t n = pread(it->second.fd, buf, sizeof buf - 1, 0);
    if (n <= 0) {
      // The thread exited (ESRCH) or its tid was reused: reopen next time.
      close(it->second.fd);
      files_.erase(it);
      return 0;
    }
    buf[n] = 0;
    // "tid (comm) S …": comm may contain spaces and parentheses, so the state
    // follows the last ')'.
    const char* paren = strrchr(buf, ')');
    if (!paren || paren[1] != ' ' || paren[2] == 0) return 0;
    return paren[2];
  }

  void keep(int32_t tid) override {
    auto it = files_.find(tid);
    if (it != files_.end()) it->second.seen = generation_;
  }

  std::string osName(int32_t tid) override { return osThreadName(pid_, tid); }

  void endSample() override {
    for (auto it = files_.begin(); it != files_.end();) {
      if (it->second.seen != generation_) {
        close(it->second.fd);
        it = files_.erase(it);
      } else {
        ++it;
      }
    }
    ++generation_;
  }

 private:
  struct File {
    int fd;
    uint64_t seen;
  };
  int pid_;
  uint64_t generation_ = 0;
  std::unordered_map<int32_t, File> files_;
};

}  // namespace

std::string osThreadName(int pid, int32_t tid) {
  if (tid <= 0) return "";
  std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid) + "/comm");
  std::string name;
  std::getline(in, name);
  return name;
}

std::unique_ptr<ThreadStates> openThreadStates(int pid) {
  return std::make_unique<LinuxThreadStates>(pid);
}

}  // namespace hotpath

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "os/error.h"
#include "os/memory_maps.h"
#include "os/process_memory.h"

namespace hotpath {

std::vector<MemoryMapping> parseMemoryMaps(const std::string& text) {
  std::vector<MemoryMapping> maps;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    // start-end perms offset dev inode [path]
    MemoryMapping m;
    char perms[8] = {0};
    int pathStart = 0;
    unsigned long long start = 0, end = 0, offset = 0;
    if (sscanf(line.c_str(), "%llx-%llx %7s %llx %*s %*s %n", &start, &end, perms, &offset,
               &pathStart) < 4) {
      continue;
    }
    m.start = start;
    m.end = end;
    m.fileOffset = offset;
    m.executable = perms[2] == 'x';
    m.writable = perms[1] == 'w';
    if (pathStart > 0 && static_cast<size_t>(pathStart) < line.size()) {
      m.path = line.substr(pathStart);
    }
    maps.push_back(std::move(m));
  }
  return maps;
}

std::vector<MemoryMapping> readMemoryMaps(int pid) {
  std::string path = "/proc/" + std::to_string(pid) + "/maps";
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT || err == ESRCH) throwReadFailure(ReadResult::Gone, pid);
    throwReadFailure(ReadResult::Denied, pid);
  }
  std::string text;
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      text.append(buf, static_cast<size_t>(n));
      continue;
    }
    int err = errno;
    if (n < 0 && err == EINTR) continue;
    close(fd);
    if (n < 0) {
      throwReadFailure(err == ESRCH ? ReadResult::Gone : ReadResult::Denied, pid);
    }
    break;
  }
  return parseMemoryMaps(text);
}

std::string readExecutablePath(int pid) {
  char buf[4096];
  std::string link = "/proc/" + std::to_string(pid) + "/exe";
  ssize_t n = readlink(link.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

std::string pathInTargetRoot(int pid, const std::string& path) {
  std::string clean = path;
  const std::string deleted = " (deleted)";
  if (clean.size() > deleted.size() &&
      clean.compare(clean.size() - deleted.size(), deleted.size(), deleted) == 0) {
    clean.resize(clean.size() - deleted.size());
  }
  return "/proc/" + std::to_string(pid) + "/root" + clean;
}

}  // namespace hotpath

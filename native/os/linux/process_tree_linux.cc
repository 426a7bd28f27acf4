// The process tree on Linux: /proc/PID/stat (fields as proc(5) numbers them:
// 4 ppid, 5 pgrp, 6 session, 22 starttime, 26 startcode, 28 startstack, 52 exit_code) and
// /proc/PID/cmdline.
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "os/process_tree.h"

namespace hotpath {

std::vector<int> listProcessIds() {
  std::vector<int> pids;
  DIR* dir = opendir("/proc");
  if (!dir) return pids;
  while (dirent* entry = readdir(dir)) {
    const char* name = entry->d_name;
    if (name[0] < '1' || name[0] > '9') continue;
    char* end = nullptr;
    long pid = std::strtol(name, &end, 10);
    if (*end == '\0' && pid > 0) pids.push_back(static_cast<int>(pid));
  }
  closedir(dir);
  return pids;
}

std::optional<ProcessStat> parseProcessStat(const std::string& text) {
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so the
  // fields after it start after the last ')'.
  auto open = text.find('(');
  auto close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  ProcessStat stat;
  stat.pid = std::atoi(text.c_str());
  stat.command = text.substr(open + 1, close - open - 1);
  std::istringstream rest(text.substr(close + 1));
  std::vector<std::string> fields;  // fields[0] is field 3 (state)
  for (std::string field; rest >> field;) fields.push_back(field);
  auto at = [&](size_t fieldNumber) -> const std::string* {
    size_t i = fieldNumber - 3;
    return i < fields.size() ? &fields[i] : nullptr;
  };
  auto number = [&](size_t fieldNumber) -> uint64_t {
    const std::string* f = at(fieldNumber);
    return f ? std::strtoull(f->c_str(), nullptr, 10) : 0;
  };
  if (!at(22) || stat.pid <= 0) return std::nullopt;
  stat.state = (*at(3))[0];
  stat.ppid = static_cast<int>(number(4));
  stat.pgid = static_cast<int>(number(5));
  stat.sid = static_cast<int>(number(6));
  stat.startTicks = number(22);
  stat.startCode = number(26);
  stat.startStack = number(28);
  if ((stat.state == 'Z' || stat.state == 'X') && at(52)) {
    stat.waitStatus = static_cast<int>(number(52));
  }
  return stat;
}

std::optional<ProcessStat> readProcessStat(int pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(file, text)) return std::nullopt;
  return parseProcessStat(text);
}

std::vector<std::string> readProcessArgv(int pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::vector<std::string> argv;
  for (std::string arg; std::getline(file, arg, '\0');) argv.push_back(arg);
  return argv;
}

double microsecondsSinceStart(uint64_t startTicks) {
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  static const double ticksPerSecond = static_cast<double>(sysconf(_SC_CLK_TCK));
  double nowUs = static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
  double startUs = static_cast<double>(startTicks) / ticksPerSecond * 1e6;
  return nowUs > startUs ? nowUs - startUs : 0;
}

}  // namespace hotpath

// The process tree as the OS shows it, read without stopping anyone (Linux:
// /proc): which processes exist, each one's parent, state, start time, the
// identity of the program image it runs and, once it has exited and until its
// parent reaps it, its wait status. Used to follow the processes a profiled
// program starts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hotpath {

struct ProcessStat {
  int pid = 0;
  int ppid = 0;
  int pgid = 0;    // process group: kept by a child whose parent exits (it is then reparented)
  int sid = 0;     // session: likewise kept
  char state = 0;  // 'R', 'S', 'D', 'Z' (exited, not reaped), 'X', …
  uint64_t startTicks =
      0;  // start time in clock ticks since boot: with the pid, a process's identity
  // Changes when the process execs another program (a new image gets new
  // addresses under address-space randomisation, and a new command name).
  std::string command;
  uint64_t startCode = 0;
  uint64_t startStack = 0;
  // The wait status of a zombie (as waitpid() reports it); -1 while it runs or
  // when the kernel does not say.
  int waitStatus = -1;

  bool sameImage(const ProcessStat& o) const {
    return command == o.command && startCode == o.startCode && startStack == o.startStack;
  }
};

// Every process id now in the system (a snapshot: processes come and go).
std::vector<int> listProcessIds();

// The process's status line, nullopt when it does not exist (any more).
std::optional<ProcessStat> readProcessStat(int pid);

// Parses the text of /proc/PID/stat (exposed for tests).
std::optional<ProcessStat> parseProcessStat(const std::string& text);

// The process's command line, empty when it cannot be read (a zombie has none).
std::vector<std::string> readProcessArgv(int pid);

// Microseconds from a process's start (ProcessStat::startTicks) to now, on the
// clock that counts since boot; negative never (clamped to 0).
double microsecondsSinceStart(uint64_t startTicks);

}  // namespace hotpath

// processGone on Linux: kill(pid, 0) for a process that is no more, /proc/PID/stat for a zombie.
#include <errno.h>
#include <signal.h>

#include <fstream>
#include <string>

#include "os/process_state.h"

namespace hotpath {

bool processGone(int pid) {
  if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
  // /proc/PID/stat: "pid (comm) S ..."; comm may contain spaces and parens,
  // so the state is the first field after the last ')'.
  std::ifstream statFile("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(statFile, stat)) return true;
  auto close = stat.rfind(')');
  if (close == std::string::npos || close + 2 >= stat.size()) return false;
  char state = stat[close + 2];
  return state == 'Z' || state == 'X';
}

}  // namespace hotpath

// The target's memory mappings (Linux: /proc/PID/maps).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hotpath {

struct MemoryMapping {
  uint64_t start = 0;
  uint64_t end = 0;
  uint64_t fileOffset = 0;
  bool executable = false;
  bool writable = false;
  std::string path;  // "" for anonymous mappings; may end in " (deleted)"
};

// Throws HotpathError(NoProcess) when the process does not exist and
// (Permission) when its maps cannot be read.
std::vector<MemoryMapping> readMemoryMaps(int pid);

// Parses the text of a maps file (exposed for tests).
std::vector<MemoryMapping> parseMemoryMaps(const std::string& text);

// The target's executable (/proc/PID/exe), or "" when it cannot be read.
std::string readExecutablePath(int pid);

// A path as the target sees it, openable from here even when the target runs
// in another mount namespace (container) or the file was deleted/replaced.
std::string pathInTargetRoot(int pid, const std::string& path);

}  // namespace hotpath

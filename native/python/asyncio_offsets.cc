#include "python/asyncio_offsets.h"

#include <cstring>
#include <vector>

#include "os/elf_symbols.h"
#include "os/memory_maps.h"
#include "python/layouts_current.h"

namespace hotpath {
namespace {

constexpr size_t kFields = sizeof current::kAsyncioDebugFields / sizeof(const char*);
constexpr const char* kSection = ".AsyncioDebug";

bool isAsyncioModule(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string base = path.substr(slash == std::string::npos ? 0 : slash + 1);
  return base.rfind("_asyncio.", 0) == 0 && base.find(".so") != std::string::npos;
}

// Every offset lies inside the struct its section sizes, as the declaration says.
bool fitsDeclaredShape(const AsyncioOffsets& o) {
  auto inside = [](uint64_t offset, uint64_t width, uint64_t size) {
    return size > 0 && size < (1u << 20) && offset + width <= size;
  };
  return inside(o.taskName, 8, o.taskSize) && inside(o.taskAwaitedBy, 8, o.taskSize) &&
         inside(o.taskIsTask, 1, o.taskSize) && inside(o.taskAwaitedByIsSet, 1, o.taskSize) &&
         inside(o.taskCoro, 8, o.taskSize) && inside(o.taskNode, 16, o.taskSize) &&
         inside(o.interpTasksHead, 16, o.interpSize) &&
         inside(o.tstateRunningLoop, 8, o.tstateSize) &&
         inside(o.tstateRunningTask, 8, o.tstateSize) &&
         inside(o.tstateTasksHead, 16, o.tstateSize);
}

}  // namespace

bool findAsyncioOffsets(int pid, const std::string& interpreterFile, AsyncioOffsets& out,
                        std::string& why) {
  std::vector<std::string> files;
  for (const MemoryMapping& m : readMemoryMaps(pid)) {
    if (isAsyncioModule(m.path) && (files.empty() || files.back() != m.path)) {
      files.push_back(m.path);
    }
  }
  files.push_back(interpreterFile);  // a build with _asyncio built in
  std::vector<uint8_t> bytes;
  for (const std::string& file : files) {
    if (readElfSection(pathInTargetRoot(pid, file), kSection, bytes)) break;
    bytes.clear();
  }
  if (bytes.empty()) {
    why = "the program has not imported asyncio (its C module _asyncio is not loaded)";
    return false;
  }
  if (bytes.size() < kFields * 8) {
    why = "its _asyncio module describes its tasks in a shape Hotpath does not know";
    return false;
  }
  uint64_t v[kFields];
  memcpy(v, bytes.data(), sizeof v);
  out = AsyncioOffsets{v[0], v[1], v[2], v[3],  v[4],  v[5], v[6],
                       v[7], v[8], v[9], v[10], v[11], v[12]};
  if (!fitsDeclaredShape(out)) {
    why = "its _asyncio module describes its tasks in a shape Hotpath does not know";
    return false;
  }
  return true;
}

}  // namespace hotpath

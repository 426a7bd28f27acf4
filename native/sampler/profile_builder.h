// Turns the readers' per-tick thread stacks into the interned, columnar
// ProfileData: (process, code, line) → frame id (one id for equal frames of
// several processes), (parent, frame) → stack id in a prefix tree, thread
// (process, ident, TID) → thread index. Every new string, frame, stack, thread
// and sample is also appended to the spill writer when there is one.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "python/python_reader.h"
#include "sampler/profile_data.h"

namespace hotpath {

class SpillWriter;

class ProfileBuilder {
 public:
  ProfileBuilder(ProfileData& data, SpillWriter* spill) : data_(data), spill_(spill) {}

  // Records one sample per thread of process `process` (an index into
  // data.processes, whose reader read them), all at `timeUs`.
  void addTick(double timeUs, const std::vector<ThreadStack>& stacks, PythonReader& reader,
               uint32_t process);

  // Asks the reader again for the names of process `process`'s threads that
  // had none yet (a thread can be seen before threading registers it). Cheap
  // when every thread has a name; call it rarely.
  void refreshThreadNames(PythonReader& reader, uint32_t process);

  // Writes a process's record (new or changed) to the spill file.
  void spillProcess(uint32_t process);

 private:
  uint32_t internString(const std::string& s);
  uint32_t internFrame(const RawFrame& frame, PythonReader& reader, uint32_t process);
  // A frame by content: equal content is one frame, whichever process it came from.
  uint32_t frameOf(uint32_t file, uint32_t name, uint32_t line, uint32_t firstLine);
  // asyncio tasks (TaskSample): a sample on each task's lane, under the nodes of the tasks
  // awaiting it.
  void addTasks(double timeUs, const ThreadStack& thread, uint32_t loopThread, PythonReader& reader,
                uint32_t process);
  uint32_t taskFrame(const TaskSample& task, PythonReader& reader, uint32_t process);
  uint32_t taskLane(const TaskSample& task, const ThreadStack& thread, uint32_t loopThread,
                    PythonReader& reader, uint32_t process);
  int32_t stackOfFrames(int32_t stack, const std::vector<RawFrame>& frames, PythonReader& reader,
                        uint32_t process);
  int32_t internStack(int32_t parent, uint32_t frame);
  // The one frame that stands for garbage collection (kGcFrameName), made on first use.
  uint32_t gcFrame();
  uint32_t internThread(const ThreadStack& stack, PythonReader& reader, uint32_t process);

  ProfileData& data_;
  SpillWriter* spill_;

  std::unordered_map<std::string, uint32_t> strings_;
  uint32_t gcFrame_ = UINT32_MAX;
  // Code ids are each reader's own: per process, codeId → (file string, name
  // string), UINT32_MAX until first use, and (codeId << 32 | line) → frame.
  struct ProcessCodes {
    std::vector<uint32_t> file;
    std::vector<uint32_t> name;
    std::unordered_map<uint64_t, uint32_t> frames;
    // (task name id << 32 | its coroutine's code id) → the task's node.
    std::unordered_map<uint64_t, uint32_t> taskFrames;
  };
  std::vector<ProcessCodes> codes_;
  // (file, name, line, firstLine) → frame, so that processes running the same
  // code share frames (and their stacks merge).
  std::unordered_map<std::string, uint32_t> frameByContent_;
  std::unordered_map<uint64_t, int32_t> stacks_;  // ((parent + 1) << 32 | frame) → stack
  // (ident, TID) → thread index. The ident alone is not enough: it is the
  // address of the thread's pthread struct, which the C library reuses for
  // the next thread once one is joined; the kernel's TID tells them apart.
  struct ThreadKey {
    uint64_t ident;
    int32_t tid;
    uint32_t process;
    bool operator==(const ThreadKey& o) const {
      return ident == o.ident && tid == o.tid && process == o.process;
    }
  };
  struct ThreadKeyHash {
    size_t operator()(const ThreadKey& k) const {
      return std::hash<uint64_t>()(
          k.ident ^ (static_cast<uint64_t>(static_cast<uint32_t>(k.tid)) * 0x9E3779B97F4A7C15ull) ^
          (static_cast<uint64_t>(k.process) << 40));
    }
  };
  std::unordered_map<ThreadKey, uint32_t, ThreadKeyHash> threads_;
  // The previous tick's raw stack of each thread (by thread index) and its
  // stack id: most threads, idle ones above all, do not move between ticks,
  // and one comparison replaces a hash lookup per frame.
  struct LastStack {
    std::vector<RawFrame> frames;
    int32_t stack = -1;
  };
  std::vector<LastStack> lastStacks_;
  struct PendingName {
    uint32_t thread;
    int attemptsLeft;
  };
  std::vector<PendingName> unnamed_;
  // A task's lane by (process, task address, name): a task freed and another made at its address
  // is a new lane unless it has the same name.
  struct LaneKey {
    uint64_t task;
    uint32_t name;
    uint32_t process;
    bool operator==(const LaneKey& o) const {
      return task == o.task && name == o.name && process == o.process;
    }
  };
  struct LaneKeyHash {
    size_t operator()(const LaneKey& k) const {
      return std::hash<uint64_t>()(k.task ^ (uint64_t{k.name} * 0x9E3779B97F4A7C15ull) ^
                                   (uint64_t{k.process} << 40));
    }
  };
  std::unordered_map<LaneKey, uint32_t, LaneKeyHash> taskLanes_;
  std::vector<uint32_t> taskNodes_;  // this sample's task nodes of one task, outermost first
  // Per lane (by thread index): its last sample's task nodes, for lastStacks_ to be reused.
  std::vector<std::vector<uint32_t>> lastTaskNodes_;
  std::unordered_map<uint64_t, size_t> taskAt_;  // this tick's tasks of one thread by address
  std::vector<size_t> awaiters_;
};

}  // namespace hotpath

#include "sampler/profile_builder.h"

#include <algorithm>
#include <cstring>

#include "os/thread_states.h"
#include "sampler/json_text.h"
#include "sampler/spill_writer.h"

namespace hotpath {

namespace {

constexpr uint32_t kUnset = UINT32_MAX;
// How many times a thread without a Python name is asked again (about 4×/s:
// a few seconds covers threads that register late).
constexpr int kNameAttempts = 20;

bool sameFrames(const std::vector<RawFrame>& a, const std::vector<RawFrame>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].codeId != b[i].codeId || a[i].line != b[i].line) return false;
  }
  return true;
}

}  // namespace

uint32_t ProfileBuilder::internString(const std::string& s) {
  auto it = strings_.find(s);
  if (it != strings_.end()) return it->second;
  auto id = static_cast<uint32_t>(data_.strings.size());
  data_.strings.push_back(s);
  strings_.emplace(s, id);
  if (spill_) spill_->string(id, s);
  return id;
}

uint32_t ProfileBuilder::internFrame(const RawFrame& frame, PythonReader& reader,
                                     uint32_t process) {
  if (process >= codes_.size()) codes_.resize(process + 1);
  ProcessCodes& codes = codes_[process];
  uint64_t key = (uint64_t{frame.codeId} << 32) | static_cast<uint32_t>(frame.line);
  auto it = codes.frames.find(key);
  if (it != codes.frames.end()) return it->second;

  if (frame.codeId >= codes.file.size()) {
    codes.file.resize(frame.codeId + 1, kUnset);
    codes.name.resize(frame.codeId + 1, kUnset);
  }
  const CodeInfo& code = reader.code(frame.codeId);
  if (codes.file[frame.codeId] == kUnset) {
    codes.file[frame.codeId] = internString(code.filename);
    codes.name[frame.codeId] = internString(code.name);
  }
  const uint32_t file = codes.file[frame.codeId];
  const uint32_t name = codes.name[frame.codeId];
  auto line = static_cast<uint32_t>(std::max(frame.line, 0));
  auto firstLine = static_cast<uint32_t>(std::max(code.firstLine, 0));
  uint32_t id = frameOf(file, name, line, firstLine);
  codes.frames.emplace(key, id);
  return id;
}

uint32_t ProfileBuilder::frameOf(uint32_t file, uint32_t name, uint32_t line, uint32_t firstLine) {
  std::string content(16, '\0');
  const uint32_t parts[4] = {file, name, line, firstLine};
  std::memcpy(&content[0], parts, sizeof parts);
  auto same = frameByContent_.find(content);
  if (same != frameByContent_.end()) return same->second;
  auto id = static_cast<uint32_t>(data_.frameFile.size());
  data_.frameFile.push_back(file);
  data_.frameName.push_back(name);
  data_.frameLine.push_back(line);
  data_.frameFirstLine.push_back(firstLine);
  frameByContent_.emplace(std::move(content), id);
  if (spill_) spill_->frame(id, file, name, line, firstLine);
  return id;
}

uint32_t ProfileBuilder::gcFrame() {
  if (gcFrame_ == kUnset)
    gcFrame_ = frameOf(internString(kGcFrameFile), internString(kGcFrameName), 0, 0);
  return gcFrame_;
}

int32_t ProfileBuilder::internStack(int32_t parent, uint32_t frame) {
  uint64_t key = (static_cast<uint64_t>(parent + 1) << 32) | frame;
  auto it = stacks_.find(key);
  if (it != stacks_.end()) return it->second;
  auto id = static_cast<int32_t>(data_.stackParent.size());
  data_.stackParent.push_back(parent);
  data_.stackFrame.push_back(frame);
  stacks_.emplace(key, id);
  if (spill_) spill_->stack(static_cast<uint32_t>(id), parent, frame);
  return id;
}

uint32_t ProfileBuilder::internThread(const ThreadStack& stack, PythonReader& reader,
                                      uint32_t process) {
  auto it = threads_.find(ThreadKey{stack.ident, stack.tid, process});
  if (it != threads_.end()) return it->second;
  auto index = static_cast<uint32_t>(data_.threads.size());
  std::string pythonName = reader.threadName(stack.ident, stack.tid);
  std::string name = pythonName.empty() ? osThreadName(reader.pid(), stack.tid) : pythonName;
  // Never nameless: the panel lists threads by name.
  if (name.empty()) name = "Thread " + std::to_string(stack.tid > 0 ? stack.tid : index);
  ThreadRecord record;
  record.process = process;
  record.tid = stack.tid;
  record.ident = stack.ident;
  record.isMain = stack.isMain;
  record.nameString = internString(name);
  data_.threads.push_back(record);
  threads_.emplace(ThreadKey{stack.ident, stack.tid, process}, index);
  if (spill_) {
    spill_->thread(index, record.tid, record.ident, record.isMain, record.nameString);
    spill_->threadProcess(index, process);
  }
  if (pythonName.empty()) unnamed_.push_back({index, kNameAttempts});
  return index;
}

void ProfileBuilder::refreshThreadNames(PythonReader& reader, uint32_t process) {
  for (auto& pending : unnamed_) {
    ThreadRecord& thread = data_.threads[pending.thread];
    if (thread.process != process) continue;
    --pending.attemptsLeft;
    std::string name = reader.threadName(thread.ident, thread.tid);
    if (name.empty()) continue;
    pending.attemptsLeft = 0;
    uint32_t nameString = internString(name);
    if (nameString == thread.nameString) continue;
    thread.nameString = nameString;
    if (spill_) spill_->threadName(pending.thread, nameString);
  }
  unnamed_.erase(std::remove_if(unnamed_.begin(), unnamed_.end(),
                                [](const PendingName& p) { return p.attemptsLeft <= 0; }),
                 unnamed_.end());
}

void ProfileBuilder::addTick(double timeUs, const std::vector<ThreadStack>& stacks,
                             PythonReader& reader, uint32_t process) {
  SamplerStats& stats = data_.stats;
  for (const ThreadStack& thread : stacks) {
    uint32_t threadIndex = internThread(thread, reader, process);
    if (threadIndex >= lastStacks_.size()) lastStacks_.resize(threadIndex + 1);
    LastStack& last = lastStacks_[threadIndex];
    int32_t stack = -1;
    if (sameFrames(last.frames, thread.frames)) {
      stack = last.stack;
    } else {
      stack = stackOfFrames(-1, thread.frames, reader, process);
      last.frames = thread.frames;
      last.stack = stack;
    }
    // The collector's frame goes on top of the frames it interrupted (it has no parent of its own
    // when the thread had no Python frame, at start-up or shut-down).
    if (thread.inGc) stack = internStack(stack, gcFrame());
    stats.maxDepth = std::max(stats.maxDepth, static_cast<uint32_t>(thread.frames.size()));
    if (thread.truncated) ++stats.truncatedStacks;
    const uint8_t flags =
        (thread.onCpu ? kSampleOnCpu : 0) | (thread.holdsGil ? kSampleHoldsGil : 0);
    data_.sampleTime.push_back(timeUs);
    data_.sampleThread.push_back(threadIndex);
    data_.sampleStack.push_back(stack);
    data_.sampleOnCpu.push_back(thread.onCpu ? 1 : 0);
    data_.sampleGil.push_back(thread.holdsGil ? 1 : 0);
    ++stats.samples;
    if (spill_) spill_->sample(timeUs, threadIndex, stack, flags);
    if (!thread.tasks.empty()) addTasks(timeUs, thread, threadIndex, reader, process);
  }
}

int32_t ProfileBuilder::stackOfFrames(int32_t stack, const std::vector<RawFrame>& frames,
                                      PythonReader& reader, uint32_t process) {
  // frames are innermost first; the prefix tree is built from the root.
  for (auto frame = frames.rbegin(); frame != frames.rend(); ++frame) {
    stack = internStack(stack, internFrame(*frame, reader, process));
  }
  return stack;
}

uint32_t ProfileBuilder::taskFrame(const TaskSample& task, PythonReader& reader, uint32_t process) {
  if (process >= codes_.size()) codes_.resize(process + 1);
  uint64_t key = (uint64_t{task.name} << 32) | task.outerCode;
  auto& frames = codes_[process].taskFrames;
  auto it = frames.find(key);
  if (it != frames.end()) return it->second;
  // The task's node: "task NAME" (a space no qualified name has) in its coroutine's file, at its
  // first line and no line of its own, so that it opens at the coroutine's `async def` and adds
  // no time to a line.
  std::string file = "<asyncio>";
  int32_t firstLine = 0;
  if (task.outerCode != UINT32_MAX) {
    const CodeInfo& code = reader.code(task.outerCode);
    file = code.filename;
    firstLine = std::max(code.firstLine, 0);
  }
  uint32_t id = frameOf(internString(file), internString("task " + reader.taskNameText(task.name)),
                        0, static_cast<uint32_t>(firstLine));
  frames.emplace(key, id);
  return id;
}

uint32_t ProfileBuilder::taskLane(const TaskSample& task, const ThreadStack& thread,
                                  uint32_t loopThread, PythonReader& reader, uint32_t process) {
  const LaneKey key{task.id, task.name, process};
  auto it = taskLanes_.find(key);
  if (it != taskLanes_.end()) return it->second;
  auto index = static_cast<uint32_t>(data_.threads.size());
  ThreadRecord record;
  record.process = process;
  record.tid = thread.tid;
  record.ident = task.id;
  record.nameString = internString(reader.taskNameText(task.name));
  record.loopThread = static_cast<int32_t>(loopThread);
  data_.threads.push_back(record);
  taskLanes_.emplace(key, index);
  if (spill_) {
    spill_->thread(index, record.tid, record.ident, false, record.nameString);
    spill_->threadProcess(index, process);
    spill_->threadLoop(index, loopThread);
  }
  return index;
}

void ProfileBuilder::addTasks(double timeUs, const ThreadStack& thread, uint32_t loopThread,
                              PythonReader& reader, uint32_t process) {
  SamplerStats& stats = data_.stats;
  taskAt_.clear();
  for (size_t i = 0; i < thread.tasks.size(); ++i) taskAt_.emplace(thread.tasks[i].id, i);
  for (size_t i = 0; i < thread.tasks.size(); ++i) {
    const TaskSample& task = thread.tasks[i];
    uint32_t lane = taskLane(task, thread, loopThread, reader, process);
    // The tasks awaiting it, nearest first (gather, TaskGroup): their nodes come first, so that
    // a task nests under the task that awaits it. Only their nodes: their own frames are on their
    // own lanes, and each line's time stays the time spent at that line.
    awaiters_.clear();
    for (uint64_t up = task.awaitedBy; up && awaiters_.size() < 64;) {
      auto found = taskAt_.find(up);
      if (found == taskAt_.end() || found->second == i) break;
      awaiters_.push_back(found->second);
      up = thread.tasks[found->second].awaitedBy;
    }
    taskNodes_.clear();
    for (auto a = awaiters_.rbegin(); a != awaiters_.rend(); ++a) {
      taskNodes_.push_back(taskFrame(thread.tasks[*a], reader, process));
    }
    taskNodes_.push_back(taskFrame(task, reader, process));
    // Most tasks wait where they waited at the last tick: one comparison, no lookups.
    if (lane >= lastStacks_.size()) lastStacks_.resize(lane + 1);
    if (lane >= lastTaskNodes_.size()) lastTaskNodes_.resize(lane + 1);
    LastStack& last = lastStacks_[lane];
    int32_t stack = -1;
    if (last.stack >= 0 && lastTaskNodes_[lane] == taskNodes_ &&
        sameFrames(last.frames, task.frames)) {
      stack = last.stack;
    } else {
      for (uint32_t node : taskNodes_) stack = internStack(stack, node);
      stack = stackOfFrames(stack, task.frames, reader, process);
      last.frames = task.frames;
      last.stack = stack;
      lastTaskNodes_[lane] = taskNodes_;
    }
    // Waiting in `await` is off the CPU; the running task is where its thread is.
    const bool onCpu = task.running && thread.onCpu;
    // So is holding the GIL: the running task holds it when its thread does.
    const bool holdsGil = task.running && thread.holdsGil;
    data_.sampleTime.push_back(timeUs);
    data_.sampleThread.push_back(lane);
    data_.sampleStack.push_back(stack);
    data_.sampleOnCpu.push_back(onCpu ? 1 : 0);
    data_.sampleGil.push_back(holdsGil ? 1 : 0);
    ++stats.samples;
    if (spill_) {
      spill_->sample(timeUs, lane, stack,
                     (onCpu ? kSampleOnCpu : 0) | (holdsGil ? kSampleHoldsGil : 0));
    }
  }
}

}  // namespace hotpath

namespace hotpath {

void ProfileBuilder::spillProcess(uint32_t process) {
  if (!spill_) return;
  const ProcessRecord& p = data_.processes[process];
  std::string argv = "[";
  for (size_t i = 0; i < p.argv.size(); ++i) argv += (i ? "," : "") + jsonString(p.argv[i]);
  argv += "]";
  spill_->process(
      process, "{\"pid\":" + std::to_string(p.pid) + ",\"ppid\":" + std::to_string(p.ppid) +
                   ",\"parent\":" + std::to_string(p.parent) + ",\"argv\":" + argv +
                   ",\"pythonVersion\":" + jsonString(p.pythonVersion) +
                   ",\"pythonBinary\":" + jsonString(p.pythonBinary) +
                   ",\"startUs\":" + jsonNumber(p.startUs) + ",\"endUs\":" + jsonNumber(p.endUs) +
                   ",\"waitStatus\":" + std::to_string(p.waitStatus) + ",\"execed\":" +
                   (p.execed ? "true" : "false") + ",\"note\":" + jsonString(p.note) + "}");
}

}  // namespace hotpath

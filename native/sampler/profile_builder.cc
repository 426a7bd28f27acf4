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
  std::string content(16, '\0');
  const uint32_t parts[4] = {file, name, line, firstLine};
  std::memcpy(&content[0], parts, sizeof parts);
  auto same = frameByContent_.find(content);
  if (same != frameByContent_.end()) {
    codes.frames.emplace(key, same->second);
    return same->second;
  }
  auto id = static_cast<uint32_t>(data_.frameFile.size());
  data_.frameFile.push_back(file);
  data_.frameName.push_back(name);
  data_.frameLine.push_back(line);
  data_.frameFirstLine.push_back(firstLine);
  codes.frames.emplace(key, id);
  frameByContent_.emplace(std::move(content), id);
  if (spill_) spill_->frame(id, file, name, line, firstLine);
  return id;
}

uint32_t ProfileBuilder::gcFrame() {
  if (gcFrame_ != kUnset) return gcFrame_;
  const uint32_t file = internString(kGcFrameFile);
  const uint32_t name = internString(kGcFrameName);
  gcFrame_ = static_cast<uint32_t>(data_.frameFile.size());
  data_.frameFile.push_back(file);
  data_.frameName.push_back(name);
  data_.frameLine.push_back(0);
  data_.frameFirstLine.push_back(0);
  if (spill_) spill_->frame(gcFrame_, file, name, 0, 0);
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
      // frames are innermost first; the prefix tree is built from the root.
      for (auto frame = thread.frames.rbegin(); frame != thread.frames.rend(); ++frame) {
        stack = internStack(stack, internFrame(*frame, reader, process));
      }
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

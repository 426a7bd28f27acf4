// PythonReader for CPython 3.8–3.15: walks every interpreter's threads and
// their frames with the layout picked for the target's version.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "os/process_memory.h"
#include "os/thread_states.h"
#include "python/address_index.h"
#include "python/asyncio_offsets.h"
#include "python/code_cache.h"
#include "python/layout.h"
#include "python/opcode_sets.h"
#include "python/python_binary.h"
#include "python/python_reader.h"
#include "python/sample_memory.h"
#include "python/thread_names.h"

namespace hotpath {

// Counters for tools and benchmarks (not part of the engine contract).
struct ReaderStats {
  uint64_t samples = 0;
  uint64_t syscalls = 0;
  uint64_t prefetchHits = 0;
  uint64_t prefetchMisses = 0;
  uint64_t codeMisses = 0;
  uint64_t droppedThreads = 0;
  uint64_t badFrames = 0;     // frames that failed validation (the thread was dropped)
  uint64_t retries = 0;       // stacks read again after a read that failed validation
  uint64_t pooledFrames = 0;  // ≤ 3.10: frame objects prefetched for being in recent stacks
  uint64_t stateReads = 0;    // threads whose run state was read from the OS (not GIL holders)
  // 3.11+ stacks settled as of the moment their frames were read
  // (returned_frames.cc): frames that had returned cut off, a callee that had
  // started since the thread state was read joined on.
  uint64_t returnedCut = 0;
  uint64_t callsJoined = 0;
  // ≤ 3.10: stacks whose top changed deeper than it is read again (frame_object_top.cc), shown
  // as walked.
  uint64_t topsAsWalked = 0;
  DropCounts drops{};  // threads' stacks dropped, by reason
};

class CPythonReader final : public PythonReader {
 public:
  CPythonReader(int pid, const ReaderOptions& options, std::unique_ptr<ProcessMemory> memory,
                PythonBinary binary, const PythonLayout& layout);

  bool interpreterReady() override;
  SampleStatus sample(std::vector<ThreadStack>& out, uint32_t& droppedThreads) override;
  const CodeInfo& code(uint32_t id) const override { return codes_.info(id); }
  uint32_t codeCount() const override { return codes_.count(); }
  std::string threadName(uint64_t ident, int32_t tid) override;
  std::string version() const override { return binary_.version; }
  std::string binaryPath() const override { return binary_.path; }
  int pid() const override { return pid_; }
  uint64_t returnedFramesCut() const override { return stats_.returnedCut; }
  DropCounts dropsByReason() const override { return stats_.drops; }
  bool asyncTasks(std::vector<AsyncTask>& out, std::string& why) override;
  const std::string& taskNameText(uint32_t id) const override { return taskNames_[id]; }

  ReaderStats stats() const;
  const PythonLayout& layout() const { return layout_; }

 private:
  // One thread as read from its PyThreadState.
  struct ThreadHead {
    uint64_t tstate = 0;
    uint64_t ident = 0;
    int32_t tid = 0;
    uint64_t frame = 0;      // innermost frame (PyFrameObject* or _PyInterpreterFrame*)
    uint64_t chunk = 0;      // 3.11+: current datastack chunk
    uint64_t chunkTop = 0;   // 3.11+: datastack_top
    uint64_t cframe = 0;     // 3.11/3.12: tstate->cframe
    uint64_t baseFrame = 0;  // 3.15+: the frame every chain of this thread ends at
    bool holdsGil = false;
    // False for a thread state that is not a running thread: not yet bound to
    // its OS thread (being created), or already unbound or being cleared
    // (the thread is ending). Such states have no stack to show.
    bool live = true;
  };
  // A frame before its code object is resolved.
  struct PendingFrame {
    uint64_t code = 0;
    int64_t position = 0;  // f_lasti (≤3.10) or instruction address (3.11+)
    bool generator = false;
    uint64_t addr = 0;         // the frame itself
    bool onDatastack = false;  // 3.11+: owned by the thread (in a datastack chunk)
    bool viaEntry = false;     // 3.11+: called from C (an entry frame), not by the caller
    uint64_t back = 0;         // 3.11+: its link to the frame below, as walked
  };
  enum class WalkResult { Ok, Truncated, Bad };
  // A walk or a resolution that failed, and why (counted if the thread's
  // stack is dropped in the end, after its retries).
  WalkResult dropped(DropReason why) {
    lastDrop_ = why;
    return WalkResult::Bad;
  }
  bool droppedResolve(DropReason why) {
    lastDrop_ = why;
    return false;
  }
  DropReason lastDrop_ = DropReason::Unreadable;

  bool readThreadHead(uint64_t tstate, uint64_t gilHolder, ThreadHead& head, uint64_t& next);
  WalkResult walkFrameObjects(uint64_t frame, std::vector<PendingFrame>& out);
  WalkResult walkInterpreterFrames(const ThreadHead& head, std::vector<PendingFrame>& out);
  void readDatastack(const ThreadHead& head);
  const uint8_t* readInterpreterFrame(uint64_t frame, size_t need);
  size_t frameObjectReadSize() const;
  void poolFrameObjects(const std::vector<uint64_t>& walked);
  void prefetchFramePool();
  bool isFirstFrameOfThread(uint64_t chunk, uint64_t frame);
  bool isZombieFrame(uint64_t frame, uint64_t code);
  // 3.11+: the top of the stack as of the moment its frames were read
  // (returned_frames.cc): frames that had returned cut off, a callee pushed
  // since the thread state was read joined on.
  struct Position {
    int op = -1;               // the instruction a frame is at, as it is now; -1: unknown
    bool atLastCache = false;  // on its last inline cache entry
    int32_t frameWords = 0;    // 3.12+: the words its frame takes (co_framesize)
  };
  void settleTop(std::vector<PendingFrame>& pending);
  // ≤ 3.10: the top of a walked stack read again, pinned to one moment
  // (frame_object_top.cc).
  WalkResult confirmFrameObjectTop(const ThreadHead& head, std::vector<PendingFrame>& pending);
  // Rebuilt: `pending`'s top replaced; DeepChange: the deepest frame read again is no longer on
  // the stack; Torn: the bytes read make no one stack.
  enum class TopRebuild { Rebuilt, DeepChange, Torn };
  TopRebuild rebuildTop(const ThreadHead& head, std::vector<PendingFrame>& pending,
                        size_t walkCount, uint64_t extra, uint64_t& current);
  bool frameRuns(const uint8_t* frame) const;
  // ≤ 3.10: the frame objects at the top of a thread's recent samples, most recent first.
  struct TopFrames {
    static constexpr size_t kSize = 8;
    uint64_t addrs[kSize] = {};
    size_t depths[kSize] = {};  // 0: the outermost frame
    uint64_t seen[kSize] = {};  // the sample that last met it at the top
    size_t count = 0;
    void remember(uint64_t addr, size_t depth, uint64_t sample);
  };
  bool confirmGeneratorStep(PendingFrame& generator, PendingFrame& caller, bool innermost);
  // The running callee right above `frame` (at `at`) on the datastack, and its position.
  bool calleeAbove(PendingFrame& frame, const Position& at, PendingFrame& out, Position& outAt);
  bool confirmCallee(PendingFrame& caller, uint64_t slot, PendingFrame& callee);
  bool waitsForCallee(const Position& at) const;
  bool runsAt(const Position& at) const;
  Position positionOf(const PendingFrame& frame);
  const CodeCache::Entry& adaptiveCode(CodeCache::Entry& e, uint64_t first);
  // `whole`: the walk reached the outermost frame (not cut at the depth cap).
  bool resolveFrames(const std::vector<PendingFrame>& pending, bool whole,
                     std::vector<RawFrame>& out);
  void dropDuplicateIdents(std::vector<ThreadStack>& out, size_t first);
  // asyncio_tasks.cc: a code object and instruction pointer → frame; a task's name.
  bool frameAt(uint64_t code, uint64_t instr, RawFrame& out);
  std::string taskName(uint64_t name);
  // asyncio_sample.cc: the tasks of the event loop `tstate` runs, read with the sample (through
  // sampleMemory_), the running one's frames taken from its thread's stack.
  bool asyncioKnown();
  void readLoopTasks(uint64_t tstate, ThreadStack& stack);
  bool readTask(uint64_t addr, const uint8_t* task, bool running, TaskSample& out, uint64_t& coro);
  void readAwaitChains(std::vector<TaskSample>& tasks, std::vector<uint64_t>& coros);
  void decodeNewNames(std::vector<TaskSample>& tasks, const std::vector<uint64_t>& coros);
  std::string nameFromBytes(uint64_t name, const uint8_t* bytes);
  bool isTaskType(uint64_t type);

  int pid_;
  ReaderOptions options_;
  std::unique_ptr<ProcessMemory> memory_;
  PythonBinary binary_;
  PythonLayout layout_;
  SampleMemory sampleMemory_;
  CodeCache codes_;
  OpcodeSets opcodes_;
  bool haveOpcodes_ = false;
  // Datastack slot → the callee last joined there while its caller did not
  // show the call (code, position): returned_frames.cc, calleeAbove.
  std::unordered_map<uint64_t, std::pair<uint64_t, int64_t>> unwaitedCallees_;
  std::unique_ptr<ThreadStates> threadStates_;
  ThreadNames threadNames_;
  ReaderStats stats_;

  // Scratch reused across samples (no allocation per sample once warm).
  std::vector<PendingFrame> pending_;
  std::unordered_set<uint64_t> seen_;
  std::vector<uint64_t> codeAddrs_;
  std::vector<size_t> codeLens_;
  std::vector<const uint8_t*> codeHeaders_;
  std::vector<CodeCache::Entry*> codeEntries_;
  std::vector<uint64_t> walked_;  // frame addresses of the thread being walked
  // 3.11+: the current datastack chunk of the thread being walked, [start, end)
  // as far as it may be read (readDatastack); end 0 when unknown.
  uint64_t walkChunk_ = 0;
  uint64_t walkChunkEnd_ = 0;
  // ≤ 3.10: frame objects walked in recent samples → the sample that last
  // walked them; every sample prefetches them all (see prefetchFramePool).
  std::unordered_map<uint64_t, uint64_t> framePool_;
  // ≤ 3.10: each thread state's recent top frames, and the bytes of one top read.
  std::unordered_map<uint64_t, TopFrames> topFrames_;
  std::vector<uint8_t> topBytes_;
  AddressIndex visited_;                // frames of the chain being walked
  AddressIndex codeIndex_;              // code object → slot in codeAddrs_ (resolveFrames)
  std::vector<uint32_t> pendingSlots_;  // each pending frame's slot in codeAddrs_
  std::unordered_map<uint64_t, size_t> identSlots_;
  std::string mainComm_;
  // asyncio (ReaderOptions::asyncTasks): where its tasks are, once its module is loaded, and when
  // to look for it again until then (CLOCK_MONOTONIC ns).
  std::optional<AsyncioOffsets> asyncio_;
  int64_t nextAsyncioLook_ = 0;
  int asyncioLooks_ = 0;
  // Task names by id (TaskSample::name), and the ids of the names already decoded, by (task,
  // name object, coroutine).
  std::vector<std::string> taskNames_;
  struct KnownName {
    uint64_t task, name, coro;
    bool operator==(const KnownName& o) const {
      return task == o.task && name == o.name && coro == o.coro;
    }
  };
  struct KnownNameHash {
    size_t operator()(const KnownName& k) const {
      return std::hash<uint64_t>()(k.task ^ (k.name * 0x9E3779B97F4A7C15ull) ^ (k.coro << 17));
    }
  };
  std::unordered_map<KnownName, uint32_t, KnownNameHash> knownNames_;
  std::vector<uint64_t> newNames_;  // this sample's name objects not decoded yet, in task order
  std::unordered_map<uint64_t, int> nameTypes_;  // type → 1 str, 2 int, 0 neither
  std::vector<uint8_t> nameBuffer_;
  std::vector<ReadSpan> nameSpans_;
  std::unordered_map<std::string, uint32_t> taskNameIds_;
  std::vector<uint64_t> loopTaskAddrs_;
  // readAwaitChains' scratch: the tasks whose chains go on, and one level's reads.
  std::vector<size_t> chainTasks_;
  std::vector<uint64_t> chainAddrs_;
  std::vector<uint64_t> chainCodes_;
  std::vector<size_t> chainLens_;
  std::vector<const uint8_t*> chainCoros_;
  std::vector<const uint8_t*> chainHeaders_;
  std::unordered_map<uint64_t, bool> taskTypes_;  // type object → whether it is a Task's
  bool pthreadTidVerified_ = false;  // kPthreadTidOffset gave the main thread's tid (3.8–3.10)
};

}  // namespace hotpath

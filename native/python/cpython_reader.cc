#include "python/cpython_reader.h"

#include <algorithm>
#include <cstring>

#include "python/field.h"

namespace hotpath {
namespace {

// glibc's struct pthread keeps the kernel tid at this offset, found by looking
// for gettid() in pthread_self()'s bytes: 720 on x86_64 (glibc 2.28–2.40), 208
// on aarch64 (glibc 2.36; the struct's head differs per architecture).
// 3.8–3.10 have no native_thread_id, and threading.get_ident() is the
// pthread_t, which points at that struct. Other platforms: the tid stays
// unknown (0).
#if defined(__x86_64__) && defined(__GLIBC__)
constexpr int64_t kPthreadTidOffset = 720;
#elif defined(__aarch64__) && defined(__GLIBC__)
constexpr int64_t kPthreadTidOffset = 208;
#else
constexpr int64_t kPthreadTidOffset = -1;
#endif

// More interpreters than this means a torn list.
constexpr int kMaxInterpreters = 256;
constexpr uint64_t kPage = SampleMemory::kPageSize;
// The window prefetched around the running thread's cframe (3.11/3.12). In
// Django its cframe moved within ~900 bytes from one sample to the next; the
// window costs one thread's 3 kB a sample, not a page for every thread.
constexpr uint64_t kCframeBelow = 1536;
constexpr uint64_t kCframeAbove = 1536;
// Reads of one thread's stack after the first that failed validation. Frames
// come and go within a microsecond in tight loops (generators, context
// managers), faster than the reads of one stack; each retry reads everything
// the thread's previous attempts touched again in one call, so it mostly sees
// one moment. Dropping instead would bias the profile against such code.
constexpr int kMaxRetries = 6;
// All threads' retries in one sample: a stack that never reads right (or
// hundreds of threads at once) must not make every sample many times dearer.
constexpr int kMaxRetriesPerSample = 32;

// The byte range [lo, hi) of a struct that covers every listed offset.
struct Window {
  int32_t lo = INT32_MAX;
  int32_t hi = 0;
  void add(int32_t offset, int32_t size) {
    if (offset == kAbsent) return;
    lo = std::min(lo, offset);
    hi = std::max(hi, offset + size);
  }
};

}  // namespace

CPythonReader::CPythonReader(int pid, const ReaderOptions& options,
                             std::unique_ptr<ProcessMemory> memory, PythonBinary binary,
                             const PythonLayout& layout)
    : pid_(pid),
      options_(options),
      memory_(std::move(memory)),
      binary_(std::move(binary)),
      layout_(layout),
      sampleMemory_(*memory_),
      codes_(layout_, binary_.codeTypeAddr),
      threadStates_(openThreadStates(pid)),
      threadNames_(*memory_, layout_, binary_.runtimeAddr) {
  if (options_.maxDepth < 1) options_.maxDepth = 1;
  if (options_.maxThreads < 1) options_.maxThreads = 1;
  mainComm_ = threadStates_->osName(pid);
  haveOpcodes_ = opcodeSetsFor(layout_.minor, opcodes_);
}

bool CPythonReader::interpreterReady() {
  uint64_t interp = 0, threads = 0;
  ReadResult r =
      memory_->read(binary_.runtimeAddr + layout_.runtimeInterpretersHead, &interp, sizeof interp);
  if (r == ReadResult::Gone || r == ReadResult::Denied) throwReadFailure(r, pid_);
  if (r != ReadResult::Ok || interp == 0) return false;
  r = memory_->read(interp + layout_.interpThreadsHead, &threads, sizeof threads);
  if (r == ReadResult::Gone || r == ReadResult::Denied) throwReadFailure(r, pid_);
  return r == ReadResult::Ok && threads != 0;
}

ReaderStats CPythonReader::stats() const {
  ReaderStats s = stats_;
  s.syscalls = memory_->syscallCount();
  s.prefetchHits = sampleMemory_.prefetchHits();
  s.prefetchMisses = sampleMemory_.prefetchMisses();
  s.codeMisses = codes_.misses();
  s.pooledFrames = framePool_.size();
  return s;
}

bool CPythonReader::readThreadHead(uint64_t tstate, uint64_t gilHolder, ThreadHead& head,
                                   uint64_t& next) {
  const PythonLayout& L = layout_;
  const uint8_t* t = sampleMemory_.read(tstate, static_cast<size_t>(L.tstateSize));
  if (!t) return false;
  next = field<uint64_t>(t, L.tstateNext);
  head.tstate = tstate;
  head.ident = field<uint64_t>(t, L.tstateThreadId);
  // 3.12+ says where a thread state is in its life; before, a state being
  // created carries its creator's ident (dropDuplicateIdents sorts that out).
  if (L.statusBoundBit != kAbsent) {
    uint32_t status = field<uint32_t>(t, L.tstateStatus);
    auto bit = [status](int32_t b) { return b != kAbsent && ((status >> b) & 1) != 0; };
    head.live = bit(L.statusBoundBit) && !bit(L.statusUnboundBit) && !bit(L.statusFinalizingBit);
  }
  // Not started yet (3.12+ sets the ident when the new thread binds to it).
  if (head.ident == 0) head.live = false;
  if (L.tstateNativeThreadId != kAbsent) {
    head.tid = static_cast<int32_t>(field<uint64_t>(t, L.tstateNativeThreadId));
    // Set when the state is created (3.11) or bound (3.12+): without it the
    // memory no longer holds a thread state (freed and reused).
    if (head.tid <= 0) head.live = false;
  } else if (kPthreadTidOffset >= 0 && head.ident != 0) {
    // The ident is the thread's struct pthread. When it cannot be read (its
    // stack was unmapped) or holds no tid (the kernel zeroes it when the OS
    // thread exits), this state is a leftover of a thread that is gone. A
    // zero only means that once the offset has proven right in this process
    // (the main thread's tid is the pid): another glibc may keep it elsewhere.
    int32_t tid = 0;
    bool readable = sampleMemory_.copy(head.ident + kPthreadTidOffset, &tid, sizeof tid);
    if (readable && tid > 0) {
      head.tid = tid;
      if (tid == pid_) pthreadTidVerified_ = true;
    } else if (!readable || pthreadTidVerified_) {
      head.live = false;
    }
  }
  if (L.tstateHoldsGil != kAbsent) {
    head.holdsGil = field<int32_t>(t, L.tstateHoldsGil) != 0;
  } else if (L.statusHoldsGilBit != kAbsent) {
    head.holdsGil = (field<uint32_t>(t, L.tstateStatus) >> L.statusHoldsGilBit) & 1;
  } else {
    head.holdsGil = gilHolder != 0 && gilHolder == tstate;
  }
  uint64_t frame = field<uint64_t>(t, L.tstateFrame);
  if (L.cframeCurrentFrame != kAbsent) head.cframe = frame;
  if (L.cframeCurrentFrame != kAbsent && frame != 0) {
    // 3.11/3.12: tstate->cframe->current_frame (the cframe lives on the C stack).
    uint64_t at = frame + L.cframeCurrentFrame;
    if (!sampleMemory_.copy(at, &frame, sizeof frame)) return false;
    // The running thread's cframe moves up and down its C stack with the C
    // calls between Python calls (deeper is lower): the next sample prefetches
    // a window around it, within its page, so that a cframe a few calls away
    // is still covered. A waiting thread's stays where it is.
    if (head.holdsGil) {
      uint64_t page = at & ~(kPage - 1);
      uint64_t low = at - page > kCframeBelow ? at - kCframeBelow : page;
      uint64_t high = std::min(page + kPage, at + kCframeAbove);
      sampleMemory_.prefetchNextTime(low, high - low);
    }
  }
  head.frame = frame;
  if (L.tstateDatastackChunk != kAbsent) {
    head.chunk = field<uint64_t>(t, L.tstateDatastackChunk);
    head.chunkTop = field<uint64_t>(t, L.tstateDatastackTop);
  }
  if (L.tstateBaseFrame != kAbsent) head.baseFrame = field<uint64_t>(t, L.tstateBaseFrame);
  return true;
}

SampleStatus CPythonReader::sample(std::vector<ThreadStack>& out, uint32_t& droppedThreads) {
  out.clear();
  droppedThreads = 0;
  ++stats_.samples;
  const PythonLayout& L = layout_;
  ReadResult begun = sampleMemory_.begin();
  if (begun == ReadResult::Gone) return SampleStatus::TargetGone;
  if (begun == ReadResult::Denied) throwReadFailure(begun, pid_);

  struct EndSample {
    CPythonReader& r;
    ~EndSample() {
      if (!r.layout_.interpreterFrames()) r.prefetchFramePool();
      r.sampleMemory_.end();
      r.threadStates_->endSample();
    }
  } endSample{*this};

  Window rw;
  rw.add(L.runtimeInterpretersHead, 8);
  rw.add(L.runtimeGilstateTstateCurrent, 8);
  const int32_t runtimeCollecting =
      L.runtimeGc != kAbsent ? L.runtimeGc + L.gcCollecting : kAbsent;  // 3.8
  rw.add(runtimeCollecting, 4);
  const uint8_t* runtime = sampleMemory_.read(binary_.runtimeAddr + rw.lo, rw.hi - rw.lo);
  if (!runtime) {
    if (sampleMemory_.fatal() == ReadResult::Gone) return SampleStatus::TargetGone;
    return SampleStatus::NotReady;
  }
  uint64_t interp = field<uint64_t>(runtime, L.runtimeInterpretersHead - rw.lo);
  uint64_t gilHolder = L.runtimeGilstateTstateCurrent != kAbsent
                           ? field<uint64_t>(runtime, L.runtimeGilstateTstateCurrent - rw.lo)
                           : 0;
  if (interp == 0) return SampleStatus::NotReady;
  bool collecting =
      runtimeCollecting != kAbsent && field<int32_t>(runtime, runtimeCollecting - rw.lo) != 0;

  Window iw;
  iw.add(L.interpNext, 8);
  iw.add(L.interpThreadsHead, 8);
  iw.add(L.interpCevalGil, 8);
  bool partial = false;
  bool anyThreads = false;
  int retriesLeft = kMaxRetriesPerSample;
  int threadCount = 0;
  for (int n = 0; interp != 0 && n < kMaxInterpreters; ++n) {
    const uint8_t* is = sampleMemory_.read(interp + iw.lo, iw.hi - iw.lo);
    if (!is) {
      partial = true;
      break;
    }
    uint64_t nextInterp = field<uint64_t>(is, L.interpNext - iw.lo);
    uint64_t tstate = field<uint64_t>(is, L.interpThreadsHead - iw.lo);
    if (L.interpCevalGil != kAbsent && L.statusHoldsGilBit == kAbsent &&
        L.tstateHoldsGil == kAbsent) {
      // 3.12: the GIL is per interpreter; its holder is valid while locked.
      uint64_t gil = field<uint64_t>(is, L.interpCevalGil - iw.lo);
      Window gw;
      gw.add(L.gilLastHolder, 8);
      gw.add(L.gilLocked, 4);
      const uint8_t* g = gil ? sampleMemory_.read(gil + gw.lo, gw.hi - gw.lo) : nullptr;
      gilHolder = g && field<int32_t>(g, L.gilLocked - gw.lo)
                      ? field<uint64_t>(g, L.gilLastHolder - gw.lo)
                      : 0;
    }
    if (L.interpGc != kAbsent) {
      // 3.9+: one collector per interpreter. It runs on the thread holding the GIL, on top of
      // whatever that thread's Python code was doing when an allocation set it off.
      int32_t flag = 0;
      collecting = sampleMemory_.copy(interp + static_cast<uint64_t>(L.interpGc + L.gcCollecting),
                                      &flag, sizeof flag) &&
                   flag != 0;
    }
    size_t firstOfInterp = out.size();
    seen_.clear();
    while (tstate != 0) {
      if (threadCount >= options_.maxThreads || !seen_.insert(tstate).second) break;
      ++threadCount;
      ThreadHead head;
      uint64_t next = 0;
      ThreadStack stack;
      bool headRead = false;
      WalkResult walk = WalkResult::Bad;
      size_t mark = sampleMemory_.mark();
      for (int attempt = 0; attempt <= kMaxRetries; ++attempt) {
        if (attempt > 0) {
          // A stack read while it changed: read it again, all at once.
          if (retriesLeft == 0) break;
          --retriesLeft;
          ++stats_.retries;
          // ≤ 3.10 alternates the order: a stack that is unwinding is only
          // readable pointees first (see SampleMemory::Order), and always
          // reading pointers first would trade it for a later, shallower one.
          SampleMemory::Order order = SampleMemory::Order::PointersFirst;
          if (!L.interpreterFrames()) {
            // The pool joins what this thread's rereads cover; once is
            // enough, as every later reread covers all used since the mark.
            if (attempt == 1) prefetchFramePool();
            if (attempt % 2 == 1) order = SampleMemory::Order::PointeesFirst;
          }
          if (sampleMemory_.reread(mark, order) != ReadResult::Ok) break;
        }
        headRead = readThreadHead(tstate, gilHolder, head, next);
        if (!headRead || !head.live) break;
        pending_.clear();
        walk = L.interpreterFrames() ? walkInterpreterFrames(head, pending_)
                                     : walkFrameObjects(head.frame, pending_);
        if (walk != WalkResult::Bad && L.interpreterFrames()) settleTop(pending_);
        if (walk != WalkResult::Bad && !L.interpreterFrames()) {
          WalkResult top = confirmFrameObjectTop(head, pending_);
          if (top == WalkResult::Bad) walk = top;
        }
        if (walk != WalkResult::Bad &&
            resolveFrames(pending_, walk == WalkResult::Ok, stack.frames)) {
          break;
        }
        walk = WalkResult::Bad;
      }
      sampleMemory_.endReread();
      if (!headRead) {
        // Without this thread state the rest of the list is out of reach.
        anyThreads = true;
        ++droppedThreads;
        ++stats_.drops[static_cast<size_t>(DropReason::ThreadState)];
        partial = true;
        break;
      }
      tstate = next;
      if (!head.live) continue;
      anyThreads = true;
      if (walk == WalkResult::Bad) {
        ++droppedThreads;
        ++stats_.badFrames;
        ++stats_.drops[static_cast<size_t>(lastDrop_)];
        partial = true;
        continue;
      }
      stack.truncated = walk == WalkResult::Truncated;
      stack.ident = head.ident;
      stack.tid = head.tid;
      stack.holdsGil = head.holdsGil;
      stack.inGc = head.holdsGil && collecting;
      stack.isMain = head.tid != 0 && head.tid == pid_;
      // The GIL holder is running Python code (or is runnable, which the
      // kernel's 'R' counts as on-CPU too): its /proc state is not read, a
      // system call saved on most ticks of a single-threaded program. What it
      // would catch: a C call blocking without releasing the GIL, or the
      // whole program stopped (SIGSTOP, a debugger).
      if (head.holdsGil) {
        stack.onCpu = true;
        threadStates_->keep(head.tid);
      } else {
        stack.onCpu = threadStates_->state(head.tid) == 'R';
        ++stats_.stateReads;
      }
      readLoopTasks(head.tstate, stack);
      out.push_back(std::move(stack));
    }
    dropDuplicateIdents(out, firstOfInterp);
    // Without a TID, fall back to list order: the main thread was created
    // first and new threads are pushed at the head, so it is last.
    if (n == 0 && out.size() > firstOfInterp && out.back().tid == 0) {
      bool anyMain = false;
      for (size_t i = firstOfInterp; i < out.size(); ++i) anyMain = anyMain || out[i].isMain;
      if (!anyMain) out.back().isMain = true;
    }
    interp = nextInterp;
  }
  if (sampleMemory_.fatal() == ReadResult::Gone) return SampleStatus::TargetGone;
  if (sampleMemory_.fatal() == ReadResult::Denied) throwReadFailure(ReadResult::Denied, pid_);
  if (L.tstateNativeThreadId == kAbsent && kPthreadTidOffset >= 0) {
    // 3.8–3.10: a zero TID proves a thread gone once the offset is known to
    // be right. That may be proven later in the very sample that met it (the
    // main thread is listed last), or not in this sample at all when the list
    // was cut short before the main thread; other threads with a TID vouch
    // for the offset then. A list cut short with no such thread most likely
    // broke off at a state being torn down, like the zero-TID ones before it:
    // those are dropped too rather than shown as threads without a TID.
    bool anyTid =
        pthreadTidVerified_ ||
        std::any_of(out.begin(), out.end(), [](const ThreadStack& s) { return s.tid > 0; });
    if (anyTid || partial) {
      out.erase(
          std::remove_if(out.begin(), out.end(), [](const ThreadStack& s) { return s.tid == 0; }),
          out.end());
    }
  }
  stats_.droppedThreads += droppedThreads;
  if (!anyThreads) return SampleStatus::NotReady;
  return partial ? SampleStatus::Partial : SampleStatus::Ok;
}

// Before 3.12 a new thread state starts with its creator's ident (and TID on
// 3.11) and has no frames until the new thread runs; it is pushed at the head
// of the list, so the creator comes later. One ident is one thread: keep the
// state that has frames, else the oldest (the last in list order).
void CPythonReader::dropDuplicateIdents(std::vector<ThreadStack>& out, size_t first) {
  if (out.size() - first < 2) return;
  identSlots_.clear();
  bool any = false;
  for (size_t i = out.size(); i-- > first;) {
    auto [it, inserted] = identSlots_.emplace(out[i].ident, i);
    if (inserted) continue;
    any = true;
    // Prefer the newer state only when it has frames and the kept one has none.
    if (!out[i].frames.empty() && out[it->second].frames.empty()) it->second = i;
  }
  if (!any) return;
  size_t kept = first;
  for (size_t i = first; i < out.size(); ++i) {
    if (identSlots_[out[i].ident] != i) continue;
    if (kept != i) out[kept] = std::move(out[i]);
    ++kept;
  }
  out.resize(kept);
}

std::string CPythonReader::threadName(uint64_t ident, int32_t tid) {
  std::string name = threadNames_.nameOf(ident, tid);
  if (!name.empty()) return name;
  // Not (yet) in threading._active (a thread started with _thread, or during
  // start-up): the main thread is known; otherwise the OS name helps only
  // when the program set one itself (it differs from the process's).
  if (tid == pid_) return "MainThread";
  name = threadStates_->osName(tid);
  if (name.empty() || name == mainComm_) return "";
  return name;
}

}  // namespace hotpath

// CPythonReader's frame walking: from a thread's innermost frame to its code
// objects and lines. Kept apart from thread enumeration (cpython_reader.cc).
#include <algorithm>
#include <cstring>

#include "python/cpython_reader.h"
#include "python/field.h"
#include "python/refcount.h"

namespace hotpath {
namespace {

// Reading more than this of a datastack chunk costs more than it saves.
constexpr uint64_t kMaxChunkRead = 256 * 1024;
// The smallest datastack chunk CPython 3.11–3.13 allocates (DATA_STACK_CHUNK_SIZE,
// whole pages from the arena allocator): this much from a chunk's start is
// always mapped, whatever its header says.
constexpr uint64_t kMinChunkSize = 16 * 1024;
// Larger than any datastack chunk CPython allocates for a sane program.
constexpr uint64_t kMaxChunkSize = 64u << 20;
// Slack prefetched beyond the chunk's used part, so a few more calls next
// sample are still covered.
constexpr uint64_t kChunkSlack = 2048;
// C-stack shim frames between Python frames, beyond the depth cap.
constexpr int kMaxShimFrames = 64;
// FRAME_OWNED_BY_THREAD (3.11+): a frame on the thread's datastack.
constexpr uint8_t kOwnedByThread = 0;
// ≤ 3.10: how long a frame object stays in the prefetch pool after the last
// sample that walked it, and how many the pool holds.
constexpr uint64_t kPoolAgeSamples = 64;
constexpr size_t kMaxPooledFrames = 4096;
// Datastack chunks followed back to the first one; beyond, a stack is not judged.
constexpr int kMaxChunkHops = 64;

}  // namespace

// ≤ 3.10: the bytes of a frame object the walk reads, and so what the pool
// prefetches of each.
size_t CPythonReader::frameObjectReadSize() const {
  return static_cast<size_t>(layout_.frameObjectBytes());
}

CPythonReader::WalkResult CPythonReader::walkFrameObjects(uint64_t frame,
                                                          std::vector<PendingFrame>& out) {
  const PythonLayout& L = layout_;
  const size_t need = frameObjectReadSize();
  std::vector<uint64_t>& walked = walked_;
  walked.clear();
  visited_.clear();
  bool callers = false;  // past the innermost frames that may have returned
  while (frame != 0) {
    if (static_cast<int>(out.size()) == options_.maxDepth) {
      poolFrameObjects(walked);
      return WalkResult::Truncated;
    }
    // A frame met twice means the chain was read while it changed: frame
    // objects are recycled (free lists, a code object's zombie frame), so a
    // frame read late may already belong to another call or thread. Such a
    // chain can splice stacks together, look deeper than it ever was, or loop.
    if (!visited_.add(frame)) return dropped(DropReason::Loop);
    const uint8_t* f = sampleMemory_.read(frame, need);
    if (!f) return dropped(DropReason::Unreadable);
    walked.push_back(frame);
    PendingFrame p;
    p.code = field<uint64_t>(f, L.frameCode);
    p.position = field<int32_t>(f, L.frameLasti);
    p.addr = frame;
    if (p.code == 0) return dropped(DropReason::NoCode);
    uint64_t back = field<uint64_t>(f, L.frameBack);
    // A live frame is referenced (by the next frame or the thread state).
    // One without references was freed; it is kept only when it was the
    // thread's innermost frame a moment ago: short calls (a context manager's
    // __enter__, a generator step) return within the microseconds one stack
    // takes to read. Such a frame still holds its code, last instruction and
    // caller if its code object keeps it for reuse (co_zombieframe); a frame
    // in the free list does not (f_back links other free frames), and a
    // caller must be live. Such a frame has returned; its stack is shown as
    // read (returned_frames.cc says why).
    int64_t refs = field<int64_t>(f, 0);
    bool live = liveRefcount(refs);
    if (!live && (refs != 0 || callers || back == 0 || !isZombieFrame(frame, p.code))) {
      return dropped(DropReason::FreedFrame);
    }
    callers = callers || live;
    out.push_back(p);
    frame = back;
  }
  poolFrameObjects(walked);
  return WalkResult::Ok;
}

// ≤ 3.10 frame objects are scattered over the heap, so a stack is a chain
// of dependent reads: one system call per frame the prefetch did not cover.
// A stack that grew or was rebuilt since the last sample then takes many
// calls to read, long enough for it to change again, and the reads that
// succeed are the quick ones: such a profile leans to shallow stacks.
// CPython reuses frame objects (free list, zombie frames, the allocator), so
// the frames of recent samples are where the next stacks will be: keeping
// them all in the prefetch reads most of a new stack in the sample's first call.
void CPythonReader::poolFrameObjects(const std::vector<uint64_t>& walked) {
  for (uint64_t frame : walked) {
    auto it = framePool_.find(frame);
    if (it != framePool_.end()) {
      it->second = stats_.samples;
    } else if (framePool_.size() < kMaxPooledFrames) {
      framePool_.emplace(frame, stats_.samples);
    }
  }
}

void CPythonReader::prefetchFramePool() {
  SampleMemory::Background background(sampleMemory_);
  const size_t need = frameObjectReadSize();
  for (auto it = framePool_.begin(); it != framePool_.end();) {
    if (stats_.samples - it->second > kPoolAgeSamples) {
      it = framePool_.erase(it);
      continue;
    }
    sampleMemory_.prefetchNextTime(it->first, need);
    ++it;
  }
}

bool CPythonReader::isZombieFrame(uint64_t frame, uint64_t code) {
  uint64_t zombie = 0;
  return layout_.codeZombieFrame != kAbsent &&
         sampleMemory_.copy(code + layout_.codeZombieFrame, &zombie, sizeof zombie) &&
         zombie == frame;
}

CPythonReader::WalkResult CPythonReader::walkInterpreterFrames(const ThreadHead& head,
                                                               std::vector<PendingFrame>& out) {
  const PythonLayout& L = layout_;
  readDatastack(head);
  const size_t need = static_cast<size_t>(L.frameSize);
  std::vector<uint64_t>& walked = walked_;
  walked.clear();
  visited_.clear();
  int shims = 0;
  // Every call into the interpreter starts a chain with an entry frame (3.12+:
  // a shim owned by the C stack; 3.11: a frame marked is_entry), so a whole
  // chain ends with one. One that ends elsewhere was cut short or spliced:
  // it was read while frames were pushed and popped, or through a stale pointer.
  bool endsAtEntry = false;
  uint64_t outermost = 0;  // the outermost Python frame, when on the datastack
  uint64_t frame = head.frame;
  // 3.15+: every chain of the thread ends at its base frame (a shim inside
  // the thread state), so there is no need to read it.
  bool reachedBase = false;
  while (frame != 0) {
    if (frame == head.baseFrame) {
      reachedBase = endsAtEntry = true;
      break;
    }
    if (static_cast<int>(out.size()) == options_.maxDepth || shims > kMaxShimFrames) {
      return WalkResult::Truncated;
    }
    // A slot met twice: the chain was read while frames were pushed and popped.
    if (!visited_.add(frame)) return dropped(DropReason::Loop);
    const uint8_t* f = readInterpreterFrame(frame, need);
    if (!f) return dropped(DropReason::Unreadable);
    walked.push_back(frame);
    uint8_t owner = f[L.frameOwner];
    frame = field<uint64_t>(f, L.frameBack);
    if (L.ownedByCstack != kAbsent && owner >= L.ownedByCstack && owner <= L.ownerMax) {
      ++shims;  // an entry shim (on the C stack or in the thread state), not a Python function
      endsAtEntry = true;
      if (!out.empty()) out.back().viaEntry = true;  // called from C, not by the next frame
      continue;
    }
    if (owner > L.ownerMax) return dropped(DropReason::Owner);
    // A generator's frame is linked to its caller only while it runs, and it
    // is only on a chain while it runs: one with no caller was read just
    // after it yielded or returned, and would make a stack cut off below it.
    // (3.11 alone could show one legitimately: a generator resumed from a
    // thread without Python frames. Dropped too; 3.12+ always link a shim.)
    if (owner == L.ownedByGenerator && frame == 0) return dropped(DropReason::DetachedGenerator);
    endsAtEntry = L.frameIsEntry != kAbsent && f[L.frameIsEntry] != 0;
    outermost = owner == kOwnedByThread ? walked.back() : 0;
    PendingFrame p;
    p.code = field<uint64_t>(f, L.frameCode) & ~L.frameCodeTagMask;
    p.position = static_cast<int64_t>(field<uint64_t>(f, L.frameInstr));
    p.generator = owner == L.ownedByGenerator;
    p.addr = walked.back();
    p.onDatastack = owner == kOwnedByThread;
    p.viaEntry = endsAtEntry;
    p.back = frame;
    if (p.code == 0) {
      // 3.14+ clear a returning frame's f_executable before popping it: the innermost
      // frame may be one that already returned (CPython's own reader skips it too).
      if (out.empty() && L.frameCodeTagMask != 0) continue;
      return dropped(DropReason::NoCode);
    }
    out.push_back(p);
  }
  bool entryKnown = L.ownedByCstack != kAbsent || L.frameIsEntry != kAbsent;
  if (entryKnown && !walked.empty() && !endsAtEntry) return dropped(DropReason::CutShort);
  if (head.baseFrame != 0 && head.frame != 0 && !reachedBase) return dropped(DropReason::CutShort);
  if (outermost != 0 && !isFirstFrameOfThread(head.chunk, outermost)) {
    return dropped(DropReason::CutShort);
  }
  return WalkResult::Ok;
}

// A thread's frames sit in its datastack chunks: the current one (used up to
// datastack_top) and the chain of earlier ones, each used up to its saved
// `top`. Reading each chunk whole up front, a few calls in all, lets the walk
// below find every frame locally; frame by frame, a deep stack that changed
// since the last sample would cost a system call per frame. Chunks are also
// remembered (with room to grow) for the next sample's prefetch.
//
// The current chunk's `top` was read a moment before its frames, and the
// stack may have grown in between: its first read goes a little past the top
// (within the part of a chunk that is always mapped), and frames found beyond
// what was read are fetched together (readInterpreterFrame), not one by one.
void CPythonReader::readDatastack(const ThreadHead& head) {
  const PythonLayout& L = layout_;
  walkChunk_ = 0;
  walkChunkEnd_ = 0;
  uint64_t chunk = head.chunk;
  if (chunk == 0 || head.chunkTop <= chunk) return;
  uint64_t used = head.chunkTop - chunk;
  uint64_t total = 0;
  for (int hops = 0; hops < kMaxChunkHops; ++hops) {
    if (used < static_cast<uint64_t>(L.chunkData) || total + used > kMaxChunkRead) return;
    uint64_t len = used;
    if (hops == 0) {
      // Past the top when that costs no call of its own: a read the prefetch
      // already holds is not made longer (readInterpreterFrame fetches frames
      // beyond it, if there are any).
      uint64_t past = std::max(used, std::min(used + kChunkSlack, kMinChunkSize));
      if (sampleMemory_.holds(chunk, past) || !sampleMemory_.holds(chunk, used)) len = past;
    }
    total += len;
    const uint8_t* c = sampleMemory_.read(chunk, len, 0);
    if (!c) return;
    uint64_t size = field<uint64_t>(c, L.chunkSize);
    if (size < used || size > kMaxChunkSize) return;
    if (hops == 0) {
      walkChunk_ = chunk;
      walkChunkEnd_ = chunk + std::min(size, kMaxChunkRead);
    }
    sampleMemory_.prefetchNextTime(chunk,
                                   std::min(size, (used + kChunkSlack + 1023) & ~uint64_t{1023}));
    uint64_t previous = field<uint64_t>(c, L.chunkPrevious);
    if (previous == 0) return;
    // An earlier chunk's header says how much of it is used: `top` counts
    // slots from its data, saved when the next chunk was pushed.
    uint8_t header[64];
    if (L.chunkData > static_cast<int32_t>(sizeof header) || L.chunkTop + 8 > L.chunkData) return;
    if (!sampleMemory_.copy(previous, header, static_cast<size_t>(L.chunkData))) return;
    uint64_t top = field<uint64_t>(header, L.chunkTop);
    if (top > kMaxChunkSize / sizeof(uint64_t)) return;
    chunk = previous;
    used = static_cast<uint64_t>(L.chunkData) + top * sizeof(uint64_t);
  }
}

// A frame that no read of this sample covers is read together with what lies
// below it, where the frames it leads to are (a thread's frames sit in its
// datastack chunks in call order, the older ones at lower addresses):
// - in the current chunk, pushed after the chunk's top was read: from the
//   chunk's start to just past it, so all the frames between come with it, a
//   moment later than the rest and consistent in themselves;
// - elsewhere (the chunk read failed: a chunk being freed as it was read, or
//   an earlier chunk read only in part): from the start of its page, which is
//   mapped if the frame is.
// Frame by frame, a stack that changed since the last sample would cost a
// system call per frame.
const uint8_t* CPythonReader::readInterpreterFrame(uint64_t frame, size_t need) {
  if (const uint8_t* held = sampleMemory_.readIfHeld(frame, need, need)) return held;
  uint64_t start = frame & ~(SampleMemory::kPageSize - 1);
  uint64_t end = frame + need;
  bool inChunk = walkChunkEnd_ != 0 && frame >= walkChunk_ && frame < walkChunkEnd_ &&
                 need <= walkChunkEnd_ - frame;
  if (inChunk) {
    start = walkChunk_;
    end = std::min(walkChunkEnd_, frame + need + kChunkSlack);
  }
  if (end < start || end - start > kMaxChunkRead) return sampleMemory_.read(frame, need);
  const uint8_t* block = sampleMemory_.read(start, end - start, 0);
  if (!block) {
    // The frame's own page could not be read: neither can the frame. A chunk
    // whose size was misread can fail where the frame alone would not.
    return inChunk ? sampleMemory_.read(frame, need) : nullptr;
  }
  sampleMemory_.prefetchNextTime(start, end - start);
  return block + (frame - start);
}

// A thread's outermost frame is the first one pushed on its datastack: slot 1
// of its first chunk (CPython keeps slot 0 so that the chunk is never freed).
// A chain ending anywhere else was cut short, e.g. at a C-stack shim whose
// memory was already reused by the time it was read (3.12).
bool CPythonReader::isFirstFrameOfThread(uint64_t chunk, uint64_t frame) {
  const PythonLayout& L = layout_;
  for (int hops = 0; chunk != 0 && hops < kMaxChunkHops; ++hops) {
    uint64_t previous = 0;
    if (!sampleMemory_.copy(chunk + L.chunkPrevious, &previous, sizeof previous)) return false;
    if (previous == 0) return frame == chunk + L.chunkData + sizeof(uint64_t);
    chunk = previous;
  }
  return true;  // no chunk known, or too many to follow: not judged
}

bool CPythonReader::resolveFrames(const std::vector<PendingFrame>& pending, bool whole,
                                  std::vector<RawFrame>& out) {
  const PythonLayout& L = layout_;
  SampleMemory::Background background(sampleMemory_);
  // Each distinct code object's header, in one batched read (recursion and
  // loops repeat the same code objects).
  codeAddrs_.clear();
  codeIndex_.clear();
  pendingSlots_.clear();
  for (const PendingFrame& p : pending) {
    bool inserted = false;
    uint32_t slot = codeIndex_.insert(p.code, static_cast<uint32_t>(codeAddrs_.size()), inserted);
    if (inserted) codeAddrs_.push_back(p.code);
    pendingSlots_.push_back(slot);
  }
  codeLens_.assign(codeAddrs_.size(), codes_.headerSize());
  sampleMemory_.readMany(codeAddrs_.data(), codeLens_.data(), codeAddrs_.size(), codeHeaders_);
  std::vector<CodeCache::Entry*>& entries = codeEntries_;
  entries.assign(codeAddrs_.size(), nullptr);
  for (size_t i = 0; i < codeAddrs_.size(); ++i) {
    entries[i] = codes_.lookup(codeAddrs_[i], codeHeaders_[i], sampleMemory_);
    if (!entries[i]) return droppedResolve(DropReason::FreedCode);
  }
  if (whole && !pending.empty() && !L.interpreterFrames()) {
    // ≤ 3.10: a generator's frame has a caller (f_back) only while it runs,
    // so one at the bottom of a whole stack was read just after it yielded:
    // the stack below it is cut off. (A generator resumed from a thread
    // without Python frames would look the same; such samples are dropped.)
    if (entries[pendingSlots_.back()]->resumable)
      return droppedResolve(DropReason::DetachedGenerator);
  }

  out.clear();
  out.reserve(pending.size());
  for (size_t i = 0; i < pending.size(); ++i) {
    const PendingFrame& p = pending[i];
    CodeCache::Entry& e = *entries[pendingSlots_[i]];
    int64_t offset = p.position;  // f_lasti before 3.11
    if (L.interpreterFrames()) {
      int64_t first = static_cast<int64_t>(p.code) + L.codeAdaptive;
      int64_t delta = p.position - first;
      offset = delta >= 0 ? delta / 2 : -1;
      if (offset > e.codeUnits) return droppedResolve(DropReason::Position);  // not its instruction
      // CPython hides frames that have not reached their first traceable
      // instruction yet (still setting up); so do we.
      if (!p.generator && delta < 2 * static_cast<int64_t>(e.firstTraceable)) continue;
    } else if (offset < -1 || offset > (1 << 28)) {
      return droppedResolve(DropReason::Position);
    }
    RawFrame f;
    f.codeId = e.id;
    f.line = codes_.line(e, static_cast<int32_t>(offset));
    out.push_back(f);
  }
  return true;
}

}  // namespace hotpath

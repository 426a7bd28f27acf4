// CPythonReader's frame walking: from a thread's innermost frame to its code
// objects and lines. Kept apart from thread enumeration (cpython_reader.cc).
#include <algorithm>
#include <cstring>

#include "python/cpython_reader.h"
#include "python/refcount.h"

namespace hotpath {
namespace {

template <typename T>
T field(const uint8_t* base, int32_t offset) {
  T v;
  memcpy(&v, base + offset, sizeof v);
  return v;
}

// Reading more than this of a datastack chunk costs more than it saves.
constexpr uint64_t kMaxChunkRead = 256 * 1024;
// Slack prefetched beyond the chunk's used part, so a few more calls next
// sample are still covered.
constexpr uint64_t kChunkSlack = 2048;
// C-stack shim frames between Python frames, beyond the depth cap.
constexpr int kMaxShimFrames = 64;
// FRAME_OWNED_BY_THREAD (3.11–3.13): a frame on the thread's datastack.
constexpr uint8_t kOwnedByThread = 0;
// Datastack chunks followed back to the first one; beyond, a stack is not judged.
constexpr int kMaxChunkHops = 64;

bool hasDuplicates(std::vector<uint64_t>& addrs) {
  std::sort(addrs.begin(), addrs.end());
  return std::adjacent_find(addrs.begin(), addrs.end()) != addrs.end();
}

// Whether a chain walked so far has met a frame twice, checked at depths
// 16, 32, 64, …: a torn chain can loop, and walking the loop up to the depth
// cap would cost a system call per frame (a loop's frames are not prefetched).
bool isCycling(const std::vector<uint64_t>& walked, std::vector<uint64_t>& scratch) {
  size_t n = walked.size();
  if (n < 16 || (n & (n - 1)) != 0) return false;
  scratch.assign(walked.begin(), walked.end());
  return hasDuplicates(scratch);
}

}  // namespace

CPythonReader::WalkResult CPythonReader::walkFrameObjects(uint64_t frame,
                                                          std::vector<PendingFrame>& out) {
  const PythonLayout& L = layout_;
  const size_t need = static_cast<size_t>(L.frameLasti) + sizeof(int32_t);
  std::vector<uint64_t>& walked = walked_;
  walked.clear();
  bool callers = false;  // past the innermost frames that may have returned
  while (frame != 0) {
    if (static_cast<int>(out.size()) == options_.maxDepth) {
      // A chain longer than the cap is either deep recursion or a cycle (torn).
      return hasDuplicates(walked) ? WalkResult::Bad : WalkResult::Truncated;
    }
    if (isCycling(walked, cycleScratch_)) return WalkResult::Bad;
    const uint8_t* f = sampleMemory_.read(frame, need);
    if (!f) return WalkResult::Bad;
    walked.push_back(frame);
    PendingFrame p;
    p.code = field<uint64_t>(f, L.frameCode);
    p.position = field<int32_t>(f, L.frameLasti);
    if (p.code == 0) return WalkResult::Bad;
    uint64_t back = field<uint64_t>(f, L.frameBack);
    // A live frame is referenced (by the next frame or the thread state).
    // One without references was freed; it is kept only when it was the
    // thread's innermost frame a moment ago: short calls (a context manager's
    // __enter__, a generator step) return within the microseconds one stack
    // takes to read. Such a frame still holds its code, last instruction and
    // caller if its code object keeps it for reuse (co_zombieframe); a frame
    // in the free list does not (f_back links other free frames), and a
    // caller must be live.
    int64_t refs = field<int64_t>(f, 0);
    bool live = liveRefcount(refs);
    if (!live && (refs != 0 || callers || back == 0 || !isZombieFrame(frame, p.code))) {
      return WalkResult::Bad;
    }
    callers = callers || live;
    out.push_back(p);
    frame = back;
  }
  // A frame met twice means the chain was read while it changed: frame
  // objects are recycled (free lists, a code object's zombie frame), so a
  // frame read late may already belong to another call or thread. Such a
  // chain can splice stacks together and look deeper than it ever was.
  return hasDuplicates(walked) ? WalkResult::Bad : WalkResult::Ok;
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
  // The running frames of a thread sit in its current datastack chunk: one
  // read brings them all, and the frame reads below are then served locally.
  if (head.chunk != 0 && head.chunkTop > head.chunk &&
      head.chunkTop - head.chunk <= kMaxChunkRead) {
    uint64_t used = head.chunkTop - head.chunk;
    if (const uint8_t* c = sampleMemory_.read(head.chunk, used, 0)) {
      uint64_t chunkSize = field<uint64_t>(c, L.chunkSize);
      if (chunkSize >= used && chunkSize <= (64u << 20)) {
        uint64_t next = std::min(chunkSize, (used + kChunkSlack + 1023) & ~uint64_t{1023});
        sampleMemory_.prefetchNextTime(head.chunk, next);
      }
    }
  }
  const size_t need = static_cast<size_t>(L.frameSize);
  std::vector<uint64_t>& walked = walked_;
  walked.clear();
  int shims = 0;
  // Every call into the interpreter starts a chain with an entry frame (3.12+:
  // a shim owned by the C stack; 3.11: a frame marked is_entry), so a whole
  // chain ends with one. One that ends elsewhere was cut short or spliced:
  // it was read while frames were pushed and popped, or through a stale pointer.
  bool endsAtEntry = false;
  uint64_t outermost = 0;  // the outermost Python frame, when on the datastack
  uint64_t frame = head.frame;
  while (frame != 0) {
    if (static_cast<int>(out.size()) == options_.maxDepth || shims > kMaxShimFrames) {
      return hasDuplicates(walked) ? WalkResult::Bad : WalkResult::Truncated;
    }
    if (isCycling(walked, cycleScratch_)) return WalkResult::Bad;
    const uint8_t* f = sampleMemory_.read(frame, need);
    if (!f) return WalkResult::Bad;
    walked.push_back(frame);
    uint8_t owner = f[L.frameOwner];
    frame = field<uint64_t>(f, L.frameBack);
    if (L.ownedByCstack != kAbsent && owner == L.ownedByCstack) {
      ++shims;  // an entry shim on the C stack, not a Python function
      endsAtEntry = true;
      continue;
    }
    if (owner > 3) return WalkResult::Bad;
    // A generator's frame is linked to its caller only while it runs, and it
    // is only on a chain while it runs: one with no caller was read just
    // after it yielded or returned, and would make a stack cut off below it.
    // (3.11 alone could show one legitimately: a generator resumed from a
    // thread without Python frames. Dropped too; 3.12+ always link a shim.)
    if (owner == L.ownedByGenerator && frame == 0) return WalkResult::Bad;
    endsAtEntry = L.frameIsEntry != kAbsent && f[L.frameIsEntry] != 0;
    outermost = owner == kOwnedByThread ? walked.back() : 0;
    PendingFrame p;
    p.code = field<uint64_t>(f, L.frameCode);
    p.position = static_cast<int64_t>(field<uint64_t>(f, L.frameInstr));
    p.generator = owner == L.ownedByGenerator;
    if (p.code == 0) return WalkResult::Bad;
    out.push_back(p);
  }
  bool entryKnown = L.ownedByCstack != kAbsent || L.frameIsEntry != kAbsent;
  if (entryKnown && !walked.empty() && !endsAtEntry) return WalkResult::Bad;
  if (outermost != 0 && !isFirstFrameOfThread(head.chunk, outermost)) return WalkResult::Bad;
  // A slot met twice: the chain was read while frames were pushed and popped.
  return hasDuplicates(walked) ? WalkResult::Bad : WalkResult::Ok;
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
  // Each distinct code object's header, in one batched read (recursion and
  // loops repeat the same code objects).
  codeAddrs_.clear();
  for (const PendingFrame& p : pending) codeAddrs_.push_back(p.code);
  std::sort(codeAddrs_.begin(), codeAddrs_.end());
  codeAddrs_.erase(std::unique(codeAddrs_.begin(), codeAddrs_.end()), codeAddrs_.end());
  codeLens_.assign(codeAddrs_.size(), codes_.headerSize());
  sampleMemory_.readMany(codeAddrs_.data(), codeLens_.data(), codeAddrs_.size(), codeHeaders_);
  std::vector<CodeCache::Entry*>& entries = codeEntries_;
  entries.assign(codeAddrs_.size(), nullptr);
  for (size_t i = 0; i < codeAddrs_.size(); ++i) {
    entries[i] = codes_.lookup(codeAddrs_[i], codeHeaders_[i], sampleMemory_);
    if (!entries[i]) return false;
  }
  auto entryOf = [&](uint64_t code) -> CodeCache::Entry& {
    auto at = std::lower_bound(codeAddrs_.begin(), codeAddrs_.end(), code);
    return *entries[static_cast<size_t>(at - codeAddrs_.begin())];
  };
  if (whole && !pending.empty() && !L.interpreterFrames()) {
    // ≤ 3.10: a generator's frame has a caller (f_back) only while it runs,
    // so one at the bottom of a whole stack was read just after it yielded:
    // the stack below it is cut off. (A generator resumed from a thread
    // without Python frames would look the same; such samples are dropped.)
    if (entryOf(pending.back().code).resumable) return false;
  }

  out.clear();
  out.reserve(pending.size());
  for (const PendingFrame& p : pending) {
    CodeCache::Entry& e = entryOf(p.code);
    int64_t offset = p.position;  // f_lasti before 3.11
    if (L.interpreterFrames()) {
      int64_t first = static_cast<int64_t>(p.code) + L.codeAdaptive;
      int64_t delta = p.position - first;
      offset = delta >= 0 ? delta / 2 : -1;
      if (offset > e.codeUnits) return false;  // not this code object's instruction
      // CPython hides frames that have not reached their first traceable
      // instruction yet (still setting up); so do we.
      if (!p.generator && delta < 2 * static_cast<int64_t>(e.firstTraceable)) continue;
    } else if (offset < -1 || offset > (1 << 28)) {
      return false;
    }
    RawFrame f;
    f.codeId = e.id;
    f.line = codes_.line(e, static_cast<int32_t>(offset));
    out.push_back(f);
  }
  return true;
}

}  // namespace hotpath

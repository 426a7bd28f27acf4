// 3.8–3.10: the top of a thread's stack as it was at one moment.
//
// Frames are heap objects there, and the walk reads the thread's current
// frame first and each frame object after it (from the sample's prefetch, or
// one system call per frame it did not cover). A short call returns in
// between, and its frame, kept by its code object for the next call with its
// caller link and last instruction, then shows under a caller that has moved
// on: a "ghost", the callee's time on a line that never calls it.
//
// A frame object says itself whether it is on its thread's stack: its state
// byte (f_executing on 3.8/3.9, f_state on 3.10) is set while it runs, while
// it waits for a callee and while an exception unwinds it, and cleared when
// it returns or a generator yields; a freed frame has no references. And a
// frame waiting for a callee keeps its f_lasti at the call.
//
// So the frames at the top are read again, each twice, in one system call:
// the walk's innermost frames and the frames at the top of this thread's
// recent samples (short calls reuse the same frame object call after call:
// its code object keeps it). Ranges of one call are copied one after the
// other, a few hundred nanoseconds apart, so the order is chosen: level by
// level from the outermost, each frame's first read, then its caller's second
// read, then its own second read. A callee found running, linked to its
// caller, in both of its reads ran all the time in between, when its caller's
// second read was made: the caller was at the call then, and that read shows
// which. The stack is rebuilt from these bytes alone, from the deepest walk
// frame read up: a call the walk saw that had returned is cut, a call begun
// since is joined when its frame was among those read, and a frame that did
// not run through both of its reads is left out (its caller shows at the
// call: the callee's few hundred nanoseconds are missed, never misplaced).
// Timing does not decide whether a sample is kept, so short calls keep their
// share. The thread's current frame, read last, tells the next samples which
// frames to read; when it is none of those read (a call begun since, in a
// new frame object), the top is read once more with it.
//
// When the deepest walk frame read is no longer on the stack (more calls
// returned than were read: a deep stack rebuilt all the time), the walk's 16
// innermost frames are read instead; when even that is not enough, the stack
// is shown as walked (counted), since a retry would mostly meet the same and
// dropping such samples makes a profile lean to shallow stacks. Read again
// from the start (a retry) only when the bytes do not make one stack: two
// running frames claiming the same caller.
#include <algorithm>

#include "python/cpython_reader.h"
#include "python/field.h"
#include "python/refcount.h"

namespace hotpath {
namespace {

// The walk's innermost frames read again: calls that return while a stack is
// read are at its top; a stack that lost more than these is read again.
constexpr size_t kWalkFrames = 3;
// When more of them than that had returned: the walk's innermost frames read
// again in a second try (a deep stack that is rebuilt all the time).
constexpr size_t kDeepWalkFrames = 16;
// The most frames read in all (the walk's and the thread's recent top frames).
constexpr size_t kMaxTopFrames = 32;
// The most of a frame object the reader reads (frameObjectReadSize).
constexpr size_t kMaxFrameObjectRead = 512;
// A frame not at the top of the thread's stack for this many samples is not read.
constexpr uint64_t kRecentSamples = 256;
// Thread states whose recent top frames are kept.
constexpr size_t kMaxThreadsRemembered = 4096;

}  // namespace

CPythonReader::WalkResult CPythonReader::confirmFrameObjectTop(const ThreadHead& head,
                                                               std::vector<PendingFrame>& pending) {
  const PythonLayout& L = layout_;
  if (pending.empty() || L.frameState == kAbsent || frameObjectReadSize() > kMaxFrameObjectRead) {
    return WalkResult::Ok;
  }
  if (topFrames_.size() > kMaxThreadsRemembered) topFrames_.clear();  // states of threads gone
  uint64_t current = 0;
  TopRebuild rebuilt = rebuildTop(head, pending, kWalkFrames, 0, current);
  if (rebuilt == TopRebuild::DeepChange) {
    rebuilt = rebuildTop(head, pending, kDeepWalkFrames, 0, current);
  }
  switch (rebuilt) {
    case TopRebuild::Rebuilt:
      break;
    case TopRebuild::DeepChange:
      // More frames returned since the walk than were read again: a retry
      // would most likely meet the same, and dropping such samples would make
      // the profile lean to shallow stacks. Shown as the walk read it.
      ++stats_.topsAsWalked;
      return WalkResult::Ok;
    case TopRebuild::Torn:
      return dropped(DropReason::TopMoved);
  }
  // The thread was in a frame none of those read by the end of the read (a
  // call begun since, whose frame is new): read once more with it, so that a
  // call of a new function (a new frame object) is not missed.
  bool known = current == 0;
  for (size_t i = 0; i < pending.size() && i <= kWalkFrames && !known; ++i) {
    known = pending[i].addr == current;
  }
  uint64_t again = 0;
  if (!known && rebuildTop(head, pending, kWalkFrames, current, again) == TopRebuild::Torn) {
    return dropped(DropReason::TopMoved);
  }
  return WalkResult::Ok;
}

// One read of the top (above): the walk's `walkCount` innermost frames, the
// thread's recent top frames, and `extra`, a frame one level above the
// stack's innermost. `pending` is changed only when it says Rebuilt.
CPythonReader::TopRebuild CPythonReader::rebuildTop(const ThreadHead& head,
                                                    std::vector<PendingFrame>& pending,
                                                    size_t walkCount, uint64_t extra,
                                                    uint64_t& current) {
  const PythonLayout& L = layout_;
  const size_t need = frameObjectReadSize();
  TopFrames& recent = topFrames_[head.tstate];

  // The frames to read, each with its depth (0: the outermost frame): the
  // walk's innermost, and the thread's recent top frames above the deepest of
  // those that the walk did not meet.
  const size_t walkFrames = std::min(pending.size(), walkCount);
  const size_t base = pending.size() - walkFrames;  // the deepest walk frame read
  struct Candidate {
    uint64_t addr;
    size_t depth;
  };
  Candidate frames[kMaxTopFrames];
  size_t count = 0;
  for (size_t i = walkFrames; i-- > 0;) {
    frames[count++] = {pending[i].addr, pending.size() - 1 - i};
  }
  // Each level read adds to the time between a frame's two reads, so only the
  // most recent other frame of each level joins the walk's, if seen lately.
  size_t extraDepths[kMaxTopFrames];
  size_t extras = 0;
  for (size_t r = 0; r < recent.count && count < kMaxTopFrames; ++r) {
    const size_t at = recent.depths[r];
    if (at <= base || stats_.samples - recent.seen[r] > kRecentSamples) continue;
    bool known = std::find(extraDepths, extraDepths + extras, at) != extraDepths + extras;
    for (size_t i = 0; i < count && !known; ++i) known = frames[i].addr == recent.addrs[r];
    if (known) continue;
    extraDepths[extras++] = at;
    frames[count++] = {recent.addrs[r], at};
  }
  const auto listed = [&](uint64_t addr) {
    for (size_t i = 0; i < count; ++i) {
      if (frames[i].addr == addr) return true;
    }
    return false;
  };
  if (extra != 0 && count < kMaxTopFrames && !listed(extra))
    frames[count++] = {extra, pending.size()};
  std::stable_sort(frames, frames + count,
                   [](const Candidate& a, const Candidate& b) { return a.depth < b.depth; });

  // The order of the ranges: per level, its frames' first reads, then the
  // level below's second reads; the last level's second reads; the current frame.
  topBytes_.resize(2 * kMaxTopFrames * kMaxFrameObjectRead);
  const auto firstBytes = [&](size_t i) { return &topBytes_[2 * i * kMaxFrameObjectRead]; };
  const auto secondBytes = [&](size_t i) { return &topBytes_[(2 * i + 1) * kMaxFrameObjectRead]; };
  ReadSpan spans[2 * kMaxTopFrames + 1];
  size_t first[kMaxTopFrames];
  size_t second[kMaxTopFrames];
  size_t n = 0;
  size_t level = 0;  // frames[level..) are the levels not yet read
  size_t below = 0;  // frames[below..level) are the level whose second reads are due
  while (below < count) {
    size_t end = level;
    while (end < count && frames[end].depth == frames[level].depth) ++end;
    for (size_t i = level; i < end; ++i) {
      first[i] = n;
      spans[n++] = {frames[i].addr, firstBytes(i), need};
    }
    for (size_t i = below; i < level; ++i) {
      second[i] = n;
      spans[n++] = {frames[i].addr, secondBytes(i), need};
    }
    below = level;
    level = end;
  }
  spans[n++] = {head.tstate + static_cast<uint64_t>(L.tstateFrame), &current, sizeof current};
  if (!sampleMemory_.copyManyNow(spans, n)) return TopRebuild::Torn;

  // On the stack, with the same caller and code, at both of its reads (a
  // recent frame that cannot be read any more is simply not a candidate).
  const auto ranThrough = [&](size_t i, uint64_t caller) {
    const uint8_t* a = firstBytes(i);
    const uint8_t* b = secondBytes(i);
    return spans[first[i]].ok && spans[second[i]].ok && frameRuns(a) && frameRuns(b) &&
           field<uint64_t>(a, L.frameBack) == caller && field<uint64_t>(b, L.frameBack) == caller &&
           field<uint64_t>(a, L.frameCode) == field<uint64_t>(b, L.frameCode);
  };
  // The deepest walk frame read must still be on the stack, called by the
  // frame below it in the walk (the outermost frame has no caller, unless the
  // walk stopped at the depth cap): the rebuilt top joins the walk there.
  size_t anchor = 0;
  while (anchor < count && frames[anchor].addr != pending[walkFrames - 1].addr) ++anchor;
  uint64_t anchorCaller = walkFrames < pending.size() ? pending[walkFrames].addr : 0;
  if (anchor < count && walkFrames == pending.size() && spans[first[anchor]].ok) {
    anchorCaller = field<uint64_t>(firstBytes(anchor), L.frameBack);  // all of the stack was read
  }
  if (anchor == count || !ranThrough(anchor, anchorCaller)) return TopRebuild::DeepChange;
  size_t chain[kMaxTopFrames];
  size_t depth = 0;
  chain[depth++] = anchor;
  while (depth < kMaxTopFrames) {
    const size_t caller = chain[depth - 1];
    size_t next = count;
    for (size_t i = 0; i < count; ++i) {
      if (i == anchor || !ranThrough(i, frames[caller].addr)) continue;
      if (next != count) return TopRebuild::Torn;  // two callees of one frame
      next = i;
    }
    // A callee that ran from before its caller's second read until after it:
    // the caller waited at the call then. (A frame read out of that order,
    // its depth mispredicted, says nothing about its caller's position.)
    if (next == count || !(first[next] < second[caller] && second[caller] < second[next])) break;
    chain[depth++] = next;
  }

  // The rebuilt top replaces the walk's frames read, innermost first; each
  // frame's position from its second read, which its callee's reads bracket.
  PendingFrame top[kMaxTopFrames];
  for (size_t d = 0; d < depth; ++d) {
    const uint8_t* f = secondBytes(chain[d]);
    PendingFrame& p = top[depth - 1 - d];
    p.code = field<uint64_t>(f, L.frameCode);
    p.position = field<int32_t>(f, L.frameLasti);
    p.addr = frames[chain[d]].addr;
    if (p.code == 0) return TopRebuild::Torn;
  }
  // Counted against what the walk saw: its frames that had returned, and calls begun since.
  size_t kept = 1;
  while (kept < depth && kept < walkFrames &&
         top[depth - 1 - kept].addr == pending[walkFrames - 1 - kept].addr) {
    ++kept;
  }
  stats_.returnedCut += walkFrames - kept;
  stats_.callsJoined += depth - kept;
  pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(walkFrames));
  pending.insert(pending.begin(), top, top + depth);

  // What the next samples read: this stack's top frames, and the frame the
  // thread was in at the end when it is none of those read (a call begun
  // since, or a frame not read).
  for (size_t d = depth; d-- > 0 && depth - d <= 3;)
    recent.remember(frames[chain[d]].addr, base + d, stats_.samples);
  bool read = false;
  for (size_t i = 0; i < count && !read; ++i) read = frames[i].addr == current;
  if (current != 0 && !read) recent.remember(current, base + depth, stats_.samples);
  return TopRebuild::Rebuilt;
}

void CPythonReader::TopFrames::remember(uint64_t addr, size_t depth, uint64_t sample) {
  size_t at = 0;
  while (at < count && addrs[at] != addr) ++at;
  if (at == count) {
    if (count < kSize) ++count;
    at = count - 1;  // the least recent goes
  }
  // Most recent first.
  std::copy_backward(addrs, addrs + at, addrs + at + 1);
  std::copy_backward(depths, depths + at, depths + at + 1);
  std::copy_backward(seen, seen + at, seen + at + 1);
  addrs[0] = addr;
  depths[0] = depth;
  seen[0] = sample;
}

// A frame object that is on its thread's stack: referenced, and running,
// waiting for a callee, or unwinding an exception.
bool CPythonReader::frameRuns(const uint8_t* frame) const {
  const PythonLayout& L = layout_;
  const int8_t state = static_cast<int8_t>(frame[L.frameState]);
  return liveRefcount(field<int64_t>(frame, 0)) &&
         (state == L.frameStateExecuting ||
          (L.frameStateUnwinding != kAbsent && state == L.frameStateUnwinding));
}

}  // namespace hotpath

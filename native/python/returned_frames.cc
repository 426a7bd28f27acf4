// 3.11+: the top of a thread's stack as its frames were read.
//
// The target runs while its stack is read. The thread state gives the
// innermost frame, and the frames themselves come a moment later (another
// range of the same vectored read, or another read: a few hundred
// nanoseconds to microseconds). Calls that return or start in between make
// two kinds of wrong stack:
// - a callee that had returned, joined to a caller that had moved on (its
//   time shows under a line that never calls it: a "ghost" frame);
// - a callee that started in between, missing (its time goes to its caller).
// In a loop of short calls both are common, and they balance only roughly.
//
// So whether a frame is running is decided by the frame's own bytes, never
// by a pointer read at another moment:
// - downwards: a frame left at a return instruction (or a generator's at the
//   yield) had returned; a datastack slot keeps what it held when its frame
//   returned (3.14+ also clear its code: frame_walker.cc skips those). A
//   generator's frame, read apart from its caller's, is also cut when its
//   caller does not show the step that runs it;
// - upwards: right above each frame on the datastack (co_framesize words on)
//   is where its callee goes; a frame there that links back to it, is owned
//   by the thread, has a code object and is not left at a return instruction
//   is running.
// Not by the caller's position: a range is copied in address order, and the
// lines the program keeps writing take a while to come over from its core,
// so a caller's bytes may be older than its callee's (a caller that still
// shows the instruction before the call, or the call itself, when the callee
// has started or returned). The caller's position only tells a callee that
// left by an exception (3.11–3.13 leave its slot as it was, see calleeAbove)
// and a generator's step (its frame is read apart from its caller's).
//
// 3.8–3.10 keep their frames as separate heap objects, read from the
// prefetch in whatever order it holds them, so a frame's own bytes cannot
// tell: a code object reuses one frame object for its calls (co_zombieframe),
// and its state byte read before the caller's position says nothing of the
// moment the caller was read. Instead the chain is read once more in one
// system call in time order (confirmFrameObjects): the frames outermost first,
// then the thread's current frame, then the innermost callers again. A frame
// still current at that read had its callers at their calls when they were
// read a moment before (a caller cannot move on until its callee returns, and
// a core's writes reach another core's reads in order); a caller at the same
// instruction after that read too did not go round a loop and call again in
// between. Frames that had returned are cut, a callee pushed since is read and
// joined on, and the chain is confirmed again; a read much slower than usual
// (interrupted) is made again.
#include <algorithm>
#include <chrono>

#include "python/cpython_reader.h"
#include "python/field.h"
#include "python/refcount.h"

namespace hotpath {
namespace {

// FRAME_OWNED_BY_THREAD: a frame on the thread's datastack.
constexpr uint8_t kOwnedByThread = 0;
// Longer bytecode than this is not decoded (a torn length).
constexpr uint64_t kMaxCodeUnits = 1 << 20;
// Slots remembered for telling a callee that left by an exception (calleeAbove).
constexpr size_t kMaxUnwaitedSlots = 4096;
// ≤ 3.10: a confirming read that took this much longer than twice the usual
// one was interrupted.
constexpr int64_t kConfirmSlackNs = 1000;
// ≤ 3.10: confirming reads of one stack while calls keep starting and returning.
constexpr int kConfirmRounds = 4;
// ≤ 3.10: callers read again after the thread's current frame (deeper ones
// cannot return and come back within one read unless these do too).
constexpr size_t kCallersReadTwice = 4;
// ≤ 3.10: the innermost frames a confirming read covers.
constexpr size_t kConfirmDepth = 16;
// ≤ 3.10: callees pushed since the walk that are read one by one before the
// stack is walked again from scratch.
constexpr size_t kMaxPushedFrames = 8;
// Samples between two reads of a code object's adaptive bytecode.
constexpr uint64_t kAdaptiveCodeSamples = 1000;

}  // namespace

CPythonReader::WalkResult CPythonReader::confirmFrameObjects(uint64_t tstate,
                                                             std::vector<PendingFrame>& pending,
                                                             WalkResult walk) {
  const PythonLayout& L = layout_;
  const size_t need = frameObjectReadSize();
  // A stack that will not hold still (a deep recursion descending or
  // unwinding faster than it can be read) is shown as the walk read it rather
  // than dropped.
  asWalked_ = pending;
  const WalkResult walked = walk;
  auto asWalked = [&] {
    ++stats_.unconfirmed;
    pending.swap(asWalked_);
    return walked;
  };
  for (int round = 0; round < kConfirmRounds; ++round) {
    // A stack that keeps changing is taken as the last read shows it, once
    // the chain holds together.
    const bool last = round + 1 == kConfirmRounds;
    const size_t n = pending.size();
    if (n == 0) return walk;
    // The innermost frames only: deeper ones cannot have changed while these
    // stayed (their callers are checked to be the same frames).
    const size_t m = std::min(n, kConfirmDepth);
    // The chain outermost first, the thread's current frame, then the
    // innermost callers once more, innermost first: a caller at the same
    // instruction on both sides of the current frame's read was at its call
    // all along, even when its callee returned and was called again in
    // between (a code object's calls share one frame object).
    const size_t callers = std::min(m - 1, kCallersReadTwice);
    confirmBytes_.resize((m + callers) * need);
    confirmSpans_.clear();
    for (size_t i = m; i-- > 0;) {
      confirmSpans_.push_back({pending[i].addr, confirmBytes_.data() + i * need, need});
    }
    uint64_t top = 0;
    confirmSpans_.push_back({tstate + static_cast<uint64_t>(L.tstateFrame), &top, sizeof top});
    for (size_t i = 1; i <= callers; ++i) {
      confirmSpans_.push_back({pending[i].addr, confirmBytes_.data() + (m + i - 1) * need, need});
    }
    const auto started = std::chrono::steady_clock::now();
    if (!sampleMemory_.copyManyNow(confirmSpans_.data(), confirmSpans_.size()) ||
        !confirmSpans_[m].ok) {
      return dropped(DropReason::Unreadable);
    }
    // The read vouches for the moments between its first and last range. One
    // that took much longer than usual was interrupted (by the scheduler, the
    // hypervisor), long enough for a caller to finish a call, go round its
    // loop and make it again: read again. (Timed per range: a deep stack's
    // read takes longer than a shallow one's.)
    const int64_t tookNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::steady_clock::now() - started)
                               .count() /
                           static_cast<int64_t>(confirmSpans_.size());
    const int64_t usualNs = confirmUsualNs_ > 0 ? confirmUsualNs_ : tookNs;
    confirmUsualNs_ = usualNs + (std::min(tookNs, 2 * usualNs) - usualNs) / 64;
    if (!last &&
        tookNs > 2 * usualNs + kConfirmSlackNs / static_cast<int64_t>(confirmSpans_.size())) {
      continue;
    }
    // Where the thread is now: the innermost frame read, one further out
    // (those above it had returned), or a callee pushed since.
    size_t from = 0;
    while (from < n && pending[from].addr != top) ++from;
    if (from >= m && from < n) {
      // Many frames returned: cut, and the rest confirmed in another round.
      stats_.returnedCut += from;
      pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(from));
      continue;
    }
    if (from < n) {
      // The frames kept, as this read shows them: the same chain, each at the
      // position it had a moment before the thread's current frame was read…
      bool relinked = false;
      for (size_t i = from; i < m && !relinked; ++i) {
        const uint8_t* f = confirmBytes_.data() + i * need;
        const uint64_t code = field<uint64_t>(f, L.frameCode);
        if (!confirmSpans_[m - 1 - i].ok || code == 0) return asWalked();
        // A frame object another call took since the walk (free lists): its
        // code is the one this read shows.
        pending[i].code = code;
        pending[i].position = field<int32_t>(f, L.frameLasti);
        const uint64_t back = field<uint64_t>(f, L.frameBack);
        if (i + 1 < n && back != pending[i + 1].addr) {
          // The stack below changed: its callers are read now, down to a
          // frame of the chain, and confirmed in another round (or, when
          // they returned before they could be read, the stack as it is then).
          relinkCallers(pending, i, back);
          relinked = true;
        }
      }
      if (relinked) {
        stats_.returnedCut += from;
        pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(from));
        if (static_cast<int>(pending.size()) > options_.maxDepth) {
          pending.resize(static_cast<size_t>(options_.maxDepth));
          walk = WalkResult::Truncated;
        }
        continue;
      }
      // …and the current frame's callers read again after it at the same
      // instruction. Frames above it had returned: cut. When none of its
      // callers was read again, the chain is confirmed in another round.
      bool checked = from + 1 == n;
      bool still = true;
      for (size_t i = from + 1; i <= callers && still; ++i) {
        const uint8_t* after = confirmBytes_.data() + (m + i - 1) * need;
        still =
            confirmSpans_[m + i].ok && field<int32_t>(after, L.frameLasti) == pending[i].position;
        checked = true;
      }
      stats_.returnedCut += from;
      pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(from));
      if ((checked && still) || last) return walk;
      continue;
    }
    // Callees pushed since: read now down to a frame of the chain, joined on,
    // and confirmed with the chain in another round.
    if (top == 0) return asWalked();  // left Python in between
    pushed_.clear();
    uint64_t at = top;
    from = n;
    while (from == n) {
      uint8_t f[256];
      if (pushed_.size() == kMaxPushedFrames || need > sizeof f ||
          !sampleMemory_.copyNow(at, f, need)) {
        return asWalked();
      }
      PendingFrame frame;
      frame.code = field<uint64_t>(f, L.frameCode);
      frame.position = field<int32_t>(f, L.frameLasti);
      frame.addr = at;
      if (frame.code == 0 || !liveRefcount(field<int64_t>(f, 0))) break;  // returned already
      pushed_.push_back(frame);
      at = field<uint64_t>(f, L.frameBack);
      from = 0;
      while (from < n && pending[from].addr != at) ++from;
    }
    // A callee that returned before it could be read: the next round reads
    // the stack as it is then.
    if (from == n) continue;
    stats_.returnedCut += from;
    stats_.callsJoined += pushed_.size();
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(from));
    pending.insert(pending.begin(), pushed_.begin(), pushed_.end());
    if (static_cast<int>(pending.size()) > options_.maxDepth) {
      pending.resize(static_cast<size_t>(options_.maxDepth));
      walk = WalkResult::Truncated;
    }
  }
  return asWalked();
}

bool CPythonReader::relinkCallers(std::vector<PendingFrame>& pending, size_t below,
                                  uint64_t caller) {
  const PythonLayout& L = layout_;
  const size_t need = frameObjectReadSize();
  pushed_.clear();
  size_t rejoin = below + 1;
  for (;;) {
    rejoin = below + 1;
    while (rejoin < pending.size() && pending[rejoin].addr != caller) ++rejoin;
    if (rejoin < pending.size() || caller == 0) break;
    uint8_t f[256];
    if (pushed_.size() == kMaxPushedFrames || need > sizeof f ||
        !sampleMemory_.copyNow(caller, f, need)) {
      return false;
    }
    PendingFrame frame;
    frame.code = field<uint64_t>(f, L.frameCode);
    frame.position = field<int32_t>(f, L.frameLasti);
    frame.addr = caller;
    if (frame.code == 0 || !liveRefcount(field<int64_t>(f, 0))) return false;
    pushed_.push_back(frame);
    caller = field<uint64_t>(f, L.frameBack);
  }
  pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(below + 1),
                pending.begin() + static_cast<std::ptrdiff_t>(rejoin));
  pending.insert(pending.begin() + static_cast<std::ptrdiff_t>(below + 1), pushed_.begin(),
                 pushed_.end());
  return true;
}

void CPythonReader::settleTop(std::vector<PendingFrame>& pending) {
  if (!haveOpcodes_ || pending.empty()) return;
  if (pending[0].generator && pending.size() > 1) refreshGeneratorStep(pending[0], pending[1]);
  size_t returned = 0;
  Position at;  // the position of pending[returned], once read
  bool atRead = false;
  // The outermost frame stays whatever it shows: a stack is never cut empty.
  while (returned + 1 < pending.size()) {
    const PendingFrame& frame = pending[returned];
    at = positionOf(frame);
    atRead = true;
    bool done = at.op >= 0 && OpcodeSets::has(opcodes_.returns, at.op);
    // A generator's frame lives in its generator object, read apart from its
    // caller's: it is kept only while the caller shows the step that runs it
    // (a step of a few dozen nanoseconds would otherwise show under the
    // consumer's next line whenever the two reads straddle a yield).
    if (!done && frame.generator) {
      // Resumed from C (next(), sum(), a 3.11 for loop), a step may wait at
      // any instruction that calls C, but not at one that runs no code.
      Position caller = positionOf(pending[returned + 1]);
      done = frame.viaEntry ? caller.op >= 0 && OpcodeSets::has(opcodes_.noCall, caller.op)
                            : !waitsForCallee(caller);
    }
    if (!done) break;
    ++returned;
    atRead = false;
  }
  stats_.returnedCut += returned;
  pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(returned));
  // Callees pushed since the thread state was read, or whose bytes were
  // copied after their caller's.
  if (!atRead) at = positionOf(pending[0]);
  PendingFrame above;
  Position aboveAt;
  while (static_cast<int>(pending.size()) < options_.maxDepth &&
         calleeAbove(pending[0], at, above, aboveAt)) {
    ++stats_.callsJoined;
    pending.insert(pending.begin(), above);
    at = aboveAt;
  }
}

// A generator's frame lives in its generator object, away from its caller's
// on the datastack, so the two are read at different moments: a step read
// running, then its caller read after the step had yielded and moved on, made
// the step show under the caller's next line. Both positions are read once
// more in one system call, the generator's last: a step still running then
// ran while its caller waited where the caller's position now says.
void CPythonReader::refreshGeneratorStep(PendingFrame& generator, PendingFrame& caller) {
  uint64_t callerAt = 0;
  uint64_t generatorAt = 0;
  ReadSpan spans[2] = {
      {caller.addr + static_cast<uint64_t>(layout_.frameInstr), &callerAt, sizeof callerAt},
      {generator.addr + static_cast<uint64_t>(layout_.frameInstr), &generatorAt,
       sizeof generatorAt},
  };
  if (!sampleMemory_.copyManyNow(spans, 2) || !spans[0].ok || !spans[1].ok) return;
  caller.position = static_cast<int64_t>(callerAt);
  generator.position = static_cast<int64_t>(generatorAt);
}

bool CPythonReader::calleeAbove(const PendingFrame& frame, const Position& at, PendingFrame& out,
                                Position& outAt) {
  const PythonLayout& L = layout_;
  if (!frame.onDatastack || frame.generator || at.frameWords <= 0) return false;
  bool waits = waitsForCallee(at);
  // Its callee was pushed where its own frame ends: co_framesize words on.
  uint64_t slot = frame.addr + static_cast<uint64_t>(at.frameWords) * sizeof(uint64_t);
  // Only from the bytes the frame itself came with: a read of its own would
  // show another moment.
  const uint8_t* f = sampleMemory_.readIfHeld(slot, static_cast<size_t>(L.frameSize), 0);
  if (!f || f[L.frameOwner] != kOwnedByThread || field<uint64_t>(f, L.frameBack) != frame.addr) {
    return false;
  }
  PendingFrame callee;
  callee.code = field<uint64_t>(f, L.frameCode) & ~L.frameCodeTagMask;
  callee.position = static_cast<int64_t>(field<uint64_t>(f, L.frameInstr));
  callee.addr = slot;
  callee.onDatastack = true;
  if (callee.code == 0) return false;
  Position there = positionOf(callee);
  // Not a code object, not one of its instructions, or a call that returned.
  if (there.op < 0 || OpcodeSets::has(opcodes_.returns, there.op)) return false;
  if (!waits) {
    // The caller's bytes were copied a moment before its callee's (a range is
    // copied in address order, and lines the program keeps writing take a
    // while to come over from its core): a callee that started in between
    // runs while its caller still shows the instruction before the call. A
    // callee that left by an exception (3.11–3.13 leave its slot as it was,
    // at the instruction that raised) looks the same, but sits still: the
    // same callee at the same instruction as in this slot's last such sample
    // is taken for one.
    auto [it, fresh] = unwaitedCallees_.try_emplace(slot, callee.code, callee.position);
    if (!fresh) {
      bool same = it->second.first == callee.code && it->second.second == callee.position;
      it->second = {callee.code, callee.position};
      if (same) return false;
    } else if (unwaitedCallees_.size() > kMaxUnwaitedSlots) {
      unwaitedCallees_.clear();
    }
  }
  out = callee;
  outAt = there;
  return true;
}

bool CPythonReader::waitsForCallee(const Position& at) const {
  if (at.op < 0 || !OpcodeSets::has(opcodes_.inlineCall, at.op)) return false;
  // 3.11/3.12 leave the caller on the last cache entry of an inline call (the
  // instruction itself when it has none, CALL_FUNCTION_EX), and on the
  // instruction while it calls C code; 3.13+ on the instruction either way.
  bool lastCacheWaits = layout_.minor <= 12 && opcodes_.cacheUnits[at.op] > 0;
  return lastCacheWaits ? at.atLastCache : !at.atLastCache;
}

CPythonReader::Position CPythonReader::positionOf(const PendingFrame& frame) {
  const PythonLayout& L = layout_;
  Position at;
  SampleMemory::Background background(sampleMemory_);
  // A code object met before: its header is not read again (the frames kept
  // have theirs checked when they are resolved; a code object freed and
  // another made at its address since can only mislead this one judgement).
  CodeCache::Entry* e = codes_.known(frame.code);
  if (!e) {
    const uint8_t* header = sampleMemory_.read(frame.code, codes_.headerSize());
    e = header ? codes_.lookup(frame.code, header, sampleMemory_) : nullptr;
  }
  if (!e) return at;
  uint64_t first = frame.code + static_cast<uint64_t>(L.codeAdaptive);
  uint64_t addr = static_cast<uint64_t>(frame.position);
  if (addr < first || (addr - first) % 2 != 0) return at;
  uint64_t unit = (addr - first) / 2;
  const CodeCache::Entry& code = adaptiveCode(*e, first);
  if (unit >= code.starts.size()) return at;
  uint64_t start = unit;
  while (start > 0 && !code.starts[start]) --start;
  uint8_t op = code.adaptive[start * 2];
  at.atLastCache = unit != start && unit == start + opcodes_.cacheUnits[op];
  if (unit != start && !at.atLastCache) return at;  // inside the caches: no frame stops there
  at.op = op;
  at.frameWords = code.frameWords;
  return at;
}

// A code object's bytecode as the adaptive interpreter has rewritten it, read
// again now and then rather than every sample: a read of each instruction a
// sample meets would cost a system call for most of them (the places differ
// from one sample to the next), and specialisation settles within the first
// few thousand runs of an instruction, each rewrite within its family (whose
// members have the same cache entries, so instruction boundaries hold).
const CodeCache::Entry& CPythonReader::adaptiveCode(CodeCache::Entry& e, uint64_t first) {
  if (e.adaptiveReadAt != 0 && stats_.samples - e.adaptiveReadAt < kAdaptiveCodeSamples) return e;
  e.adaptiveReadAt = stats_.samples;
  uint64_t units = static_cast<uint64_t>(e.codeUnits);
  const uint8_t* code = units > 0 && units <= kMaxCodeUnits
                            ? sampleMemory_.readNow(first, static_cast<size_t>(units * 2))
                            : nullptr;
  if (!code) {
    e.adaptive.clear();
    e.starts.clear();
    return e;
  }
  e.adaptive.assign(code, code + units * 2);
  e.starts.assign(static_cast<size_t>(units), false);
  for (uint64_t unit = 0; unit < units; unit += 1 + opcodes_.cacheUnits[code[unit * 2]]) {
    e.starts[static_cast<size_t>(unit)] = true;
  }
  return e;
}

}  // namespace hotpath

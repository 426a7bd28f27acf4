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
// and a generator's step (its frame is read apart from its caller's). A callee
// joined above a caller that shows no call is read again, callee first, with
// the caller's position right after (confirmCallee): shown under the older
// position it would sit under the line before its call.
//
// 3.8–3.10 keep their frames as separate heap objects: frame_object_top.cc.
#include "python/cpython_reader.h"
#include "python/field.h"

namespace hotpath {
namespace {

// FRAME_OWNED_BY_THREAD: a frame on the thread's datastack.
constexpr uint8_t kOwnedByThread = 0;
// Longer bytecode than this is not decoded (a torn length).
constexpr uint64_t kMaxCodeUnits = 1 << 20;
// Slots remembered for telling a callee that left by an exception (calleeAbove).
constexpr size_t kMaxUnwaitedSlots = 4096;
// Samples between two reads of a code object's adaptive bytecode.
constexpr uint64_t kAdaptiveCodeSamples = 1000;
// The most of an interpreter frame's header read again (frameSize: 72–80 bytes).
constexpr size_t kMaxInterpreterFrameRead = 256;
// Generator frames among a stack's innermost that are read again around their callers.
constexpr size_t kGeneratorStepsChecked = 4;

}  // namespace

void CPythonReader::settleTop(std::vector<PendingFrame>& pending) {
  if (!haveOpcodes_ || pending.empty()) return;
  // Generator steps near the top, each read again around its caller: one that
  // did not run through that read is cut, with everything above it. Each
  // pair is read at its own moment, so a step that is also a caller (of the
  // step above, a chain of generators) keeps the position its callee's
  // reads bracket.
  size_t steps = 0;
  for (size_t i = 0; i + 1 < pending.size() && i < kGeneratorStepsChecked; ++i) {
    if (pending[i].generator && !confirmGeneratorStep(pending[i], pending[i + 1], i == steps)) {
      steps = i + 1;
    }
  }
  stats_.returnedCut += steps;
  pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(steps));
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
// the step show under the caller's next line; a caller read just before it
// resumed the step (a loop's last line, a jump back to its FOR_ITER) made it
// show under that line. So the caller's position and the step's frame are
// read again, in one call, in turn: caller, step, caller, step. A step that
// runs (linked to the caller as the walk found it, not at a yield or return)
// at both of its reads ran when the caller's second read was made: that read
// is where the caller waits for it. A step that did not run at both had
// yielded or begun during the read, and is cut; the caller shows its second
// read. Returns false when the step is cut. The step's own position is taken
// from its second read only when it is the innermost frame kept.
bool CPythonReader::confirmGeneratorStep(PendingFrame& generator, PendingFrame& caller,
                                         bool innermost) {
  const PythonLayout& L = layout_;
  const size_t need = static_cast<size_t>(L.frameSize);
  uint8_t step[2][kMaxInterpreterFrameRead];
  uint64_t callerAt[2] = {0, 0};
  if (need > sizeof step[0]) return true;
  const uint64_t callerInstr = caller.addr + static_cast<uint64_t>(L.frameInstr);
  ReadSpan spans[4] = {
      {callerInstr, &callerAt[0], sizeof callerAt[0]},
      {generator.addr, step[0], need},
      {callerInstr, &callerAt[1], sizeof callerAt[1]},
      {generator.addr, step[1], need},
  };
  if (!sampleMemory_.copyManyNow(spans, 4)) return true;
  for (const ReadSpan& span : spans) {
    if (!span.ok) return true;  // as the walk read them
  }
  const auto runs = [&](const uint8_t* f, PendingFrame& out) {
    out = generator;
    out.position = static_cast<int64_t>(field<uint64_t>(f, L.frameInstr));
    if (field<uint64_t>(f, L.frameBack) != generator.back ||
        (field<uint64_t>(f, L.frameCode) & ~L.frameCodeTagMask) != generator.code) {
      return false;
    }
    return runsAt(positionOf(out));
  };
  PendingFrame first, second;
  const bool ran = runs(step[0], first) && runs(step[1], second);
  caller.position = static_cast<int64_t>(callerAt[1]);
  if (ran && innermost) generator.position = second.position;
  return ran;
}

bool CPythonReader::calleeAbove(PendingFrame& frame, const Position& at, PendingFrame& out,
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
  if (!runsAt(there)) return false;
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
    // Shown under the caller's older position, the callee would sit under the
    // instruction before the call, often the line before. Both are read again,
    // the callee first: a callee still running then had its caller at the call
    // when the caller is read right after, and that read is the caller's
    // position; a caller that still does not show a call did not call it.
    if (!confirmCallee(frame, slot, callee)) return false;
    there = positionOf(callee);
    if (!runsAt(there)) return false;
  }
  out = callee;
  outAt = there;
  return true;
}

// A callee found above a caller that did not show the call (calleeAbove):
// the callee's frame and then the caller's position, read again in one call.
// Kept when the callee is still the same running call and the caller now
// waits for it; the caller's position and the callee's are updated.
bool CPythonReader::confirmCallee(PendingFrame& caller, uint64_t slot, PendingFrame& callee) {
  const PythonLayout& L = layout_;
  uint8_t again[kMaxInterpreterFrameRead];
  const size_t need = static_cast<size_t>(L.frameSize);
  if (need > sizeof again) return false;
  uint64_t callerAt = 0;
  ReadSpan spans[2] = {
      {slot, again, need},
      {caller.addr + static_cast<uint64_t>(L.frameInstr), &callerAt, sizeof callerAt},
  };
  if (!sampleMemory_.copyManyNow(spans, 2) || !spans[0].ok || !spans[1].ok) return false;
  if (again[L.frameOwner] != kOwnedByThread || field<uint64_t>(again, L.frameBack) != caller.addr ||
      (field<uint64_t>(again, L.frameCode) & ~L.frameCodeTagMask) != callee.code) {
    return false;
  }
  PendingFrame now = caller;
  now.position = static_cast<int64_t>(callerAt);
  if (!waitsForCallee(positionOf(now))) return false;
  caller.position = now.position;
  callee.position = static_cast<int64_t>(field<uint64_t>(again, L.frameInstr));
  return true;
}

// A frame at a known instruction that is not one it returns (or yields) at.
bool CPythonReader::runsAt(const Position& at) const {
  return at.op >= 0 && !OpcodeSets::has(opcodes_.returns, at.op);
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

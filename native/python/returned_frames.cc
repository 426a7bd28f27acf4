// Frames that had returned: telling apart a stack read while its thread
// returned from a call.
//
// The target runs while its stack is read. A walk starts from the thread's
// innermost frame as the thread state gave it, and reads the frames below a
// moment later; if the innermost call returns in between, the walk joins its
// frame (left in memory as it was: a datastack slot above the top on 3.11+, a
// code object's zombie frame or a free frame on 3.8–3.10) to a caller that
// has moved on, and its time shows under a line that never calls it. In a
// loop of short calls that was a quarter to two thirds of the callee's samples.
//
// Three things tell such a walk apart, without stopping the program:
// - the caller's instruction as read: one that cannot be running a Python
//   callee (3.11+: one that does not push the callee's frame itself; any
//   version: one that runs no Python code, per the opcode tables generated
//   from each version's `dis`) means the callee had returned;
// - the thread's current frame, datastack top, innermost slot and caller's
//   instruction once more at the very end of the call that read the stack
//   (SampleMemory checks): the innermost frame still there, with its caller
//   still at the same instruction, was there all along;
// - call sites: instructions seen waiting for a Python callee that was still
//   there at the end (3.8–3.10, or calls through C, where a builtin's call
//   and a Python function's look alike).
// Frames that had returned are cut off and the caller is shown where it was
// read, a moment after they returned: every frame shown was on the stack when
// it was read. A read where none of the frames can be placed is read again.
#include <algorithm>
#include <cstring>

#include "python/cpython_reader.h"
#include "python/field.h"

namespace hotpath {
namespace {

// The thread-state fields a check re-reads: [lo, hi).
struct TstateWindow {
  int32_t lo = INT32_MAX;
  int32_t hi = 0;
  explicit TstateWindow(const PythonLayout& L) {
    for (int32_t offset : {L.tstateFrame, L.tstateDatastackChunk, L.tstateDatastackTop}) {
      if (offset == kAbsent) continue;
      lo = std::min(lo, offset);
      hi = std::max(hi, offset + 8);
    }
  }
};

// The bytes of a frame a check compares: its code object and its caller.
struct FrameWindow {
  int32_t lo;
  int32_t hi;
  explicit FrameWindow(const PythonLayout& L)
      : lo(std::min(L.frameCode, L.frameBack)), hi(std::max(L.frameCode, L.frameBack) + 8) {}
};

// The field of a frame that says where it is: f_lasti (≤ 3.10, an int) or
// prev_instr / instr_ptr (3.11+, a pointer).
int32_t positionField(const PythonLayout& L, size_t& size) {
  size = L.interpreterFrames() ? 8 : 4;
  return L.interpreterFrames() ? L.frameInstr : L.frameLasti;
}

// Call sites remembered (callSites_); beyond, they are forgotten and learnt
// again. An instruction is trusted as a call site once it has been seen
// waiting for a running Python callee clearly more often than under a callee
// that had already returned: a rare read can make a builtin's call look like
// a Python one now and then, and the other observation is the common one
// there; a real call site waits as long as its callee runs.
constexpr size_t kMaxCallSites = 1 << 16;
constexpr int32_t kConfirmed = 1;
constexpr int32_t kRefuted = -2;
constexpr int32_t kTrusted = 8;
constexpr int32_t kScoreLimit = 1000;
// 3.11+: longer bytecode than this is not decoded (a torn length).
constexpr uint64_t kMaxCodeUnits = 1 << 20;

}  // namespace

void CPythonReader::declareChecks(const ThreadHead& head) {
  const PythonLayout& L = layout_;
  TstateWindow w(L);
  sampleMemory_.check(head.tstate + w.lo, static_cast<size_t>(w.hi - w.lo));
  if (head.cframe != 0) sampleMemory_.check(head.cframe + L.cframeCurrentFrame, 8);
  // The innermost frame's code and caller: a datastack slot popped and pushed
  // again within the read holds another call (not on 3.8–3.10, whose frame
  // objects are recycled per code object: the same code and caller again).
  if (L.interpreterFrames() && head.frame != 0) {
    FrameWindow f(L);
    sampleMemory_.check(head.frame + f.lo, static_cast<size_t>(f.hi - f.lo));
  }
}

// The position of the innermost frame's caller, and of the innermost frame
// itself (the caller of the next sample's innermost frame, when it calls).
void CPythonReader::declareCallerCheck(const std::vector<PendingFrame>& pending) {
  size_t size = 0;
  int32_t offset = positionField(layout_, size);
  for (size_t i = 0; i < pending.size() && i < 2; ++i) {
    sampleMemory_.check(pending[i].addr + offset, size, true);
  }
}

// The checks of one walk as they were at the end of its read: from the call
// that read the stack when it held them all, else read now, all in one call
// (values from two moments could contradict each other).
bool CPythonReader::readAfter(const ThreadHead& head, const std::vector<PendingFrame>& pending,
                              bool checksHeld, After& out) {
  const PythonLayout& L = layout_;
  TstateWindow w(L);
  FrameWindow f(L);
  size_t positionSize = 0;
  int32_t positionOffset = positionField(L, positionSize);
  enum { kTstate, kCframe, kFrame, kCaller, kCallee, kCount };
  uint64_t addrs[kCount] = {head.tstate + w.lo, 0, 0, 0, pending[0].addr + positionOffset};
  size_t lens[kCount] = {static_cast<size_t>(w.hi - w.lo), 8, static_cast<size_t>(f.hi - f.lo),
                         positionSize, positionSize};
  if (head.cframe != 0) addrs[kCframe] = head.cframe + L.cframeCurrentFrame;
  if (L.interpreterFrames()) addrs[kFrame] = pending[0].addr + f.lo;
  if (pending.size() > 1) addrs[kCaller] = pending[1].addr + positionOffset;
  checkBytes_.assign(kCount, nullptr);
  bool all = checksHeld;
  for (int i = 0; i < kCount && all; ++i) {
    if (addrs[i] == 0) continue;
    checkBytes_[i] = sampleMemory_.checked(addrs[i], lens[i]);
    all = checkBytes_[i] != nullptr;
  }
  out.slow = all && sampleMemory_.checksSlow();
  if (!all) {
    ++stats_.checkReads;
    checkAddrs_.clear();
    checkLens_.clear();
    for (int i = 0; i < kCount; ++i) {
      if (addrs[i] == 0) continue;
      checkAddrs_.push_back(addrs[i]);
      checkLens_.push_back(lens[i]);
    }
    sampleMemory_.readNowMany(checkAddrs_.data(), checkLens_.data(), checkAddrs_.size(),
                              checkGot_);
    for (int i = 0, k = 0; i < kCount; ++i) checkBytes_[i] = addrs[i] ? checkGot_[k++] : nullptr;
  }
  const uint8_t* t = checkBytes_[kTstate];
  if (!t) return false;
  out.current = field<uint64_t>(t, L.tstateFrame - w.lo);
  if (L.cframeCurrentFrame != kAbsent) {
    // 3.11/3.12: through the cframe, when it is still the one the walk began at.
    const uint8_t* c = checkBytes_[kCframe];
    out.current = c && out.current == head.cframe ? field<uint64_t>(c, 0) : 0;
  }
  if (L.tstateDatastackChunk != kAbsent) {
    out.chunk = field<uint64_t>(t, L.tstateDatastackChunk - w.lo);
    out.top = field<uint64_t>(t, L.tstateDatastackTop - w.lo);
  }
  // 3.11+: the innermost slot still holds the call that was read (its code
  // and caller), unless it was popped and another call pushed meanwhile.
  if (const uint8_t* now = checkBytes_[kFrame]) {
    const uint8_t* then = sampleMemory_.readIfHeld(addrs[kFrame], lens[kFrame], 0);
    out.slotChanged = then && memcmp(now, then, lens[kFrame]) != 0;
  }
  auto moved = [positionSize](const uint8_t* now, int64_t then) {
    int64_t position = positionSize == 8 ? static_cast<int64_t>(field<uint64_t>(now, 0))
                                         : field<int32_t>(now, 0);
    return position != then ? 1 : 0;
  };
  if (const uint8_t* c = checkBytes_[kCaller]) out.callerMoved = moved(c, pending[1].position);
  if (const uint8_t* c = checkBytes_[kCallee]) out.calleeMoved = moved(c, pending[0].position);
  return true;
}

int CPythonReader::returnedFrames(const ThreadHead& head, const std::vector<PendingFrame>& pending,
                                  bool checksHeld) {
  const PythonLayout& L = layout_;
  if (pending.empty()) return 0;
  After after;
  if (!readAfter(head, pending, checksHeld, after)) return -1;
  auto stillThere = [&](size_t k) {
    const PendingFrame& p = pending[k];
    if (p.dead || (k == 0 && after.slotChanged)) return false;
    if (p.addr == after.current) return true;
    // Below the top of the current chunk: not popped since.
    return p.onDatastack && after.chunk != 0 && p.addr >= after.chunk && p.addr < after.top;
  };
  if (pending.size() > 1) {
    if (stillThere(0) && after.callerMoved == 0 && after.calleeMoved == 0 && !after.slow) {
      // The caller and its callee sat still while the stack was read, and
      // the callee was there at the end: the caller's instruction is a call
      // site. (Not after a read that was preempted: the program may have
      // returned, run a loop round and called again in between.)
      scoreCallSite(pending[1], kConfirmed);
    } else if (!stillThere(0)) {
      // The callee had returned (or yielded) by the end: where the caller
      // was read is where frames that had returned are found, a builtin's
      // call right after a short one more often than the call itself.
      scoreCallSite(pending[1], kRefuted);
    }
  }
  size_t first = 0;
  // A caller read at an instruction that cannot be running its callee had
  // moved on: the callee's frame as read had already returned. This needs
  // nothing from the end of the read, and so also catches a call that
  // returned and was made again meanwhile.
  if (pending.size() > 1 && callerEvidence(pending[1], pending[0]) < 0) first = 1;
  size_t start = first;
  while (first < pending.size() && !stillThere(first)) ++first;
  // The frames above `first` had returned by the end of the read. The caller
  // was read before that end: if it still sat at an instruction that makes
  // such calls, the call was still running when the caller was read, and the
  // stack as read was whole; otherwise the caller had moved on.
  if (first > 0 && first < pending.size() &&
      callerEvidence(pending[first], pending[first - 1]) > 0) {
    return 0;
  }
  if (first == pending.size()) {
    // No frame is known to be there after the read. ≤ 3.10: the thread may
    // have called further (its current frame is a new one above ours), which
    // leaves the walk true when its innermost frame was live as read.
    if (L.interpreterFrames() || pending[start].dead) return -1;
    first = start;
  }
  if (first == 0 && pending.size() > 1 && after.callerMoved > 0) {
    // The innermost frame is there at the end, but its caller ran in between:
    // the call returned and was made again (a frame object or a datastack
    // slot is reused for the next call of the same function).
    return callerEvidence(pending[1], pending[0]) > 0 ? 0 : 1;
  }
  return static_cast<int>(first);
}

// What `caller`, at the instruction it was read at, says about `callee`:
// -1 it cannot be running that call (it had moved on), 1 it is making such a
// call, 0 cannot tell.
// - 3.11+, when the callee's frame links straight to the caller's: the caller
//   is at an instruction that pushes a Python frame itself (CALL and its
//   Python specialisations, SEND/FOR_ITER into a generator, ...), or it is
//   not running the callee.
// - Otherwise (3.8–3.10, or a callee entered from C) a builtin's call looks
//   like a Python function's, and `sum(...)` just after a call that returned
//   would pass for it: an instruction that runs no Python code says -1, one
//   seen before with a Python callee still running (callSites_) says 1.
int CPythonReader::callerEvidence(const PendingFrame& caller, const PendingFrame& callee) {
  const PythonLayout& L = layout_;
  if (!haveOpcodes_ || caller.position < 0) return 0;
  SampleMemory::Background background(sampleMemory_);
  const uint8_t* header = sampleMemory_.read(caller.code, codes_.headerSize());
  CodeCache::Entry* e = header ? codes_.lookup(caller.code, header, sampleMemory_) : nullptr;
  if (!e) return 0;
  int op = -1;
  bool atLastCache = false;  // 3.11/3.12: on the last inline cache entry of `op`
  if (L.interpreterFrames()) {
    uint64_t first = caller.code + static_cast<uint64_t>(L.codeAdaptive);
    uint64_t at = static_cast<uint64_t>(caller.position);
    if (at < first || (at - first) % 2 != 0) return 0;
    uint64_t unit = (at - first) / 2;
    const std::vector<bool>& starts = instructionStarts(*e, first);
    if (unit >= starts.size()) return 0;
    uint64_t start = unit;
    while (start > 0 && !starts[start]) --start;
    // The opcode as it is now (specialisation rewrites it within its family).
    const uint8_t* p = sampleMemory_.read(first + start * 2, 2);
    if (!p) return 0;
    op = p[0];
    atLastCache = unit != start && unit == start + opcodes_.cacheUnits[op];
    if (unit != start && !atLastCache) return 0;  // inside the caches: not a place a frame waits
  } else {
    int64_t offset = L.minor >= 10 ? caller.position * 2 : caller.position;  // f_lasti
    op = codes_.opcodeAt(*e, offset, sampleMemory_);
    if (op < 0) return 0;
  }
  auto byte = static_cast<uint8_t>(op);
  if (L.interpreterFrames() && !callee.viaEntry) {
    // 3.11/3.12 leave the caller on the last cache entry of an inline call
    // (the instruction itself when it has none, CALL_FUNCTION_EX), and on the
    // instruction while it calls C code; 3.13+ on the instruction either way.
    bool waits = L.minor <= 12 && opcodes_.cacheUnits[byte] > 0 ? atLastCache : !atLastCache;
    return waits && OpcodeSets::has(opcodes_.inlineCall, byte) ? 1 : -1;
  }
  if (OpcodeSets::has(opcodes_.noCall, byte)) return -1;
  auto site = callSites_.find(callSiteKey(caller));
  return site != callSites_.end() && site->second >= kTrusted ? 1 : 0;
}

void CPythonReader::scoreCallSite(const PendingFrame& caller, int32_t delta) {
  if (callSites_.size() >= kMaxCallSites) callSites_.clear();
  int32_t& score = callSites_[callSiteKey(caller)];
  score = std::max(-kScoreLimit, std::min(kScoreLimit, score + delta));
}

// 3.11+: the instruction boundaries of a code object, from its bytecode as
// it is now: specialisation rewrites opcodes within a family, whose members
// have the same number of cache entries.
const std::vector<bool>& CPythonReader::instructionStarts(CodeCache::Entry& e, uint64_t first) {
  if (e.startsRead) return e.starts;
  e.startsRead = true;
  uint64_t units = static_cast<uint64_t>(e.codeUnits);
  if (units == 0 || units > kMaxCodeUnits) return e.starts;
  const uint8_t* code = sampleMemory_.readNow(first, static_cast<size_t>(units * 2));
  if (!code) return e.starts;
  e.starts.assign(static_cast<size_t>(units), false);
  for (uint64_t unit = 0; unit < units; unit += 1 + opcodes_.cacheUnits[code[unit * 2]]) {
    e.starts[static_cast<size_t>(unit)] = true;
  }
  return e.starts;
}

uint64_t CPythonReader::callSiteKey(const PendingFrame& caller) {
  // 3.11+ positions are addresses inside the code object; before, offsets.
  return caller.code ^ (static_cast<uint64_t>(caller.position) * 0x9e3779b97f4a7c15ull);
}

}  // namespace hotpath

// Byte offsets into CPython's runtime structures for one minor version: the
// only CPython layout knowledge the reader uses. Values come from
// layouts_generated.h (3.8–3.12, and the compiled 3.13 values),
// layouts_current.h (3.14+) and, for 3.13+, from the target's own
// _Py_DebugOffsets at run time (debug_offsets.h).
#pragma once

#include <climits>
#include <cstdint>

namespace hotpath {

// An offset that this version does not have.
constexpr int32_t kAbsent = -1;
// A frame state this version does not describe (frame states are small signed numbers).
constexpr int32_t kNoFrameState = INT32_MIN;

struct PythonLayout {
  int minor = 0;  // 8 for 3.8, …

  // _PyRuntimeState
  int32_t runtimeInterpretersHead = kAbsent;
  int32_t runtimeGilstateTstateCurrent = kAbsent;  // ≤ 3.11: the thread holding the GIL
  int32_t runtimeGc = kAbsent;  // 3.8: the collector's state (struct _gc_runtime_state)

  // PyInterpreterState
  int32_t interpNext = kAbsent;
  int32_t interpThreadsHead = kAbsent;
  int32_t interpCevalGil = kAbsent;  // 3.12+: pointer to the interpreter's GIL
  int32_t gilLastHolder = kAbsent;   // in struct _gil_runtime_state
  int32_t gilLocked = kAbsent;
  int32_t interpGc = kAbsent;      // 3.9+: the collector's state (struct _gc_runtime_state)
  int32_t gcCollecting = kAbsent;  // in that state: int collecting, 1 while a collection runs

  // PyThreadState
  int32_t tstateSize = 0;
  int32_t tstateNext = kAbsent;
  int32_t tstateInterp = kAbsent;
  int32_t tstateThreadId = kAbsent;
  int32_t tstateFrame = kAbsent;  // frame (≤3.10), cframe (3.11/3.12), current_frame (3.13+)
  int32_t cframeCurrentFrame = kAbsent;  // 3.11/3.12: _PyCFrame.current_frame
  int32_t tstateNativeThreadId = kAbsent;
  int32_t tstateDatastackChunk = kAbsent;
  int32_t tstateDatastackTop = kAbsent;
  int32_t tstateStatus = kAbsent;         // 3.12+: _status bit field (a 32-bit word)
  int32_t statusHoldsGilBit = kAbsent;    // 3.13 only (3.14 made it an int of its own)
  int32_t tstateHoldsGil = kAbsent;       // 3.14+: holds_gil (int)
  int32_t tstateBaseFrame = kAbsent;      // 3.15+: the frame every chain of the thread ends at
  int32_t statusBoundBit = kAbsent;       // 3.12+: bound to its OS thread (thread_id set)
  int32_t statusUnboundBit = kAbsent;     // 3.12+: unbound again (the thread is ending)
  int32_t statusFinalizingBit = kAbsent;  // 3.12+: PyThreadState_Clear has started

  // _PyStackChunk (3.11+): where a thread's interpreter frames live
  int32_t chunkPrevious = kAbsent;
  int32_t chunkSize = kAbsent;
  int32_t chunkTop = kAbsent;
  int32_t chunkData = kAbsent;

  // PyFrameObject (≤ 3.10) or _PyInterpreterFrame (3.11+)
  int32_t frameSize = 0;  // bytes to read per frame
  int32_t frameBack = kAbsent;
  int32_t frameCode = kAbsent;
  int32_t frameLasti = kAbsent;  // ≤ 3.10
  // ≤ 3.10: one byte that says whether the frame runs (f_executing on 3.8/3.9,
  // f_state on 3.10) and its value while it does. Cleared before the thread
  // state moves to the caller when the frame returns, and when a generator's yields.
  int32_t frameState = kAbsent;
  int32_t frameStateExecuting = 0;
  // 3.10: the state of a frame an exception is leaving (FRAME_UNWINDING): still on the stack,
  // its caller still at the call, until it is caught (executing again) or has left (raised).
  // 3.8/3.9's f_executing stays set through the unwinding.
  int32_t frameStateUnwinding = kAbsent;
  int32_t frameInstr = kAbsent;    // 3.11+: prev_instr / instr_ptr
  int32_t frameOwner = kAbsent;    // 3.11+
  int32_t frameIsEntry = kAbsent;  // 3.11: the first frame of an interpreter call (bool)
  int32_t ownedByGenerator = kAbsent;
  // 3.12+: the lowest owner of a frame that runs no Python code: the entry
  // shim of each call into the interpreter (FRAME_OWNED_BY_CSTACK on 3.12/3.13,
  // FRAME_OWNED_BY_INTERPRETER on 3.14+). Owners from here to ownerMax are shims.
  int32_t ownedByCstack = kAbsent;
  int32_t ownerMax = 3;  // the highest owner value a frame can have
  // 3.14+: f_executable is a _PyStackRef whose low bits are tags, not address.
  uint64_t frameCodeTagMask = 0;

  // PyCodeObject
  int32_t codeSize = 0;
  int32_t codeFirstLine = kAbsent;
  int32_t codeFilename = kAbsent;
  int32_t codeName = kAbsent;
  int32_t codeQualname = kAbsent;        // 3.11+
  int32_t codeLinetable = kAbsent;       // co_lnotab (≤3.9), co_linetable (3.10+)
  int32_t codeAdaptive = kAbsent;        // 3.11+: co_code_adaptive (first instruction)
  int32_t codeFirstTraceable = kAbsent;  // 3.11+: _co_firsttraceable (int)
  int32_t codeFramesize = kAbsent;       // 3.12+: co_framesize (int, words a frame takes)
  // 3.11: a frame takes co_nlocalsplus + co_stacksize + frameSpecialsWords words.
  int32_t codeNlocalsplus = kAbsent;
  int32_t codeStacksize = kAbsent;
  int32_t frameSpecialsWords = 0;
  int32_t codeZombieFrame = kAbsent;  // ≤ 3.10: co_zombieframe (a freed frame kept for reuse)
  int32_t codeFlags = kAbsent;        // ≤ 3.10: co_flags (int)
  int32_t codeCode = kAbsent;         // ≤ 3.10: co_code (bytes)

  // str and bytes
  int32_t strLength = kAbsent;
  int32_t strState = kAbsent;
  int32_t strAsciiData = kAbsent;    // compact ASCII characters
  int32_t strCompactData = kAbsent;  // compact non-ASCII characters
  int32_t strDataPtr = kAbsent;      // non-compact: pointer to characters
  int32_t bytesSize = kAbsent;
  int32_t bytesData = kAbsent;

  // Thread names: sys.modules → threading._active → Thread._name.
  int32_t interpModules = kAbsent;
  int32_t moduleDict = kAbsent;
  int32_t dictKeys = kAbsent;
  int32_t dictValues = kAbsent;
  int32_t dkSize = kAbsent;      // ≤ 3.10: Py_ssize_t dk_size
  int32_t dkLog2Size = kAbsent;  // 3.11+
  int32_t dkLog2IndexBytes = kAbsent;
  int32_t dkKind = kAbsent;
  int32_t dkNentries = kAbsent;
  int32_t dkIndices = kAbsent;
  int32_t heapTypeCachedKeys = kAbsent;  // 3.11+: shared keys of instance dicts
  int32_t managedDictFlag = kAbsent;     // 3.11+: Py_TPFLAGS_MANAGED_DICT
  int32_t inlineValuesFlag = kAbsent;    // 3.13+: Py_TPFLAGS_INLINE_VALUES
  int32_t dictValuesValues = kAbsent;    // 3.13+: PyDictValues.values
  int32_t dictValuesValid = kAbsent;
  int32_t typeDictOffset = kAbsent;
  int32_t typeBasicSize = kAbsent;
  int32_t typeFlags = kAbsent;
  int32_t longDigits = kAbsent;

  // asyncio's tasks (3.14+, from _Py_DebugOffsets): a coroutine's own frame and state, the value
  // stack of a frame (what a suspended coroutine awaits), sets (a task's awaiters), list nodes.
  int32_t frameStackpointer = kAbsent;
  int32_t genIframe = kAbsent;
  int32_t genFrameState = kAbsent;  // int8: suspended in `await` is FRAME_SUSPENDED_YIELD_FROM
  // That state's value and FRAME_EXECUTING's (it runs, on its thread's stack), pycore_frame.h;
  // kNoFrameState where unknown (the values can be -1).
  int32_t genSuspendedYieldFrom = kNoFrameState;
  int32_t genExecuting = kNoFrameState;
  // Where a coroutine suspended in `await` keeps what it awaits: stackpointer[-genAwaitedSlot].
  int32_t genAwaitedSlot = 1;
  int32_t setTable = kAbsent;
  int32_t setMask = kAbsent;
  int32_t llistNext = kAbsent;

  bool interpreterFrames() const { return minor >= 11; }
  // ≤ 3.10: the bytes of a frame object the reader reads (through f_lasti and
  // the state byte, whichever ends later).
  int32_t frameObjectBytes() const {
    return frameLasti + 4 > frameState + 1 ? frameLasti + 4 : frameState + 1;
  }
};

}  // namespace hotpath

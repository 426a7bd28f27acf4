// CPython 3.14+ layouts. These releases describe most of their layout in
// _Py_DebugOffsets at the start of _PyRuntime, which the reader reads from
// the target; what this file holds is
//   - the declaration order of each release's _Py_DebugOffsets (from its
//     Include/internal/pycore_debug_offsets.h), to find the values in it, and
//   - the few offsets and constants _Py_DebugOffsets does not carry, read
//     from that release's headers.
// Distributions ship these releases without the internal headers that
// gen_layouts.py compiles against, so this file is written by hand; every
// value is checked against the running interpreters by reader_selftest
// (`layout`, against native/tools/testdata/offsets_3.X.txt) and the native
// suites. Adding a release: its field list, its base layout, one line in
// layout_dispatch.cc's table of described versions.
#pragma once

#include <cstddef>
#include <cstdint>

#include "python/debug_offsets.h"
#include "python/layout.h"

namespace hotpath {
namespace current {

// The part of _Py_DebugOffsets 3.14 and 3.15 declare alike, up to the thread state.
#define HOTPATH_DEBUG_RUNTIME_AND_INTERPRETER                                                     \
  "runtime_state.size", "runtime_state.finalizing", "runtime_state.interpreters_head",            \
      "interpreter_state.size", "interpreter_state.id", "interpreter_state.next",                 \
      "interpreter_state.threads_head", "interpreter_state.threads_main", "interpreter_state.gc", \
      "interpreter_state.imports_modules", "interpreter_state.sysdict",                           \
      "interpreter_state.builtins", "interpreter_state.ceval_gil",                                \
      "interpreter_state.gil_runtime_state", "interpreter_state.gil_runtime_state_enabled",       \
      "interpreter_state.gil_runtime_state_locked", "interpreter_state.gil_runtime_state_holder", \
      "interpreter_state.code_object_generation", "interpreter_state.tlbc_generation"

#define HOTPATH_DEBUG_FRAME_AND_CODE                                                               \
  "interpreter_frame.size", "interpreter_frame.previous", "interpreter_frame.executable",          \
      "interpreter_frame.instr_ptr", "interpreter_frame.localsplus", "interpreter_frame.owner",    \
      "interpreter_frame.stackpointer", "interpreter_frame.tlbc_index", "code_object.size",        \
      "code_object.filename", "code_object.name", "code_object.qualname", "code_object.linetable", \
      "code_object.firstlineno", "code_object.argcount", "code_object.localsplusnames",            \
      "code_object.localspluskinds", "code_object.co_code_adaptive", "code_object.co_tlbc"

#define HOTPATH_DEBUG_OBJECTS                                                                    \
  "tuple_object.size", "tuple_object.ob_item", "tuple_object.ob_size", "list_object.size",       \
      "list_object.ob_item", "list_object.ob_size", "set_object.size", "set_object.used",        \
      "set_object.table", "set_object.mask", "dict_object.size", "dict_object.ma_keys",          \
      "dict_object.ma_values", "float_object.size", "float_object.ob_fval", "long_object.size",  \
      "long_object.lv_tag", "long_object.ob_digit", "bytes_object.size", "bytes_object.ob_size", \
      "bytes_object.ob_sval"

#define HOTPATH_DEBUG_DEBUGGER_SUPPORT                                                         \
  "llist_node.next", "llist_node.prev", "debugger_support.eval_breaker",                       \
      "debugger_support.remote_debugger_support", "debugger_support.remote_debugging_enabled", \
      "debugger_support.debugger_pending_call", "debugger_support.debugger_script_path",       \
      "debugger_support.debugger_script_path_size"

// 3.14: 92 values, sizeof(_Py_DebugOffsets) 760.
inline constexpr const char* kDebugFields_3_14[] = {
    HOTPATH_DEBUG_RUNTIME_AND_INTERPRETER,
    "thread_state.size",
    "thread_state.prev",
    "thread_state.next",
    "thread_state.interp",
    "thread_state.current_frame",
    "thread_state.thread_id",
    "thread_state.native_thread_id",
    "thread_state.datastack_chunk",
    "thread_state.status",
    HOTPATH_DEBUG_FRAME_AND_CODE,
    "pyobject.size",
    "pyobject.ob_type",
    "type_object.size",
    "type_object.tp_name",
    "type_object.tp_repr",
    "type_object.tp_flags",
    HOTPATH_DEBUG_OBJECTS,
    "unicode_object.size",
    "unicode_object.state",
    "unicode_object.length",
    "unicode_object.asciiobject_size",
    "gc.size",
    "gc.collecting",
    "gen_object.size",
    "gen_object.gi_name",
    "gen_object.gi_iframe",
    "gen_object.gi_frame_state",
    HOTPATH_DEBUG_DEBUGGER_SUPPORT,
};

// 3.15: 108 values, sizeof(_Py_DebugOffsets) 888. The thread state gains
// base_frame, last_profiled_frame(_seq), holds_gil, gil_requested and the
// exception fields; the type, unicode and gc sections grow.
inline constexpr const char* kDebugFields_3_15[] = {
    HOTPATH_DEBUG_RUNTIME_AND_INTERPRETER,
    "thread_state.size",
    "thread_state.prev",
    "thread_state.next",
    "thread_state.interp",
    "thread_state.current_frame",
    "thread_state.base_frame",
    "thread_state.last_profiled_frame",
    "thread_state.last_profiled_frame_seq",
    "thread_state.thread_id",
    "thread_state.native_thread_id",
    "thread_state.datastack_chunk",
    "thread_state.status",
    "thread_state.holds_gil",
    "thread_state.gil_requested",
    "thread_state.current_exception",
    "thread_state.exc_state",
    "err_stackitem.exc_value",
    HOTPATH_DEBUG_FRAME_AND_CODE,
    "pyobject.size",
    "pyobject.ob_type",
    "type_object.size",
    "type_object.tp_name",
    "type_object.tp_repr",
    "type_object.tp_flags",
    "type_object.tp_basicsize",
    "type_object.tp_dictoffset",
    "heap_type_object.size",
    "heap_type_object.ht_cached_keys",
    HOTPATH_DEBUG_OBJECTS,
    "unicode_object.size",
    "unicode_object.state",
    "unicode_object.length",
    "unicode_object.asciiobject_size",
    "unicode_object.compactunicodeobject_size",
    "gc.size",
    "gc.collecting",
    "gc.frame",
    "gc.generation_stats_size",
    "gc.generation_stats",
    "gen_object.size",
    "gen_object.gi_name",
    "gen_object.gi_iframe",
    "gen_object.gi_frame_state",
    HOTPATH_DEBUG_DEBUGGER_SUPPORT,
};

// _Py_AsyncioModuleDebugOffsets (Modules/_asynciomodule.c, 3.14 and 3.15 alike): the
// `.AsyncioDebug` section of the _asyncio module, 13 uint64_t in this order. Unlike
// _Py_DebugOffsets it has no header: its first value is the Task object's size.
inline constexpr const char* kAsyncioDebugFields[] = {
    "asyncio_task_object.size",
    "asyncio_task_object.task_name",
    "asyncio_task_object.task_awaited_by",
    "asyncio_task_object.task_is_task",
    "asyncio_task_object.task_awaited_by_is_set",
    "asyncio_task_object.task_coro",
    "asyncio_task_object.task_node",
    "asyncio_interpreter_state.size",
    "asyncio_interpreter_state.asyncio_tasks_head",
    "asyncio_thread_state.size",
    "asyncio_thread_state.asyncio_running_loop",
    "asyncio_thread_state.asyncio_running_task",
    "asyncio_thread_state.asyncio_tasks_head",
};
#undef HOTPATH_DEBUG_RUNTIME_AND_INTERPRETER
#undef HOTPATH_DEBUG_FRAME_AND_CODE
#undef HOTPATH_DEBUG_OBJECTS
#undef HOTPATH_DEBUG_DEBUGGER_SUPPORT

template <size_t N>
DebugOffsetsFieldList fieldList(const char* const (&names)[N]) {
  return {names, N};
}

inline DebugOffsetPositions debugPositions_3_14() {
  return positionsFromFieldList(fieldList(kDebugFields_3_14));
}
inline DebugOffsetPositions debugPositions_3_15() {
  return positionsFromFieldList(fieldList(kDebugFields_3_15));
}

// What 3.14 and 3.15 share beyond _Py_DebugOffsets (GIL-enabled builds,
// x86_64 and other LP64 platforms).
inline PythonLayout layoutBeyondDebugOffsets(int minor) {
  PythonLayout l;
  l.minor = minor;
  // _PyStackChunk: previous, size, top, data[] (Include/cpython/pystate.h).
  l.chunkPrevious = 0;
  l.chunkSize = 8;
  l.chunkTop = 16;
  l.chunkData = 24;
  // PyThreadState._status: initialized, bound, unbound, bound_gilstate,
  // active, finalizing, cleared, finalized (holds_gil left it in 3.14).
  l.statusBoundBit = 1;
  l.statusUnboundBit = 2;
  l.statusFinalizingBit = 5;
  // enum _frameowner: THREAD 0, GENERATOR 1, FRAME_OBJECT 2, INTERPRETER 3
  // (the entry shim of each _PyEval_EvalFrameDefault, and 3.15's base frame).
  l.ownedByGenerator = 1;
  l.ownedByCstack = 3;
  l.ownerMax = 3;
  // _PyStackRef: Py_TAG_BITS (pycore_stackref.h).
  l.frameCodeTagMask = 3;
  // PyCodeObject: _co_firsttraceable, co_extra, then co_code_adaptive.
  l.codeFirstTraceable = 192;
  // PyCodeObject.co_framesize, after co_nlocalsplus (as in 3.12/3.13; checked on live
  // 3.14/3.15 targets: a callee's frame starts co_framesize words after its caller's).
  l.codeFramesize = 76;
  // PyModuleObject.md_dict; PyDictKeysObject; PyDictValues; type flags.
  l.moduleDict = 16;
  l.dkLog2Size = 8;
  l.dkLog2IndexBytes = 9;
  l.dkKind = 10;
  l.dkNentries = 24;
  l.dkIndices = 32;
  l.dictValuesValid = 3;
  l.dictValuesValues = 8;
  l.managedDictFlag = 1 << 4;   // Py_TPFLAGS_MANAGED_DICT
  l.inlineValuesFlag = 1 << 2;  // Py_TPFLAGS_INLINE_VALUES
  return l;
}

inline PythonLayout layout_3_14() {
  PythonLayout l = layoutBeyondDebugOffsets(14);
  l.tstateHoldsGil = 36;  // int holds_gil, right after _status
  l.ownerMax = 4;         // FRAME_OWNED_BY_CSTACK, a shim too (gone in 3.15)
  l.typeBasicSize = 32;
  l.typeDictOffset = 288;
  l.heapTypeCachedKeys = 880;
  // enum _framestate (pycore_frame.h): SUSPENDED_YIELD_FROM -1, EXECUTING 0.
  l.genSuspendedYieldFrom = -1;
  l.genExecuting = 0;
  return l;
}

inline PythonLayout layout_3_15() {
  PythonLayout l = layoutBeyondDebugOffsets(15);
  // enum _framestate, renumbered from 0: CREATED, SUSPENDED, SUSPENDED_YIELD_FROM,
  // SUSPENDED_YIELD_FROM_LOCKED (free-threaded only), EXECUTING, CLEARED.
  l.genSuspendedYieldFrom = 2;
  l.genExecuting = 4;
  // SEND keeps the awaited object under the value it sends (checked on live 3.15 targets).
  l.genAwaitedSlot = 2;
  return l;
}

}  // namespace current
}  // namespace hotpath

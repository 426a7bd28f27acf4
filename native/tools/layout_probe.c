/* Prints the CPython struct offsets the reader needs, as "name value" lines.
   Compiled by gen_layouts.py against each installed version's internal
   headers; never part of the addon. */
#define Py_BUILD_CORE 1
#include <Python.h>
#include <frameobject.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#if PY_VERSION_HEX < 0x03090000
#include <internal/pycore_pystate.h>
#else
#include <internal/pycore_interp.h>
#include <internal/pycore_runtime.h>
#endif
#if PY_VERSION_HEX >= 0x030b0000
#include <internal/pycore_frame.h>
#endif
#if PY_VERSION_HEX >= 0x030b0000
#include <internal/pycore_dict.h>
#include <internal/pycore_moduleobject.h>
#endif

#define OFF(name, type, member) printf("%s %ld\n", name, (long)offsetof(type, member))
#define VAL(name, value) printf("%s %ld\n", name, (long)(value))
/* Bit fields have no offsetof: set one bit field in a zeroed thread state and
   see which bit of the 32-bit _status word it lands in. */
#define STATUS_BIT(name, member)                                              \
  do {                                                                        \
    static PyThreadState t;                                                   \
    unsigned int word;                                                        \
    memset(&t, 0, sizeof t);                                                  \
    t._status.member = 1;                                                     \
    memcpy(&word, (char*)&t + offsetof(PyThreadState, _status), sizeof word); \
    VAL(name, __builtin_ctz(word));                                           \
  } while (0)

int main(void) {
  VAL("versionHex", PY_VERSION_HEX);
  OFF("runtimeInterpretersHead", _PyRuntimeState, interpreters.head);
#if PY_VERSION_HEX < 0x030c0000
  OFF("runtimeGilstateTstateCurrent", _PyRuntimeState, gilstate.tstate_current);
#endif
  OFF("interpNext", PyInterpreterState, next);
#if PY_VERSION_HEX < 0x030b0000
  OFF("interpThreadsHead", PyInterpreterState, tstate_head);
#else
  OFF("interpThreadsHead", PyInterpreterState, threads.head);
#endif
#if PY_VERSION_HEX >= 0x030c0000
  OFF("interpCevalGil", PyInterpreterState, ceval.gil);
  OFF("gilLastHolder", struct _gil_runtime_state, last_holder);
  OFF("gilLocked", struct _gil_runtime_state, locked);
#endif
#if PY_VERSION_HEX < 0x03090000
  OFF("runtimeGc", _PyRuntimeState, gc);
#else
  OFF("interpGc", PyInterpreterState, gc);
#endif
  OFF("gcCollecting", struct _gc_runtime_state, collecting);

  VAL("tstateSize", sizeof(PyThreadState));
  OFF("tstateNext", PyThreadState, next);
  OFF("tstateInterp", PyThreadState, interp);
  OFF("tstateThreadId", PyThreadState, thread_id);
#if PY_VERSION_HEX < 0x030b0000
  OFF("tstateFrame", PyThreadState, frame);
#elif PY_VERSION_HEX < 0x030d0000
  OFF("tstateFrame", PyThreadState, cframe);
  OFF("cframeCurrentFrame", _PyCFrame, current_frame);
#else
  OFF("tstateFrame", PyThreadState, current_frame);
#endif
#if PY_VERSION_HEX >= 0x030b0000
  OFF("tstateNativeThreadId", PyThreadState, native_thread_id);
  OFF("tstateDatastackChunk", PyThreadState, datastack_chunk);
  OFF("tstateDatastackTop", PyThreadState, datastack_top);
  OFF("chunkPrevious", _PyStackChunk, previous);
  OFF("chunkSize", _PyStackChunk, size);
  OFF("chunkTop", _PyStackChunk, top);
  OFF("chunkData", _PyStackChunk, data);
#endif
#if PY_VERSION_HEX >= 0x030c0000
  OFF("tstateStatus", PyThreadState, _status);
  STATUS_BIT("statusBoundBit", bound);
  STATUS_BIT("statusUnboundBit", unbound);
  STATUS_BIT("statusFinalizingBit", finalizing);
#endif
#if PY_VERSION_HEX >= 0x030d0000
  STATUS_BIT("statusHoldsGilBit", holds_gil);
#endif

#if PY_VERSION_HEX < 0x030b0000
  VAL("frameSize", sizeof(PyFrameObject));
  OFF("frameBack", PyFrameObject, f_back);
  OFF("frameCode", PyFrameObject, f_code);
  OFF("frameLasti", PyFrameObject, f_lasti);
#if PY_VERSION_HEX < 0x030a0000
  OFF("frameState", PyFrameObject, f_executing);
  VAL("frameStateExecuting", 1);
#else
  OFF("frameState", PyFrameObject, f_state);
  VAL("frameStateExecuting", FRAME_EXECUTING);
  VAL("frameStateUnwinding", FRAME_UNWINDING);
#endif
#else
  VAL("frameSize", offsetof(_PyInterpreterFrame, localsplus));
  OFF("frameBack", _PyInterpreterFrame, previous);
#if PY_VERSION_HEX < 0x030d0000
  OFF("frameCode", _PyInterpreterFrame, f_code);
  OFF("frameInstr", _PyInterpreterFrame, prev_instr);
#else
  OFF("frameCode", _PyInterpreterFrame, f_executable);
  OFF("frameInstr", _PyInterpreterFrame, instr_ptr);
#endif
  OFF("frameOwner", _PyInterpreterFrame, owner);
#if PY_VERSION_HEX < 0x030c0000
  OFF("frameIsEntry", _PyInterpreterFrame, is_entry);
#endif
  VAL("ownedByGenerator", FRAME_OWNED_BY_GENERATOR);
#if PY_VERSION_HEX >= 0x030c0000
  VAL("ownedByCstack", FRAME_OWNED_BY_CSTACK);
#endif
#endif

  VAL("codeSize", sizeof(PyCodeObject));
  OFF("codeFirstLine", PyCodeObject, co_firstlineno);
  OFF("codeFilename", PyCodeObject, co_filename);
  OFF("codeName", PyCodeObject, co_name);
#if PY_VERSION_HEX >= 0x030b0000
  OFF("codeQualname", PyCodeObject, co_qualname);
  OFF("codeLinetable", PyCodeObject, co_linetable);
  OFF("codeAdaptive", PyCodeObject, co_code_adaptive);
  OFF("codeFirstTraceable", PyCodeObject, _co_firsttraceable);
#if PY_VERSION_HEX >= 0x030c0000
  OFF("codeFramesize", PyCodeObject, co_framesize);
#else
  /* 3.11 has no co_framesize: a frame takes these words (_PyFrame_NumSlotsForCodeObject). */
  OFF("codeNlocalsplus", PyCodeObject, co_nlocalsplus);
  OFF("codeStacksize", PyCodeObject, co_stacksize);
  VAL("frameSpecialsWords", FRAME_SPECIALS_SIZE);
#endif
#elif PY_VERSION_HEX >= 0x030a0000
  OFF("codeLinetable", PyCodeObject, co_linetable);
  OFF("codeZombieFrame", PyCodeObject, co_zombieframe);
  OFF("codeFlags", PyCodeObject, co_flags);
  OFF("codeCode", PyCodeObject, co_code);
#else
  OFF("codeZombieFrame", PyCodeObject, co_zombieframe);
  OFF("codeFlags", PyCodeObject, co_flags);
  OFF("codeLinetable", PyCodeObject, co_lnotab);
  OFF("codeCode", PyCodeObject, co_code);
#endif

  OFF("strLength", PyASCIIObject, length);
  OFF("strState", PyASCIIObject, state);
  VAL("strAsciiData", sizeof(PyASCIIObject));
  VAL("strCompactData", sizeof(PyCompactUnicodeObject));
  OFF("strDataPtr", PyUnicodeObject, data);
  OFF("bytesSize", PyVarObject, ob_size);
  OFF("bytesData", PyBytesObject, ob_sval);

  /* For thread names: sys.modules → threading._active → Thread._name. */
#if PY_VERSION_HEX < 0x030c0000
  OFF("interpModules", PyInterpreterState, modules);
#else
  OFF("interpModules", PyInterpreterState, imports.modules);
#endif
#if PY_VERSION_HEX >= 0x030b0000
  OFF("moduleDict", PyModuleObject, md_dict);
  OFF("dictKeys", PyDictObject, ma_keys);
  OFF("dictValues", PyDictObject, ma_values);
  OFF("dkNentries", PyDictKeysObject, dk_nentries);
  OFF("dkIndices", PyDictKeysObject, dk_indices);
#else
  /* PyModuleObject and PyDictKeysObject are private to their .c files before 3.11;
     their (unchanged) layouts: md_dict follows PyObject_HEAD; dk_refcnt, dk_size,
     dk_lookup, dk_usable, dk_nentries, dk_indices are word-sized. */
  VAL("moduleDict", sizeof(PyObject));
  OFF("dictKeys", PyDictObject, ma_keys);
  OFF("dictValues", PyDictObject, ma_values);
  VAL("dkNentries", 32);
  VAL("dkIndices", 40);
#endif
#if PY_VERSION_HEX >= 0x030b0000
  OFF("dkLog2Size", PyDictKeysObject, dk_log2_size);
  OFF("dkLog2IndexBytes", PyDictKeysObject, dk_log2_index_bytes);
  OFF("dkKind", PyDictKeysObject, dk_kind);
  OFF("heapTypeCachedKeys", PyHeapTypeObject, ht_cached_keys);
  VAL("managedDictFlag", Py_TPFLAGS_MANAGED_DICT);
#else
  VAL("dkSize", 8);
#endif
#if PY_VERSION_HEX >= 0x030d0000
  OFF("dictValuesValues", PyDictValues, values);
  OFF("dictValuesValid", PyDictValues, valid);
  VAL("inlineValuesFlag", Py_TPFLAGS_INLINE_VALUES);
#endif
  OFF("typeDictOffset", PyTypeObject, tp_dictoffset);
  OFF("typeBasicSize", PyTypeObject, tp_basicsize);
  OFF("typeFlags", PyTypeObject, tp_flags);
#if PY_VERSION_HEX >= 0x030c0000
  OFF("longDigits", PyLongObject, long_value.ob_digit);
#else
  OFF("longDigits", PyLongObject, ob_digit);
#endif

#if PY_VERSION_HEX >= 0x030d0000
  /* Where each field the reader takes from _Py_DebugOffsets sits inside it. */
#define DBG(name, member) printf("debug.%s %ld\n", name, (long)offsetof(_Py_DebugOffsets, member))
  VAL("debug.size", sizeof(_Py_DebugOffsets));
  DBG("version", version);
  DBG("freeThreaded", free_threaded);
  DBG("runtimeInterpretersHead", runtime_state.interpreters_head);
  DBG("interpNext", interpreter_state.next);
  DBG("interpThreadsHead", interpreter_state.threads_head);
  DBG("interpCevalGil", interpreter_state.ceval_gil);
  DBG("interpGc", interpreter_state.gc);
  DBG("gcCollecting", gc.collecting);
  DBG("tstateSize", thread_state.size);
  DBG("tstateNext", thread_state.next);
  DBG("tstateInterp", thread_state.interp);
  DBG("tstateFrame", thread_state.current_frame);
  DBG("tstateThreadId", thread_state.thread_id);
  DBG("tstateNativeThreadId", thread_state.native_thread_id);
  DBG("tstateDatastackChunk", thread_state.datastack_chunk);
  DBG("tstateStatus", thread_state.status);
  DBG("frameSize", interpreter_frame.localsplus);
  DBG("frameBack", interpreter_frame.previous);
  DBG("frameCode", interpreter_frame.executable);
  DBG("frameInstr", interpreter_frame.instr_ptr);
  DBG("frameOwner", interpreter_frame.owner);
  DBG("codeSize", code_object.size);
  DBG("codeFirstLine", code_object.firstlineno);
  DBG("codeFilename", code_object.filename);
  DBG("codeName", code_object.name);
  DBG("codeQualname", code_object.qualname);
  DBG("codeLinetable", code_object.linetable);
  DBG("codeAdaptive", code_object.co_code_adaptive);
  DBG("strLength", unicode_object.length);
  DBG("strState", unicode_object.state);
  DBG("strAsciiData", unicode_object.asciiobject_size);
  DBG("bytesSize", bytes_object.ob_size);
  DBG("bytesData", bytes_object.ob_sval);
#endif
  return 0;
}

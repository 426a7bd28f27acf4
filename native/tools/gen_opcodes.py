#!/usr/bin/env python3
"""Generates native/python/opcodes_generated.h: per CPython minor version, which instructions can
have a Python callee while they run.

The numbers come from each interpreter's own `dis` module (`_all_opmap` holds the specialised
instructions of 3.11+ with the numbers the adaptive interpreter writes into co_code_adaptive),
never typed by hand. The reader uses them to tell a frame that had already returned from one that
is running (native/python/returned_frames.cc):

- inline: 3.11+ instructions that push a Python frame themselves, so that the callee's frame links
  straight to the caller's (CALL and its Python specialisations, SEND/FOR_ITER into generators,
  __getitem__ and property specialisations, instrumented and executor instructions).
- cacheUnits: the inline cache entries (code units) after each instruction (3.11+): 3.11 and
  3.12 leave a caller's prev_instr on the last of them while its inline call runs.
- returns: instructions a frame is left at when it returns or a generator's frame when it yields
  (RETURN_VALUE, RETURN_CONST, YIELD_VALUE and their instrumented forms): 3.11+ leave a returned
  frame's datastack slot as it was, at one of these.
- noCall: instructions that run no Python code at all (loads, stores of locals, jumps, tuple and
  list building, the int/float/str specialisations...). A caller at one of these has no callee.
  Everything else may call Python code through C (3.8-3.10 always; 3.11+ through an entry frame).

Usage: python3 native/tools/gen_opcodes.py [PYTHON ...]
  default: python3 of every pyenv version. Run it again when a minor version is added, with every
  supported interpreter (3.14/3.15 from scripts/install-cpython.sh's cache), e.g.
  python3 native/tools/gen_opcodes.py ~/.pyenv/versions/3.*/bin/python3 \
      ~/.cache/hotpath/cpython/debian/usr/bin/python3.1[45]
"""
import glob
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "..", "python", "opcodes_generated.h")

# Runs inside each interpreter: its version and every instruction name → number.
PROBE = r"""
import dis, json, sys
names = dict(getattr(dis, "_all_opmap", None) or dis.opmap)
try:
    import _opcode_metadata as m
    names.update(m._specialized_opmap)
except Exception:
    pass
import opcode
base = {}
for family, members in getattr(opcode, "_specializations", {}).items():
    for member in members:
        base[member] = family
entries = getattr(opcode, "_inline_cache_entries", None)
caches = {}
for name in names:
    family = base.get(name, name)
    if name.startswith("INSTRUMENTED_") and name[13:] in names:
        family = name[13:]  # keeps the caches of the instruction it instruments
    if isinstance(entries, dict):
        caches[name] = entries.get(family, 0)
    elif isinstance(entries, list) and dis.opmap.get(family, 256) < len(entries):
        caches[name] = entries[dis.opmap[family]]
print(json.dumps({"minor": sys.version_info[1], "ops": names, "caches": caches}))
"""

INLINE_EXACT = {
    "CALL", "CALL_ADAPTIVE", "CALL_KW", "CALL_FUNCTION_EX", "SEND", "SEND_GEN", "FOR_ITER",
    "FOR_ITER_GEN", "CALL_ALLOC_AND_ENTER_INIT", "CALL_EX_PY", "CALL_KW_PY",
    "BINARY_SUBSCR_GETITEM", "BINARY_OP_SUBSCR_GETITEM", "LOAD_ATTR_PROPERTY",
    "LOAD_ATTR_GETATTRIBUTE_OVERRIDDEN", "ENTER_EXECUTOR", "SEND_ASYNC_GEN",
    # 3.15's iteration over objects with a C-level protocol: not known to stay out of Python, so
    # counted as making calls (a caller waiting there keeps its callee).
    "FOR_ITER_VIRTUAL", "SEND_VIRTUAL",
    # 3.13+: the frame that runs a class's __init__ (CALL_ALLOC_AND_ENTER_INIT) waits here for it.
    "EXIT_INIT_CHECK",
}
INLINE_PATTERNS = [
    r"^(CALL|CALL_KW)_(PY|BOUND_METHOD)(_|$)",  # CALL_PY_EXACT_ARGS, CALL_KW_BOUND_METHOD, ...
    r"^INSTRUMENTED_(CALL|CALL_KW|CALL_FUNCTION_EX|FOR_ITER|LINE|INSTRUCTION|SEND)$",
]

NO_CALL_EXACT = {
    "NOP", "POP_TOP", "COPY", "SWAP", "PUSH_NULL", "BUILD_TUPLE", "BUILD_LIST", "LIST_APPEND",
    "POP_BLOCK", "SETUP_FINALLY", "POP_EXCEPT", "PUSH_EXC_INFO", "LOAD_ASSERTION_ERROR",
    "GEN_START", "IS_OP", "EXTENDED_ARG", "CACHE", "KW_NAMES", "PRECALL", "MAKE_FUNCTION",
    "SET_FUNCTION_ATTRIBUTE", "MAKE_CELL", "COPY_FREE_VARS", "STORE_DEREF", "DELETE_FAST",
    "YIELD_VALUE", "END_FOR", "END_SEND", "POP_ITER", "BUILD_SLICE", "LOAD_BUILD_CLASS",
    "NOT_TAKEN", "RETURN_VALUE", "RETURN_CONST",
}
NO_CALL_PATTERNS = [
    r"^LOAD_(FAST|CONST|SMALL_INT|DEREF|CLOSURE)",
    r"^STORE_FAST",
    r"^(JUMP|POP_JUMP)",
    r"^(ROT_|DUP_TOP)",
    r"^RESUME",
    r"^LOAD_GLOBAL",
    r"^(BINARY_OP|COMPARE_OP)_.*(INT|FLOAT|UNICODE|STR)(_JUMP)?$",
    r"^(BINARY_SUBSCR|BINARY_OP_SUBSCR)_(LIST_INT|TUPLE_INT|STR_INT)$",
    r"^STORE_SUBSCR_LIST_INT$",
    r"^LOAD_ATTR_(INSTANCE_VALUE|MODULE|SLOT|WITH_HINT|CLASS|METHOD_|NONDESCRIPTOR_)",
    r"^LOAD_METHOD_(CLASS|MODULE|NO_DICT|WITH_DICT|WITH_VALUES)$",
    r"^STORE_ATTR_(INSTANCE_VALUE|SLOT|WITH_HINT)$",
    r"^FOR_ITER_(LIST|TUPLE|RANGE)$",
    r"^UNPACK_SEQUENCE_(TWO_TUPLE|TUPLE|LIST)$",
    r"^TO_BOOL_(BOOL|INT|NONE|LIST|STR)$",
]


RETURNS = re.compile(r"^(INSTRUMENTED_)?(RETURN_VALUE|RETURN_CONST|YIELD_VALUE)$")


def matches(name, exact, patterns):
    return name in exact or any(re.search(p, name) for p in patterns)


def bitmap(numbers):
    words = [0, 0, 0, 0]
    for n in numbers:
        if 0 <= n < 256:
            words[n // 64] |= 1 << (n % 64)
    return ", ".join("0x%016xull" % w for w in words)


def default_pythons():
    root = os.path.expanduser(os.environ.get("PYENV_ROOT", "~/.pyenv"))
    return sorted(glob.glob(os.path.join(root, "versions", "3.*", "bin", "python3")))


def main(argv):
    tables = {}
    for python in argv[1:] or default_pythons():
        out = subprocess.run([python, "-I", "-c", PROBE], check=True, capture_output=True, text=True)
        info = json.loads(out.stdout)
        minor, ops = info["minor"], info["ops"]
        if minor < 8:
            continue
        caches = [0] * 256
        for name, count in info["caches"].items():
            if 0 <= ops[name] < 256:
                caches[ops[name]] = count
        inline = sorted(n for name, n in ops.items() if minor >= 11 and matches(name, INLINE_EXACT, INLINE_PATTERNS))
        no_call = sorted(n for name, n in ops.items() if matches(name, NO_CALL_EXACT, NO_CALL_PATTERNS))
        returns = sorted(n for name, n in ops.items() if RETURNS.search(name))
        tables[minor] = (inline, no_call, caches, returns)
        print("3.%d: %d instructions, %d inline calls, %d without calls" % (minor, len(ops), len(inline), len(no_call)))
    lines = [
        "// Generated by native/tools/gen_opcodes.py from each version's own dis module. Do not edit.",
        "#pragma once",
        "",
        '#include "python/opcode_sets.h"',
        "",
        "namespace hotpath {",
        "namespace generated {",
        "",
        "inline bool opcodeSetsFor(int minor, OpcodeSets& out) {",
        "  switch (minor) {",
    ]
    for minor in sorted(tables):
        inline, no_call, caches, returns = tables[minor]
        lines.append("    case %d:" % minor)
        lines.append("      out = OpcodeSets{{%s}," % bitmap(inline))
        lines.append("                       {%s}," % bitmap(no_call))
        lines.append("                       {%s}," % ", ".join(str(c) for c in caches))
        lines.append("                       {%s}};" % bitmap(returns))
        lines.append("      return true;")
    lines += ["    default:", "      return false;", "  }", "}", "", "}  // namespace generated",
              "}  // namespace hotpath", ""]
    with open(OUTPUT, "w") as f:
        f.write("\n".join(lines))
    print("wrote", os.path.relpath(OUTPUT))


if __name__ == "__main__":
    main(sys.argv)

"""Dumps line tables and CPython's own line for every instruction, for reader_selftest.

Run with the interpreter under test: python linetable_dump.py > dump.txt
Every code object of a few large stdlib modules is written as
    code <minor> <firstlineno> <line table as hex>
followed by one "<offset> <line>" per position (-1 = no line), in the unit the reader's decoder
takes: bytes of f_lasti on 3.8/3.9, bytes on 3.10 (2 * f_lasti), code units on 3.11+.
The expected lines come from CPython itself: dis.findlinestarts (3.8/3.9), co_lines() (3.10),
co_positions() (3.11+).
"""
import dis
import importlib
import sys

MODULES = ["argparse", "typing", "threading", "json.decoder", "email.message", "inspect",
           "collections", "asyncio.base_events"]


def codes(code):
    yield code
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            yield from codes(const)


def expected_lines(code):
    minor = sys.version_info[1]
    if minor <= 9:
        starts = list(dis.findlinestarts(code))
        line, out = code.co_firstlineno, []
        for offset in range(0, len(code.co_code), 2):
            for start, start_line in starts:
                if start <= offset:
                    line = start_line
            out.append((offset, line))
        return code.co_lnotab, out
    if minor == 10:
        out = []
        for start, end, line in code.co_lines():
            for offset in range(start, end, 2):
                out.append((offset, -1 if line is None else line))
        return code.co_linetable, out
    out = []
    for unit, (line, _, _, _) in enumerate(code.co_positions()):
        out.append((unit, -1 if line is None else line))
    return code.co_linetable, out


def main():
    minor = sys.version_info[1]
    write = sys.stdout.write
    for name in MODULES:
        module = importlib.import_module(name)
        with open(module.__file__, encoding="utf-8") as f:
            top = compile(f.read(), module.__file__, "exec")
        for code in codes(top):
            table, lines = expected_lines(code)
            write("code %d %d %s\n" % (minor, code.co_firstlineno, table.hex() or "-"))
            for offset, line in lines:
                write("%d %d\n" % (offset, line))


if __name__ == "__main__":
    main()

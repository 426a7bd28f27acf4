#!/usr/bin/env python3
"""Checks dump_stacks against each interpreter's own view of its stacks.

For every interpreter given (default: each pyenv 3.8-3.13, /usr/bin/python3.11 and the 3.14+
from scripts/install-cpython.sh, both layouts), starts
targets/stable_stacks.py, which parks threads in known places and prints what
sys._current_frames() reports, then reads the same process with dump_stacks --json and compares
every parked thread frame by frame (file, name, line, first line), every thread's name
(Thread.name), and that the main thread is found. Exits non-zero on any difference.

Usage: python3 native/tools/compare_stacks.py [--dump PATH] [PYTHON ...]
"""
import glob
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(HERE, "targets", "stable_stacks.py")


def default_pythons():
    found = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.*/bin/python3.[0-9]*")))
    found = [p for p in found if re.search(r"python3\.(\d+)$", p)]
    found = [p for p in found if int(p.rsplit(".", 1)[1]) >= 8]
    if os.path.exists("/usr/bin/python3.11"):
        found.append("/usr/bin/python3.11")
    # 3.14+ from scripts/install-cpython.sh: Debian's static build and the shared-libpython launcher.
    cache = os.environ.get("HOTPATH_PYTHON_CACHE") or os.path.expanduser("~/.cache/hotpath/cpython")
    for layout in ("debian/usr/bin", "shared/bin"):
        found += sorted(glob.glob(os.path.join(cache, layout, "python3.1[4-9]")))
    return found


def check(python, dump):
    target = subprocess.Popen([python, TARGET], stdout=subprocess.PIPE, text=True)
    try:
        own = json.loads(target.stdout.readline())
        out = subprocess.run([dump, str(target.pid), "--json"], capture_output=True, text=True)
        if out.returncode != 0:
            return ["dump_stacks failed: " + out.stderr.strip()]
        seen = json.loads(out.stdout)
    finally:
        target.kill()
        target.wait()
    problems = []
    by_ident = {str(t["ident"]): t for t in seen}
    for ident, frames in own["threads"].items():
        got = by_ident.get(ident)
        if got is None:
            problems.append("thread %s not found" % ident)
            continue
        if got["name"] != own["names"].get(ident):
            problems.append("thread %s: named %r, threading says %r"
                            % (ident, got["name"], own["names"].get(ident)))
        if ident == own["main"]:
            # The main thread has moved on from reporting to sleeping in main().
            names = [f[1] for f in got["frames"]]
            if not got["main"] or names[-2:] != ["main", "<module>"]:
                problems.append("main thread: main=%s frames=%s" % (got["main"], names))
            continue
        expected = [list(f) for f in frames]
        actual = [list(f) for f in got["frames"]]
        if expected != actual:
            for i, (e, a) in enumerate(zip(expected, actual)):
                if e != a:
                    problems.append("thread %s frame %d: expected %s, read %s" % (ident, i, e, a))
                    break
            else:
                problems.append("thread %s: %d frames expected, %d read"
                                % (ident, len(expected), len(actual)))
        if got["main"]:
            problems.append("thread %s wrongly marked main" % ident)
    return problems


def main(argv):
    dump = "/tmp/dump_stacks"
    args = argv[1:]
    if args[:1] == ["--dump"]:
        dump, args = args[1], args[2:]
    failed = False
    for python in args or default_pythons():
        problems = check(python, dump)
        print("%-45s %s" % (python, "ok" if not problems else "FAILED"))
        for p in problems:
            print("    " + p)
        failed = failed or bool(problems)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main(sys.argv)

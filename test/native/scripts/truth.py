"""Ground truth recorded by the target scripts themselves.

Each target calls `wait_until_sampled()` first, times its regions with
`with region(name):`, adds facts with `note(key, value)` and calls `save()` at the end; the test compares the sampled profile to the JSON file
whose path is the script's first argument. Wall-clock times come from
time.perf_counter, on-CPU facts from the thread's own bookkeeping.
"""
import json
import sys
import time

_facts = {"regions": {}, "extra": {}}


class region:
    """Times a `with` block and adds its duration to the named region."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        elapsed = time.perf_counter() - self.start
        _facts["regions"][self.name] = _facts["regions"].get(self.name, 0.0) + elapsed
        return False


def crunch(seconds):
    """Computes for `seconds` of wall time: a hot loop for the sampler to find."""
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        n = (n * 31 + 7) % 1000003
    return n


def wait_until_sampled():
    """Blocks until the test says the sampler is reading this process (a line or
    EOF on stdin), so that the measured regions are sampled from their start."""
    sys.stdin.readline()


def note(key, value):
    _facts["extra"][key] = value


def save():
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(_facts, out, ensure_ascii=False)

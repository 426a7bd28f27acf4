"""Garbage collection set off by two functions, timed by the collector's own callbacks.

A heap of objects in reference cycles is kept alive, so that every full collection has work to
do; `collect_now` calls gc.collect() (a full collection on its line), `make_garbage` allocates
cycles until the collector starts by itself. gc.callbacks time each collection and charge it to
the function the program is in; the profile must show `<GC>` on top of those functions with
shares that match.
"""
import gc
import time

import truth

SECONDS = 2.0
gc_seconds = {"collect_now": 0.0, "make_garbage": 0.0}
current = ["collect_now"]
started = [0.0]


def on_gc(phase, info):
    if phase == "start":
        started[0] = time.perf_counter()
    else:
        gc_seconds[current[0]] += time.perf_counter() - started[0]


class Node:
    def __init__(self):
        self.other = None


def keep_cycles(count):
    kept = []
    for _ in range(count):
        a, b = Node(), Node()
        a.other, b.other = b, a
        kept.append(a)
    return kept


def collect_now():
    current[0] = "collect_now"
    gc.collect()  # collect line


def make_garbage(count):
    current[0] = "make_garbage"
    for _ in range(count):
        a, b = [], []
        a.append(b)
        b.append(a)  # garbage line


def main():
    kept = keep_cycles(40_000)
    gc.callbacks.append(on_gc)
    until = time.perf_counter() + SECONDS
    with truth.region("work"):
        while time.perf_counter() < until:
            collect_now()
            make_garbage(60_000)
    gc.callbacks.remove(on_gc)
    truth.note("gc", gc_seconds)
    truth.note("kept", len(kept))


if __name__ == "__main__":
    truth.wait_until_sampled()
    main()
    truth.save()

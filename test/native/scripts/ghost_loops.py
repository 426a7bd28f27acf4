"""Short calls in loops: the shapes where a stack read while a call returns shows the callee under
the caller's next line ("a frame that had already returned").

Every line that calls a function of this file says so with a `# calls: NAME, ...` comment (the
last part of the function's name); a sample with a function of this file under a line of this file
that does not list it is a stack that never existed. The test reads the comments from this file.

Usage: ghost_loops.py TRUTH.json SECONDS   (SECONDS per shape)
Records, for the `share` shape, the time spent inside `worker()` (as it measures itself), so that
the test knows what share of that shape's samples `worker` should have.
"""
import sys
import time

import truth


def callee():
    x = 0
    return x


def caller(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        callee()  # calls: callee
        t = sum([3] * 300)
    return t


class Counter:
    def __init__(self):
        self.n = 1

    def method(self):
        return self.n


def method_caller(seconds):
    counter = Counter()  # calls: __init__
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        counter.method()  # calls: method
        t = sum([3] * 300)
    return t


def numbers(n):
    for i in range(n):
        yield i


def generator_caller(seconds):
    end = time.perf_counter() + seconds
    t = 0
    while time.perf_counter() < end:
        for v in numbers(3):  # calls: numbers
            t = sum([v] * 100)
    return t


def comprehension_caller(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        xs = [callee() for _ in range(3)]  # calls: callee, <listcomp>
        t = sum([3] * 300) + len(xs)
    return t


# Seconds spent inside worker(), as worker() itself measures them.
worker_seconds = [0.0]


def worker():
    start = time.perf_counter()
    total = 0
    for i in range(40):
        total += i
    worker_seconds[0] += time.perf_counter() - start
    return total


def share_caller(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        worker()  # calls: worker
        t = sum([3] * 100)
    return t


def main():
    seconds = float(sys.argv[2])
    truth.wait_until_sampled()
    with truth.region("caller"):
        caller(seconds)  # calls: caller
    with truth.region("method_caller"):
        method_caller(seconds)  # calls: method_caller
    with truth.region("generator_caller"):
        generator_caller(seconds)  # calls: generator_caller
    with truth.region("comprehension_caller"):
        comprehension_caller(seconds)  # calls: comprehension_caller
    with truth.region("share_caller"):
        share_caller(seconds)  # calls: share_caller
    truth.note("workerSeconds", worker_seconds[0])
    truth.save()


main()  # calls: main

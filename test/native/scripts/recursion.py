"""Recursion 1,000 frames deep, busy at the bottom."""
import sys
import time

import truth

DEPTH = 1000


def descend(depth, seconds):
    if depth > 1:
        return descend(depth - 1, seconds)
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        n = (n * 31 + 7) % 1000003
    return n


if __name__ == "__main__":
    truth.wait_until_sampled()
    sys.setrecursionlimit(DEPTH + 500)
    with truth.region("descend"):
        descend(DEPTH, 0.6)
    truth.note("depth", DEPTH)
    truth.save()

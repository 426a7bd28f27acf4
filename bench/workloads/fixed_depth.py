"""One thread, busy at a fixed Python stack depth, for measuring a sampler.

`fixed_depth.py DEPTH SECONDS`: recurses until the stack holds DEPTH Python
frames (the module frame counts as one) and then computes at the bottom for
SECONDS of wall time, so every sample reads the same number of frames.
"""

import os
import sys
import time

# sys.argv[0], not __file__: `python -m yappi` runs the script with its own globals.
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
from benchreport import Measured  # noqa: E402


def spin(seconds):
    deadline = time.perf_counter() + seconds
    total = 0
    while time.perf_counter() < deadline:
        for i in range(1000):
            total += i * i
    return total


def descend(remaining, seconds):
    if remaining <= 0:
        return spin(seconds)
    return descend(remaining - 1, seconds)


if __name__ == "__main__":
    depth = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
    # Frames: <module> + descend × (depth - 2) + spin == depth (descend(k) makes k + 1).
    with Measured("fixed_depth"):
        descend(depth - 3, seconds)

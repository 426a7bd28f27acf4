"""Two busy functions in a known proportion, for agreement with ground truth.

alpha runs 20 ms, then beta 10 ms, over and over for SECONDS; each measures its own time with
perf_counter. At the end the time spent in each is written as JSON to TRUTH_FILE, so a profile of
this run can be held against it: the share of the stacks in alpha should be alpha's share of the
time (about two thirds).

Usage: shares.py SECONDS TRUTH_FILE
"""

import json
import sys
import time


def spin(seconds):
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        for i in range(40):
            n = (n * 31 + i) % 1000003
    return n


def alpha(seconds):
    return spin(seconds)


def beta(seconds):
    return spin(seconds)


def main():
    seconds, truth_file = float(sys.argv[1]), sys.argv[2]
    spent = {"alpha": 0.0, "beta": 0.0}
    stop = time.perf_counter() + seconds
    while time.perf_counter() < stop:
        for name, fn, length in (("alpha", alpha, 0.02), ("beta", beta, 0.01)):
            t0 = time.perf_counter()
            fn(length)
            spent[name] += time.perf_counter() - t0
    with open(truth_file, "w") as f:
        json.dump(spent, f)


if __name__ == "__main__":
    main()

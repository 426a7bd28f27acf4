"""Two busy functions with known durations; each has one dominant line (marked HOT).

They alternate (30 ms of alpha, 15 ms of beta, 20 times) and every slice is
recorded with its wall-clock start and end, so the test can check each sample
against what the program was doing at that instant, which stays exact even on
a loaded machine where overall shares scatter.
"""
import time

import truth


def alpha(seconds):
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        for i in range(50):
            n = ((n * 31 + i) ^ (n >> 3)) % 1000003 + (i * 7) % 13 - (n & 255) + (i | 5) * 3  # HOT alpha
    return n


def beta(seconds):
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        for i in range(50):
            n = ((n * 17 + i) ^ (n >> 2)) % 999983 + (i * 5) % 11 - (n & 127) + (i | 3) * 7  # HOT beta
    return n


def main():
    slices = []
    with truth.region("main"):
        for _ in range(20):
            t0 = time.time()
            with truth.region("alpha"):
                alpha(0.03)
            t1 = time.time()
            with truth.region("beta"):
                beta(0.015)
            t2 = time.time()
            slices.append(["alpha", t0, t1])
            slices.append(["beta", t1, t2])
    truth.note("slices", slices)


if __name__ == "__main__":
    truth.wait_until_sampled()
    main()
    truth.save()

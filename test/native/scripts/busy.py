"""Two busy functions with known durations; each has one dominant line (marked HOT).

They alternate in short slices (4 ms of alpha, 2 ms of beta, 150 times), so a
stretch where a loaded machine starves the sampler or the program costs both
alike and the shares stay comparable with what the script measured.
"""
import time

import truth


def alpha(seconds):
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        for i in range(20):
            n = ((n * 31 + i) ^ (n >> 3)) % 1000003 + (i * 7) % 13 - (n & 255) + (i | 5) * 3  # HOT alpha
    return n


def beta(seconds):
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        for i in range(20):
            n = ((n * 17 + i) ^ (n >> 2)) % 999983 + (i * 5) % 11 - (n & 127) + (i | 3) * 7  # HOT beta
    return n


def main():
    with truth.region("main"):
        for _ in range(150):
            with truth.region("alpha"):
                alpha(0.004)
            with truth.region("beta"):
                beta(0.002)


if __name__ == "__main__":
    main()
    truth.save()

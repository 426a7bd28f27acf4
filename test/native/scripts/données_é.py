"""Non-ASCII file and function names."""
import time

import truth


def 計算(seconds):
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        n = (n * 31 + 7) % 1000003
    return n


if __name__ == "__main__":
    truth.wait_until_sampled()
    with truth.region("計算"):
        計算(0.5)
    truth.save()

"""Busy work shared by the fault and load targets: a loop that stays on the CPU in Python code."""
import time


def spin(seconds):
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        n = (n * 31 + 7) % 1000003
    return n

"""Code under test: each function keeps the CPU busy for a while on one marked line."""
import time


def spin(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:  # SPIN
        pass


def total_weight(items):
    spin(0.25)
    return sum(weight for _, weight in items)


def heaviest(items):
    spin(0.15)
    return max(items, key=lambda item: item[1])[0]

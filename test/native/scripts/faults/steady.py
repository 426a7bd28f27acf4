"""`steady.py WARMUP_S STEADY_S`: the same small call tree for WARMUP_S seconds, then prints
STEADY-START, keeps it up for STEADY_S seconds and prints STEADY-END. After the warm-up every
stack and line has been seen, so a profiler's memory should only grow by the samples."""
import sys
import time


def leaf_a(n):
    return (n * 31 + 7) % 1000003


def leaf_b(n):
    return (n * 17 + 3) % 999983


def middle(n):
    return leaf_a(n) + leaf_b(n)


def run_for(seconds):
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        n = middle(n) + leaf_a(n)
    return n


def warm_up(seconds):
    run_for(seconds)


def steady(seconds):
    run_for(seconds)


warm_up(float(sys.argv[1]))
sys.stdout.write("STEADY-START\n")
sys.stdout.flush()
steady(float(sys.argv[2]))
sys.stdout.write("STEADY-END\n")
sys.stdout.flush()

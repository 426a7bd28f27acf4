"""A single busy thread whose stack is DEPTH frames deep (default 30): the cost-per-sample workload.

Usage: python busy_depth.py [DEPTH]   (prints its pid, then spins until killed)
"""
import os
import sys


def spin():
    total = 0
    while True:
        for i in range(1000):
            total += i * i
        total %= 1000003


def descend(n):
    if n <= 0:
        spin()
    else:
        descend(n - 1)


if __name__ == "__main__":
    depth = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    print(os.getpid(), flush=True)
    # <module> and spin() are two of the frames.
    descend(depth - 3)

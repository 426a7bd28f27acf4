"""Call-heavy pure Python: many small functions and methods, and recursion.

The worst case for a deterministic profiler (every call and return is an
event) and the case a sampler should not notice at all.
"""

import os
import sys

# sys.argv[0], not __file__: `python -m yappi` runs the script with its own globals.
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
from benchreport import Units  # noqa: E402


class Vector:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def add(self, other):
        return Vector(self.x + other.x, self.y + other.y)

    def scale(self, k):
        return Vector(self.x * k, self.y * k)

    def dot(self, other):
        return self.x * other.x + self.y * other.y


def clamp(value, low, high):
    return low if value < low else high if value > high else value


def is_even(n):
    return n % 2 == 0


def step(n):
    return n // 2 if is_even(n) else 3 * n + 1


def collatz_length(n):
    length = 1
    while n != 1:
        n = step(n)
        length += 1
    return length


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def walk(v, steps):
    total = 0.0
    d = Vector(1, -1)
    for i in range(steps):
        v = v.add(d.scale(clamp(i % 7, 1, 5)))
        total += v.dot(d)
    return total


def one_round(r):
    checksum = fib(16)
    checksum += sum(collatz_length(n) for n in range(1, 120))
    checksum += int(walk(Vector(r, r), 300))
    return checksum


if __name__ == "__main__":
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    Units("callheavy", rounds).run(one_round)

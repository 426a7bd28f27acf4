"""Deep stacks: work done 100 to 300 frames below the entry point.

Each descent picks a depth, recurses through a few alternating functions
(so frames differ, as in real layered code) and does a little work at every
level and more at the bottom. Stresses the per-frame cost of a sampler.
"""

import os
import sys

# sys.argv[0], not __file__: `python -m yappi` runs the script with its own globals.
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
from benchreport import Units  # noqa: E402


def leaf_work(seed):
    total = seed
    for i in range(400):
        total = (total * 31 + i) % 1000003
    return total


def layer_a(depth, seed):
    if depth == 0:
        return leaf_work(seed)
    return layer_b(depth - 1, seed + 1) + 1


def layer_b(depth, seed):
    if depth == 0:
        return leaf_work(seed)
    return layer_c(depth - 1, seed * 3 % 97) + 2


def layer_c(depth, seed):
    if depth == 0:
        return leaf_work(seed)
    value = seed
    for i in range(5):
        value ^= i
    return layer_a(depth - 1, value)


def descent(i):
    depth = 100 + (i * 37) % 201  # 100..300 frames
    return layer_a(depth, i)


if __name__ == "__main__":
    descents = int(sys.argv[1]) if len(sys.argv) > 1 else 25000
    Units("deepstack", descents).run(descent)

"""Deep stacks that are rebuilt all the time: descents 100 to 300 frames deep
with a short stay at the bottom, so a sampler mostly meets stacks growing or
shrinking. A sampler that reads a stack over a long time (a system call per
frame) succeeds more often on shallow stacks and reports them too often.

Truth: the time-weighted mean stack depth, from timestamps of each descent.
Depth grows at a steady pace on the way down and shrinks at a steady pace
on the way up (every level does the same small amount of work), so it
averages base + (d + 1) / 2 while moving and base + d + 2 at the bottom
(d + 1 layers and leaf). The work() frame on top while moving is left out:
one frame, under 1% of these depths.
"""
import sys
import time

import truth

DESCENTS = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
# Iterations of work on each level, on the way down and on the way up.
LEVEL_WORK = int(sys.argv[3]) if len(sys.argv) > 3 else 10
clock = time.perf_counter


def leaf(seed, marks):
    marks.append(clock())
    total = seed
    for i in range(300):
        total = (total * 31 + i) % 1000003
    marks.append(clock())
    return total


def work(seed):
    for i in range(LEVEL_WORK):
        seed = (seed * 7 + i) % 1009
    return seed


def layer_a(depth, seed, marks):
    if depth == 0:
        return leaf(seed, marks)
    return layer_b(depth - 1, work(seed + 1), marks) + work(1)


def layer_b(depth, seed, marks):
    if depth == 0:
        return leaf(seed, marks)
    return layer_c(depth - 1, work(seed * 3), marks) + work(2)


def layer_c(depth, seed, marks):
    if depth == 0:
        return leaf(seed, marks)
    return layer_a(depth - 1, work(seed ^ 5), marks) + work(3)


def descents():
    # Frames below layer_a: <module>, descents. layer_a(d) makes d + 1
    # frames of layers, leaf one more.
    base = 2
    weighted = 0.0
    total = 0.0
    marks = []
    for i in range(DESCENTS):
        depth = 100 + (i * 37) % 201
        start = clock()
        layer_a(depth, i, marks)
        end = clock()
        bottom_start, bottom_end = marks[-2], marks[-1]
        moving = (bottom_start - start) + (end - bottom_end)
        weighted += moving * (base + (depth + 1) / 2) + (bottom_end - bottom_start) * (
            base + depth + 2
        )
        total += end - start
    truth.note("meanDepth", weighted / total)


if __name__ == "__main__":
    truth.wait_until_sampled()
    sys.setrecursionlimit(1000)
    with truth.region("descents"):
        descents()
    truth.save()

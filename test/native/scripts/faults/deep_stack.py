"""`deep_stack.py DEPTH`: recurses DEPTH calls deep, then works at the bottom."""
import sys

from spin import spin

DEPTH = int(sys.argv[1])
sys.setrecursionlimit(DEPTH + 1000)


def descend(n):
    if n == 0:
        return at_the_bottom()
    return descend(n - 1)


def at_the_bottom():
    spin(0.5)


descend(DEPTH)

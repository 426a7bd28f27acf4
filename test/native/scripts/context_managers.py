"""Enters and leaves a generator-based context manager in a tight loop (contextlib)."""
import contextlib
@contextlib.contextmanager
def ctx():
    yield 1
def work():
    s = 0
    for i in range(2000000):
        with ctx() as v:
            s += v
    return s
work()

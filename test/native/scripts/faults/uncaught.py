"""Busy for a while, then an exception nobody catches: traceback on stderr, exit status 1."""
from spin import spin


def failing_work():
    spin(0.4)
    raise RuntimeError("uncaught on purpose")


failing_work()

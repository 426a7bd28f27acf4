"""`fork_orphan.py PIDFILE`: the parent works, forks a child that outlives it, writes the child's
pid to PIDFILE and exits 0. The child idles until killed (at most 120 s, so a failed test
leaks nothing for long)."""
import os
import sys
import time

from spin import spin


def parent_work():
    spin(0.3)


def orphan_life():
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.1)
    os._exit(0)


parent_work()
child = os.fork()
if child == 0:
    orphan_life()
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d\n" % child)
os.rename(sys.argv[1] + ".tmp", sys.argv[1])  # the test never reads a half-written file
parent_work()

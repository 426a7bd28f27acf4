"""`daemonize.py PIDFILE`: the classic double fork. The daemon (grandchild) starts its own
session, detaches its stdio and idles until killed (at most 120 s); the parent learns the
daemon's pid through a pipe, writes it to PIDFILE and exits 0."""
import os
import sys
import time

from spin import spin


def parent_work():
    spin(0.3)


def daemon_life(report):
    os.chdir("/")
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.write(report, b"%d\n" % os.getpid())
    os.close(report)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.1)
    os._exit(0)


parent_work()
read_end, write_end = os.pipe()
first = os.fork()
if first == 0:
    os.close(read_end)
    os.setsid()
    if os.fork() > 0:
        os._exit(0)  # the intermediate child: the daemon is re-parented away from us
    daemon_life(write_end)
os.close(write_end)
os.waitpid(first, 0)
daemon = b""
while not daemon.endswith(b"\n"):
    chunk = os.read(read_end, 64)
    if not chunk:
        sys.exit("the daemon did not report its pid")
    daemon += chunk
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(daemon.decode())
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
parent_work()

"""Ignores SIGINT and SIGTERM and stays busy: only SIGKILL ends it."""
import signal
import sys


def spin():
    n = 0
    while True:
        n = (n * 31 + 7) % 1000003


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    spin()

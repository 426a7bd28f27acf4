"""Busy until killed; says READY on stdout once it is in its busy loop."""
import sys


def spin_forever():
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    n = 0
    while True:
        n = (n * 31 + 7) % 1000003


if __name__ == "__main__":
    spin_forever()

"""Busy until killed; says READY on stdout once it has been busy for a while."""
import sys
import time


def spin_forever():
    ready_at = time.perf_counter() + 0.3
    announced = False
    n = 0
    while True:
        n = (n * 31 + 7) % 1000003
        if not announced and time.perf_counter() > ready_at:
            sys.stdout.write("READY\n")
            sys.stdout.flush()
            announced = True


if __name__ == "__main__":
    spin_forever()

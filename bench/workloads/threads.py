"""Four threads mixing CPU work with sleeps and blocking waits.

A producer computes items and hands them over a queue, a consumer blocks on
that queue and works on what it gets, a ticker alternates work with short
sleeps, and a waiter blocks on an event the producer sets now and then. Every
thread does a fixed amount of work, so runs compare.
"""

import os
import queue
import sys
import threading
import time

# sys.argv[0], not __file__: `python -m yappi` runs the script with its own globals.
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
from benchreport import Measured  # noqa: E402


def crunch(n):
    total = 0
    for i in range(n):
        total += (i * i) % 7
    return total


def producer(items, out, wake):
    for i in range(items):
        out.put(crunch(20000))
        if i % 10 == 0:
            wake.set()
    out.put(None)
    wake.set()


def consumer(inbox):
    while True:
        item = inbox.get()
        if item is None:
            return
        crunch(15000 + item % 100)


def ticker(rounds):
    for _ in range(rounds):
        crunch(5000)
        time.sleep(0.002)


def waiter(wake, done):
    while not done.is_set():
        if wake.wait(timeout=0.05):
            wake.clear()
            crunch(50000)


def main(scale):
    handoff = queue.Queue(maxsize=8)
    wake = threading.Event()
    done = threading.Event()
    threads = [
        threading.Thread(target=producer, args=(400 * scale, handoff, wake), name="producer"),
        threading.Thread(target=consumer, args=(handoff,), name="consumer"),
        threading.Thread(target=ticker, args=(400 * scale,), name="ticker"),
        threading.Thread(target=waiter, args=(wake, done), name="waiter"),
    ]
    for t in threads:
        t.start()
    for t in threads[:3]:
        t.join()
    done.set()
    threads[3].join()


if __name__ == "__main__":
    scale = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    with Measured("threads"):
        main(scale)

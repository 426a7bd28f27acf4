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
from benchreport import PHASES_ENV, Measured, Units  # noqa: E402


def crunch(n):
    total = 0
    for i in range(n):
        total += (i * i) % 7
    return total


def producer(units, out, wake, stop):
    i = 0
    while units.more(i):
        out.put(crunch(20000))
        if i % 10 == 0:
            wake.set()
        i += 1
    stop.set()
    out.put(None)
    wake.set()


def consumer(inbox):
    while True:
        item = inbox.get()
        if item is None:
            return
        crunch(15000 + item % 100)


def ticker(rounds, stop):
    # Phased (rounds is None), it ticks until the producer is done.
    done = 0
    while (done < rounds) if rounds is not None else not stop.is_set():
        crunch(5000)
        time.sleep(0.002)
        done += 1


def waiter(wake, done):
    while not done.is_set():
        if wake.wait(timeout=0.05):
            wake.clear()
            crunch(50000)


def main(scale):
    # The producer's items are the units: the consumer takes them as fast as
    # it works (the queue holds 8), so they measure the whole program's pace.
    units = Units("threads", 400 * scale)
    handoff = queue.Queue(maxsize=8)
    wake = threading.Event()
    stop = threading.Event()
    done = threading.Event()
    threads = [
        threading.Thread(target=producer, args=(units, handoff, wake, stop), name="producer"),
        threading.Thread(target=consumer, args=(handoff,), name="consumer"),
        threading.Thread(
            target=ticker, args=(None if units.phased else 400 * scale, stop), name="ticker"
        ),
        threading.Thread(target=waiter, args=(wake, done), name="waiter"),
    ]
    units.start()
    for t in threads:
        t.start()
    for t in threads[:3]:
        t.join()
    done.set()
    threads[3].join()
    units.finish()


if __name__ == "__main__":
    scale = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    if os.environ.get(PHASES_ENV):
        main(scale)
    else:
        with Measured("threads"):
            main(scale)

"""Threads that want the GIL in different measures, and one that never does.

`steady` runs a pure-Python loop the whole time; `halftime` runs the same loop in bursts with
sleeps between them; `quarter` in shorter bursts; `sleeper` sleeps throughout; the main thread
waits in join(). Pure-Python code runs only while its thread holds the GIL, so each thread's CPU
time (time.thread_time, its own count) is the time it held the GIL: GIL-mode shares must follow
them, and the sleeper and the main thread must get none.
"""
import threading
import time

import truth

SECONDS = 2.0


def spin(until):
    n = 0
    while time.perf_counter() < until:
        n = (n * 31 + 7) % 1000003
    return n


def steady(until, cpu):
    start = time.thread_time()
    spin(until)
    cpu["steady"] = time.thread_time() - start


def bursts(name, busy, rest, until, cpu):
    start = time.thread_time()
    while time.perf_counter() < until:
        spin(min(until, time.perf_counter() + busy))
        time.sleep(rest)
    cpu[name] = time.thread_time() - start


def sleeper(until, cpu):
    start = time.thread_time()
    while time.perf_counter() < until:
        time.sleep(0.05)
    cpu["sleeper"] = time.thread_time() - start


def main():
    cpu = {}
    until = time.perf_counter() + SECONDS
    threads = [
        threading.Thread(target=steady, args=(until, cpu), name="steady"),
        threading.Thread(target=bursts, args=("halftime", 0.02, 0.02, until, cpu), name="halftime"),
        threading.Thread(target=bursts, args=("quarter", 0.01, 0.03, until, cpu), name="quarter"),
        threading.Thread(target=sleeper, args=(until, cpu), name="sleeper"),
    ]
    with truth.region("threads"):
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    truth.note("cpu", cpu)


if __name__ == "__main__":
    truth.wait_until_sampled()
    main()
    truth.save()

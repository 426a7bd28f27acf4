"""Threads of pure-Python work that make garbage in reference cycles, for the GIL and GC bench:
the threads hand the GIL to each other and the collector runs often.

    gil_gc.py [ROUNDS [THREADS]]

With ROUNDS it does that much work in each of THREADS threads (default 3) and prints how long it
took on stdout (seconds of wall-clock and of the process's CPU time); without, it runs until it is killed (a target to sample).
"""
import sys
import threading
import time


def work(rounds):
    for _ in range(rounds):
        a, b = [], []
        a.append(b)
        b.append(a)
        n = 0
        for i in range(200):
            n += i * i % 7


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    start = time.perf_counter()
    cpu = time.process_time()
    while True:
        threads = [threading.Thread(target=work, args=(rounds or 20000,)) for _ in range(count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if rounds:
            break
    print(f"{time.perf_counter() - start:.4f} {time.process_time() - cpu:.4f}", flush=True)


if __name__ == "__main__":
    main()

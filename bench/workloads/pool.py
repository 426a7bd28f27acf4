"""A pool of N busy workers (argv[1], fork start method): each of 2N tasks does a fixed amount of
pure-Python work. Prints the wall-clock seconds the pool took, the unit the bench compares."""
import multiprocessing
import sys
import time


def work(n):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def main(workers):
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        start = time.perf_counter()
        pool.map(work, [2_000_000] * (2 * workers))
        print(time.perf_counter() - start)


if __name__ == "__main__":
    main(int(sys.argv[1]))

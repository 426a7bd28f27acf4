"""Finds the longest Collatz chains in a multiprocessing Pool: the work happens in the worker
processes, which Hotpath follows too (the parent only waits in pool.map)."""
import multiprocessing


def chain_length(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def longest_in(block):
    start, stop = block
    return max(range(start, stop), key=chain_length)


def main():
    blocks = [(start, start + 25_000) for start in range(1, 200_001, 25_000)]
    with multiprocessing.Pool(2) as pool:
        winners = pool.map(longest_in, blocks)
    best = max(winners, key=chain_length)
    print(f"{best} has the longest chain below 200,000: {chain_length(best)} steps")


if __name__ == "__main__":
    main()

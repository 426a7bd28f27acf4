"""Finds every prime below a limit twice: by trial division and with a sieve.

Both give the same answer; the profile shows where the time goes. Trial division
tests each candidate against every smaller odd number up to its square root,
so its inner loop is the hot line. The sieve crosses off multiples once.
"""

import math

LIMIT = 1_000_000


def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    for divisor in range(3, math.isqrt(n) + 1, 2):
        if n % divisor == 0:  # runs millions of times: the hot line
            return False
    return True


def primes_by_trial_division(limit):
    return [n for n in range(limit) if is_prime(n)]


def primes_by_sieve(limit):
    is_composite = bytearray(limit)
    primes = []
    for n in range(2, limit):
        if not is_composite[n]:
            primes.append(n)
            is_composite[n * n :: n] = b"\x01" * len(range(n * n, limit, n))
    return primes


def main():
    slow = primes_by_trial_division(LIMIT)
    fast = primes_by_sieve(LIMIT)
    assert slow == fast, "the two methods disagree"
    print(f"{len(fast)} primes below {LIMIT}; the largest is {fast[-1]}")


if __name__ == "__main__":
    main()

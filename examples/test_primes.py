"""Tests of primes.py, to profile one test at a time (needs pytest: `pip install pytest`).

Each test has a "Profile test" CodeLens above it: the time lands in the test and in the code it
tests, where trial division's inner loop is hot again.
"""

import pytest

from primes import is_prime, primes_by_sieve, primes_by_trial_division


@pytest.fixture
def small_primes():
    return [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]


@pytest.mark.parametrize("limit", [200_000, 400_000])
def test_both_methods_agree(limit):
    assert primes_by_trial_division(limit) == primes_by_sieve(limit)


class TestIsPrime:
    def test_small_primes(self, small_primes):
        assert [n for n in range(30) if is_prime(n)] == small_primes

    def test_large_prime(self):
        assert is_prime(1_000_000_007)

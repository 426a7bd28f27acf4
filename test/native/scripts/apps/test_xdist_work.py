"""Tests that pytest-xdist spreads over its worker processes; each measures itself as a
family.py child does, into $HOTPATH_TRUTH_DIR.

    python -m pytest -n 2 -p no:cacheprovider test_xdist_work.py   (from this folder)
"""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import family  # noqa: E402


@pytest.mark.parametrize("case", range(4))
def test_work(case):
    assert family.child_main(os.environ["HOTPATH_TRUTH_DIR"]) == os.getpid()

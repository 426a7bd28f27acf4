"""One of two programs profiled at the same time (see parallel_beta.py)."""
from spin import spin


def alpha_work():
    spin(0.6)


alpha_work()

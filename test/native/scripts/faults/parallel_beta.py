"""One of two programs profiled at the same time (see parallel_alpha.py)."""
from spin import spin


def beta_work():
    spin(0.6)


beta_work()

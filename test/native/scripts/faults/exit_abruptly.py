"""Busy for a while, then os._exit(3): no atexit handlers, no flush, no interpreter finalisation."""
import os

from spin import spin


def before_exit():
    spin(0.4)


before_exit()
os._exit(3)

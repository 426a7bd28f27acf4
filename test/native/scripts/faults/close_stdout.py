"""Works, closes its stdout (file descriptor 1 included), then keeps working and exits 0."""
import sys

from spin import spin


def before_close():
    spin(0.2)


def after_close():
    spin(0.3)


before_close()
sys.stdout.write("closing stdout\n")
sys.stdout.close()  # closes fd 1 too: the interpreter owns it
after_close()

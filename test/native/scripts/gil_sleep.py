"""Sleeps twice in the main thread: once holding the GIL, once releasing it.

`holding` sleeps in a C call made through ctypes.PyDLL, which keeps the GIL; `releasing` sleeps in
time.sleep, which lets it go. The sampler counts the GIL holder as on-CPU without asking the
kernel and any other thread as the kernel says (sleeping: off-CPU), so the first sleep shows
on-CPU and the second off-CPU only if the reader finds the GIL holder where this build of CPython
keeps it (before 3.12 an offset into _PyRuntimeState that differs between architectures).
"""
import ctypes
import time

import truth

LIBC = ctypes.PyDLL(None)


def holding(seconds):
    LIBC.usleep(int(seconds * 1e6))


def releasing(seconds):
    time.sleep(seconds)


def main():
    with truth.region("holding"):
        holding(0.6)
    with truth.region("releasing"):
        releasing(0.6)


if __name__ == "__main__":
    truth.wait_until_sampled()
    main()
    truth.save()

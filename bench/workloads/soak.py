"""`soak.py SECONDS`: a long run that keeps changing what the sampler sees, so that anything the
sampler caches or keeps per thread, per code object or per stack would grow if it leaked:

- a steady call tree (the bulk of the samples),
- new code objects every second (exec'd sources that are then dropped),
- generator-based context managers in a tight loop (stacks that change within microseconds),
- short-lived threads started and joined every second (thread states created and freed).

Prints SOAK-START when it begins and SOAK-END when it is done."""
import contextlib
import sys
import threading
import time


def leaf(n):
    return (n * 31 + 7) % 1000003


def middle(n):
    return leaf(n) + leaf(n + 1)


@contextlib.contextmanager
def scope():
    yield 1


def with_scopes(count):
    total = 0
    for _ in range(count):
        with scope() as one:
            total += one
    return total


def fresh_code(serial):
    source = "def generated_%d(n):\n    return sum(range(n))\n" % serial
    namespace = {}
    exec(compile(source, "<soak-%d>" % serial, "exec"), namespace)
    return namespace["generated_%d" % serial](2000)


def busy_for(seconds):
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n = middle(n)
    return n


def short_lived_thread(serial):
    # Long enough to be sampled (about 20 samples at 1 kHz), so every second adds a thread.
    worker = threading.Thread(target=busy_for, args=(0.02,), name="short-%d" % serial)
    worker.start()
    worker.join()


def soak(seconds):
    end = time.monotonic() + seconds
    next_second = time.monotonic()
    serial = 0
    n = 0
    while time.monotonic() < end:
        n = middle(n)
        if n % 7 == 0:
            with_scopes(50)
        if time.monotonic() >= next_second:
            serial += 1
            next_second += 1.0
            fresh_code(serial)
            short_lived_thread(serial)
    return serial


sys.stdout.write("SOAK-START\n")
sys.stdout.flush()
soak(float(sys.argv[1]))
sys.stdout.write("SOAK-END\n")
sys.stdout.flush()

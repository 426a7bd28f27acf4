"""Target of the CLI export-format tests: the main thread spins in `spin`, a thread named
"waiter" sleeps; prints what the profile must say as one JSON line on stdout
(pid, each thread's native id, the lines of `spin`)."""
import inspect
import json
import os
import threading
import time


def spin(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        total = 0
        for i in range(2000):
            total += i * i


def wait(ready, tids):
    tids["waiter"] = threading.get_native_id()
    ready.set()
    time.sleep(0.4)


def main():
    ready = threading.Event()
    tids = {"MainThread": threading.get_native_id()}
    waiter = threading.Thread(target=wait, args=(ready, tids), name="waiter")
    waiter.start()
    ready.wait()
    spin(0.3)
    waiter.join()
    lines, first = inspect.getsourcelines(spin)
    print(json.dumps({"pid": os.getpid(), "tids": tids, "spin": [first, first + len(lines) - 1]}))


main()

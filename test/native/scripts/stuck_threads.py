"""A program whose threads stand still at known lines, for `hotpath dump`.

Threads: "event-waiter" blocked in Event.wait(), "sleeper" in time.sleep(),
"spinner" in a busy loop, and the main thread in signal.pause(). Once each
waiting thread is blocked in the kernel (its /proc state has been "S" on
three looks in a row, the main thread letting go of the GIL in between) it
prints one JSON line of ground truth and READY: per thread its native id, the
function, and the lines it can be at. It runs until it is killed.
"""
import json
import signal
import sys
import threading
import time

EVENT = threading.Event()
arrived = {}


def here():
    """The line after the caller's: where the caller is about to block."""
    return sys._getframe(1).f_lineno + 1


def record(name, function, lines):
    arrived[name] = {"tid": threading.get_native_id(), "function": function, "lines": lines}


def wait_for_event():
    record("event-waiter", "wait_for_event", [here()])
    EVENT.wait()


def sleep_long():
    record("sleeper", "sleep_long", [here()])
    time.sleep(3600)


def spin():
    n = 0
    first = here()
    while True:
        n += 1
        if n == 1:
            record("spinner", "spin", [first, first + 1, first + 2, first + 3])


def kernel_state(tid):
    with open("/proc/self/task/%d/stat" % tid) as f:
        stat = f.read()
    return stat[stat.rindex(")") + 2]


def main():
    for name, target in (("event-waiter", wait_for_event), ("sleeper", sleep_long), ("spinner", spin)):
        threading.Thread(target=target, name=name, daemon=True).start()
    quiet = 0
    while quiet < 3:
        # Event.wait(timeout) lets go of the GIL, so the others get to their lines.
        threading.Event().wait(0.005)
        blocked = all(n in arrived for n in ("event-waiter", "sleeper", "spinner")) and all(
            kernel_state(arrived[n]["tid"]) == "S" for n in ("event-waiter", "sleeper")
        )
        quiet = quiet + 1 if blocked else 0
    truth = dict(arrived)
    # Blocked in signal.pause(), or still returning from the READY print: a reader that acts on
    # READY can see the line before its print has returned.
    truth["MainThread"] = {"tid": threading.get_native_id(), "function": "main", "lines": [here() + 1, here() + 2]}
    print(json.dumps(truth))
    print("READY", flush=True)
    signal.pause()


main()

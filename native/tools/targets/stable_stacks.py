"""A target whose threads park in known places, then report their own stacks.

Run with any CPython 3.8+: it starts threads that block in nested functions (methods of nested
classes, a lambda, a generator, recursion, a non-ASCII name), prints one JSON line with what
sys._current_frames() says about every thread (filename, name, line, first line; innermost
first), then sleeps until killed. native/tools/compare_stacks.py compares that line with what
dump_stacks reads from outside.
"""
import json
import sys
import threading
import time

ready = threading.Barrier(5)
release = threading.Event()


def park():
    ready.wait()
    release.wait()


def recurse(n):
    if n == 0:
        park()
    else:
        recurse(n - 1)


class Outer:
    class Inner:
        def method(self):
            park()


def generator():
    yield park()


def ünïcødé_function():
    park()


def run_lambda():
    (lambda: park())()


def code_name(code):
    return getattr(code, "co_qualname", code.co_name)


def own_view():
    stacks = {}
    for ident, frame in sys._current_frames().items():
        frames = []
        while frame is not None:
            frames.append([frame.f_code.co_filename, code_name(frame.f_code), frame.f_lineno,
                           frame.f_code.co_firstlineno])
            frame = frame.f_back
        stacks[str(ident)] = frames
    return stacks


def main():
    targets = [lambda: recurse(40), Outer.Inner().method, lambda: list(generator()),
               ünïcødé_function]
    # Distinct names (one non-ASCII, one left to threading's default) to check threadName().
    names = ["recursion", "nested-class", "générateur", None]
    threads = [threading.Thread(target=t, name=n, daemon=True) for t, n in zip(targets, names)]
    for t in threads:
        t.start()
    ready.wait()
    # Past the barrier the threads still have to reach release.wait(): report
    # only once every one of them is parked there (park → Event.wait → …).
    main_ident = str(threading.main_thread().ident)
    while True:
        view = own_view()
        parked = [f for i, f in view.items() if i != main_ident]
        if len(parked) == len(threads) and all(
            len(f) > 2 and f[2][1] == "park" and f[1][1].endswith("wait") for f in parked
        ):
            break
        time.sleep(0.01)
    thread_names = {str(t.ident): t.name for t in threading.enumerate()}
    print(json.dumps({"pid": __import__("os").getpid(), "threads": view, "names": thread_names,
                      "main": str(threading.main_thread().ident)}), flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()

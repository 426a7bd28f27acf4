"""Thread states created and torn down all the time, and stacks that cross datastack chunks.

Usage: python thread_churn.py MODE   (prints its pid, then runs until killed)

  threads   4 spawners start short-lived threads that recurse 30 deep (`down`) and return;
            the main thread sits 30 deep too. No stack is ever deeper than 30 `down` frames
            plus `run`/`spawn`/`<module>` and threading's bootstrap frames.
  chunks    one thread recurses up and down between 20 and 700 frames (3.11+: a datastack
            chunk holds ~150 such frames, so every descent allocates and frees chunks).
  exiting   like `threads`, and the main thread returns after 1 s: an atexit handler recursing
            for 1 s and the interpreter's finalisation run while other threads are still being
            created.
  forking   the main thread forks children (each recurses 30 deep and exits) back to back
            while a second thread sits 30 deep: the parent must stay readable throughout.
"""
import atexit
import os
import sys
import threading
import time
import warnings

DEPTH = 30


def down(n, then):
    if n <= 1:
        return then()
    return down(n - 1, then)


def short_lived():
    down(DEPTH, lambda: None)


def spawn():
    while True:
        t = threading.Thread(target=short_lived)
        try:
            t.start()
        except RuntimeError:
            return  # 3.12+: no new threads once the interpreter is shutting down
        t.join()


def park():
    while True:
        time.sleep(0.05)


def oscillate():
    def step(n, limit):
        if n < limit:
            step(n + 1, limit)

    while True:
        step(0, 700)
        step(0, 20)


def fork_forever():
    while True:
        child = os.fork()
        if child == 0:
            down(DEPTH, lambda: os._exit(0))
        os.waitpid(child, 0)


def late_exit_handler():
    # Keep finalisation busy long enough to be sampled.
    deadline = time.time() + 1.0
    while time.time() < deadline:
        down(DEPTH, lambda: None)


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "threads"
    print(os.getpid(), flush=True)
    if mode == "chunks":
        sys.setrecursionlimit(5000)
        oscillate()
    if mode == "forking":
        warnings.simplefilter("ignore")  # 3.12+ warns about fork() with threads running
        threading.Thread(target=down, args=(DEPTH, park), daemon=True).start()
        down(DEPTH, fork_forever)
    for _ in range(4):
        threading.Thread(target=spawn, daemon=True).start()
    if mode == "exiting":
        atexit.register(late_exit_handler)
        down(DEPTH, lambda: time.sleep(1.0))
        sys.exit(0)
    down(DEPTH, park)

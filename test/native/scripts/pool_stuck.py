"""A Pool whose workers stand still at a known line, for `hotpath dump --subprocesses`.

Two spawned workers each take a task that records the worker's pid in the folder given as the
first argument and sleeps (at the line marked "stuck here"); once both have, the main process
prints one JSON line of ground truth (its workers' pids) and READY, and waits for results that never come. It
runs until it is killed.
"""
import json
import multiprocessing
import os
import sys
import time


def stuck_task(folder):
    open(os.path.join(folder, str(os.getpid())), "w").close()
    time.sleep(3600)  # stuck here
    return 0


def main():
    folder = sys.argv[1]
    pool = multiprocessing.get_context("spawn").Pool(2)
    pending = pool.map_async(stuck_task, [folder, folder], chunksize=1)
    while len(os.listdir(folder)) < 2:
        time.sleep(0.01)
    workers = sorted(int(name) for name in os.listdir(folder))
    print(json.dumps({"workers": workers}), flush=True)
    print("READY", flush=True)
    pending.get()


if __name__ == "__main__":
    main()

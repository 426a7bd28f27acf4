"""A program that starts other Python processes, for the tests of following them.

    family.py TRUTH_DIR MODE

Every process that does the measured work runs `child_main`: idle for IDLE_S,
then busy in `child_busy` for its share, and writes TRUTH_DIR/<pid>-<n>.json with
the seconds it measured itself (one file per call), so that the test can compare the share of its
samples in `child_busy` (among those under `child_main`) with the truth. The
idle part comes first: a process is found within milliseconds, but not at its
very first instruction.
"""
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time

from truth import crunch

IDLE_S = 0.15
BUSY_S = 0.3


def child_busy(seconds, waits=False):
    # Waiting is the busy part of a process that waits for something (a server between
    # requests): what many processes at once do without needing a core each.
    return time.sleep(seconds) if waits else crunch(seconds)


def child_main(truth_dir, busy_s=BUSY_S, idle_s=IDLE_S, waits=False):
    start = time.perf_counter()
    time.sleep(idle_s)
    busy_start = time.perf_counter()
    child_busy(busy_s, waits)
    end = time.perf_counter()
    # One file per call: a pool worker may run several tasks.
    name = "%d-%d.json" % (os.getpid(), time.monotonic_ns())
    with open(os.path.join(truth_dir, name), "w") as out:
        json.dump({"pid": os.getpid(), "busy": end - busy_start, "total": end - start}, out)
    return os.getpid()


def pool_task(truth_dir):
    return child_main(truth_dir)


def run_child(truth_dir, *extra):
    return [sys.executable, os.path.abspath(__file__), truth_dir, "child"] + list(extra)


def pool_of(method, truth_dir):
    with multiprocessing.get_context(method).Pool(2) as pool:
        pool.map(pool_task, [truth_dir] * 2)


def bare_fork(truth_dir):
    pid = os.fork()
    if pid == 0:
        child_main(truth_dir)
        os._exit(0)
    os.waitpid(pid, 0)


def main(truth_dir, mode):
    if mode == "child":
        child_main(truth_dir)
    elif mode == "short-child":
        child_main(truth_dir, busy_s=0.06, idle_s=0.0)
    elif mode == "waiting-child":
        # Starts its measured part once every one of its siblings is up: 64 interpreters
        # starting on two cores would leave the sampler no core, and then there is none to spare.
        open(os.path.join(truth_dir, "ready-%d" % os.getpid()), "w").close()
        while not os.path.exists(os.path.join(truth_dir, "go")):
            time.sleep(0.005)
        child_main(truth_dir, waits=True)
    elif mode == "crash":
        child_main(truth_dir)
        raise SystemExit(3)
    elif mode == "killed":
        child_main(truth_dir)
        os.kill(os.getpid(), signal.SIGKILL)
    elif mode.startswith("pool-"):
        pool_of(mode[len("pool-"):], truth_dir)
    elif mode == "mixed":
        # A pool of forked workers, a subprocess and a bare fork, one after the other.
        pool_of("fork", truth_dir)
        subprocess.run(run_child(truth_dir), check=True)
        bare_fork(truth_dir)
    elif mode == "run":
        subprocess.run(run_child(truth_dir), check=True)
    elif mode == "fork":
        bare_fork(truth_dir)
    elif mode == "execv":
        # This process runs the child's code from now on, under the same pid.
        os.execv(sys.executable, run_child(truth_dir))
    elif mode == "late":
        time.sleep(1.0)
        subprocess.run(run_child(truth_dir), check=True)
    elif mode == "short":
        for _ in range(20):
            subprocess.run(run_child(truth_dir)[:-1] + ["short-child"], check=True)
    elif mode == "exit-codes":
        # Reaped only after a while, so that their exit status can be read meanwhile.
        crash = subprocess.Popen(run_child(truth_dir)[:-1] + ["crash"])
        killed = subprocess.Popen(run_child(truth_dir)[:-1] + ["killed"])
        time.sleep(IDLE_S + BUSY_S + 1.5)
        print(crash.wait(), killed.wait())
    elif mode == "orphans":
        # Leaves without waiting: the children run on after their parent is gone.
        for _ in range(2):
            subprocess.Popen(run_child(truth_dir), start_new_session=False)
    elif mode == "double-fork":
        # Each middle process leaves at once: its child is reparented, mostly before it was
        # seen under it, and then found as an orphan of the program's process group. One after
        # the other (waiting for each one's truth), so that each has a core.
        for done in range(1, 4):
            middle = os.fork()
            if middle == 0:
                if os.fork() == 0:
                    child_main(truth_dir)
                    os._exit(0)
                os._exit(0)
            os.waitpid(middle, 0)
            while len(os.listdir(truth_dir)) < done:
                time.sleep(0.01)
    elif mode == "zombie":
        # The child exits with 5 and is never waited for: a zombie until this process exits a
        # second later and init reaps it.
        if os.fork() == 0:
            child_main(truth_dir)
            os._exit(5)
        while not os.listdir(truth_dir):
            time.sleep(0.01)
        time.sleep(1.0)
    elif mode == "many-64":
        children = [subprocess.Popen(run_child(truth_dir)[:-1] + ["waiting-child"]) for _ in range(64)]
        while sum(name.startswith("ready-") for name in os.listdir(truth_dir)) < len(children):
            time.sleep(0.01)
        open(os.path.join(truth_dir, "go"), "w").close()
        for child in children:
            child.wait()
    elif mode == "many":
        children = [subprocess.Popen(run_child(truth_dir)) for _ in range(16)]
        for child in children:
            child.wait()
    else:
        raise SystemExit("unknown mode " + mode)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

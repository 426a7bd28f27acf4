"""Runs a command and reports its wall time and resource usage as JSON.

Usage: timed_exec.py [--watch-threads] REPORT.json -- COMMAND [ARGS...]

Node cannot wait4() a child, and only wait4() returns the CPU time of exactly
that child (and the descendants it reaped), so the harness launches every
measured command through this wrapper. The command inherits stdin, stdout
and stderr; the wrapper's exit status is the command's (128 + N for signal N).

--watch-threads reads /proc/PID/task/*/schedstat of the command every 100 ms
and reports each thread's CPU time and number of times it was scheduled, as
last seen, plus the series of (seconds since start, CPU seconds) readings:
that is how the harness finds the sampling thread inside the `hotpath`
process (the thread that wakes once per tick) and its steady CPU rate, apart
from attaching and finishing. A thread's last 100 ms before it exits are not
seen.
"""

import json
import os
import subprocess
import sys
import time

POLL_S = 0.1


def read_threads(pid, seen, now):
    """Updates seen[tid] = {comm, cpu_s, timeslices, series} for every thread of pid."""
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return
    for tid in tids:
        base = "/proc/%d/task/%s/" % (pid, tid)
        try:
            with open(base + "schedstat") as f:
                on_cpu_ns, _wait_ns, timeslices = (int(x) for x in f.read().split())
            with open(base + "comm") as f:
                comm = f.read().strip()
        except (OSError, ValueError):
            continue  # the thread ended between listdir and open
        entry = seen.setdefault(int(tid), {"series": []})
        entry.update(comm=comm, cpu_s=on_cpu_ns / 1e9, timeslices=timeslices)
        entry["series"].append((round(now, 4), on_cpu_ns / 1e9))


def main(argv):
    args = argv[1:]
    watch = bool(args) and args[0] == "--watch-threads"
    if watch:
        args = args[1:]
    if len(args) < 3 or args[1] != "--":
        sys.stderr.write("usage: timed_exec.py [--watch-threads] REPORT.json -- COMMAND [ARGS...]\n")
        return 2
    report_path, command = args[0], args[2:]
    threads = {}
    start = time.perf_counter()
    child = subprocess.Popen(command)
    while True:
        if watch:
            done_pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if done_pid == 0:
                read_threads(child.pid, threads, time.perf_counter() - start)
                time.sleep(POLL_S)
                continue
        else:
            _, status, usage = os.wait4(child.pid, 0)
        break
    wall = time.perf_counter() - start
    child.returncode = 0  # reaped above; keep Popen from waiting again
    signal = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + signal
    report = {
        "wall_s": wall,
        "user_s": usage.ru_utime,
        "sys_s": usage.ru_stime,
        "maxrss_kb": usage.ru_maxrss,
        "exit_code": code,
        "signal": signal,
    }
    if watch:
        # The main thread's tid is the pid; everything else was started by the program.
        report["threads"] = [dict(tid=tid, **info) for tid, info in sorted(threads.items()) if tid != child.pid]
    with open(report_path, "w") as out:
        json.dump(report, out)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))

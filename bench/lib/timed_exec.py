"""Runs a command and reports its wall time and resource usage as JSON.

Usage: timed_exec.py REPORT.json -- COMMAND [ARGS...]

Node cannot wait4() a child, and only wait4() returns the CPU time of exactly
that child (and the descendants it reaped), so the harness launches every
measured command through this wrapper. The command inherits stdin, stdout
and stderr; the wrapper's exit status is the command's (128 + N for signal N).
"""

import json
import os
import subprocess
import sys
import time


def main(argv):
    if len(argv) < 4 or argv[2] != "--":
        sys.stderr.write("usage: timed_exec.py REPORT.json -- COMMAND [ARGS...]\n")
        return 2
    report_path, command = argv[1], argv[3:]
    start = time.perf_counter()
    child = subprocess.Popen(command)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = 0  # reaped above; keep Popen from waiting again
    signal = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + signal
    with open(report_path, "w") as out:
        json.dump(
            {
                "wall_s": wall,
                "user_s": usage.ru_utime,
                "sys_s": usage.ru_stime,
                "maxrss_kb": usage.ru_maxrss,
                "exit_code": code,
                "signal": signal,
            },
            out,
        )
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))

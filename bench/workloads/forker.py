"""Forks 20 children, one after another, each busy for 100 ms in `child_work`, and writes
{pid: wall-clock time of the child's first instruction after the fork} to argv[1]. A forked
child has a running interpreter from its first instant, so the delay from that time to the
child's first sample is how long the sampler takes to find a new process and read it."""
import json
import os
import sys
import time


def child_work():
    end = time.perf_counter() + 0.1
    while time.perf_counter() < end:
        pass


def main(out):
    starts = {}
    for _ in range(20):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            started = time.time()
            child_work()
            os.write(write_end, repr(started).encode())
            os._exit(0)
        os.close(write_end)
        os.waitpid(pid, 0)
        starts[pid] = float(os.read(read_end, 100))
        os.close(read_end)
        time.sleep(0.05)
    with open(out, "w") as f:
        json.dump(starts, f)


if __name__ == "__main__":
    main(sys.argv[1])

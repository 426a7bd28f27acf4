"""Timing of a workload's measured section, shared by every workload.

The harness compares the same workload with and without a profiler, so the
workload times itself: wall and CPU of the work only, without interpreter
start-up or a profiler's set-up and output. When HOTPATH_BENCH_REPORT names a
file, one JSON object is written there; otherwise nothing is printed, so a
workload run by hand (or under `hotpath run`) stays quiet.
"""

import json
import os
import resource
import time


class Measured:
    """Context manager around the measured section of a workload."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self._sys0 = resource.getrusage(resource.RUSAGE_SELF).ru_stime
        self._cpu0 = time.process_time()
        self._wall0 = time.perf_counter()
        return self

    def __exit__(self, exc_type, exc, tb):
        wall = time.perf_counter() - self._wall0
        cpu = time.process_time() - self._cpu0
        path = os.environ.get("HOTPATH_BENCH_REPORT")
        if exc_type is None and path:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            record = {
                "workload": self.name,
                "wall_s": wall,
                "cpu_s": cpu,
                # Kernel time of the section: an out-of-process sampler's reads
                # can show up here (page-table locks, faults) on some VMs.
                "sys_s": usage.ru_stime - self._sys0,
                # Whole-process CPU (start-up included), for separating the
                # program from a profiler that launched it.
                "process_cpu_s": usage.ru_utime + usage.ru_stime,
                "maxrss_kb": usage.ru_maxrss,
            }
            with open(path, "w") as out:
                json.dump(record, out)
        return False

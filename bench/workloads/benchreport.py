"""Timing of a workload's measured section, shared by every workload.

The harness compares the same workload with and without a profiler, so the
workload times itself: wall and CPU of the work only, without interpreter
start-up or a profiler's set-up and output. When HOTPATH_BENCH_REPORT names a
file, one JSON object is written there; otherwise nothing is printed, so a
workload run by hand (or under `hotpath run`) stays quiet.
"""

import array
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


PHASES_ENV = "HOTPATH_BENCH_PHASES"
PHASES_STARTED = "hotpath-bench: units started"


class Units:
    """The measured section as a series of equal units of work.

    By default a workload runs `count` units inside Measured. With
    HOTPATH_BENCH_PHASES="SECONDS:PATH" it runs units until SECONDS have passed
    instead, and writes the end time of each unit to PATH (int64 nanoseconds of
    CLOCK_MONOTONIC, the clock of Node's process.hrtime, native byte order):
    the harness switches the sampler on and off while it runs and compares the
    units of the two kinds of phases (bench/lib/phases.ts). One line on stdout
    tells it when the first unit starts.
    """

    def __init__(self, name, count):
        self.name = name
        self.count = count
        spec = os.environ.get(PHASES_ENV)
        self.phased = bool(spec)
        self.seconds, self.path = 0.0, None
        if spec:
            seconds, _, self.path = spec.partition(":")
            self.seconds = float(seconds)
        self.ends = []
        self.deadline = None

    def more(self, done):
        """Whether to run another unit after `done` of them. Phased, it also
        records the time: the start of the first unit, then the end of each."""
        if not self.phased:
            return done < self.count
        now = time.monotonic_ns()
        self.ends.append(now)
        return now < self.deadline

    def run(self, unit):
        """Runs unit(i) for i = 0, 1, … as the measured section."""
        if not self.phased:
            with Measured(self.name):
                for i in range(self.count):
                    unit(i)
            return
        self.start()
        i = 0
        while self.more(i):
            unit(i)
            i += 1
        self.finish()

    def start(self):
        if self.phased:
            self.deadline = time.monotonic_ns() + int(self.seconds * 1e9)
            print(PHASES_STARTED, flush=True)

    def finish(self):
        if self.phased:
            with open(self.path, "wb") as out:
                array.array("q", self.ends).tofile(out)

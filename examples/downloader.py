"""Simulates downloading files with a pool of worker threads, then checksumming them.

The "network" is `time.sleep`, so in wall-clock mode the profile is dominated by the
waiting line in `fetch`, spread over the worker threads; switch Hotpath's time mode
to on-CPU (setting `hotpath.timeMode`) and the checksum loop is what remains.
"""

import hashlib
import queue
import random
import threading
import time

N_FILES = 32
N_WORKERS = 4


def fetch(url, rng):
    latency = 0.05 + rng.random() * 0.15
    time.sleep(latency)  # waiting on the "network": hot in wall-clock time, idle on the CPU
    return (url * 2000).encode()


def checksum(payload, rounds=600):
    digest = payload
    for _ in range(rounds):
        digest = hashlib.sha256(digest + payload).digest()  # CPU work per file
    return digest.hex()[:16]


def worker(jobs, results, seed):
    rng = random.Random(seed)
    while True:
        try:
            url = jobs.get_nowait()
        except queue.Empty:
            return
        payload = fetch(url, rng)
        results.append((url, checksum(payload)))


def main():
    jobs = queue.Queue()
    for i in range(N_FILES):
        jobs.put(f"https://files.example/archive-{i:03}.bin")
    results = []
    threads = [
        threading.Thread(target=worker, args=(jobs, results, seed), name=f"downloader-{seed}")
        for seed in range(N_WORKERS)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    print(f"{len(results)} files in {elapsed:.2f} s with {N_WORKERS} threads")


if __name__ == "__main__":
    main()

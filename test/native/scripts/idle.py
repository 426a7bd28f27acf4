"""A long-lived target for attach tests: a busy worker thread and a waiting main
thread; READY on stdout once both run. Ends after a minute or when killed."""
import sys
import threading


def work(stop):
    n = 0
    while not stop.is_set():
        for _ in range(1000):
            n = (n * 31 + 7) % 1000003


if __name__ == "__main__":
    stop = threading.Event()
    worker = threading.Thread(target=work, args=(stop,), name="worker")
    worker.start()
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    stop.wait(60)
    stop.set()
    worker.join()

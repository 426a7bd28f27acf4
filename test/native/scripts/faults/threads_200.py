"""`threads_200.py COUNT`: COUNT threads all alive and parked at once while the main thread
works, then released and joined."""
import sys
import threading

from spin import spin

COUNT = int(sys.argv[1])
threading.stack_size(256 * 1024)  # 200 default 8 MiB stacks are only address space, but be modest
started = threading.Barrier(COUNT + 1)
release = threading.Event()


def parked_worker():
    started.wait()
    release.wait()


def main_while_parked():
    spin(0.6)


workers = [threading.Thread(target=parked_worker, name="parked-%d" % i) for i in range(COUNT)]
for worker in workers:
    worker.start()
started.wait()  # every worker is alive from here on
main_while_parked()
release.set()
for worker in workers:
    worker.join()

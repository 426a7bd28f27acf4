"""A busy thread and a sleeping thread beside the main thread, with their ids and names."""
import threading
import time

import truth


def crunch(seconds):
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        n = (n * 31 + 7) % 1000003
    return n


def doze(stop):
    stop.wait(5)


def run(name, target, *args):
    def body():
        truth.note(name, {"tid": threading.get_native_id(), "ident": str(threading.get_ident())})
        target(*args)

    return threading.Thread(target=body, name=name)


def main():
    stop = threading.Event()
    cruncher = run("cruncher", crunch, 0.8)
    sleeper = run("sleeper", doze, stop)
    cruncher.start()
    sleeper.start()
    cruncher.join()
    stop.set()
    sleeper.join()


if __name__ == "__main__":
    truth.wait_until_sampled()
    truth.note("main", {"tid": threading.get_native_id(), "ident": str(threading.get_ident())})
    main()
    truth.save()

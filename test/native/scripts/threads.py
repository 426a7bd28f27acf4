"""A busy thread and a sleeping thread beside the main thread, with their ids and names."""
import threading

import truth


def doze(stop):
    stop.wait(5)


def run(name, target, *args):
    def body():
        truth.note(name, {"tid": threading.get_native_id(), "ident": str(threading.get_ident())})
        target(*args)

    return threading.Thread(target=body, name=name)


def main():
    stop = threading.Event()
    cruncher = run("cruncher", truth.crunch, 0.8)
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

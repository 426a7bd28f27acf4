"""Threads run one after another, each joined before the next starts. The C
library reuses a joined thread's pthread struct for the next thread, so they
share one threading.get_ident(); only the kernel's TID tells them apart."""
import threading

import truth

ROUNDS = 3


def body(name):
    truth.note(name, {"tid": threading.get_native_id(), "ident": str(threading.get_ident())})
    truth.crunch(0.25)


if __name__ == "__main__":
    truth.wait_until_sampled()
    for k in range(1, ROUNDS + 1):
        name = f"round-{k}"
        thread = threading.Thread(target=body, args=(name,), name=name)
        thread.start()
        thread.join()
    truth.save()

"""Target of the CLI tests: `cli_target.py MODE [EXIT_CODE]`.

  busy EXIT_CODE   print a line on stdout, stay busy 0.3 s, exit with EXIT_CODE
  until-signal     busy 0.3 s, print READY and the pid, stay busy until interrupted or killed
                   (or orphaned: a test that failed leaves nothing running)
  count-interrupts busy 0.3 s, print READY, its pid and its parent's (hotpath's, under
                   hotpath run), stay busy until a SIGINT, then 0.5 s more (any
                   second SIGINT arrives then), print how many SIGINTs came and exit 0
"""
import os
import signal
import sys
import time


def work(seconds):
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        n = (n * 31 + 7) % 1000003
    return n


def orphaned(parent=os.getppid()):
    return os.getppid() != parent


def until_signal():
    work(0.3)  # busy before READY, so that a kill right after it still leaves samples
    try:
        # Inside the try: the interrupt may arrive while READY is still being written.
        sys.stdout.write("READY %d\n" % os.getpid())
        sys.stdout.flush()
        while not orphaned():
            work(0.05)
    except KeyboardInterrupt:
        sys.stdout.write("interrupted\n")
        sys.stdout.flush()
        raise


def count_interrupts():
    received = []
    signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    work(0.3)
    sys.stdout.write("READY %d %d\n" % (os.getpid(), os.getppid()))
    sys.stdout.flush()
    while not received and not orphaned():
        work(0.05)
    work(0.5)
    sys.stdout.write("SIGINT received %d time(s)\n" % len(received))
    sys.stdout.flush()


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "busy":
        sys.stdout.write("hello from the program\n")
        sys.stdout.flush()
        work(0.3)
        sys.exit(int(sys.argv[2]))
    elif mode == "until-signal":
        until_signal()
    elif mode == "count-interrupts":
        count_interrupts()

"""`flood_stdout.py MEGABYTES`: writes that many MiB to stdout as fast as it can, then works."""
import sys

from spin import spin

CHUNK = b"x" * 65535 + b"\n"


def flood(megabytes):
    out = sys.stdout.buffer
    for _ in range(megabytes * 16):
        out.write(CHUNK)
    out.flush()


def after_flood():
    spin(0.3)


flood(int(sys.argv[1]))
after_flood()

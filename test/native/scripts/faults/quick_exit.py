"""`quick_exit.py CODE LOOPS HOW`: counts to LOOPS, then exits with CODE through sys.exit
(HOW=exit) or os._exit (HOW=_exit). Run many times with growing LOOPS, its end lands at
every moment of the sampler's start-up."""
import os
import sys

code, loops, how = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
n = 0
for _ in range(loops):
    n += 1
if how == "_exit":
    os._exit(code)
sys.exit(code)

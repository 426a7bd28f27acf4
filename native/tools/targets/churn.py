"""Code objects created and freed all the time, in several threads: every sampled name must be
one of the generated ones (fn_<n>) or a real function of this file.

Usage: python churn.py   (prints its pid, then runs until killed)
"""
import os
import threading


def make(n):
    namespace = {}
    exec("def fn_%d(x):\n    return sum(i * x for i in range(50))\n" % n, namespace)
    return namespace["fn_%d" % n]


def churn(offset):
    n = offset
    while True:
        make(n)(n)
        n += 4


if __name__ == "__main__":
    print(os.getpid(), flush=True)
    for k in range(3):
        threading.Thread(target=churn, args=(k,), daemon=True).start()
    churn(3)

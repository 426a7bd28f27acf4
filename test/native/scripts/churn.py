"""Code objects created and freed continuously: fresh functions compiled and run in a loop.

Every function name the sampler reports from a `<churn-N>` file must be one this
script defined; a stale or torn code-object read would show up as a wrong name.
"""
import time

import truth

TEMPLATE = """
def churn_{i}_{salt}(n):
    total = 0
    for k in range(n):
        total += (k * {i}) % 7
    return total
"""


def main(seconds):
    defined = []
    end = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < end:
        name = "churn_%d_%d" % (i, i * 7919 % 1000)
        code = compile(TEMPLATE.format(i=i, salt=i * 7919 % 1000), "<churn-%d>" % i, "exec")
        namespace = {}
        exec(code, namespace)
        namespace[name](300)
        defined.append(name)
        del namespace, code
        i += 1
    truth.note("defined", defined)


if __name__ == "__main__":
    truth.wait_until_sampled()
    main(1.0)
    truth.save()

"""Methods of nested classes, a lambda, a generator and an asyncio coroutine, each busy for a while."""
import asyncio
import time

import truth


class Outer:
    class Inner:
        def method(self, seconds):
            end = time.perf_counter() + seconds
            n = 0
            while time.perf_counter() < end:
                n = (n * 31 + 7) % 1000003
            return n



def produce(seconds):
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        n = (n * 31 + 7) % 1000003
        if n % 64 == 0:
            yield n


async def crunch(seconds):
    await asyncio.sleep(0)
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        n = (n * 31 + 7) % 1000003
    return n


def lambda_work(seconds):
    busy = lambda end: sum(1 for _ in iter(lambda: time.perf_counter() < end, False))  # noqa: E731
    return busy(time.perf_counter() + seconds)


if __name__ == "__main__":
    truth.wait_until_sampled()
    with truth.region("Outer.Inner.method"):
        Outer.Inner().method(0.4)
    with truth.region("<lambda>"):
        lambda_work(0.4)
    with truth.region("produce"):
        for _ in produce(0.4):
            pass
    with truth.region("crunch"):
        asyncio.run(crunch(0.4))
    truth.save()

"""asyncio tasks whose time the program records itself, for the sampler's task lanes (--async).

"main" gathers: "fetch" (awaits slow_call then quick_call, round after round, timing each await),
"cruncher" (a CPU loop in crunch() between awaits, timing it), "group" (a TaskGroup of "child-a"
and "child-b", each awaiting a sleep), "early" (one short sleep: it finishes first), "doomed"
(awaits a long sleep and is cancelled by main) and "swarm" (gathers 3000 short tasks, 500 at a
time). At the end it prints one JSON line: per task its lifetime and the time it spent at each
recorded await or in crunch(), and the lines of those awaits.
"""
import asyncio
import json
import sys
import time

ROUNDS = 12
truth = {"lifetime": {}, "spent": {}, "lines": {}}


def line_after():
    return sys._getframe(1).f_lineno + 1


def lifetime(name, started):
    truth["lifetime"][name] = time.perf_counter() - started


def crunch(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


async def slow_call():
    truth["lines"]["slow"] = line_after()
    await asyncio.sleep(0.06)


async def quick_call():
    truth["lines"]["quick"] = line_after()
    await asyncio.sleep(0.02)


async def fetch():
    started = time.perf_counter()
    slow = quick = 0.0
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        await slow_call()
        t1 = time.perf_counter()
        await quick_call()
        slow += t1 - t0
        quick += time.perf_counter() - t1
    truth["spent"]["fetch"] = {"slow": slow, "quick": quick}
    lifetime("fetch", started)


async def cruncher():
    started = time.perf_counter()
    busy = 0.0
    for _ in range(ROUNDS * 2):
        t0 = time.perf_counter()
        crunch(200_000)
        busy += time.perf_counter() - t0
        await asyncio.sleep(0.02)
    truth["spent"]["cruncher"] = {"crunch": busy}
    lifetime("cruncher", started)


async def child(name):
    started = time.perf_counter()
    await asyncio.sleep(0.4)
    lifetime(name, started)


async def group():
    started = time.perf_counter()
    async with asyncio.TaskGroup() as tasks:
        tasks.create_task(child("child-a"), name="child-a")
        tasks.create_task(child("child-b"), name="child-b")
    lifetime("group", started)


async def early(started):
    # Its life counts from its creation, as its lane's does: its first step may come later.
    await asyncio.sleep(0.05)
    lifetime("early", started)


async def doomed(started):
    try:
        await asyncio.sleep(60)
    except asyncio.CancelledError:
        lifetime("doomed", started)
        truth["cancelled"] = True
        raise


async def tiny():
    await asyncio.sleep(0)
    await asyncio.sleep(0)


async def swarm():
    started = time.perf_counter()
    for _ in range(6):
        await asyncio.gather(*(asyncio.create_task(tiny()) for _ in range(500)))
    lifetime("swarm", started)


async def main():
    started = time.perf_counter()
    asyncio.current_task().set_name("main")
    # The sampler looks for asyncio's module every 10 ms until the program has loaded it: the
    # tasks start once it has surely been found, even when ticks come late on a busy machine.
    await asyncio.sleep(0.15)
    doom = asyncio.create_task(doomed(time.perf_counter()), name="doomed")
    work = asyncio.gather(
        asyncio.create_task(fetch(), name="fetch"),
        asyncio.create_task(cruncher(), name="cruncher"),
        asyncio.create_task(group(), name="group"),
        asyncio.create_task(early(time.perf_counter()), name="early"),
        asyncio.create_task(swarm(), name="swarm"),
    )
    await asyncio.sleep(0.3)
    doom.cancel()
    await work
    try:
        await doom
    except asyncio.CancelledError:
        pass
    lifetime("main", started)


asyncio.run(main())
print(json.dumps(truth), flush=True)

"""An asyncio program whose named tasks stand still at known lines, for `hotpath dump --async`.

"main" gathers "await-orders" (await_orders -> fetch_orders -> slow_orders -> an Event),
"group-parent" (a TaskGroup of "child-1" and "child-2", each waiting for the Event) and
"spinner-task", which runs a busy loop in compute() once the others are suspended. Each
coroutine records its line just before it awaits; the spinner then prints one JSON line of
ground truth (per task: its coroutines outermost first with their lines, and who awaits it) and
READY, and spins until the program is killed.
"""
import asyncio
import json
import sys

chains = {}
EXPECTED = {"main", "await-orders", "group-parent", "child-1", "child-2"}


def mark(task, function):
    """Records that `task` is about to await on the caller's next line."""
    chains.setdefault(task, []).append([function, sys._getframe(1).f_lineno + 1])


async def slow_orders(event):
    mark("await-orders", "slow_orders")
    await event.wait()


async def fetch_orders(event):
    mark("await-orders", "fetch_orders")
    await slow_orders(event)


async def await_orders(event):
    mark("await-orders", "await_orders")
    await fetch_orders(event)


async def child_wait(name, event):
    mark(name, "child_wait")
    await event.wait()


async def group_parent(event):
    mark("group-parent", "group_parent")
    async with asyncio.TaskGroup() as group:
        group.create_task(child_wait("child-1", event), name="child-1")
        group.create_task(child_wait("child-2", event), name="child-2")


def compute():
    n = 0
    first = sys._getframe().f_lineno + 1
    while True:
        n += 1
        if n == 1:
            chains["spinner-task"].append(["compute", [first, first + 1, first + 2, first + 3]])
            print(json.dumps({"chains": chains, "awaitedBy": AWAITED_BY}))
            print("READY", flush=True)


async def spin():
    while not EXPECTED <= set(chains):
        await asyncio.sleep(0)
    mark("spinner-task", "spin")
    compute()


AWAITED_BY = {
    "await-orders": ["main"],
    "group-parent": ["main"],
    "spinner-task": ["main"],
    "child-1": ["group-parent"],
    "child-2": ["group-parent"],
}


async def main():
    asyncio.current_task().set_name("main")
    event = asyncio.Event()
    mark("main", "main")
    await asyncio.gather(
        asyncio.create_task(await_orders(event), name="await-orders"),
        asyncio.create_task(group_parent(event), name="group-parent"),
        asyncio.create_task(spin(), name="spinner-task"),
    )


asyncio.run(main())

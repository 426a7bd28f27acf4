"""Two threads, each running an event loop with a task of its own waiting at a known line, for
the sampler's task lanes (--async): prints the two threads' idents and READY, then both wait
until the program is killed."""
import asyncio
import threading

idents = {}
ready = threading.Barrier(3)


async def wait_here(name):
    idents[name] = threading.get_ident()
    ready.wait()
    await asyncio.sleep(3600)


def run_loop(name):
    async def main():
        await asyncio.create_task(wait_here(name), name=name)

    asyncio.run(main())


for name in ("left", "right"):
    threading.Thread(target=run_loop, args=(name,), name=f"loop-{name}", daemon=True).start()
ready.wait()
print(idents["left"], idents["right"])
print("READY", flush=True)
threading.Event().wait()

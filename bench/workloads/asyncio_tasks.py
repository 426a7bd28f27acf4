"""An asyncio workload for the cost of recording tasks (bench/asyncTasks.mjs): 100 client tasks
under a gather, each 300 requests: a little CPU work (encoding and decoding a JSON document), then
an await on a queue served by 4 worker tasks that await a short sleep. The event loop is busy all
along with about 100 pending tasks, each suspended a few coroutines deep. Prints the seconds the
work took (perf_counter, start-up excluded) and the CPU time it used (process_time) as JSON.
"""
import asyncio
import json
import sys
import time

CLIENTS = 100
REQUESTS = int(sys.argv[1]) if len(sys.argv) > 1 else 300
DOCUMENT = {"items": [{"id": i, "name": f"item-{i}", "tags": ["a", "b", "c"]} for i in range(40)]}


async def serve(queue):
    while True:
        payload, reply = await queue.get()
        await asyncio.sleep(0)
        reply.set_result(len(payload))


async def call(queue, payload):
    reply = asyncio.get_running_loop().create_future()
    await queue.put((payload, reply))
    return await reply


async def client(queue):
    total = 0
    for _ in range(REQUESTS):
        payload = json.dumps(DOCUMENT)
        total += len(json.loads(payload)["items"])
        total += await call(queue, payload)
    return total


async def main():
    queue = asyncio.Queue()
    workers = [asyncio.create_task(serve(queue), name=f"worker-{i}") for i in range(4)]
    started = time.perf_counter()
    cpu = time.process_time()
    await asyncio.gather(*(asyncio.create_task(client(queue), name=f"client-{i}") for i in range(CLIENTS)))
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    for worker in workers:
        worker.cancel()
    print(json.dumps({"seconds": elapsed, "cpu": cpu}), flush=True)


asyncio.run(main())

"""Running a coroutine from a synchronous test."""
import asyncio
from concurrent.futures import ThreadPoolExecutor


def run_async(coroutine):
    """asyncio.run() in a thread of its own: a test library elsewhere in the suite (Playwright) may leave
    an event loop running in the main thread, where asyncio.run() would refuse to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()

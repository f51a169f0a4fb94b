"""A registry client for synchronous code: requests run on an event loop in a thread.

The resolvers decide one thing at a time (resolvelib is synchronous), but they know early what
they will need next; :meth:`Fetcher.submit` starts a request at once and returns a future, so
many are in flight (bounded by the settings' concurrency) while the resolver goes on. Nothing
is started (no thread, no httpx import) until the first request: warm runs never pay for it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, TypeVar

from depguard.config import Settings

if TYPE_CHECKING:
    import asyncio

    from depguard.registries.http import HttpClient

T = TypeVar("T")


class Fetcher:
    def __init__(self, settings: Settings, *, time_budget: float | None = None) -> None:
        self.settings = settings
        self.time_budget = settings.time_budget if time_budget is None else time_budget
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._http: HttpClient | None = None
        self._lock = threading.Lock()

    def submit(self, work: Callable[[HttpClient], Awaitable[T]]) -> Future[T]:
        """Run ``work(http)`` on the loop; its result (or exception) arrives in the future."""
        import asyncio

        loop, http = self._start()

        async def run() -> T:
            return await work(http)

        return asyncio.run_coroutine_threadsafe(run(), loop)

    def _start(self) -> tuple[asyncio.AbstractEventLoop, HttpClient]:
        with self._lock:
            if self._loop is not None and self._http is not None:
                return self._loop, self._http
            import asyncio

            from depguard.registries.http import HttpClient

            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="depguard-fetch", daemon=True)
            thread.start()
            settings = self.settings

            async def make() -> HttpClient:
                return HttpClient(
                    concurrency=settings.concurrency,
                    timeout=settings.timeout,
                    retries=settings.retries,
                    time_budget=self.time_budget,
                    ca_bundle=settings.ca_bundle,
                )

            try:
                http = asyncio.run_coroutine_threadsafe(make(), loop).result()
            except BaseException:
                loop.call_soon_threadsafe(loop.stop)
                thread.join()
                loop.close()
                raise
            self._loop, self._thread, self._http = loop, thread, http
            return loop, http

    def close(self) -> None:
        with self._lock:
            loop, thread, http = self._loop, self._thread, self._http
            self._loop = self._thread = self._http = None
        if loop is None or thread is None:
            return
        import asyncio

        async def shutdown() -> None:
            # Requests started ahead of need and never asked for are cancelled, not leaked.
            current = asyncio.current_task()
            pending = [t for t in asyncio.all_tasks() if t is not current]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            if http is not None:
                await http.aclose()

        with contextlib.suppress(Exception):  # closing idle connections may fail: no loss
            asyncio.run_coroutine_threadsafe(shutdown(), loop).result(timeout=5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        loop.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

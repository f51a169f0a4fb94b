"""HTTP for registry clients: bounded concurrency, timeouts, retries and bounded bodies.

* At most ``concurrency`` requests are in flight (the PyPI mirror stalls above ~16).
* 429 and 5xx answers and transport faults are retried with exponential backoff and jitter,
  honouring ``Retry-After``, within a per-run time budget; nothing waits forever. A timeout is
  retried at most once (a registry that stalled twice will not answer a third time in time).
* Redirects are followed only to the same scheme, host and port, at most five times.
* Bodies larger than the bound are refused, counted after decompression.
* TLS is always verified (``ca_bundle`` or ``SSL_CERT_FILE`` choose the trust store).
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from depguard import __version__

if TYPE_CHECKING:
    import httpx

USER_AGENT = f"depguard/{__version__} (supply-chain gate; +https://github.com/depguard/depguard)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 60.0
ANSWER_LIMIT = 60.0
"""Longest one answer may take in all (at least four read timeouts), within the run's budget."""


class RegistryError(Exception):
    """A registry could not be asked. The message is one line, for a person."""


class ResponseTooLarge(RegistryError):
    """The answer is larger than the bound the caller set."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes | bytearray
    url: str
    content_type: str
    location: str | None = None
    content_range: str | None = None

    @property
    def content_range_total(self) -> int | None:
        """The whole file's size from ``Content-Range: bytes A-B/TOTAL`` (206 answers)."""
        if not self.content_range or "/" not in self.content_range:
            return None
        total = self.content_range.rsplit("/", 1)[1].strip()
        return int(total) if total.isdigit() else None


class HttpClient:
    def __init__(
        self,
        *,
        concurrency: int = 16,
        timeout: float = 15.0,
        retries: int = 3,
        time_budget: float = 300.0,
        ca_bundle: str | None = None,
        transport: Any = None,
        budget_message: str = "time budget exhausted",
    ) -> None:
        import httpx

        self._httpx = httpx
        self.budget_message = budget_message
        self.retries = max(0, retries)
        self.timeout = timeout
        self._deadline = time.monotonic() + time_budget
        self._semaphore = asyncio.Semaphore(max(1, concurrency))
        verify: ssl.SSLContext | bool = True
        if ca_bundle:
            try:
                verify = ssl.create_default_context(cafile=ca_bundle)
            except (OSError, ssl.SSLError) as exc:
                raise RegistryError(f"cannot load CA bundle {ca_bundle}: {exc}") from None
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            limits=httpx.Limits(
                max_connections=max(1, concurrency),
                max_keepalive_connections=max(1, concurrency),
            ),
            follow_redirects=False,
            verify=verify,
            headers={"User-Agent": USER_AGENT},
            transport=transport,
        )

    async def __aenter__(self) -> HttpClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    def remaining(self) -> float:
        return self._deadline - time.monotonic()

    def _out_of_time(self, last_error: str) -> str:
        return f"{self.budget_message} ({last_error})" if last_error else self.budget_message

    async def get(
        self,
        url: str,
        *,
        max_bytes: int,
        accept: str | None = None,
        retries: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """GET ``url``; any status is returned except retryable ones that never recover.

        ``headers`` are extra request headers (``Range`` for the data tooling).
        """
        attempts = 1 + (self.retries if retries is None else retries)
        last_error = "no attempt made"
        timeouts = 0
        for attempt in range(attempts):
            if self.remaining() <= 0:
                raise RegistryError(self._out_of_time(last_error))
            retry_after: float | None = None
            # The timeout bounds each read; this bounds the whole answer, so a server that
            # trickles a byte at a time cannot hold the run.
            limit = min(max(ANSWER_LIMIT, 4 * self.timeout), max(0.1, self.remaining()))
            try:
                response = await asyncio.wait_for(
                    self._get_following(url, max_bytes=max_bytes, accept=accept, headers=headers),
                    timeout=limit,
                )
            except asyncio.TimeoutError:
                last_error = f"no complete answer within {limit:.0f} s"
                retry_after = None
                timeouts += 1
            except _Retryable as exc:
                last_error = str(exc)
                retry_after = exc.retry_after
                timeouts += exc.timed_out
            else:
                return response
            if self.remaining() <= 0.05:
                raise RegistryError(self._out_of_time(last_error))
            if attempt + 1 >= attempts or timeouts >= 2:
                attempts = attempt + 1
                break
            delay = _backoff(attempt) if retry_after is None else retry_after
            if delay > self.remaining():
                raise RegistryError(f"{last_error}; retry would exceed the time budget")
            await asyncio.sleep(delay)
        plural = "s" if attempts != 1 else ""
        raise RegistryError(f"{last_error} (after {attempts} attempt{plural})")

    async def _get_following(
        self,
        url: str,
        *,
        max_bytes: int,
        accept: str | None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            response = await self._get_once(
                current, max_bytes=max_bytes, accept=accept, headers=headers
            )
            if response.status not in (301, 302, 303, 307, 308):
                return response
            target = urljoin(current, response.location or "")
            if not _same_origin(current, target):
                raise RegistryError(f"redirect to another host refused ({_origin(target)})")
            current = target
        raise RegistryError(f"more than {MAX_REDIRECTS} redirects")

    async def _get_once(
        self,
        url: str,
        *,
        max_bytes: int,
        accept: str | None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        httpx = self._httpx
        request_headers = dict(headers or {})
        if accept:
            request_headers["Accept"] = accept
        timeout = min(self.timeout, max(0.1, self.remaining()))
        async with self._semaphore:
            try:
                async with self._client.stream(
                    "GET", url, headers=request_headers, timeout=timeout
                ) as response:
                    status = response.status_code
                    if status in (301, 302, 303, 307, 308):
                        location = response.headers.get("location")
                        if not location:
                            raise RegistryError(f"HTTP {status} without a Location header")
                        return Response(status, b"", url, "", location)
                    if status in RETRY_STATUSES:
                        raise _Retryable(
                            f"HTTP {status}", _retry_after(response.headers.get("retry-after"))
                        )
                    body = await _read_bounded(response, max_bytes)
                    content_type = response.headers.get("content-type", "")
                    return Response(
                        status,
                        body,
                        url,
                        content_type,
                        content_range=response.headers.get("content-range"),
                    )
            except (RegistryError, _Retryable):
                raise
            except httpx.TimeoutException:
                raise _Retryable(f"timed out after {timeout:g} s", timed_out=True) from None
            except httpx.ConnectError as exc:
                if _is_tls_failure(exc):
                    raise RegistryError(f"TLS verification failed: {_first_line(exc)}") from None
                if _caused_by(exc, socket.gaierror):  # no such host: asking again will not help
                    raise RegistryError(f"cannot resolve the host: {_first_line(exc)}") from None
                raise _Retryable(f"cannot connect: {_first_line(exc)}") from None
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                raise _Retryable(f"connection broken: {_first_line(exc)}") from None
            except httpx.DecodingError as exc:
                raise RegistryError(f"undecodable response: {_first_line(exc)}") from None
            except httpx.HTTPError as exc:
                raise RegistryError(f"{type(exc).__name__}: {_first_line(exc)}") from None
            except ssl.SSLError as exc:
                raise RegistryError(f"TLS error: {_first_line(exc)}") from None
            except OSError as exc:
                raise _Retryable(f"network error: {_first_line(exc)}") from None


class _Retryable(Exception):
    def __init__(
        self, message: str, retry_after: float | None = None, *, timed_out: bool = False
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.timed_out = timed_out


async def _read_bounded(response: httpx.Response, max_bytes: int) -> bytearray:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise ResponseTooLarge(
            f"response larger than the {_mib(max_bytes)} bound ({_mib(int(declared))})"
        )
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise ResponseTooLarge(f"response larger than the {_mib(max_bytes)} bound")
    return body  # a bytearray: every consumer reads it like bytes, and it saves a copy


def _backoff(attempt: int) -> float:
    base: float = min(8.0, 0.5 * (2**attempt))
    return base / 2 + random.uniform(0, base / 2)  # noqa: S311 - jitter, not cryptography


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    delay = when.timestamp() - time.time()
    return min(max(0.0, delay), MAX_RETRY_AFTER)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _same_origin(a: str, b: str) -> bool:
    first, second = urlsplit(a), urlsplit(b)
    return (first.scheme, first.hostname, first.port) == (
        second.scheme,
        second.hostname,
        second.port,
    )


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _is_tls_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        text = str(seen)
        if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text or "TLS" in text:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MiB"

"""Live download-count APIs (pypistats, npm downloads); the bundled snapshot is the fallback (see
:mod:`depguard.popularity`).

Unknown stays unknown (``None``): it is never shown or scored as zero.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import quote

from depguard.registries.http import HttpClient, RegistryError

MAX_BYTES = 1024 * 1024


class PyPIStats:
    """pypistats' ``/packages/<name>/recent``: ``{"data": {"last_month": N, ...}}``."""

    def __init__(self, http: HttpClient, base_url: str) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")

    async def last_month(self, name: str) -> int | None:
        url = f"{self.base_url}/packages/{quote(name, safe='')}/recent?period=month"
        response = await self.http.get(
            url, max_bytes=MAX_BYTES, accept="application/json", retries=1
        )
        if response.status == 404:
            return None
        if response.status != 200:
            raise RegistryError(f"HTTP {response.status} from the downloads API")
        return _recent_month(response.body)


BULK_LIMIT = 128
"""The npm downloads API answers at most 128 unscoped names per bulk request."""


class NpmDownloads:
    """npm's ``/point/last-month/<name>`` and the bulk form ``/point/last-month/a,b,c``.

    Scoped names cannot be asked in bulk: they are asked one by one.
    """

    def __init__(self, http: HttpClient, base_url: str) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")

    async def last_month(self, names: list[str]) -> dict[str, int | None]:
        import asyncio

        unscoped = [n for n in names if not n.startswith("@")]
        batches: list[list[str]] = [
            unscoped[i : i + BULK_LIMIT] for i in range(0, len(unscoped), BULK_LIMIT)
        ]
        batches.extend([n] for n in names if n.startswith("@"))
        semaphore = asyncio.Semaphore(4)
        counts: dict[str, int | None] = {}

        async def one(batch: list[str]) -> None:
            async with semaphore:
                counts.update(await self._ask(batch))

        await asyncio.gather(*(one(batch) for batch in batches))
        return counts

    async def _ask(self, batch: list[str]) -> dict[str, int | None]:
        joined = ",".join(quote(n, safe="@/") for n in batch)
        response = await self.http.get(
            f"{self.base_url}/point/last-month/{joined}",
            max_bytes=MAX_BYTES,
            accept="application/json",
            retries=1,
        )
        if response.status == 404 and len(batch) == 1:
            return {batch[0]: None}
        if response.status != 200:
            raise RegistryError(f"HTTP {response.status} from the npm downloads API")
        try:
            document = json.loads(response.body)
        except ValueError:
            raise RegistryError("npm downloads API sent invalid JSON") from None
        if not isinstance(document, Mapping):
            raise RegistryError("npm downloads API answer is not an object")
        if len(batch) == 1:
            return {batch[0]: _count(document)}
        return {
            name: _count(record) if isinstance(record, Mapping) else None
            for name, record in ((n, document.get(n)) for n in batch)
        }


def _count(record: Mapping[str, object]) -> int | None:
    value = record.get("downloads")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def _recent_month(body: bytes | bytearray) -> int | None:
    try:
        document = json.loads(body)
    except ValueError:
        raise RegistryError("downloads API sent invalid JSON") from None
    data = document.get("data") if isinstance(document, Mapping) else None
    value = data.get("last_month") if isinstance(data, Mapping) else None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise RegistryError("downloads API answer has no data.last_month")

"""Recent download counts: the live API when reachable, else the bundled snapshot, else unknown.

Unknown stays unknown (``None``): it is never shown or scored as zero.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import quote

from depguard.model import Downloads, Ecosystem
from depguard.popularity import snapshot
from depguard.registries.http import HttpClient, RegistryError

MAX_BYTES = 1024 * 1024


def from_snapshot(ecosystem: Ecosystem, normalized: str) -> Downloads | None:
    """The bundled snapshot's figure, if the package is in it."""
    snap = snapshot(ecosystem)
    entry = snap.get(normalized)
    if entry is None:
        return None
    return Downloads(entry.downloads, snap.source, entry.rank)


def absent_from_snapshot(ecosystem: Ecosystem) -> Downloads:
    """What the snapshot says of a package it does not list: below its floor, count unknown."""
    return Downloads(None, f"not in {snapshot(ecosystem).source}")


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

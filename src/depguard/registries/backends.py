"""The registry backends the service uses: one kind per index API (:class:`depguard.indexes.Api`).

Each index of a run gets its own backend instance; adding an index type is one class here and
one entry in :data:`BACKENDS`."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import replace

from depguard.config import Settings
from depguard.indexes import Api, Index
from depguard.model import Ecosystem, Lookup, Vulnerability
from depguard.registries.downloads import NpmDownloads, PyPIStats
from depguard.registries.http import HttpClient, RegistryError
from depguard.registries.npm import NpmClient
from depguard.registries.pypi import PyPIClient
from depguard.registries.service import BackendFactory
from depguard.registries.simple import SimpleClient

DOWNLOADS_CONCURRENCY = 4
"""pypistats is rate-limited per address: ask it gently."""


class PyPIBackend:
    ecosystem = Ecosystem.PYPI

    def __init__(self, http: HttpClient, settings: Settings, index: Index) -> None:
        self.client = PyPIClient(http, index.url, settings.max_pypi_bytes)
        self.stats = PyPIStats(http, settings.pypistats_url)
        self.project_status = settings.project_status

    async def lookup(self, name: str) -> Lookup:
        lookup = await self.client.project(name)
        info = lookup.info
        if self.project_status and info is not None and info.status is None:
            # PEP 792 markers live only in the simple API: one more request per package.
            status, reason = await self.client.status(name, tolerate_errors=True)
            if status is not None:
                lookup = replace(lookup, info=replace(info, status=status, status_reason=reason))
        return lookup

    async def version_vulnerabilities(
        self, name: str, version: str
    ) -> tuple[Vulnerability, ...] | None:
        return await self.client.version_vulnerabilities(name, version)

    async def downloads(self, names: Sequence[str]) -> Mapping[str, int | None]:
        """Counts per name. The first transport failure stops the lot (raised to the caller)."""
        semaphore = asyncio.Semaphore(DOWNLOADS_CONCURRENCY)
        counts: dict[str, int | None] = {}
        failure: list[RegistryError] = []

        async def one(name: str) -> None:
            if failure:
                return
            async with semaphore:
                if failure:
                    return
                try:
                    counts[name] = await self.stats.last_month(name)
                except RegistryError as exc:
                    failure.append(exc)

        await asyncio.gather(*(one(name) for name in names))
        if failure and not counts:
            raise failure[0]
        return counts


def pypi_backend(
    http: HttpClient, settings: Settings, index: Index, authorization: str | None
) -> PyPIBackend:
    return PyPIBackend(http, settings, index)


class SimpleBackend:
    """A Python index known only through the simple API (private indexes): existence,
    versions, yanked files and upload times; no download counts or vulnerability lists."""

    ecosystem = Ecosystem.PYPI

    def __init__(
        self, http: HttpClient, settings: Settings, index: Index, authorization: str | None
    ) -> None:
        self.client = SimpleClient(http, index, settings.max_pypi_bytes, authorization)

    async def lookup(self, name: str) -> Lookup:
        return await self.client.project(name)

    async def version_vulnerabilities(
        self, name: str, version: str
    ) -> tuple[Vulnerability, ...] | None:
        return None

    async def downloads(self, names: Sequence[str]) -> Mapping[str, int | None]:
        return {}


class NpmBackend:
    ecosystem = Ecosystem.NPM

    def __init__(
        self, http: HttpClient, settings: Settings, index: Index, authorization: str | None
    ) -> None:
        self.client = NpmClient(
            http, index.url, settings.max_npm_bytes, authorization=authorization
        )
        self.stats = NpmDownloads(http, settings.npm_downloads_url)

    async def lookup(self, name: str) -> Lookup:
        from depguard.popularity import snapshot

        # A package on the bundled popularity list is established: its abbreviated document
        # says all that matters (see depguard.registries.npm).
        return await self.client.package(name, abbreviated=name in snapshot(Ecosystem.NPM))

    async def version_vulnerabilities(
        self, name: str, version: str
    ) -> tuple[Vulnerability, ...] | None:
        return None  # the npm registry serves no per-version vulnerability lists

    async def downloads(self, names: Sequence[str]) -> Mapping[str, int | None]:
        return await self.stats.last_month(list(names))


def npm_backend(
    http: HttpClient, settings: Settings, index: Index, authorization: str | None
) -> NpmBackend:
    return NpmBackend(http, settings, index, authorization)


def simple_backend(
    http: HttpClient, settings: Settings, index: Index, authorization: str | None
) -> SimpleBackend:
    return SimpleBackend(http, settings, index, authorization)


BACKENDS: dict[Api, BackendFactory] = {
    Api.PYPI_JSON: pypi_backend,
    Api.SIMPLE: simple_backend,
    Api.NPM: npm_backend,
}

"""The registry backends the service uses, one per ecosystem."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import replace

from depguard.config import Settings
from depguard.model import Ecosystem, Lookup, Vulnerability
from depguard.registries.downloads import NpmDownloads, PyPIStats
from depguard.registries.http import HttpClient, RegistryError
from depguard.registries.npm import NpmClient
from depguard.registries.pypi import PyPIClient

DOWNLOADS_CONCURRENCY = 4
"""pypistats is rate-limited per address: ask it gently."""


class PyPIBackend:
    ecosystem = Ecosystem.PYPI

    def __init__(self, http: HttpClient, settings: Settings) -> None:
        self.client = PyPIClient(http, settings.index_url, settings.max_pypi_bytes)
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


def pypi_backend(http: HttpClient, settings: Settings) -> PyPIBackend:
    return PyPIBackend(http, settings)


class NpmBackend:
    ecosystem = Ecosystem.NPM

    def __init__(self, http: HttpClient, settings: Settings) -> None:
        self.client = NpmClient(
            http, settings.npm_registry, settings.max_npm_bytes, settings.npm_scopes
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


def npm_backend(http: HttpClient, settings: Settings) -> NpmBackend:
    return NpmBackend(http, settings)

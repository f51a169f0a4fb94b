"""Gathering registry evidence for many packages: cache first, then the network, concurrently.

The warm path (everything cached and fresh) runs without asyncio or httpx being imported.
Misses are fetched with bounded concurrency. A package whose registry cannot be asked gets a
stale cached answer if one exists (marked stale), else an error lookup; it never silently
becomes "fine".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from depguard.cache import DOWNLOADS_TTL, FOUND_TTL, NOT_FOUND_TTL, VERSION_TTL, MetadataCache
from depguard.config import Settings
from depguard.model import (
    Downloads,
    Ecosystem,
    Lookup,
    LookupStatus,
    Package,
    PackageInfo,
    Vulnerability,
)
from depguard.names import is_valid
from depguard.npmrc import registry_for
from depguard.popularity import absent_from_snapshot, from_snapshot
from depguard.timeutil import utcnow

Key = tuple[Ecosystem, str]
Progress = Callable[[int], None]
UNREACHABLE_TTL = 3600.0


class Backend(Protocol):
    """One ecosystem's registry, as the service needs it."""

    ecosystem: Ecosystem

    async def lookup(self, name: str) -> Lookup: ...

    async def version_vulnerabilities(
        self, name: str, version: str
    ) -> tuple[Vulnerability, ...] | None: ...

    async def downloads(self, names: Sequence[str]) -> Mapping[str, int | None]: ...


BackendFactory = Callable[[Any, Settings], Backend]


def registry_scope(ecosystem: Ecosystem, settings: Settings) -> str:
    return settings.index_url if ecosystem is Ecosystem.PYPI else settings.npm_registry


def downloads_scope(ecosystem: Ecosystem, settings: Settings) -> str:
    return settings.pypistats_url if ecosystem is Ecosystem.PYPI else settings.npm_downloads_url


@dataclass
class Gathered:
    lookups: dict[Key, Lookup] = field(default_factory=dict)
    downloads: dict[Key, Downloads] = field(default_factory=dict)
    version_vulnerabilities: dict[Key, dict[str, tuple[Vulnerability, ...] | None]] = field(
        default_factory=dict
    )
    notices: list[str] = field(default_factory=list)
    fetched: int = 0


def needs_lookup(package: Package) -> bool:
    return package.from_index and is_valid(package.ecosystem, package.name)


class RegistryService:
    def __init__(
        self,
        settings: Settings,
        cache: MetadataCache,
        *,
        now: datetime | None = None,
        backends: Mapping[Ecosystem, BackendFactory] | None = None,
    ) -> None:
        self.settings = settings
        self.cache = cache
        self.now = now or utcnow()
        self.factories = dict(backends or default_backends())

    # -- cache keys -------------------------------------------------------------------------
    def _project_key(self, key: Key) -> str:
        kind = "project+status" if self.settings.project_status else "project"
        scope = registry_scope(key[0], self.settings)
        if key[0] is Ecosystem.NPM:
            scope = registry_for(key[1], scope, self.settings.npm_scopes)
        return f"{kind}|{key[0].value}|{scope}|{key[1]}"

    def _downloads_key(self, key: Key) -> str:
        return f"downloads|{key[0].value}|{downloads_scope(key[0], self.settings)}|{key[1]}"

    def _version_key(self, key: Key, version: str) -> str:
        scope = registry_scope(key[0], self.settings)
        return f"version-vulns|{key[0].value}|{scope}|{key[1]}|{version}"

    def _capability_key(self, ecosystem: Ecosystem, what: str) -> str:
        return f"capability|{ecosystem.value}|{registry_scope(ecosystem, self.settings)}|{what}"

    # -- the whole job ------------------------------------------------------------------------
    def gather(
        self,
        packages: Sequence[Package],
        *,
        live_downloads: bool = False,
        progress: Callable[[int], Progress | None] | None = None,
    ) -> Gathered:
        result = Gathered()
        to_fetch: list[Key] = []
        stale: dict[Key, Lookup] = {}
        for package in packages:
            key = (package.ecosystem, package.normalized)
            if not needs_lookup(package):
                result.lookups[key] = Lookup(LookupStatus.SKIPPED)
                continue
            cached = self._cached_lookup(key)
            if cached is not None and not cached.stale and not self.settings.refresh:
                result.lookups[key] = cached
            elif self.settings.offline:
                result.lookups[key] = cached or Lookup(LookupStatus.OFFLINE)
            else:
                if cached is not None:
                    stale[key] = cached
                to_fetch.append(key)

        def plan() -> tuple[list[Key], list[tuple[Key, str]]]:
            return (
                self._plan_downloads(packages, result, live_downloads),
                self._plan_versions(packages, result),
            )

        if to_fetch:
            import asyncio

            tick = progress(len(to_fetch)) if progress else None
            asyncio.run(self._fetch(to_fetch, stale, plan, result, tick))
        else:
            downloads_todo, versions_todo = plan()
            if downloads_todo or versions_todo:
                import asyncio

                asyncio.run(
                    self._fetch([], stale, lambda: (downloads_todo, versions_todo), result, None)
                )
        if self.cache.problem:
            result.notices.append(f"cache bypassed: {self.cache.problem}")
        return result

    # -- cache reads ---------------------------------------------------------------------------
    def _cached_lookup(self, key: Key) -> Lookup | None:
        entry = self.cache.get(self._project_key(key), self.now)
        if entry is None or not isinstance(entry.value, dict):
            return None
        try:
            status = LookupStatus(entry.value["status"])
            info_data = entry.value.get("info")
            info = PackageInfo.from_json(info_data) if info_data else None
        except (KeyError, ValueError, TypeError):
            return None
        return Lookup(
            status, info, from_cache=True, stale=not entry.fresh, fetched_at=entry.fetched_at
        )

    def _store_lookup(self, key: Key, lookup: Lookup) -> None:
        if lookup.status not in (LookupStatus.FOUND, LookupStatus.NOT_FOUND):
            return
        ttl = FOUND_TTL if lookup.status is LookupStatus.FOUND else NOT_FOUND_TTL
        value = {
            "status": lookup.status.value,
            "info": lookup.info.to_json() if lookup.info else None,
        }
        self.cache.set(self._project_key(key), value, ttl, self.now)

    def _plan_downloads(
        self, packages: Sequence[Package], result: Gathered, live: bool
    ) -> list[Key]:
        todo: list[Key] = []
        unreachable: set[Ecosystem] = set()
        for package in packages:
            key = (package.ecosystem, package.normalized)
            snap = from_snapshot(package.ecosystem, package.normalized)
            result.downloads[key] = snap or absent_from_snapshot(package.ecosystem)
            if not needs_lookup(package) or not self.settings.downloads_api:
                continue
            if snap is not None and not live:
                continue  # popular: the snapshot's figure is enough to judge by
            entry = self.cache.get(self._downloads_key(key), self.now)
            if entry is not None and (entry.fresh or self.settings.offline):
                value = entry.value
                if isinstance(value, dict) and ("last_month" in value):
                    count = value["last_month"]
                    result.downloads[key] = Downloads(
                        count if isinstance(count, int) else None,
                        str(value.get("source")),
                        snap.rank if snap else None,
                    )
                    continue
            if self.settings.offline or package.ecosystem in unreachable:
                continue
            marker = self.cache.get(
                self._capability_key(package.ecosystem, "downloads-down"), self.now
            )
            if marker is not None and marker.fresh:
                unreachable.add(package.ecosystem)
                continue
            todo.append(key)
        return todo

    def _plan_versions(
        self, packages: Sequence[Package], result: Gathered
    ) -> list[tuple[Key, str]]:
        """Pinned versions whose own vulnerability list is needed and not yet known."""
        todo: list[tuple[Key, str]] = []
        served: dict[Ecosystem, bool] = {}
        for package in packages:
            if package.ecosystem is not Ecosystem.PYPI or not package.pinned_versions:
                continue
            key = (package.ecosystem, package.normalized)
            for version in package.pinned_versions:
                entry = self.cache.get(self._version_key(key, version), self.now)
                if entry is not None and (entry.fresh or self.settings.offline):
                    vulns = _vulns_from_json(entry.value)
                    result.version_vulnerabilities.setdefault(key, {})[version] = vulns
                    continue
                if self.settings.offline:
                    continue
                if package.ecosystem not in served:
                    marker = self.cache.get(
                        self._capability_key(package.ecosystem, "no-version-documents"), self.now
                    )
                    served[package.ecosystem] = not (marker is not None and marker.fresh)
                if served[package.ecosystem]:
                    todo.append((key, version))
        return todo

    # -- network -------------------------------------------------------------------------------
    async def _fetch(
        self,
        to_fetch: list[Key],
        stale: dict[Key, Lookup],
        plan: Callable[[], tuple[list[Key], list[tuple[Key, str]]]],
        result: Gathered,
        tick: Progress | None,
    ) -> None:
        """Fetch the lookups; plan (and fetch) downloads and versions while they are in flight."""
        import asyncio

        from depguard.registries.http import HttpClient, RegistryError

        settings = self.settings
        async with HttpClient(
            concurrency=settings.concurrency,
            timeout=settings.timeout,
            retries=settings.retries,
            time_budget=settings.time_budget,
            ca_bundle=settings.ca_bundle,
        ) as http:
            backends = {eco: factory(http, settings) for eco, factory in self.factories.items()}

            async def one(key: Key) -> None:
                try:
                    lookup = await backends[key[0]].lookup(key[1])
                except RegistryError as exc:
                    previous = stale.get(key)
                    if previous is not None:
                        result.lookups[key] = Lookup(
                            previous.status,
                            previous.info,
                            error=str(exc),
                            from_cache=True,
                            stale=True,
                            fetched_at=previous.fetched_at,
                        )
                    else:
                        result.lookups[key] = Lookup(LookupStatus.ERROR, error=str(exc))
                else:
                    result.lookups[key] = lookup
                    self._store_lookup(key, lookup)
                    result.fetched += 1
                if tick:
                    tick(1)

            lookups = [asyncio.ensure_future(one(key)) for key in to_fetch]
            await asyncio.sleep(0)  # let the first requests go out before planning the rest
            downloads_todo, versions_todo = plan()
            downloads = self._fetch_downloads(backends, downloads_todo, result)
            await asyncio.gather(*lookups, downloads)
            await self._fetch_versions(backends, versions_todo, result)

    async def _fetch_downloads(
        self, backends: Mapping[Ecosystem, Backend], todo: list[Key], result: Gathered
    ) -> None:
        from depguard.registries.http import RegistryError

        by_ecosystem: dict[Ecosystem, list[str]] = {}
        for ecosystem, name in todo:
            by_ecosystem.setdefault(ecosystem, []).append(name)
        for ecosystem, names in by_ecosystem.items():
            try:
                counts = await backends[ecosystem].downloads(names)
            except RegistryError as exc:
                self.cache.set(
                    self._capability_key(ecosystem, "downloads-down"),
                    True,
                    UNREACHABLE_TTL,
                    self.now,
                )
                result.notices.append(
                    f"{ecosystem.index_label} download counts: live API unavailable ({exc}); "
                    "using the bundled snapshot"
                )
                continue
            source = f"{ecosystem.index_label} downloads API"
            for name, count in counts.items():
                key = (ecosystem, name)
                previous = result.downloads.get(key)
                if count is None and previous is not None and previous.last_month is not None:
                    continue  # the API does not know it: the snapshot's figure stands
                rank = previous.rank if previous else None
                result.downloads[key] = Downloads(
                    count, source if count is not None else "unknown (not in downloads API)", rank
                )
                self.cache.set(
                    self._downloads_key(key),
                    {"last_month": count, "source": result.downloads[key].source},
                    DOWNLOADS_TTL,
                    self.now,
                )

    async def _fetch_versions(
        self,
        backends: Mapping[Ecosystem, Backend],
        todo: list[tuple[Key, str]],
        result: Gathered,
    ) -> None:
        import asyncio

        from depguard.registries.http import RegistryError

        todo = [
            (key, version)
            for key, version in todo
            if (lookup := result.lookups.get(key)) is not None
            and lookup.info is not None
            and version in lookup.info.versions
            and version != lookup.info.latest_version
        ]
        if not todo:
            return

        async def one(key: Key, version: str) -> bool | None:
            try:
                vulns = await backends[key[0]].version_vulnerabilities(key[1], version)
            except RegistryError:
                return None
            if vulns is None:
                return False
            result.version_vulnerabilities.setdefault(key, {})[version] = vulns
            self.cache.set(
                self._version_key(key, version), [v.to_json() for v in vulns], VERSION_TTL, self.now
            )
            return True

        # Probe with one request: mirrors often do not serve per-version documents at all.
        first = await one(*todo[0])
        if first is False:
            self.cache.set(
                self._capability_key(todo[0][0][0], "no-version-documents"),
                True,
                VERSION_TTL,
                self.now,
            )
            return
        await asyncio.gather(*(one(key, version) for key, version in todo[1:]))


def _vulns_from_json(value: object) -> tuple[Vulnerability, ...] | None:
    if not isinstance(value, list):
        return None
    try:
        return tuple(Vulnerability.from_json(v) for v in value if isinstance(v, dict))
    except (KeyError, TypeError):
        return None


def default_backends() -> dict[Ecosystem, BackendFactory]:
    from depguard.registries.backends import npm_backend, pypi_backend

    return {Ecosystem.PYPI: pypi_backend, Ecosystem.NPM: npm_backend}

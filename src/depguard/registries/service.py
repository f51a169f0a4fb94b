"""Gathering registry evidence for many packages: cache first, then the network, concurrently.

The warm path (everything cached and fresh) runs without asyncio or httpx being imported.
Misses are fetched with bounded concurrency. A package whose registry cannot be asked gets a
stale cached answer if one exists (marked stale), else an error lookup; it never silently
becomes "fine".

The service is given the run's :class:`~depguard.indexes.Indexes`: each name is asked of the
index that serves it (an internal name of its private index), and every internal name is also
asked of its ecosystem's public index, the "public twin" dependency confusion is judged on.
Cache keys name the index by its URL, which never carries credentials.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from depguard.cache import DOWNLOADS_TTL, FOUND_TTL, NOT_FOUND_TTL, VERSION_TTL, Cache
from depguard.config import Settings
from depguard.deadline import CHECK, Deadline, resolve
from depguard.indexes import Api, Index, Indexes, split_userinfo
from depguard.model import (
    Downloads,
    Ecosystem,
    Lookup,
    LookupStatus,
    Package,
    PackageInfo,
    Vulnerability,
)
from depguard.names import is_valid, normalize
from depguard.popularity import absent_from_snapshot, from_snapshot
from depguard.timeutil import utcnow

Key = tuple[Ecosystem, str]
Job = tuple[Key, "Index", dict[Key, Lookup]]
"""One question: a name, the index to ask, and where the answer goes."""
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


BackendFactory = Callable[[Any, Settings, Index, "str | None"], Backend]
"""(HTTP client, settings, the index, its Authorization header or None) -> a backend."""


def scope(url: str) -> str:
    """A registry's URL as cache keys hold it: never with credentials."""
    return split_userinfo(url)[0]


def downloads_scope(ecosystem: Ecosystem, settings: Settings) -> str:
    url = settings.pypistats_url if ecosystem is Ecosystem.PYPI else settings.npm_downloads_url
    return scope(url)


@dataclass
class Gathered:
    lookups: dict[Key, Lookup] = field(default_factory=dict)
    downloads: dict[Key, Downloads] = field(default_factory=dict)
    version_vulnerabilities: dict[Key, dict[str, tuple[Vulnerability, ...] | None]] = field(
        default_factory=dict
    )
    notices: list[str] = field(default_factory=list)
    served_by: dict[Key, Index | None] = field(default_factory=dict)
    """The index each looked-up name was asked of (None: an internal name no index serves)."""
    public_twins: dict[Key, Lookup] = field(default_factory=dict)
    """For internal names: what the public index says of the same name."""
    private: set[Key] = field(default_factory=set)
    """Internal names (``private`` patterns, or owned by a private index)."""


def needs_lookup(package: Package) -> bool:
    return package.from_index and is_valid(package.ecosystem, package.name)


class RegistryService:
    def __init__(
        self,
        settings: Settings,
        cache: Cache,
        *,
        now: datetime | None = None,
        indexes: Indexes | None = None,
        backends: Mapping[Api, BackendFactory] | None = None,
        deadline: Deadline | None = None,
    ) -> None:
        from depguard.config import indexes_of

        self.settings = settings
        self.cache = cache
        self.now = now or utcnow()
        self.indexes = indexes or indexes_of(settings)
        self.deadline = deadline or resolve(settings.deadline, CHECK)
        self.factories = dict(backends or default_backends())

    # -- cache keys -------------------------------------------------------------------------
    def _project_key(self, key: Key, index: Index) -> str:
        kind = "project+status" if self.settings.project_status else "project"
        if index.api is Api.SIMPLE:
            kind = "simple"
        return f"{kind}|{key[0].value}|{scope(index.url)}|{key[1]}"

    def _downloads_key(self, key: Key) -> str:
        return f"downloads|{key[0].value}|{downloads_scope(key[0], self.settings)}|{key[1]}"

    def _version_key(self, key: Key, version: str) -> str:
        index = scope(self.indexes.public(key[0]).url)
        return f"version-vulns|{key[0].value}|{index}|{key[1]}|{version}"

    def _capability_key(self, ecosystem: Ecosystem, what: str) -> str:
        return f"capability|{ecosystem.value}|{scope(self.indexes.public(ecosystem).url)}|{what}"

    def _jobs(self, package: Package, result: Gathered) -> list[Job]:
        """What to ask about one package: its serving index, and for an internal name the
        public index too."""
        key = (package.ecosystem, package.normalized)
        serving = self.indexes.serving(*key)
        result.served_by[key] = serving
        jobs: list[Job] = []
        if serving is None:
            result.lookups[key] = Lookup(LookupStatus.NOT_FOUND)
        else:
            jobs.append((key, serving, result.lookups))
        if self.indexes.is_private(*key):
            result.private.add(key)
            public = self.indexes.public(package.ecosystem)
            if serving is None or public.url != serving.url:
                jobs.append((key, public, result.public_twins))
        return jobs

    # -- the whole job ------------------------------------------------------------------------
    def gather(
        self,
        packages: Sequence[Package],
        *,
        live_downloads: bool = False,
        progress: Callable[[int], Progress | None] | None = None,
    ) -> Gathered:
        result = Gathered()
        to_fetch: list[Job] = []
        stale: dict[tuple[Key, str], Lookup] = {}
        jobs = {
            (package.ecosystem, package.normalized): self._jobs(package, result)
            for package in packages
            if needs_lookup(package)
        }
        self.cache.prefetch(self._keys_needed(packages, jobs, live_downloads), self.now)
        for package in packages:
            key = (package.ecosystem, package.normalized)
            if not needs_lookup(package):
                result.lookups[key] = Lookup(LookupStatus.SKIPPED)
                continue
            for job in jobs[key]:
                self._from_cache(job, to_fetch, stale)

        def plan() -> tuple[list[Key], list[tuple[Key, str]]]:
            return (
                self._plan_downloads(packages, result, live_downloads),
                self._plan_versions(packages, result),
            )

        if to_fetch:
            tick = progress(len(to_fetch)) if progress else None
            self._within_deadline(self._fetch(to_fetch, stale, plan, result, tick), to_fetch, stale)
        else:
            downloads_todo, versions_todo = plan()
            if downloads_todo or versions_todo:
                self._within_deadline(
                    self._fetch([], stale, lambda: (downloads_todo, versions_todo), result, None)
                )
        self._ask_fallbacks(result)
        return result

    def _keys_needed(
        self, packages: Sequence[Package], jobs: Mapping[Key, list[Job]], live: bool
    ) -> list[str]:
        """Every cache key this run may read, to be read in one go (one round trip)."""
        keys = [self._project_key(key, index) for found in jobs.values() for key, index, _ in found]
        ecosystems: set[Ecosystem] = set()
        for package in packages:
            key = (package.ecosystem, package.normalized)
            if key not in jobs:
                continue
            ecosystems.add(package.ecosystem)
            if self.settings.downloads_api and (
                live or from_snapshot(package.ecosystem, package.normalized) is None
            ):
                keys.append(self._downloads_key(key))
            if package.ecosystem is Ecosystem.PYPI:
                keys.extend(self._version_key(key, v) for v in package.pinned_versions)
        for ecosystem in ecosystems:
            keys.append(self._capability_key(ecosystem, "downloads-down"))
            keys.append(self._capability_key(ecosystem, "no-version-documents"))
        return keys

    def _within_deadline(
        self,
        work: Coroutine[Any, Any, None],
        jobs: Sequence[Job] = (),
        stale: Mapping[tuple[Key, str], Lookup] | None = None,
    ) -> None:
        """Run the network part; a job with no answer when the deadline comes gets an error
        saying so (or its stale cached answer, marked stale)."""
        import asyncio

        async def bounded() -> None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(work, timeout=max(0.01, self.deadline.for_registry()))

        asyncio.run(bounded())
        for key, index, slot in jobs:
            if key not in slot:
                slot[key] = _failed((stale or {}).get((key, index.url)), self.deadline.message)

    def _from_cache(
        self, job: Job, to_fetch: list[Job], stale: dict[tuple[Key, str], Lookup]
    ) -> None:
        """Answer ``job`` from the cache when it can; else queue it (with any stale answer)."""
        key, index, slot = job
        cached = self._cached_lookup(key, index)
        if cached is not None and not cached.stale and not self.settings.refresh:
            slot[key] = cached
        elif self.settings.offline:
            slot[key] = cached or Lookup(LookupStatus.OFFLINE)
        else:
            if cached is not None:
                stale[(key, index.url)] = cached
            to_fetch.append(job)

    def _ask_fallbacks(self, result: Gathered) -> None:
        """A name the public index does not know is asked of the private indexes that claim
        no names (``private_index_url``, a project's ``--extra-index-url``): found there, it is
        an internal package, judged against that index, its public lookup kept as its twin."""
        slots: list[Job] = []
        for key, lookup in list(result.lookups.items()):
            if lookup.status is not LookupStatus.NOT_FOUND or key in result.private:
                continue
            for index in self.indexes.private_indexes(key[0]):
                if not index.owns:
                    slots.append((key, index, {}))
        if not slots:
            return
        to_fetch: list[Job] = []
        stale: dict[tuple[Key, str], Lookup] = {}
        for job in slots:
            self._from_cache(job, to_fetch, stale)
        if to_fetch:
            self._within_deadline(
                self._fetch(to_fetch, stale, lambda: ([], []), result, None), to_fetch, stale
            )
        chosen: dict[Key, tuple[Index, Lookup]] = {}
        for key, index, slot in slots:
            found = slot.get(key)
            if found is None or found.status is LookupStatus.NOT_FOUND:
                continue
            # Found, or the private index could not say (401, 500): either way it is its
            # to answer, and an error there fails closed.
            if key not in chosen or (
                found.status is LookupStatus.FOUND
                and chosen[key][1].status is not LookupStatus.FOUND
            ):
                chosen[key] = (index, found)
        for key, (index, found) in chosen.items():
            result.public_twins[key] = result.lookups[key]
            result.lookups[key] = found
            result.served_by[key] = index
            result.private.add(key)
            result.downloads[key] = Downloads.unknown()

    # -- cache reads ---------------------------------------------------------------------------
    def _cached_lookup(self, key: Key, index: Index) -> Lookup | None:
        entry = self.cache.get(self._project_key(key, index), self.now)
        if entry is None or not isinstance(entry.value, dict):
            return None
        try:
            status = LookupStatus(entry.value["status"])
            info_data = entry.value.get("info")
            info = PackageInfo.from_json(info_data) if info_data else None
        except (KeyError, ValueError, TypeError, AttributeError):
            return None
        if not plausible(key, status, info, entry.fetched_at):
            return None  # not what depguard writes: a miss, asked again
        return Lookup(
            status, info, from_cache=True, stale=not entry.fresh, fetched_at=entry.fetched_at
        )

    def _store_lookup(self, key: Key, index: Index, lookup: Lookup) -> None:
        if lookup.status not in (LookupStatus.FOUND, LookupStatus.NOT_FOUND):
            return
        ttl = FOUND_TTL if lookup.status is LookupStatus.FOUND else NOT_FOUND_TTL
        value = {
            "status": lookup.status.value,
            "info": lookup.info.to_json() if lookup.info else None,
        }
        self.cache.set(self._project_key(key, index), value, ttl, self.now)

    def _plan_downloads(
        self, packages: Sequence[Package], result: Gathered, live: bool
    ) -> list[Key]:
        todo: list[Key] = []
        unreachable: set[Ecosystem] = set()
        for package in packages:
            key = (package.ecosystem, package.normalized)
            snap = from_snapshot(package.ecosystem, package.normalized)
            if self.indexes.is_private(*key):
                result.downloads[key] = Downloads.unknown()  # no public popularity for these
                continue
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
            if self.indexes.is_private(*key):
                continue
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
        to_fetch: list[Job],
        stale: dict[tuple[Key, str], Lookup],
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
            time_budget=min(settings.time_budget, self.deadline.for_registry()),
            ca_bundle=settings.ca_bundle,
            budget_message=self.deadline.message,
        ) as http:
            made: dict[Index, Backend] = {}

            def backend(index: Index) -> Backend:
                if index not in made:
                    made[index] = self._backend(http, index)
                return made[index]

            backends = {eco: backend(self.indexes.public(eco)) for eco in Ecosystem}

            async def one(job: Job) -> None:
                key, index, slot = job
                try:
                    lookup = await backend(index).lookup(key[1])
                except RegistryError as exc:
                    slot[key] = _failed(stale.get((key, index.url)), str(exc))
                else:
                    slot[key] = lookup
                    self._store_lookup(key, index, lookup)
                if tick:
                    tick(1)

            lookups = [asyncio.ensure_future(one(job)) for job in to_fetch]
            await asyncio.sleep(0)  # let the first requests go out before planning the rest
            downloads_todo, versions_todo = plan()
            downloads = self._fetch_downloads(backends, downloads_todo, result)
            await asyncio.gather(*lookups, downloads)
            await self._fetch_versions(backends, versions_todo, result)

    def _backend(self, http: Any, index: Index) -> Backend:
        authorization = None
        if index.private:
            from pathlib import Path

            from depguard.credentials import authorization as credentials_for

            authorization = credentials_for(index, root=Path(self.settings.root))
        return self.factories[index.api](http, self.settings, index, authorization)

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


EARLIEST = datetime(1999, 1, 1, tzinfo=timezone.utc)
"""Older than any package index: a date before it is not a registry's."""


def plausible(key: Key, status: LookupStatus, info: PackageInfo | None, fetched: datetime) -> bool:
    """Whether cached facts could be what depguard wrote for ``key``: the same name and
    ecosystem, fields of the right types, dates in order and not after they were fetched."""
    if status not in (LookupStatus.FOUND, LookupStatus.NOT_FOUND):
        return False
    if info is None:
        return status is LookupStatus.NOT_FOUND
    if info.ecosystem is not key[0] or normalize(key[0], info.name) != key[1]:
        return False
    if info.exists is not (status is LookupStatus.FOUND):
        return False
    if info.releases is not None and (type(info.releases) is not int or info.releases < 0):
        return False
    if not all(type(v) is str for v in info.versions):
        return False
    if info.maintainers is not None and not all(type(m) is str for m in info.maintainers):
        return False
    dates = [d for d in (info.created, info.latest_release) if d is not None]
    if any(not EARLIEST <= d <= fetched + timedelta(days=1) for d in dates):
        return False
    return not (
        info.created is not None
        and info.latest_release is not None
        and info.created > info.latest_release + timedelta(days=1)
    )


def _failed(previous: Lookup | None, error: str) -> Lookup:
    """No answer: the stale cached one if there is one (marked stale), else an error."""
    if previous is None:
        return Lookup(LookupStatus.ERROR, error=error)
    return Lookup(
        previous.status,
        previous.info,
        error=error,
        from_cache=True,
        stale=True,
        fetched_at=previous.fetched_at,
    )


def _vulns_from_json(value: object) -> tuple[Vulnerability, ...] | None:
    if not isinstance(value, list):
        return None
    try:
        return tuple(Vulnerability.from_json(v) for v in value if isinstance(v, dict))
    except (KeyError, TypeError):
        return None


def default_backends() -> dict[Api, BackendFactory]:
    from depguard.registries.backends import BACKENDS

    return dict(BACKENDS)

"""The metadata cache: derived registry facts (never whole documents), as our own JSON records.

A cache is a :class:`Store` (a backend: get many / put many records) behind :class:`Cache`,
which owns the freshness policy and a write buffer. Backends are declared in :data:`BACKENDS`
(one module and one line to add one): diskcache on the local disk is the embedded default;
Redis (or Valkey) is the shared one, always behind a local tier (:mod:`depguard.cache.tiers`).

Entries are JSON records (``fetched_at``, ``ttl``, ``value``), keyed by kind, registry URL
(without credentials) and name. Freshness is decided here, per record, so a stale entry can
still be used when the registry is unreachable (and is then marked stale). Nothing is ever
unpickled. A store that cannot be opened, read or written is reported once and bypassed; it
never stops a run.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from depguard.timeutil import utcnow

if TYPE_CHECKING:
    from depguard.config import Settings

HOUR = 3600.0
FOUND_TTL = 24 * HOUR
"""How long facts about an existing package stay fresh."""
NOT_FOUND_TTL = 1 * HOUR
"""How long "does not exist" stays fresh: squatters register hallucinated names quickly."""
DOWNLOADS_TTL = 24 * HOUR
VERSION_TTL = 24 * HOUR

RETENTION = 30 * 24 * HOUR
"""How long the local tier keeps an entry at all (stale entries serve only when offline or
the registry is unreachable)."""

SCHEMA = 2
"""Bumped when cached facts change shape (older entries are then simply not found): 2 added
release files, dependencies and the description head, which a version-1 entry would read as
unknown."""


def default_cache_dir() -> Path:
    """The platform's user cache directory, with a ``depguard`` folder."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "depguard" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "depguard"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "depguard"


@dataclass(frozen=True)
class Record:
    """One cached fact, as every backend stores it."""

    value: object
    fetched_at: datetime
    ttl: float

    def fresh(self, now: datetime) -> bool:
        """The freshness policy: younger than its time to live (and not from the future)."""
        age = (now - self.fetched_at).total_seconds()
        return 0 <= age < self.ttl

    def remaining(self, now: datetime) -> float:
        """Seconds of freshness left (what a store that expires entries keeps it for)."""
        return self.ttl - (now - self.fetched_at).total_seconds()


@dataclass(frozen=True)
class Entry:
    value: object
    fetched_at: datetime
    fresh: bool


class Store(Protocol):
    """A cache backend: records by key, many at a time. Never raises: a failure becomes a
    notice (one line, no credential) and the store answers nothing from then on."""

    def notices(self) -> list[str]:
        """What went wrong, once each, for the report."""
        ...

    @property
    def directory(self) -> Path | None:
        """A local directory where larger derived files may be kept, if this store has one."""
        ...

    def get_many(self, keys: Sequence[str], now: datetime) -> dict[str, Record]: ...

    def put_many(self, records: Mapping[str, Record], now: datetime) -> None: ...

    def close(self) -> None: ...


class Cache:
    """What the rest of depguard uses: reads through a store (each key asked at most once a
    run), the freshness policy, and writes buffered until :meth:`flush`."""

    def __init__(self, store: Store | None) -> None:
        self.store = store
        self._seen: dict[str, Record | None] = {}
        self._pending: dict[str, Record] = {}

    @property
    def enabled(self) -> bool:
        return self.store is not None

    @property
    def directory(self) -> Path | None:
        return self.store.directory if self.store is not None else None

    def prefetch(self, keys: Iterable[str], now: datetime | None = None) -> None:
        """Read ``keys`` in one go (one round trip for a shared store); later :meth:`get`
        calls for them cost nothing."""
        if self.store is None:
            return
        wanted = [k for k in dict.fromkeys(keys) if k not in self._seen and k not in self._pending]
        if not wanted:
            return
        found = self.store.get_many(wanted, now or utcnow())
        for key in wanted:
            self._seen[key] = found.get(key)

    def get(self, key: str, now: datetime | None = None) -> Entry | None:
        """The entry under ``key`` with its freshness, or None (a damaged entry is a miss)."""
        if self.store is None:
            return None
        now = now or utcnow()
        record = self._pending.get(key)
        if record is None:
            if key not in self._seen:
                self.prefetch([key], now)
            record = self._seen.get(key)
        if record is None:
            return None
        return Entry(record.value, record.fetched_at, record.fresh(now))

    def set(self, key: str, value: object, ttl: float, now: datetime | None = None) -> None:
        """Remember ``value``; written by :meth:`flush` (or :meth:`close`)."""
        if self.store is None:
            return
        self._pending[key] = Record(value, now or utcnow(), ttl)

    def flush(self) -> None:
        """Write pending entries in one batch (one transaction, one round trip)."""
        if not self._pending or self.store is None:
            return
        pending, self._pending = self._pending, {}
        self._seen.update(pending)
        self.store.put_many(pending, utcnow())

    def close(self) -> None:
        self.flush()
        if self.store is not None:
            self.store.close()

    def notices(self) -> list[str]:
        return self.store.notices() if self.store is not None else []


StoreFactory = Callable[[str, "Settings"], Store]


def _redis(url: str, settings: Settings) -> Store:
    from depguard.cache.redis_store import RedisStore

    return RedisStore(url, settings)


BACKENDS: dict[str, StoreFactory] = {"redis": _redis, "rediss": _redis, "unix": _redis}
"""Shared backends by URL scheme. The local tier (diskcache) is always there unless
``--no-cache``."""


def local_cache(directory: Path | None) -> Cache:
    """A cache on the local disk only (``directory`` or the platform's default)."""
    from depguard.cache.disk import DiskStore

    return Cache(DiskStore(directory or default_cache_dir()))


def open_cache(settings: Settings, *, shared: bool = True) -> Cache:
    """The cache ``settings`` ask for: none, local, or local in front of a shared store."""
    if not settings.use_cache:
        return Cache(None)
    from depguard.cache.disk import DiskStore

    local = DiskStore(Path(settings.cache_dir) if settings.cache_dir else default_cache_dir())
    if not shared or not settings.cache_url:
        return Cache(local)
    from depguard.cache.tiers import TieredStore

    scheme = settings.cache_url.split(":", 1)[0].lower()
    return Cache(TieredStore(local, BACKENDS[scheme](settings.cache_url, settings)))

"""The metadata cache: derived registry facts (never whole documents), kept with diskcache.

Entries are JSON, keyed by kind, registry URL and name. Freshness is decided here, per kind,
so a stale entry can still be used when the registry is unreachable (and is then marked stale).
The cache never unpickles: a cache directory restored from somewhere untrusted cannot run code.
A cache that cannot be opened or read is reported once and bypassed; it never stops a run.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from depguard.timeutil import parse_timestamp, utcnow

HOUR = 3600.0
FOUND_TTL = 24 * HOUR
"""How long facts about an existing package stay fresh."""
NOT_FOUND_TTL = 1 * HOUR
"""How long "does not exist" stays fresh: squatters register hallucinated names quickly."""
DOWNLOADS_TTL = 24 * HOUR
VERSION_TTL = 24 * HOUR

RETENTION = 30 * 24 * HOUR
"""How long diskcache keeps an entry at all (stale entries serve only when offline or the
registry is unreachable)."""

SCHEMA = 2
"""Bumped when cached facts change shape: 2 added release files, dependencies and the
description head, which a version-1 entry would read as unknown."""


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
class Entry:
    value: Any
    fetched_at: datetime
    fresh: bool


class MetadataCache:
    """A small facade over diskcache that fails soft."""

    def __init__(self, directory: Path | None, *, enabled: bool = True) -> None:
        self.directory = directory or default_cache_dir()
        self.enabled = enabled
        self.problem: str | None = None
        self._cache: Any = None
        self._pending: dict[str, bytes] = {}

    def _open(self) -> Any:
        if not self.enabled:
            return None
        if self._cache is None:
            try:
                import diskcache

                self._cache = diskcache.Cache(
                    str(self.directory), timeout=10, disk=_safe_disk_class()
                )
            except Exception as exc:  # sqlite3.Error, OSError, corrupt files...
                self._fail(f"cannot open cache at {self.directory}: {_describe(exc)}")
                return None
        return self._cache

    def _fail(self, message: str) -> None:
        self.problem = message
        self.enabled = False
        self._close_quietly()

    def get(self, key: str, now: datetime | None = None) -> Entry | None:
        """The entry under ``key`` with its freshness, or None (a damaged entry is a miss)."""
        cache = self._open()
        if cache is None:
            return None
        try:
            raw = self._pending.get(f"v{SCHEMA}|{key}") or cache.get(f"v{SCHEMA}|{key}")
        except Exception as exc:
            self._fail(f"cannot read cache at {self.directory}: {_describe(exc)}")
            return None
        if not isinstance(raw, (bytes, str)):
            return None
        try:
            record = json.loads(raw)
            fetched = parse_timestamp(record["fetched_at"])
            ttl = float(record["ttl"])
        except (ValueError, KeyError, TypeError):
            return None
        if fetched is None:
            return None
        age = ((now or utcnow()) - fetched).total_seconds()
        return Entry(record.get("value"), fetched, 0 <= age < ttl)

    def set(self, key: str, value: Any, ttl: float, now: datetime | None = None) -> None:
        """Remember ``value``; written to disk by :meth:`flush` (or :meth:`close`)."""
        if not self.enabled:
            return
        record = {"fetched_at": (now or utcnow()).isoformat(), "ttl": ttl, "value": value}
        self._pending[f"v{SCHEMA}|{key}"] = json.dumps(record, separators=(",", ":")).encode()

    def flush(self) -> None:
        """Write pending entries in one transaction (one fsync, not one per package)."""
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        cache = self._open()
        if cache is None:
            return
        try:
            with cache.transact():
                for key, raw in pending.items():
                    cache.set(key, raw, expire=RETENTION)
        except Exception as exc:
            self._fail(f"cannot write cache at {self.directory}: {_describe(exc)}")

    def close(self) -> None:
        self.flush()
        self._close_quietly()

    def _close_quietly(self) -> None:
        if self._cache is not None:
            with contextlib.suppress(Exception):  # a broken cache must not fail a run
                self._cache.close()
            self._cache = None


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


_SAFE_DISK: type | None = None


def _safe_disk_class() -> type:
    """A diskcache Disk that refuses pickled keys and values."""
    global _SAFE_DISK  # noqa: PLW0603 - built once, lazily, to keep diskcache's import lazy
    if _SAFE_DISK is None:
        import diskcache

        class SafeDisk(diskcache.Disk):  # type: ignore[misc]
            def get(self, key: Any, raw: bool) -> Any:
                if not raw:
                    raise ValueError("refusing a pickled cache key")
                return super().get(key, raw)

            def fetch(self, mode: int, filename: Any, value: Any, read: bool) -> Any:
                if mode == diskcache.core.MODE_PICKLE:
                    raise ValueError("refusing a pickled cache value")
                return super().fetch(mode, filename, value, read)

        _SAFE_DISK = SafeDisk
    return _SAFE_DISK

"""The local tier: records in a diskcache directory (SQLite), written in one transaction.

The directory may be restored from somewhere untrusted (a CI cache): the disk class refuses
pickled keys and values, so nothing in it can run code, and a damaged record is a miss.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from depguard.cache import RETENTION, SCHEMA, Record
from depguard.cache.records import decode, encode


class DiskStore:
    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._problem: str | None = None
        self._cache: Any = None

    @property
    def directory(self) -> Path | None:
        return self._directory if self._problem is None else None

    def notices(self) -> list[str]:
        return [f"cache bypassed: {self._problem}"] if self._problem else []

    def _open(self) -> Any:
        if self._problem is not None:
            return None
        if self._cache is None:
            try:
                import diskcache

                self._cache = diskcache.Cache(
                    str(self._directory), timeout=10, disk=_safe_disk_class()
                )
            except Exception as exc:  # sqlite3.Error, OSError, corrupt files...
                self._fail(f"cannot open cache at {self._directory}: {describe(exc)}")
                return None
        return self._cache

    def _fail(self, message: str) -> None:
        self._problem = message
        self.close()

    def get_many(self, keys: Sequence[str], now: datetime) -> dict[str, Record]:
        cache = self._open()
        if cache is None:
            return {}
        found: dict[str, Record] = {}
        try:
            for key in keys:
                record = decode(cache.get(f"v{SCHEMA}|{key}"))
                if record is not None:
                    found[key] = record
        except Exception as exc:
            self._fail(f"cannot read cache at {self._directory}: {describe(exc)}")
            return {}
        return found

    def put_many(self, records: Mapping[str, Record], now: datetime) -> None:
        """All in one transaction (one fsync, not one per package)."""
        if not records:
            return
        cache = self._open()
        if cache is None:
            return
        try:
            with cache.transact():
                for key, record in records.items():
                    cache.set(f"v{SCHEMA}|{key}", encode(record), expire=RETENTION)
        except Exception as exc:
            self._fail(f"cannot write cache at {self._directory}: {describe(exc)}")

    def close(self) -> None:
        if self._cache is not None:
            with contextlib.suppress(Exception):  # a broken cache must not fail a run
                self._cache.close()
            self._cache = None


def describe(exc: BaseException) -> str:
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

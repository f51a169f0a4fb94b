"""Two tiers: the local store in front of a shared one.

Fresh local hits cost nothing; what the local tier lacks (or holds only stale) is asked of the
shared tier in one batch, and shared hits fill the local tier. Writes go to both. The local
tier keeps stale entries for offline runs; the shared one only ever serves fresh entries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from depguard.cache import Record, Store


class TieredStore:
    def __init__(self, local: Store, shared: Store) -> None:
        self.local = local
        self.shared = shared

    @property
    def directory(self) -> Path | None:
        return self.local.directory

    def notices(self) -> list[str]:
        return [*self.local.notices(), *self.shared.notices()]

    def get_many(self, keys: Sequence[str], now: datetime) -> dict[str, Record]:
        found = self.local.get_many(keys, now)
        wanted = [k for k in keys if k not in found or not found[k].fresh(now)]
        if not wanted:
            return found
        shared = self.shared.get_many(wanted, now)
        if shared:
            found.update(shared)
            self.local.put_many(shared, now)
        return found

    def put_many(self, records: Mapping[str, Record], now: datetime) -> None:
        self.local.put_many(records, now)
        self.shared.put_many(records, now)

    def close(self) -> None:
        self.local.close()
        self.shared.close()

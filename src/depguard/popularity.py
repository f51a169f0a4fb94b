"""The bundled popularity snapshots (see ``depguard/data/SOURCES.md``), loaded lazily once."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from depguard.model import Ecosystem
from depguard.names import normalize

_FILES = {Ecosystem.PYPI: "pypi-popular.tsv", Ecosystem.NPM: "npm-popular.tsv"}


@dataclass(frozen=True)
class Popular:
    name: str
    rank: int
    downloads: int | None


@dataclass(frozen=True)
class Snapshot:
    ecosystem: Ecosystem
    date: str
    entries: dict[str, Popular]

    def get(self, normalized: str) -> Popular | None:
        return self.entries.get(normalized)

    def __contains__(self, normalized: object) -> bool:
        return normalized in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def source(self) -> str:
        return f"snapshot {self.date}"


@functools.cache
def snapshot(ecosystem: Ecosystem) -> Snapshot:
    text = resources.files("depguard.data").joinpath(_FILES[ecosystem]).read_text("utf-8")
    return parse_snapshot(ecosystem, text)


def parse_snapshot(ecosystem: Ecosystem, text: str) -> Snapshot:
    entries: dict[str, Popular] = {}
    date = "unknown"
    rank = 0
    for line in text.splitlines():
        if line.startswith("#"):
            if line.startswith("# snapshot-date:"):
                date = line.split(":", 1)[1].strip()
            continue
        fields = line.split("\t")
        if not fields[0]:
            continue
        rank += 1
        downloads = None
        if ecosystem is Ecosystem.PYPI and len(fields) > 1 and fields[1].isdigit():
            downloads = int(fields[1])
        elif ecosystem is Ecosystem.NPM and len(fields) > 1 and fields[1].isdigit():
            rank = int(fields[1])
        key = normalize(ecosystem, fields[0])
        entries.setdefault(key, Popular(fields[0], rank, downloads))
    return Snapshot(ecosystem, date, entries)

"""The bundled popularity snapshots (see ``depguard/data/SOURCES.md``), loaded lazily once."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

from depguard.model import Downloads, Ecosystem
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
    entries: dict[str, tuple[str, int, int | None]]
    """normalized name -> (name as listed, rank, downloads or None)"""

    def get(self, normalized: str) -> Popular | None:
        entry = self.entries.get(normalized)
        return None if entry is None else Popular(*entry)

    def __contains__(self, normalized: object) -> bool:
        return normalized in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Popular]:
        return (Popular(*entry) for entry in self.entries.values())

    @property
    def source(self) -> str:
        return f"snapshot {self.date}"


@functools.cache
def snapshot(ecosystem: Ecosystem) -> Snapshot:
    text = resources.files("depguard.data").joinpath(_FILES[ecosystem]).read_text("utf-8")
    return parse_snapshot(ecosystem, text)


def parse_snapshot(ecosystem: Ecosystem, text: str) -> Snapshot:
    """Read a snapshot file: '#' header lines, then one tab-separated entry per line."""
    entries: dict[str, tuple[str, int, int | None]] = {}
    date = "unknown"
    rank = 0
    pypi = ecosystem is Ecosystem.PYPI
    for line in text.splitlines():
        if not line or line[0] == "#":
            if line.startswith("# snapshot-date:"):
                date = line.split(":", 1)[1].strip()
            continue
        fields = line.split("\t")
        name = fields[0]
        if not name:
            continue
        rank += 1
        downloads = None
        second = fields[1] if len(fields) > 1 else ""
        if second.isdigit():
            if pypi:
                downloads = int(second)
            else:
                rank = int(second)
        key = normalize(ecosystem, name)
        if key not in entries:
            entries[key] = (name, rank, downloads)
    return Snapshot(ecosystem, date, entries)


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

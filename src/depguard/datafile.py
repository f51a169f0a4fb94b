"""The bundled data files' shared layout: ``#`` header lines (one of them
``# snapshot-date: YYYY-MM-DD``), then one tab-separated row per line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DataFile:
    date: str
    rows: list[list[str]]


@dataclass(frozen=True)
class KeyedFile:
    date: str
    rows: dict[str, str]
    """first field → the rest of the line (after its tab); the first row of a key wins."""


def read(text: str) -> DataFile:
    """The snapshot date and the rows (their fields); blank rows are skipped."""
    date, lines = _split(text)
    return DataFile(date, [line.split("\t") for line in lines])


def read_keyed(text: str) -> KeyedFile:
    """The snapshot date and the rows keyed by their first field, the rest left unsplit (for
    large files read on a fast path)."""
    date, lines = _split(text)
    rows: dict[str, str] = {}
    for line in lines:
        key, _, rest = line.partition("\t")
        rows.setdefault(key, rest)
    return KeyedFile(date, rows)


def _split(text: str) -> tuple[str, list[str]]:
    date = "unknown"
    rows: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            if line.startswith("# snapshot-date:"):
                date = line.split(":", 1)[1].strip()
        elif line and line[0] != "\t":
            rows.append(line)
    return date, rows

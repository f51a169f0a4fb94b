"""The bundled data files' shared layout: ``#`` header lines (one of them
``# snapshot-date: YYYY-MM-DD``), then one tab-separated row per line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KeyedFile:
    date: str
    rows: dict[str, str]
    """first field → the rest of the line (after its tab); the first row of a key wins."""


def read_keyed(text: str) -> KeyedFile:
    """The snapshot date and the rows keyed by their first field, the rest left unsplit, so
    that a large file is read in a few milliseconds and its rows decoded only when used."""
    date = "unknown"
    rows: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#"):
            if line.startswith("# snapshot-date:"):
                date = line.split(":", 1)[1].strip()
        elif line and line[0] != "\t":
            key, _, rest = line.partition("\t")
            rows.setdefault(key, rest)
    return KeyedFile(date, rows)

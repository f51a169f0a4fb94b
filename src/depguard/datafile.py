"""The bundled data files' shared layout: ``#`` header lines (one of them
``# snapshot-date: YYYY-MM-DD``), then one tab-separated row per line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DataFile:
    date: str
    rows: list[list[str]]


def read(text: str) -> DataFile:
    """The snapshot date and the rows (their fields); blank rows are skipped."""
    date = "unknown"
    rows: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("#"):
            if line.startswith("# snapshot-date:"):
                date = line.split(":", 1)[1].strip()
            continue
        fields = line.split("\t")
        if fields[0]:
            rows.append(fields)
    return DataFile(date, rows)

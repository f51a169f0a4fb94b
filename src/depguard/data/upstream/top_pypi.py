"""pypi-popular.tsv from Hugo van Kemenade's "Top PyPI Packages" list.

The upstream file is JSON: ``{"last_update": "...", "source": "...", "rows": [{"project",
"download_count"}, ...]}``, sorted by 30-day downloads. The TSV keeps the rows in that order,
``project<TAB>downloads``, under a header that says where they came from.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from depguard.data.upstream import SourceError
from depguard.model import Ecosystem
from depguard.names import is_valid


def parse(body: bytes | bytearray | str) -> tuple[Mapping[str, Any], list[tuple[str, int]]]:
    """The document's envelope and its (project, downloads) rows, checked."""
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise SourceError(f"not JSON: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("rows"), list):
        raise SourceError("no 'rows' list: not a top-pypi-packages document")
    rows: list[tuple[str, int]] = []
    for number, row in enumerate(document["rows"], 1):
        project = row.get("project") if isinstance(row, dict) else None
        count = row.get("download_count") if isinstance(row, dict) else None
        if not isinstance(project, str) or not is_valid(Ecosystem.PYPI, project):
            raise SourceError(f"row {number}: bad project name {project!r}")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise SourceError(f"row {number}: bad download_count {count!r}")
        rows.append((project, count))
    if not rows:
        raise SourceError("no rows")
    return document, rows


def render(body: bytes | bytearray | str, limit: int | None = None) -> str:
    document, rows = parse(body)
    rows = rows[:limit] if limit else rows
    updated = str(document.get("last_update") or "unknown")
    date = updated.split(maxsplit=1)[0] if updated != "unknown" else updated
    source = document.get("source")
    data = f" (data: {source})" if isinstance(source, str) and source else ""
    header = [
        f"# snapshot-date: {date}",
        f"# The {len(rows)} most-downloaded PyPI projects over 30 days (project<TAB>downloads).",
        '# Source: Hugo van Kemenade, "Top PyPI Packages" (github.com/hugovk/top-pypi-packages),',
        f"# top-pypi-packages.min.json, last_update {updated}{data}.",
        "# Licence: none declared upstream; aggregate public download statistics. Cite the source.",
        "# Refresh: python -m depguard.data.refresh pypi",
    ]
    return "\n".join(header + [f"{p}\t{c}" for p, c in rows]) + "\n"

"""``pdm.lock``: every locked package (lock_version 4.x).

Each ``[[package]]`` is one entry at its exact version, in its ``groups``; ``git``, ``url`` and
``path`` entries are direct references. A lock written with the ``static_urls`` strategy keeps
each file's URL: that is where the package is locked from (checked like npm's ``resolved``).
``dependencies`` (PEP 508 strings) are the graph; the ``pyproject.toml`` beside the lock says
which packages are direct.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depguard.model import Dependency, Location
from depguard.sources import SourceResult
from depguard.sources import locks as L
from depguard.sources.toml_lines import TomlLines, load

if TYPE_CHECKING:
    from depguard.sources.context import ReadContext

SUPPORTED_MAJOR = ("3", "4")


def read(path: Path, display: str, context: ReadContext) -> SourceResult:
    """The source interface (:mod:`depguard.sources.context`)."""
    return L.read_lock(path, display, parse_text)


def parse_text(text: str, display: str, path: Path) -> SourceResult:
    document = load(text)
    lines = TomlLines(text)
    metadata = L.table(document.get("metadata"))
    line = lines.key_line(("metadata",), "lock_version")
    L.supported(metadata.get("lock_version"), SUPPORTED_MAJOR, "pdm.lock lock_version", line)
    result = SourceResult()
    locked = L.Locked(display)
    for name, entry, location in L.toml_packages(document, lines, "package", display, result):
        needs = {n for i in L.array(entry.get("dependencies")) if (n := L.requirement_name(i))}
        dependency = _entry(name, entry, location)
        locked.add(dependency.normalized, dependency, needs)
    L.python_roots(locked, path)
    locked.finish(result)
    return result


def _entry(name: str, entry: Mapping[str, Any], location: Location) -> Dependency:
    version = L.string(entry.get("version"))
    groups = [str(g) for g in L.array(entry.get("groups"))]
    group = None if not groups or "default" in groups else groups[0]
    marker = L.string(entry.get("marker"))
    direct = L.direct_reference(
        name, version, location, group, entry, commits=("revision", "ref"), urls=("url", "path")
    )
    if direct is not None:
        return direct
    files = [L.table(f) for f in L.array(entry.get("files"))]
    resolved = next((u for f in files if (u := L.string(f.get("url")))), None)
    return L.python_entry(name, version, location, group=group, marker=marker, resolved=resolved)

"""``Pipfile.lock``: every package of ``default`` and ``develop`` (Pipenv).

An entry's ``index`` names one of the lock's ``_meta.sources``: that index's URL is where the
package is locked from (checked like npm's ``resolved``); the declared sources are the
project's own. ``git``, ``file`` and ``path`` entries are direct references. The lock keeps no
graph; the ``Pipfile`` beside it says which packages are direct.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depguard.errors import ManifestError
from depguard.model import Dependency, Ecosystem, Location
from depguard.names import normalize
from depguard.sources import SourceResult
from depguard.sources import json_lines as jl
from depguard.sources import locks as L

if TYPE_CHECKING:
    from depguard.sources.context import ReadContext

SECTIONS = (("default", None), ("develop", "dev"))


def read(path: Path, display: str, context: ReadContext) -> SourceResult:
    """The source interface (:mod:`depguard.sources.context`)."""
    return L.read_lock(path, display, parse_text)


def parse_text(text: str, display: str, path: Path) -> SourceResult:
    document = jl.load(text)
    lines = jl.KeyLines(text)
    if not isinstance(document, Mapping) or not isinstance(document.get("_meta"), Mapping):
        raise ManifestError("not a Pipfile.lock (no _meta object)", 1)
    sources: dict[str, str] = {}
    for source in L.array(document["_meta"].get("sources")):
        name, url = L.string(L.table(source).get("name")), L.string(L.table(source).get("url"))
        if name and url:
            sources[name] = url
    indexes = tuple(sources.values())
    result = SourceResult()
    locked = L.Locked(display)
    for section, group in SECTIONS:
        entries = document.get(section, {})
        if not isinstance(entries, Mapping):
            result.error(display, lines.get(section), f"{section} must be an object")
            continue
        for raw, entry in entries.items():
            location = Location(display, lines.get(section, raw))
            name = L.pypi_name(raw)
            if name is None or not isinstance(entry, Mapping):
                result.error(display, location.line, f"{section}: {raw!r} is not a locked package")
                continue
            dependency = _entry(name, entry, location, group, sources, indexes)
            locked.add(dependency.normalized, dependency)
    roots = _pipfile_roots(path)
    if roots is not None:
        locked.root(roots)
    locked.finish(result)
    return result


def _entry(
    name: str,
    entry: Mapping[str, Any],
    location: Location,
    group: str | None,
    sources: Mapping[str, str],
    indexes: tuple[str, ...],
) -> Dependency:
    raw = L.string(entry.get("version")) or ""
    version = raw[2:] if raw.startswith("==") else None
    marker = L.string(entry.get("markers"))
    direct = L.direct_reference(
        name, version, location, group, entry, commits=("ref",), urls=("file", "path")
    )
    if direct is not None:
        return direct
    index = L.string(entry.get("index"))
    resolved = sources.get(index, index) if index else None
    return L.python_entry(
        name, version, location, group=group, marker=marker, resolved=resolved, indexes=indexes
    )


def _pipfile_roots(lock: Path) -> set[str] | None:
    pipfile = lock.with_name("Pipfile")
    if not pipfile.is_file():
        return None
    from depguard.sources.reading import read_text
    from depguard.sources.toml_lines import load

    try:
        document = load(read_text(pipfile))
    except ManifestError:
        return None
    names: set[str] = set()
    for section in ("packages", "dev-packages"):
        names.update(normalize(Ecosystem.PYPI, str(n)) for n in L.table(document.get(section)))
    return names

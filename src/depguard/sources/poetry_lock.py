"""``poetry.lock``: every locked package (lock versions 1.x and 2.x).

Each ``[[package]]`` is one entry at its exact version. Its ``[package.source]`` says where it
comes from: none (the default index), ``legacy`` (another index: checked like npm's
``resolved``), ``git``, ``url``, ``file`` or ``directory`` (direct references). Poetry 2 lists
each package's ``groups`` (1.x a ``category``); ``[package.dependencies]`` is the graph. The
lock does not record the project's own dependencies: they are read from the ``pyproject.toml``
beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depguard.model import Dependency, Ecosystem, Location, UrlKind
from depguard.names import normalize
from depguard.sources import SourceResult
from depguard.sources import locks as L
from depguard.sources.toml_lines import TomlLines, load

if TYPE_CHECKING:
    from depguard.sources.context import ReadContext

SUPPORTED_MAJOR = ("1", "2")


def read(path: Path, display: str, context: ReadContext) -> SourceResult:
    """The source interface (:mod:`depguard.sources.context`)."""
    return L.read_lock(path, display, parse_text)


def parse_text(text: str, display: str, path: Path) -> SourceResult:
    document = load(text)
    lines = TomlLines(text)
    result = SourceResult()
    metadata = L.table(document.get("metadata"))
    line = lines.key_line(("metadata",), "lock-version")
    L.supported(
        metadata.get("lock-version", "1.0"), SUPPORTED_MAJOR, "poetry.lock lock-version", line
    )
    locked = L.Locked(display)
    for name, entry, location in L.toml_packages(document, lines, "package", display, result):
        dependency = _entry(name, entry, location)
        needs = {normalize(Ecosystem.PYPI, str(n)) for n in L.table(entry.get("dependencies"))}
        locked.add(dependency.normalized, dependency, needs)
    L.python_roots(locked, path)
    locked.finish(result)
    return result


def _entry(name: str, entry: Mapping[str, Any], location: Location) -> Dependency:
    version = L.string(entry.get("version"))
    source = L.table(entry.get("source"))
    kind = L.string(source.get("type"))
    url = L.string(source.get("url"))
    group = _group(entry)
    if kind == "git" and url:
        commit = L.string(source.get("resolved_reference")) or L.string(source.get("reference"))
        target = L.git_url(url, commit)
        return L.python_entry(
            name, version, location, group=group, url=target, url_kind=UrlKind.VCS
        )
    if kind in ("url", "file", "directory") and url:
        url_kind = UrlKind.URL if kind == "url" else UrlKind.PATH
        return L.python_entry(name, version, location, group=group, url=url, url_kind=url_kind)
    return L.python_entry(name, version, location, group=group, resolved=url if kind else None)


def _group(entry: Mapping[str, Any]) -> str | None:
    groups = [str(g) for g in L.array(entry.get("groups"))]
    if groups:
        return None if "main" in groups else groups[0]
    category = L.string(entry.get("category"))
    return None if category in (None, "main") else category

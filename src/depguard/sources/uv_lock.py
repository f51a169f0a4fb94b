"""``uv.lock``: every locked package, with the graph uv records.

Each ``[[package]]`` has a ``source``: ``registry`` (the index it was locked from, checked like
npm's ``resolved``), ``git``, ``url``, ``path`` or ``directory`` (direct references), or
``editable`` / ``virtual`` (the project and its workspace members: local, not dependencies).
The members' ``dependencies``, ``optional-dependencies`` and ``dev-dependencies`` are the
project's own; every package's ``dependencies`` are the graph.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depguard.model import Dependency, Ecosystem, Location, UrlKind
from depguard.names import normalize
from depguard.sources import SourceResult
from depguard.sources import locks as L
from depguard.sources.toml_lines import TomlLines, load

if TYPE_CHECKING:
    from depguard.sources.context import ReadContext

SUPPORTED_MAJOR = ("1",)
LOCAL_SOURCES = ("editable", "virtual")


def read(path: Path, display: str, context: ReadContext) -> SourceResult:
    """The source interface (:mod:`depguard.sources.context`)."""
    return L.read_lock(path, display, parse_text)


def parse_text(text: str, display: str, path: Path) -> SourceResult:
    document = load(text)
    lines = TomlLines(text)
    L.supported(
        document.get("version"), SUPPORTED_MAJOR, "uv.lock version", lines.key_line((), "version")
    )
    result = SourceResult()
    locked = L.Locked(display)
    locked.root(())  # uv records the project's own dependencies: its members' entries
    manifest = L.table(document.get("manifest"))
    for item in L.array(manifest.get("requirements")):
        locked.root(_name(item))  # a lock of a script or of plain requirements
    for items in L.table(manifest.get("dependency-groups")).values():
        for item in L.array(items):
            locked.root(_name(item))
    for name, entry, location in L.toml_packages(document, lines, "package", display, result):
        source = L.table(entry.get("source"))
        needs = set(_needs(entry))
        if any(key in source for key in LOCAL_SOURCES):
            locked.root(needs)  # a workspace member: what it needs is the project's own
            continue
        dependency = _entry(name, entry, source, location)
        locked.add(dependency.normalized, dependency, needs)
    L.python_roots(locked, path, roots=False)  # only the indexes it declares
    locked.finish(result)
    return result


def _needs(entry: Mapping[str, Any]) -> Iterator[str]:
    for item in L.array(entry.get("dependencies")):
        yield from _name(item)
    for section in ("optional-dependencies", "dev-dependencies"):
        for items in L.table(entry.get(section)).values():
            for item in L.array(items):
                yield from _name(item)


def _name(item: object) -> Iterator[str]:
    name = L.pypi_name(L.table(item).get("name"))
    if name:
        yield normalize(Ecosystem.PYPI, name)


def _entry(
    name: str, entry: Mapping[str, Any], source: Mapping[str, Any], location: Location
) -> Dependency:
    version = L.string(entry.get("version"))
    registry = L.string(source.get("registry"))
    if registry is not None:
        if not registry.startswith(("https://", "http://")):
            # a local folder of distributions (uv's --find-links to a path)
            return L.python_entry(name, version, location, url=registry, url_kind=UrlKind.PATH)
        return L.python_entry(name, version, location, resolved=registry)
    for key, kind in (
        ("git", UrlKind.VCS),
        ("url", UrlKind.URL),
        ("path", UrlKind.PATH),
        ("directory", UrlKind.PATH),
    ):
        target = L.string(source.get(key))
        if target is not None:
            url = L.git_url(target, None) if kind is UrlKind.VCS else target
            return L.python_entry(name, version, location, url=url, url_kind=kind)
    return L.python_entry(name, version, location)

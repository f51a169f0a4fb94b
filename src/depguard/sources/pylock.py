"""``pylock.toml`` and ``pylock.<name>.toml`` (PEP 751): every package of the lock.

Each ``[[packages]]`` entry names where it comes from: ``index`` (checked like npm's
``resolved``; without one, the URL of its sdist or first wheel), or a ``vcs``, ``archive`` or
``directory`` table (direct references). Where entries list ``dependencies``, they are the
graph, and the packages nothing else needs are the project's own; without any, the
``pyproject.toml`` beside the lock says which are direct.
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

SUPPORTED_MAJOR = ("1",)


def read(path: Path, display: str, context: ReadContext) -> SourceResult:
    """The source interface (:mod:`depguard.sources.context`)."""
    return L.read_lock(path, display, parse_text)


def parse_text(text: str, display: str, path: Path) -> SourceResult:
    document = load(text)
    lines = TomlLines(text)
    line = lines.key_line((), "lock-version")
    L.supported(document.get("lock-version"), SUPPORTED_MAJOR, "pylock lock-version", line)
    result = SourceResult()
    locked = L.Locked(display)
    needed: set[str] = set()
    graph_recorded = False
    for name, entry, location in L.toml_packages(document, lines, "packages", display, result):
        needs = set()
        for item in L.array(entry.get("dependencies")):
            other = L.pypi_name(L.table(item).get("name"))
            if other:
                needs.add(normalize(Ecosystem.PYPI, other))
        graph_recorded = graph_recorded or "dependencies" in entry
        needed |= needs
        dependency = _entry(name, entry, location)
        locked.add(dependency.normalized, dependency, needs)
    if graph_recorded:
        locked.root(key for key, _ in locked.entries if key not in needed)
    else:
        L.python_roots(locked, path)
    locked.finish(result)
    return result


def _entry(name: str, entry: Mapping[str, Any], location: Location) -> Dependency:
    version = L.string(entry.get("version"))
    marker = L.string(entry.get("marker"))
    vcs = L.table(entry.get("vcs"))
    if vcs:
        url = L.string(vcs.get("url")) or L.string(vcs.get("path")) or ""
        commit = L.string(vcs.get("commit-id"))
        kind = L.string(vcs.get("type")) or "git"
        target = L.git_url(f"{kind}+{url}", commit)
        return L.python_entry(
            name, version, location, marker=marker, url=target, url_kind=UrlKind.VCS
        )
    archive = L.table(entry.get("archive"))
    if archive:
        url = L.string(archive.get("url")) or L.string(archive.get("path")) or ""
        return L.python_entry(
            name, version, location, marker=marker, url=url, url_kind=L.url_kind(url)
        )
    directory = L.table(entry.get("directory"))
    if directory:
        url = L.string(directory.get("path")) or "."
        return L.python_entry(
            name, version, location, marker=marker, url=url, url_kind=UrlKind.PATH
        )
    index = L.string(entry.get("index"))
    if index is None:
        files = [L.table(entry.get("sdist")), *map(L.table, L.array(entry.get("wheels")))]
        index = next((u for f in files if (u := L.string(f.get("url")))), None)
    if index is not None and not index.startswith(("https://", "http://")):
        return L.python_entry(
            name, version, location, marker=marker, url=index, url_kind=UrlKind.PATH
        )
    return L.python_entry(name, version, location, marker=marker, resolved=index)

"""``bun.lock``: Bun's text lockfile (JSON with trailing commas).

``packages`` maps an install path (``express``, ``body-parser/debug`` for a copy nested under
body-parser) to ``[locator, registry, info, integrity]``: the locator is ``name@version`` for a
registry package (``registry`` empty for the default one, else its URL, checked like npm's
``resolved``), or ``name@workspace:…``, ``name@file:…``, ``name@link:…``, ``name@github:…``,
``name@git+…`` and tarball URLs for the rest. ``workspaces`` are the project and its members:
their dependencies are the project's own. Each ``info`` lists the package's dependencies,
found the way Node finds them (the nearest enclosing install path first).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depguard.errors import ManifestError
from depguard.model import Location
from depguard.sources import SourceResult, npm_spec
from depguard.sources import json_lines as jl
from depguard.sources import locks as L

if TYPE_CHECKING:
    from depguard.sources.context import ReadContext

SUPPORTED = (0, 1, 2)
SECTIONS = (
    ("dependencies", None),
    ("devDependencies", "dev"),
    ("optionalDependencies", "optional"),
    ("peerDependencies", "peer"),
)
_JSONC = re.compile(r'"(?:[^"\\]|\\.)*"|//[^\n]*|/\*.*?\*/|,(\s*[}\]])', re.DOTALL)


def read(path: Path, display: str, context: ReadContext) -> SourceResult:
    """The source interface (:mod:`depguard.sources.context`)."""
    return L.read_lock(path, display, parse_text)


def strict_json(text: str) -> str:
    """JSON with comments and trailing commas made plain JSON, every line where it was."""

    def plain(match: re.Match[str]) -> str:
        token = match.group(0)
        if token[0] == '"':
            return token
        if token[0] == ",":
            return " " + (match.group(1) or "")
        return re.sub(r"[^\n]", " ", token)  # a comment: blanked, its newlines kept

    return _JSONC.sub(plain, text)


def parse_text(text: str, display: str, path: Path) -> SourceResult:
    plain = strict_json(text)
    document = jl.load(plain)
    if not isinstance(document, Mapping):
        raise ManifestError("a bun.lock must be an object", 1)
    lines = jl.KeyLines(plain)
    version = document.get("lockfileVersion")
    if version not in SUPPORTED or isinstance(version, bool):
        raise ManifestError(
            f"unsupported lockfileVersion {version!r} (depguard reads versions 0 to 2)",
            lines.get("lockfileVersion"),
        )
    packages = document.get("packages", {})
    if not isinstance(packages, Mapping):
        raise ManifestError("packages must be an object", lines.get("packages"))
    result = SourceResult()
    locked = L.Locked(display)
    groups: dict[str, str | None] = {}
    for folder, workspace in L.table(document.get("workspaces")).items():
        owner = L.string(L.table(workspace).get("name"))
        for section, group in SECTIONS:
            for name in L.table(L.table(workspace).get(section)):
                found = _lookup(packages, str(name), owner if folder else None)
                if found is not None:
                    locked.root([found])
                    groups.setdefault(found, group)
    if locked.roots is None:
        locked.root(())
    for key, entry in packages.items():
        line = lines.get("packages", key)
        if not isinstance(entry, list) or not entry or not isinstance(entry[0], str):
            result.error(display, line, f"packages[{key!r}] must be [locator, ...]")
            continue
        name, locator = L.split_npm(entry[0])
        info = L.table(entry[2]) if len(entry) > 2 else {}
        needs = [n for d in _needs(info) if (n := _lookup(packages, d, str(key))) is not None]
        if locator.startswith(("workspace:", "link:")):
            continue  # a member of the project (or a link to one): local
        if L.npm_name(name) is None:
            result.error(
                display, line, f"packages[{key!r}]: {name!r} is not a valid npm package name"
            )
            continue
        registry = entry[1] if len(entry) > 1 and isinstance(entry[1], str) else ""
        source, direct = _source(name, locator, registry)
        alias = _path_parts(str(key))[-1]
        dependency = L.npm_entry(
            name,
            None if direct else locator,
            Location(display, line),
            source=source,
            alias=alias if alias != name else None,
            group=groups.get(str(key)),
            detail=f"{key}: {entry[0]}",
        )
        locked.add(str(key), dependency, needs)
    locked.finish(result)
    return result


def _needs(info: Mapping[str, Any]) -> Iterator[str]:
    for section in ("dependencies", "optionalDependencies", "peerDependencies"):
        yield from (str(n) for n in L.table(info.get(section)))


def _lookup(packages: Mapping[str, Any], name: str, key: str | None) -> str | None:
    """The entry Bun installs ``name`` from for the package at ``key``: ``key/name``, then
    each enclosing path, then the top level."""
    parts = _path_parts(key) if key else []
    while parts:
        candidate = "/".join((*parts, name))
        if candidate in packages:
            return candidate
        parts.pop()
    return name if name in packages else None


def _path_parts(key: str) -> list[str]:
    """``@s/a/b`` -> [``@s/a``, ``b``]: the package names of an install path."""
    parts: list[str] = []
    pieces = key.split("/")
    i = 0
    while i < len(pieces):
        if pieces[i].startswith("@") and i + 1 < len(pieces):
            parts.append(f"{pieces[i]}/{pieces[i + 1]}")
            i += 2
        else:
            parts.append(pieces[i])
            i += 1
    return parts


def _source(name: str, locator: str, registry: str) -> tuple[str | None, bool]:
    """Where the entry comes from (None: the default registry; a registry's tarball URL; the
    git, tarball or path source of a direct reference), and whether it is a direct reference."""
    try:
        spec = npm_spec.parse(locator)
    except npm_spec.SpecError:
        return locator, True
    if spec.url is not None:
        return spec.url, True
    if registry:
        tail = name.rsplit("/", 1)[-1]
        return f"{registry.rstrip('/')}/{name}/-/{tail}-{locator}.tgz", False
    return None, False

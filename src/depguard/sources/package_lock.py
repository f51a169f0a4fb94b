"""``package-lock.json`` and ``npm-shrinkwrap.json``: every installed package, transitive ones too.

Lockfile versions 2 and 3 list every package under ``packages`` (keyed by its install path,
``node_modules/a/node_modules/b``); version 1 nests them under ``dependencies``, and is read
too. Each entry becomes a reference to its exact version. An entry installed from the
registry keeps its ``resolved`` URL, so a tarball from anywhere but the configured registry can
be reported; git, ``file:`` and other non-registry sources are direct references, and links to
workspace packages are local.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depguard import npm_semver
from depguard.errors import ManifestError
from depguard.model import Dependency, Ecosystem, Location, NamedIn, UrlKind
from depguard.names import is_valid
from depguard.sources import SourceResult, graph, npm_spec
from depguard.sources import json_lines as jl
from depguard.sources.reading import LOCKFILE_LIMIT, read_into

if TYPE_CHECKING:
    from depguard.sources.context import ReadContext

SUPPORTED = (1, 2, 3)
MAX_NESTING = 200
_TARBALL = re.compile(r"/-/[^/]+-\d[^/]*\.tgz(?:[?#].*)?$")


def parse_file(path: Path, display: str) -> SourceResult:
    result = SourceResult()
    text = read_into(path, display, result, LOCKFILE_LIMIT)
    if text is None:
        return result
    try:
        document = jl.load(text)
    except ManifestError as exc:
        result.error(display, exc.line, exc.message)
        return result
    result.extend(parse_document(document, text, display))
    return result


def parse_document(document: object, text: str, display: str) -> SourceResult:
    result = SourceResult()
    if not isinstance(document, Mapping):
        result.error(display, 1, "a lockfile must be a JSON object")
        return result
    lines = jl.KeyLines(text)
    version = document.get("lockfileVersion")
    if version not in SUPPORTED or isinstance(version, bool):
        result.error(
            display,
            lines.get("lockfileVersion"),
            f"unsupported lockfileVersion {version!r} (depguard reads versions 1, 2 and 3)",
        )
        return result
    reader = _Reader(display, lines, result)
    packages = document.get("packages")
    if version >= 2 and packages is not None:
        if not isinstance(packages, Mapping):
            reader.error(("packages",), "packages must be an object")
            return result
        for key, entry in packages.items():
            reader.package(str(key), entry)
        reader.mark_direct(packages)
    else:
        reader.nested(document.get("dependencies"), ("dependencies",), 0)
    return result


class _Reader:
    def __init__(self, display: str, lines: jl.KeyLines, result: SourceResult) -> None:
        self.display = display
        self.lines = lines
        self.result = result
        self.keys: list[str] = []
        """The ``packages`` key of each dependency appended (lockfile v2/v3)."""

    def mark_direct(self, packages: Mapping[str, Any]) -> None:
        """Which entries the project (the root or a workspace folder) needs itself, and the
        shortest chain to the others, following Node's lookup of ``node_modules`` folders."""

        def needs(key: str) -> Iterator[str]:
            entry = packages.get(key)
            if not isinstance(entry, Mapping):
                return
            if entry.get("link") is True and isinstance(entry.get("resolved"), str):
                yield entry["resolved"]
                return
            for section in ("dependencies", "optionalDependencies", "peerDependencies"):
                names = entry.get(section)
                for name in names if isinstance(names, Mapping) else ():
                    found = _lookup(packages, key, str(name))
                    if found is not None:
                        yield found

        projects = [k for k in packages if k == "" or "node_modules/" not in f"/{k}"]
        roots: list[str] = []
        for project in projects:
            entry = packages.get(project)
            for section in (*_SECTIONS, "devDependencies"):
                names = entry.get(section) if isinstance(entry, Mapping) else None
                for name in names if isinstance(names, Mapping) else ():
                    found = _lookup(packages, project, str(name))
                    if found is not None:
                        roots.append(found)
        via = graph.chains(roots, needs, _name_from_path)
        deps = self.result.dependencies
        start = len(deps) - len(self.keys)
        for index, key in enumerate(self.keys):
            chain = via.get(key)
            direct = chain == ()
            deps[start + index] = replace(deps[start + index], direct=direct, via=chain or ())

    def error(self, path: tuple[str | int, ...], message: str) -> None:
        self.result.error(self.display, self.lines.get(*path), message)

    def package(self, key: str, entry: object) -> None:
        """One ``packages`` entry (lockfile v2/v3)."""
        if key == "" or "node_modules/" not in f"/{key}":
            return  # the root project and workspace package folders: local, not dependencies
        path = ("packages", key)
        if not isinstance(entry, Mapping):
            self.error(path, f"packages[{key!r}] must be an object")
            return
        installed_as = _name_from_path(key)
        real = entry.get("name") if isinstance(entry.get("name"), str) else None
        name = real or installed_as
        if not name or not is_valid(Ecosystem.NPM, name):
            self.error(path, f"packages[{key!r}]: {name!r} is not a valid npm package name")
            return
        group = _group(entry)
        location = Location(self.display, self.lines.get(*path))
        resolved = entry.get("resolved") if isinstance(entry.get("resolved"), str) else None
        version = entry.get("version") if isinstance(entry.get("version"), str) else None
        alias = installed_as if real and installed_as and real != installed_as else None
        self.keys.append(key)
        if entry.get("link") is True:
            self.add(name, location, group, key, url=f"link:{resolved or key}", kind=UrlKind.PATH)
            return
        self.entry(name, version, resolved, location, group, key, alias)

    def nested(self, value: object, path: tuple[str | int, ...], depth: int) -> None:
        """Lockfile v1: ``dependencies`` nested by install path."""
        if value is None:
            return
        if not isinstance(value, Mapping) or depth > MAX_NESTING:
            self.error(path, "dependencies must be an object of name: entry")
            return
        for raw_name, entry in value.items():
            installed_as = str(raw_name)
            here = (*path, installed_as)
            if not isinstance(entry, Mapping):
                self.error(here, f"dependencies[{installed_as!r}] must be an object")
                continue
            location = Location(self.display, self.lines.get(*here))
            group = _group(entry)
            raw_version = entry.get("version")
            version: str = raw_version if isinstance(raw_version, str) else ""
            resolved = entry.get("resolved") if isinstance(entry.get("resolved"), str) else None
            name, alias = installed_as, None
            if version.startswith("npm:"):
                try:
                    spec = npm_spec.parse(version)
                except npm_spec.SpecError as exc:
                    self.error(here, f"{installed_as}: {exc}")
                    continue
                name, alias, version = spec.target or installed_as, installed_as, spec.range
            if not is_valid(Ecosystem.NPM, name):
                self.error(here, f"{name!r} is not a valid npm package name")
            elif npm_semver.exact_version(version) is None and version:
                # v1 writes the source of a non-registry package in place of its version
                try:
                    spec = npm_spec.parse(version)
                except npm_spec.SpecError:
                    spec = npm_spec.Spec(npm_spec.SpecKind.URL, version, url=version)
                if spec.url is not None:
                    self.add(name, location, group, installed_as, url=spec.url, kind=spec.url_kind)
                else:
                    self.entry(name, None, resolved, location, group, installed_as, alias)
            else:
                self.entry(name, version or None, resolved, location, group, installed_as, alias)
            self.nested(entry.get("dependencies"), (*here, "dependencies"), depth + 1)

    def entry(
        self,
        name: str,
        version: str | None,
        resolved: str | None,
        location: Location,
        group: str | None,
        key: str,
        alias: str | None,
    ) -> None:
        if resolved is not None:
            kind = source_kind(resolved)
            if kind is not None:
                self.add(name, location, group, key, url=resolved, kind=kind, version=version)
                return
        self.result.dependencies.append(
            Dependency(
                ecosystem=Ecosystem.NPM,
                name=name,
                normalized=name,
                location=location,
                named_in=NamedIn.LOCKFILE,
                specifier=version or "",
                version=version if version and npm_semver.exact_version(version) else None,
                group=group,
                installed_as=alias,
                detail=key,
                resolved=resolved,
            )
        )

    def add(
        self,
        name: str,
        location: Location,
        group: str | None,
        key: str,
        *,
        url: str,
        kind: UrlKind | None,
        version: str | None = None,
    ) -> None:
        self.result.dependencies.append(
            Dependency(
                ecosystem=Ecosystem.NPM,
                name=name,
                normalized=name,
                location=location,
                named_in=NamedIn.LOCKFILE,
                url=url,
                url_kind=kind,
                group=group,
                detail=f"{key}@{version}" if version else key,
            )
        )


def source_kind(resolved: str) -> UrlKind | None:
    """None for a registry tarball; else what kind of direct source ``resolved`` is."""
    lower = resolved.lower()
    if lower.startswith(("git+", "git:", "git@", "github:", "gitlab:", "bitbucket:")):
        return UrlKind.VCS
    if lower.startswith(("http://", "https://")):
        return None if _TARBALL.search(resolved.split("#", 1)[0]) else UrlKind.URL
    return UrlKind.PATH  # file:, link: or a relative path


_SECTIONS = ("dependencies", "optionalDependencies", "peerDependencies")


def _lookup(packages: Mapping[str, Any], key: str, name: str) -> str | None:
    """The entry Node would load ``name`` from when required by the package at ``key``: the
    nearest ``node_modules/name`` in ``key`` or a folder above it."""
    parts = key.split("/") if key else []
    while True:
        candidate = "/".join((*parts, "node_modules", name))
        if candidate in packages:
            return candidate
        if not parts:
            return None
        parts.pop()
        if len(parts) >= 2 and parts[-2] == "node_modules" and parts[-1].startswith("@"):
            parts.pop()  # the scope folder of a scoped package
        if parts and parts[-1] == "node_modules":
            parts.pop()


def _name_from_path(key: str) -> str:
    tail = key.rsplit("node_modules/", 1)[-1]
    parts = tail.split("/")
    if parts[0].startswith("@") and len(parts) > 1:
        return f"{parts[0]}/{parts[1]}"
    return parts[0]


def _group(entry: Mapping[str, Any]) -> str | None:
    if entry.get("peer") is True:
        return "peer"
    if entry.get("devOptional") is True:
        return "dev-optional"
    if entry.get("dev") is True:
        return "dev"
    if entry.get("optional") is True:
        return "optional"
    return None


def read(path: Path, display: str, context: ReadContext) -> SourceResult:
    """The source interface (:mod:`depguard.sources.context`)."""
    return parse_file(path, display)

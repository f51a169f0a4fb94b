"""``package.json``: dependencies of every kind, overrides, and the workspaces it declares.

Read: ``dependencies``, ``devDependencies``, ``optionalDependencies``, ``peerDependencies``,
``bundleDependencies`` (``bundledDependencies``), the names in ``overrides`` (npm), in
``resolutions`` (yarn) and in ``pnpm.overrides``. Each spec form is kept apart (see
:mod:`depguard.sources.npm_spec`): an ``npm:`` alias is reported as the real package with the
alias recorded; git, http, ``file:`` and ``link:`` specs are direct references; workspace
packages are local. ``catalog:`` and ``catalog:<name>`` specs (pnpm, Bun) are resolved to the
catalog's spec (:mod:`depguard.sources.npm_catalogs`) and judged as that. Workspace members' own
package.json files are read too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depguard.errors import ManifestError
from depguard.model import Dependency, Ecosystem, Location, NamedIn, UrlKind
from depguard.names import is_valid
from depguard.sources import SourceResult, display_path, npm_spec
from depguard.sources import json_lines as jl
from depguard.sources.npm_catalogs import DEFAULT, Catalogs, catalog_name
from depguard.sources.npm_project import DEPENDENCY_SECTIONS, NpmProjects, workspace_patterns
from depguard.sources.reading import read_into

if TYPE_CHECKING:
    from depguard.sources.context import ReadContext

SECTIONS = DEPENDENCY_SECTIONS
BUNDLE_KEYS = ("bundleDependencies", "bundledDependencies")
MAX_OVERRIDE_DEPTH = 20


def parse_file(path: Path, display: str, projects: NpmProjects, root: Path | None) -> SourceResult:
    result = SourceResult()
    key = _resolve(path)
    if key in projects.read:
        return result  # already read as a workspace member
    projects.read.add(key)
    text = read_into(path, display, result)
    if text is None:
        return result
    result.extend(parse_text(text, display, path, projects, root or path.parent))
    return result


def parse_text(
    text: str, display: str, path: Path, projects: NpmProjects, root: Path
) -> SourceResult:
    result = SourceResult()
    try:
        document = jl.load(text)
    except ManifestError as exc:
        result.error(display, exc.line, exc.message)
        return result
    if not isinstance(document, Mapping):
        result.error(display, 1, "package.json must be a JSON object")
        return result
    if "lockfileVersion" in document:
        from depguard.sources import package_lock

        return package_lock.parse_document(document, text, display)
    reader = _Reader(display, jl.KeyLines(text), result, projects.workspace_names(path, root))
    reader.catalogs = lambda: projects.catalogs(path)
    for section, group in SECTIONS:
        reader.section(document, section, group)
    reader.bundled(document)
    reader.overrides(document.get("overrides"), ("overrides",), document, 0)
    reader.resolutions(document.get("resolutions"), ("resolutions",))
    pnpm = document.get("pnpm")
    if isinstance(pnpm, Mapping):
        reader.resolutions(pnpm.get("overrides"), ("pnpm", "overrides"))

    patterns = workspace_patterns(document)
    if patterns:
        for member in projects.workspace_members(path, patterns, root):
            result.extend(parse_file(member, display_path(member), projects, root))
    elif document.get("workspaces") is not None:
        result.error(
            display,
            reader.lines.get("workspaces"),
            'workspaces must be a list of paths or globs (or {"packages": [...]})',
        )
    return result


class _Reader:
    def __init__(
        self, display: str, lines: jl.KeyLines, result: SourceResult, local: frozenset[str]
    ) -> None:
        self.display = display
        self.lines = lines
        self.result = result
        self.local = local
        self.catalogs: Callable[[], Catalogs | None] = lambda: None

    def error(self, path: tuple[str | int, ...], message: str) -> None:
        self.result.error(self.display, self.lines.get(*path), message)

    def section(self, document: Mapping[str, Any], key: str, group: str | None) -> None:
        value = document.get(key)
        if value is None:
            return
        if not isinstance(value, Mapping):
            self.error((key,), f"{key} must be an object of name: version")
            return
        for name, raw in value.items():
            self.add(str(name), raw, (key, str(name)), group)

    def add(
        self,
        name: str,
        raw: object,
        path: tuple[str | int, ...],
        group: str | None,
        *,
        key_range: str = "",
    ) -> None:
        line = self.lines.get(*path)
        if not is_valid(Ecosystem.NPM, name):
            self.result.error(
                self.display,
                line,
                f"{'.'.join(map(str, path[:-1]))}: {name!r} is not a valid npm package name",
                name,
            )
            return
        if raw is None and key_range is not None:
            raw = key_range
        via_catalog = None
        if isinstance(raw, str) and catalog_name(raw) is not None:
            via_catalog = raw.strip()
            raw = self.from_catalog(name, via_catalog, line)
            if raw is None:
                return
        try:
            spec = npm_spec.parse(raw)
        except npm_spec.SpecError as exc:
            self.result.error(self.display, line, f"{name}: {exc}", str(raw)[:200])
            return
        found = dependency(
            name, spec, Location(self.display, line), NamedIn.PACKAGE_JSON, group, self.local
        )
        if via_catalog is not None:
            found = replace(found, detail=f'"{name}": "{via_catalog}" is "{spec.raw.strip()}"')
        self.result.dependencies.append(found)

    def from_catalog(self, name: str, raw: str, line: int | None) -> str | None:
        """The spec a ``catalog:`` reference stands for (or an error saying why there is none)."""
        catalog = catalog_name(raw) or DEFAULT
        catalogs = self.catalogs()
        problem = None
        if catalogs is None:
            problem = "no pnpm-workspace.yaml (nor a package.json catalog) declares catalogs"
        elif catalogs.error is not None:
            problem = f"{catalogs.source} cannot be read: {catalogs.error}"
        else:
            spec = catalogs.spec(catalog, name)
            if spec is not None:
                return spec
            problem = f"the {catalog!r} catalog of {catalogs.source} has no entry for {name}"
        self.result.error(self.display, line, f"{name}: {raw!r} cannot be resolved: {problem}", raw)
        return None

    def bundled(self, document: Mapping[str, Any]) -> None:
        for key in BUNDLE_KEYS:
            value = document.get(key)
            if value is None or isinstance(value, bool):
                continue  # true: every dependency is bundled, and each is already read
            if not isinstance(value, list):
                self.error((key,), f"{key} must be a list of package names (or true)")
                continue
            specs = {}
            for section in ("dependencies", "optionalDependencies"):
                table = document.get(section)
                if isinstance(table, Mapping):
                    specs.update({str(k): v for k, v in table.items()})
            for index, name in enumerate(value):
                if not isinstance(name, str):
                    self.error((key,), f"{key}: expected a package name, got {type(name).__name__}")
                    continue
                self.add(name, specs.get(name, ""), (key, index), "bundled")

    def overrides(
        self,
        value: object,
        path: tuple[str | int, ...],
        document: Mapping[str, Any],
        depth: int,
    ) -> None:
        """npm ``overrides``: name (or name@range) -> spec, ``$name`` or a nested object."""
        if value is None:
            return
        if not isinstance(value, Mapping) or depth > MAX_OVERRIDE_DEPTH:
            self.error(path, "overrides must be an object of name: version (or nested objects)")
            return
        for raw_key, target in value.items():
            key = str(raw_key)
            if key == ".":
                continue
            name, key_range = _split_selector(key)
            here = (*path, key)
            spec: object = target
            if isinstance(target, Mapping):
                spec = target.get(".", key_range)
                self.overrides(target, here, document, depth + 1)
            if isinstance(spec, str) and spec.startswith("$"):
                spec = _root_spec(document, spec[1:])
                if spec is None:
                    self.error(here, f"overrides: {key} refers to {target!r}, not a dependency")
                    continue
            self.add(name, spec, here, "overrides", key_range=key_range)

    def resolutions(self, value: object, path: tuple[str | int, ...]) -> None:
        """yarn ``resolutions`` (``**/a/b``) and pnpm ``overrides`` (``a@1>b``): flat maps."""
        if value is None:
            return
        if not isinstance(value, Mapping):
            self.error(path, f"{'.'.join(map(str, path))} must be an object of name: version")
            return
        for raw_key, target in value.items():
            key = str(raw_key)
            selector = key.rsplit(">", maxsplit=1)[-1]
            parts = re.findall(r"(@[^/]+/[^/]+|[^/]+)", selector)
            last = next((p for p in reversed(parts) if p not in ("**", "*")), selector)
            name, key_range = _split_selector(last)
            spec = target if isinstance(target, str) else None
            self.add(name, spec, (*path, key), "overrides", key_range=key_range)


def dependency(
    name: str,
    spec: npm_spec.Spec,
    location: Location,
    named_in: NamedIn,
    group: str | None,
    local: frozenset[str] = frozenset(),
) -> Dependency:
    """The Dependency a ``"name": "<spec>"`` entry stands for."""
    common: dict[str, Any] = {
        "ecosystem": Ecosystem.NPM,
        "location": location,
        "named_in": named_in,
        "group": group,
    }
    if spec.kind is npm_spec.SpecKind.ALIAS and spec.target:
        return Dependency(
            name=spec.target,
            normalized=spec.target,
            installed_as=name,
            specifier=spec.range,
            version=spec.exact_version,
            detail=f'"{name}": "{spec.raw.strip()}"',
            **common,
        )
    if spec.url is not None:
        return Dependency(
            name=name,
            normalized=name,
            url=spec.url,
            url_kind=spec.url_kind,
            detail=f'"{name}": "{spec.raw.strip()}"',
            **common,
        )
    if name in local:
        return Dependency(
            name=name,
            normalized=name,
            specifier=spec.range,
            url=f"workspace:{name}",
            url_kind=UrlKind.PATH,
            detail=f"workspace package {name}",
            **common,
        )
    return Dependency(
        name=name,
        normalized=name,
        specifier=spec.range,
        version=spec.exact_version,
        **common,
    )


def _split_selector(key: str) -> tuple[str, str]:
    """``name@range`` -> (name, range); a scope's leading ``@`` is part of the name."""
    at = key.find("@", 1)
    if at == -1:
        return key, ""
    return key[:at], key[at + 1 :]


def _root_spec(document: Mapping[str, Any], name: str) -> str | None:
    for section, _ in SECTIONS:
        table = document.get(section)
        if isinstance(table, Mapping) and isinstance(table.get(name), str):
            return str(table[name])
    return None


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def read(path: Path, display: str, context: ReadContext) -> SourceResult:
    """The source interface (:mod:`depguard.sources.context`)."""
    return parse_file(path, display, context.npm, context.includes.root)

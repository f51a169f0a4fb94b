"""What a JavaScript project says about itself: its workspaces, the package names that are local
to the checked tree, and the TypeScript path aliases that make a specifier local.

One :class:`NpmProjects` is shared by every npm parser of a run (it lives on the read context),
so the tree is walked and each ``package.json``/``tsconfig.json`` read at most once. Only files
inside the checked tree are read; nothing is executed.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from depguard.errors import ManifestError
from depguard.sources.bundler_aliases import aliases_in_directory
from depguard.sources.discover import walk
from depguard.sources.fixture_trees import RULES, SkipRule
from depguard.sources.js_frameworks import Generated, generated
from depguard.sources.kinds import PACKAGE_JSON
from depguard.sources.npm_catalogs import (
    PNPM_WORKSPACE,
    Catalogs,
    catalog_name,
    from_mapping,
    read_pnpm_workspace,
)
from depguard.sources.reading import read_text

MAX_EXTENDS = 8
"""How many ``extends`` (and ``references``) links of a tsconfig are followed."""
TSCONFIG_NAMES = ("tsconfig.json", "jsconfig.json")
DEPENDENCY_SECTIONS = (
    ("dependencies", None),
    ("devDependencies", "dev"),
    ("optionalDependencies", "optional"),
    ("peerDependencies", "peer"),
)


@dataclass(frozen=True)
class PathAliases:
    """``compilerOptions.paths`` patterns and ``baseUrl`` of the tsconfig that applies."""

    patterns: tuple[str, ...] = ()
    base_url: Path | None = None
    prefixes: tuple[str, ...] = ()
    """Bundler aliases (:mod:`depguard.sources.bundler_aliases`): ``k`` and ``k/...``."""

    def matches(self, specifier: str) -> bool:
        for prefix in self.prefixes:
            if specifier == prefix or specifier.startswith(prefix + "/"):
                return True
        for pattern in self.patterns:
            if "*" in pattern:
                prefix, _, suffix = pattern.partition("*")
                if (
                    specifier.startswith(prefix)
                    and specifier.endswith(suffix)
                    and len(specifier) >= len(prefix) + len(suffix)
                ):
                    return True
            elif specifier == pattern:
                return True
        return False


@dataclass
class NpmProjects:
    excludes: tuple[str, ...] = ()
    fixtures: tuple[SkipRule, ...] = RULES
    """The fixture-tree rules of the run's walk (none with ``--include-fixtures``)."""
    _manifests: dict[Path, list[Path]] = field(default_factory=dict)
    _documents: dict[Path, Mapping[str, Any] | None] = field(default_factory=dict)
    _local: dict[Path, frozenset[str]] = field(default_factory=dict)
    _aliases: dict[Path, PathAliases] = field(default_factory=dict)
    _npm_aliases: dict[Path, dict[str, str]] = field(default_factory=dict)
    _catalogs: dict[Path, Catalogs | None] = field(default_factory=dict)
    _declared: dict[Path, frozenset[str]] = field(default_factory=dict)
    _generated: dict[Path, Generated] = field(default_factory=dict)
    _bundler: dict[Path, tuple[str, ...]] = field(default_factory=dict)
    read: set[Path] = field(default_factory=set)
    """Manifests already parsed (followed as workspaces): the directory walk skips them."""

    # -- package.json files -------------------------------------------------------------------
    def document(self, path: Path) -> Mapping[str, Any] | None:
        """A package.json as a mapping, or None when it cannot be read (its parser says why)."""
        key = _resolve(path)
        if key not in self._documents:
            try:
                data = json.loads(read_text(path))
            except (ManifestError, ValueError, RecursionError):
                data = None
            self._documents[key] = data if isinstance(data, Mapping) else None
        return self._documents[key]

    def manifests(self, root: Path) -> list[Path]:
        """Every package.json under ``root`` (the walk's usual skips and the excludes apply)."""
        key = _resolve(root)
        if key not in self._manifests:
            self._manifests[key] = [
                found.path
                for found in walk(root, (PACKAGE_JSON,), self.excludes, fixtures=self.fixtures)
            ]
        return self._manifests[key]

    def local_names(self, root: Path) -> frozenset[str]:
        """The ``name`` of every package.json inside the checked tree."""
        key = _resolve(root)
        if key not in self._local:
            names = set()
            for path in self.manifests(root):
                name = (self.document(path) or {}).get("name")
                if isinstance(name, str) and name:
                    names.add(name)
            self._local[key] = frozenset(names)
        return self._local[key]

    def npm_aliases(self, root: Path) -> dict[str, str]:
        """Folder name -> real package, for every ``"x": "npm:real@..."`` in the tree (also
        through a catalog): code that imports ``x`` gets ``real``."""
        key = _resolve(root)
        if key not in self._npm_aliases:
            aliases: dict[str, str] = {}
            for path in self.manifests(root):
                document = self.document(path) or {}
                for section, _ in DEPENDENCY_SECTIONS:
                    table = document.get(section)
                    for name, raw in table.items() if isinstance(table, Mapping) else ():
                        spec = raw
                        catalog = catalog_name(raw) if isinstance(raw, str) else None
                        if catalog is not None:
                            catalogs = self.catalogs(path)
                            spec = catalogs.spec(catalog, str(name)) if catalogs else None
                        target = _alias_target(spec)
                        if target:
                            aliases.setdefault(str(name), target)
            self._npm_aliases[key] = aliases
        return self._npm_aliases[key]

    def workspace_members(self, manifest: Path, patterns: Iterable[str], root: Path) -> list[Path]:
        """The package.json files a ``workspaces`` list selects, relative to ``manifest``."""
        base = _resolve(manifest.parent)
        include = [p for p in patterns if not p.startswith("!")]
        exclude = [p[1:] for p in patterns if p.startswith("!")]
        search = root if _inside(base, _resolve(root)) else manifest.parent
        members = []
        for path in self.manifests(search):
            directory = _resolve(path.parent)
            if directory == base or not _inside(directory, base):
                continue
            relative = directory.relative_to(base).as_posix()
            if any(_glob(p).match(relative) for p in include) and not any(
                _glob(p).match(relative) for p in exclude
            ):
                members.append(path)
        return members

    def workspace_names(self, manifest: Path, root: Path) -> frozenset[str]:
        """Names of the workspace packages ``manifest`` belongs to (or declares itself)."""
        names: set[str] = set()
        stop = _resolve(root)
        directory = _resolve(manifest.parent)
        while True:
            candidate = directory / "package.json"
            document = self.document(candidate) if candidate.is_file() else None
            patterns = workspace_patterns(document) if document else []
            if document is not None and not patterns:
                patterns = self._declared_elsewhere(directory)
            if patterns:
                members = self.workspace_members(candidate, patterns, root)
                here = _resolve(manifest)
                if candidate == here or here in {_resolve(m) for m in members}:
                    for member in (candidate, *members):
                        name = (self.document(member) or {}).get("name")
                        if isinstance(name, str) and name:
                            names.add(name)
                    break
            if directory in (stop, directory.parent):
                break
            directory = directory.parent
        return frozenset(names)

    def _declared_elsewhere(self, directory: Path) -> list[str]:
        """Workspace globs kept beside a package.json: ``pnpm-workspace.yaml`` ``packages``,
        ``lerna.json`` ``packages``."""
        pnpm = self.catalogs(directory / "package.json")
        if (
            pnpm is not None
            and pnpm.packages
            and pnpm.source.endswith(PNPM_WORKSPACE)
            and _resolve(Path(pnpm.source)).parent == directory
        ):
            return list(pnpm.packages)
        lerna = directory / "lerna.json"
        if lerna.is_file():
            document = self.document(lerna) or {}
            listed = document.get("packages")
            if isinstance(listed, list):
                return [
                    p.strip().rstrip("/").removeprefix("./") for p in listed if isinstance(p, str)
                ]
        return []

    def catalogs(self, manifest: Path) -> Catalogs | None:
        """The catalogs of the workspace ``manifest`` belongs to: the nearest
        ``pnpm-workspace.yaml`` above it, else the nearest ``package.json`` (itself included)
        that declares ``catalog``/``catalogs`` (Bun). The search stops at a repository's top
        (a folder with ``.git``)."""
        from depguard.sources import display_path

        start = directory = _resolve(manifest.parent)
        if start in self._catalogs:
            return self._catalogs[start]
        found: Catalogs | None = None
        bun: Catalogs | None = None
        while True:
            yaml_file = directory / PNPM_WORKSPACE
            if yaml_file.is_file():
                if yaml_file not in self._catalogs:  # keyed by the file: read once per run
                    self._catalogs[yaml_file] = read_pnpm_workspace(
                        yaml_file, display_path(yaml_file)
                    )
                found = self._catalogs[yaml_file]
                if found is not None:
                    break
            package = directory / "package.json"
            if bun is None and package.is_file():
                document = self.document(package) or {}
                bun = from_mapping(document, display_path(package))
                workspaces = document.get("workspaces")
                if bun is None and isinstance(workspaces, Mapping):
                    bun = from_mapping(workspaces, display_path(package))
            if (directory / ".git").exists() or directory == directory.parent:
                break
            directory = directory.parent
        self._catalogs[start] = found = found or bun
        return found

    # -- tsconfig / jsconfig ------------------------------------------------------------------
    def declared_names(self, root: Path) -> frozenset[str]:
        """Every package a ``package.json`` under ``root`` declares, in any section."""
        key = _resolve(root)
        if key not in self._declared:
            names: set[str] = set()
            for path in self.manifests(root):
                document = self.document(path) or {}
                for section, _ in DEPENDENCY_SECTIONS:
                    table = document.get(section)
                    if isinstance(table, Mapping):
                        names.update(str(name) for name in table)
            self._declared[key] = frozenset(names)
        return self._declared[key]

    def generated(self, root: Path) -> Generated:
        """The framework namespaces that apply under ``root`` (see ``js_frameworks``)."""
        key = _resolve(root)
        if key not in self._generated:
            self._generated[key] = generated(self.declared_names(root) | self.local_names(root))
        return self._generated[key]

    def path_aliases(self, source: Path, root: Path) -> PathAliases:
        """The aliases of the nearest tsconfig.json or jsconfig.json above ``source``, and
        those of the bundler configurations in every folder from ``source`` up to ``root``
        (a key that names a declared package stays that package: ``vue: 'vue/dist/...'``)."""
        found = self._tsconfig_aliases(source, root)
        declared = self.declared_names(root)
        prefixes = tuple(
            key
            for key in self._bundler_aliases(_resolve(source.parent), _resolve(root))
            if key not in declared
        )
        return replace(found, prefixes=prefixes) if prefixes else found

    def _bundler_aliases(self, directory: Path, stop: Path) -> tuple[str, ...]:
        if directory not in self._bundler:
            own = aliases_in_directory(directory)
            above: tuple[str, ...] = ()
            if directory not in (stop, directory.parent) and _inside(directory, stop):
                above = self._bundler_aliases(directory.parent, stop)
            self._bundler[directory] = tuple(dict.fromkeys((*own, *above)))
        return self._bundler[directory]

    def _tsconfig_aliases(self, source: Path, root: Path) -> PathAliases:
        directory = _resolve(source.parent)
        stop = _resolve(root)
        visited: list[Path] = []
        found = PathAliases()
        while True:
            if directory in self._aliases:
                found = self._aliases[directory]
                break
            visited.append(directory)
            config = next(
                (directory / n for n in TSCONFIG_NAMES if (directory / n).is_file()), None
            )
            if config is not None:
                found = _read_tsconfig(config, stop)
                break
            if directory in (stop, directory.parent) or not _inside(directory, stop):
                break
            directory = directory.parent
        for seen in visited:
            self._aliases[seen] = found
        return found


def workspace_patterns(document: Mapping[str, Any]) -> list[str]:
    """``workspaces`` as npm and yarn write it: a list, or ``{"packages": [...]}``."""
    value = document.get("workspaces")
    if isinstance(value, Mapping):
        value = value.get("packages")
    if isinstance(value, list):
        return [v.strip().rstrip("/").removeprefix("./") for v in value if isinstance(v, str)]
    return []


def _alias_target(spec: object) -> str | None:
    from depguard.sources import npm_spec

    try:
        parsed = npm_spec.parse(spec)
    except npm_spec.SpecError:
        return None
    return parsed.target if parsed.kind is npm_spec.SpecKind.ALIAS else None


@functools.lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    out = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**", index):
            out.append(".*")
            index += 2
            if pattern.startswith("/", index):
                out[-1] = "(?:.*/)?"
                index += 1
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        else:
            out.append(re.escape(char))
        index += 1
    return re.compile("^" + "".join(out) + "$")


_JSONC_COMMENT = re.compile(r'"(?:[^"\\]|\\.)*"|//[^\n]*|/\*.*?\*/', re.DOTALL)
_JSONC_TRAILING = re.compile(r'"(?:[^"\\]|\\.)*"|,(?=\s*[}\]])', re.DOTALL)


def strip_jsonc(text: str) -> str:
    """JSON with comments and trailing commas (tsconfig's dialect) as plain JSON."""

    def comment(match: re.Match[str]) -> str:
        token = match.group()
        return token if token.startswith('"') else " " + "\n" * token.count("\n")

    def comma(match: re.Match[str]) -> str:
        token = match.group()
        return token if token.startswith('"') else ""

    return _JSONC_TRAILING.sub(comma, _JSONC_COMMENT.sub(comment, text))


def _read_tsconfig(path: Path, root: Path, depth: int = 0) -> PathAliases:
    try:
        data = json.loads(strip_jsonc(read_text(path)))
    except (ManifestError, ValueError, RecursionError):
        return PathAliases()
    if not isinstance(data, Mapping):
        return PathAliases()
    inherited = PathAliases()
    extends = data.get("extends")
    for parent in [extends] if isinstance(extends, str) else (extends or []):
        if not isinstance(parent, str) or depth >= MAX_EXTENDS:
            continue
        if parent.startswith((".", "/")):
            target = _resolve(path.parent / parent)
            if target.suffix != ".json":
                target = target.with_name(target.name + ".json")
            if target.is_file() and _inside(target, root):
                got = _read_tsconfig(target, root, depth + 1)
                inherited = PathAliases(
                    inherited.patterns + got.patterns, got.base_url or inherited.base_url
                )
    options = data.get("compilerOptions")
    options = options if isinstance(options, Mapping) else {}
    paths = options.get("paths")
    patterns = tuple(str(k) for k in paths) if isinstance(paths, Mapping) else ()
    base = options.get("baseUrl")
    base_url = _resolve(path.parent / base) if isinstance(base, str) else inherited.base_url
    # A solution-style tsconfig (Vite's templates) keeps the paths in the projects it
    # references (tsconfig.app.json): their aliases apply to the folder too.
    references = data.get("references")
    for reference in references if isinstance(references, list) else ():
        ref_path = reference.get("path") if isinstance(reference, Mapping) else None
        if not isinstance(ref_path, str) or depth >= MAX_EXTENDS:
            continue
        target = _resolve(path.parent / ref_path)
        if target.is_dir():
            target = target / "tsconfig.json"
        if target.is_file() and _inside(target, root) and target != _resolve(path):
            got = _read_tsconfig(target, root, depth + 1)
            patterns += got.patterns
            base_url = base_url or got.base_url
    return PathAliases(inherited.patterns + patterns, base_url)


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents

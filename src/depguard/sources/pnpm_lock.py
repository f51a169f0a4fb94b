"""``pnpm-lock.yaml``: every package of the lock (lockfile versions 5.x, 6.x and 9.x).

Read with PyYAML's base loader (safe: strings, lists and mappings only; the C one when
present). ``packages`` holds one entry per package (``name@version``; 6.x writes
``/name@version``, 5.x ``/name/version``), with its ``resolution``: an ``integrity`` alone is
the configured registry, a ``tarball`` URL is checked like npm's ``resolved`` (a registry
tarball) or is a direct reference, ``type: git`` and ``directory`` are direct references.
``importers`` (6.x and 9.x; the top level in older locks) are the project and its workspace
packages: their dependencies are the project's own, ``link:`` ones local. The graph is
``snapshots`` (9.x) or each package's ``dependencies``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depguard.errors import ManifestError
from depguard.model import Location
from depguard.sources import SourceResult
from depguard.sources import locks as L

if TYPE_CHECKING:
    from depguard.sources.context import ReadContext

SUPPORTED_MAJOR = ("5", "6", "7", "9")
IMPORTER_SECTIONS = (
    ("dependencies", None),
    ("devDependencies", "dev"),
    ("optionalDependencies", "optional"),
)
GRAPH_SECTIONS = ("dependencies", "optionalDependencies")
_KEY_LINE = re.compile(r"""^  (?:'((?:[^']|'')*)'|"((?:[^"\\]|\\.)*)"|([^\s'"#][^:]*?)):(?:\s|$)""")


def read(path: Path, display: str, context: ReadContext) -> SourceResult:
    """The source interface (:mod:`depguard.sources.context`)."""
    return L.read_lock(path, display, parse_text)


def load_yaml(text: str) -> object:
    """Parse YAML with PyYAML's base loader (the safe subset with every scalar a string: no
    object is built, no type guessed; the C one when present); a syntax error becomes a
    ManifestError with its line."""
    import yaml

    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - the base loader builds no objects
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ManifestError(f"invalid YAML: {exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise ManifestError(f"invalid YAML: {type(exc).__name__}") from None


def parse_text(text: str, display: str, path: Path) -> SourceResult:
    document = load_yaml(text)
    if not isinstance(document, Mapping):
        raise ManifestError("not a pnpm lockfile (expected a mapping)", 1)
    version = str(document.get("lockfileVersion", ""))
    if version.split(".", maxsplit=1)[0] not in SUPPORTED_MAJOR:
        raise ManifestError(
            f"unsupported lockfileVersion {version!r} (depguard reads 5.x, 6.x and 9.x)", 1
        )
    major = int(version.split(".", maxsplit=1)[0])
    lines = _key_lines(text)
    reader = _Reader(display, major, lines)
    return reader.read(document)


class _Reader:
    def __init__(self, display: str, major: int, lines: dict[str, dict[str, int]]) -> None:
        self.display = display
        self.major = major
        self.lines = lines
        self.result = SourceResult()
        self.locked = L.Locked(display)
        self.groups: dict[str, str | None] = {}
        self.aliases: dict[str, str] = {}

    def read(self, document: Mapping[str, Any]) -> SourceResult:
        importers = L.table(document.get("importers")) or {".": document}
        roots: set[str] = set()
        for importer in importers.values():
            for section, group in IMPORTER_SECTIONS:
                for name, ref in L.table(L.table(importer).get(section)).items():
                    version = ref.get("version") if isinstance(ref, Mapping) else ref
                    key = self.key(str(name), version)
                    if key is None:
                        continue
                    roots.add(key)
                    self.groups.setdefault(key, group)
                    if L.split_npm(key.lstrip("/"))[0] != name:
                        self.aliases.setdefault(key, str(name))
        self.locked.root(roots)
        packages = document.get("packages") or {}
        if not isinstance(packages, Mapping):
            raise ManifestError(
                "packages must be a mapping", self.lines.get("", {}).get("packages")
            )
        snapshots = L.table(document.get("snapshots"))
        edges: dict[str, set[str]] = {}
        for raw, info in (snapshots or packages).items():
            here = _base(str(raw))
            for section in GRAPH_SECTIONS:
                for name, ref in L.table(L.table(info).get(section)).items():
                    key = self.key(str(name), ref)
                    if key is not None:
                        edges.setdefault(here, set()).add(key)
        for raw, info in packages.items():
            self.package(str(raw), info, edges)
        self.locked.finish(self.result)
        return self.result

    def key(self, name: str, version: object) -> str | None:
        """The ``packages`` key (without peer suffix) a dependency reference points at."""
        if not isinstance(version, str) or not version or version.startswith("link:"):
            return None
        if self.major >= 9:
            plain = version.split("(", 1)[0]
            alias = "@" in plain[1:] and not plain.startswith(("http:", "https:", "file:", "git"))
            return _base(version if alias else f"{name}@{version}")
        if version.startswith("/"):
            return _base(version)  # an alias (6.x: /real@1.0.0; 5.x: /real/1.0.0)
        if re.match(r"^\d", version):
            return _base(f"/{name}@{version}" if self.major >= 6 else f"/{name}/{version}")
        return _base(version)  # a git, tarball or file: source: the key is the source itself

    def package(self, raw: str, info: object, edges: Mapping[str, set[str]]) -> None:
        line = self.lines.get("packages", {}).get(raw)
        location = Location(self.display, line)
        if not isinstance(info, Mapping):
            self.result.error(self.display, line, f"packages[{raw!r}] must be a mapping")
            return
        key = _base(raw)
        name, version = _identity(raw, info, self.major)
        if name is None or L.npm_name(name) is None:
            self.result.error(self.display, line, f"packages[{raw!r}]: not a valid npm package")
            return
        group = self.groups.get(key)
        if group is None and self.major < 9:
            flags = [g for g in ("dev", "optional") if info.get(g) in (True, "true")]
            group = flags[0] if flags else None
        dependency = L.npm_entry(
            name,
            version,
            location,
            source=_source(L.table(info.get("resolution"))),
            alias=self.aliases.get(key),
            group=group,
            detail=raw,
        )
        self.locked.add(key, dependency, edges.get(key, ()))


def _base(key: str) -> str:
    """A key without its peer-dependency suffix (``(react@18.0.0)``; 5.x ``_react@18.0.0``)."""
    key = key.split("(", 1)[0]
    if key.startswith("/") and "_" in key:
        head, _, tail = key.rpartition("/")
        key = f"{head}/{tail.split('_', 1)[0]}"
    return key


def _identity(raw: str, info: Mapping[str, Any], major: int) -> tuple[str | None, str | None]:
    name = L.string(info.get("name"))
    version = L.string(info.get("version"))
    if name:
        return name, version
    key = _base(raw)
    if key.startswith("/"):
        key = key[1:]
        if major < 6:
            head, _, tail = key.rpartition("/")
            return head or None, tail or None
    found, rest = L.split_npm(key)
    return (found or None), (rest or version)


def _source(resolution: Mapping[str, Any]) -> str | None:
    tarball = L.string(resolution.get("tarball"))
    if tarball:
        return tarball
    if resolution.get("type") == "git":
        repo = L.string(resolution.get("repo")) or ""
        commit = L.string(resolution.get("commit"))
        base = repo if repo.startswith("git+") else f"git+{repo}"
        return f"{base}#{commit}" if commit else base
    directory = L.string(resolution.get("directory"))
    if directory:
        return f"file:{directory}"
    return None


def _key_lines(text: str) -> dict[str, dict[str, int]]:
    """section -> key -> line, for the keys two spaces into each top-level section."""
    found: dict[str, dict[str, int]] = {"": {}}
    section = ""
    for number, line in enumerate(_lines(text), 1):
        if not line or line[0] == " ":
            if line.startswith("  ") and not line.startswith("   "):
                match = _KEY_LINE.match(line)
                if match:
                    single, double, bare = match.groups()
                    key = (
                        single.replace("''", "'")
                        if single is not None
                        else double
                        if double is not None
                        else bare
                    )
                    found.setdefault(section, {}).setdefault(key, number)
            continue
        if line[0] != "#":
            section = line.split(":", 1)[0].strip("'\"")
            found[""].setdefault(section, number)
    return found


def _lines(text: str) -> Iterator[str]:
    for line in text.split("\n"):
        yield line.rstrip("\r")

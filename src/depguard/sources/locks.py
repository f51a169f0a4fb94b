"""What every lockfile reader shares: reading the file, building locked entries, and marking
which are direct and the shortest chain (``via``) to the others.

A reader collects its entries in a :class:`Locked`: each entry is one
:class:`~depguard.model.Dependency` under a graph key (a normalized name, or ``name@version``
where a lock keeps several versions apart), with the keys it needs. The direct keys come from
the lock itself where it records the project's own dependencies (uv, pnpm, Yarn Berry, Bun,
npm), else from the manifest beside it (``pyproject.toml``, ``Pipfile``, ``package.json``);
when neither says, every entry stays direct (judged at full strength, never hidden).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from depguard.errors import ManifestError
from depguard.model import Dependency, Ecosystem, Location, NamedIn, UrlKind
from depguard.names import is_valid, normalize
from depguard.sources import SourceResult, graph
from depguard.sources.reading import LOCKFILE_LIMIT, read_into
from depguard.sources.toml_lines import TomlLines

Parse = Callable[[str, str, Path], SourceResult]
"""(text, display, path) -> what the lock holds; may raise ManifestError for the whole file."""

_PEP508_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")


def read_lock(path: Path, display: str, parse: Parse) -> SourceResult:
    """Read a lockfile (up to the lockfile size limit) and parse it; a file that cannot be read
    at all is one error with its line, never a traceback."""
    result = SourceResult()
    text = read_into(path, display, result, LOCKFILE_LIMIT)
    if text is None:
        return result
    try:
        result.extend(parse(text, display, path))
    except ManifestError as exc:
        result.error(display, exc.line, exc.message)
    except RecursionError:
        result.error(display, None, "nested too deeply to read")
    return result


@dataclass
class Locked:
    """The entries of one lock, and its graph."""

    display: str
    entries: list[tuple[str, Dependency]] = field(default_factory=list)
    needs: dict[str, set[str]] = field(default_factory=dict)
    roots: set[str] | None = None
    """Keys the project itself needs; None while unknown."""
    indexes: tuple[str, ...] = ()
    """Indexes the project declares beside the lock: every entry may come from them."""

    def add(self, key: str, dependency: Dependency, needs: Iterable[str] = ()) -> None:
        self.entries.append((key, dependency))
        self.need(key, needs)

    def need(self, key: str, needs: Iterable[str]) -> None:
        self.needs.setdefault(key, set()).update(needs)

    def root(self, keys: Iterable[str]) -> None:
        if self.roots is None:
            self.roots = set()
        self.roots.update(keys)

    def finish(self, result: SourceResult) -> None:
        """Append every entry to ``result`` with ``direct`` and ``via`` filled in."""
        chains: dict[str, tuple[str, ...]] = {}
        if self.roots is not None:
            names = {key: dep.name for key, dep in self.entries}
            chains = graph.chains(self.roots, self.needs, lambda key: names.get(key, key))
        for key, dep in self.entries:
            chain = chains.get(key) if self.roots is not None else ()
            changes: dict[str, object] = {"direct": chain == (), "via": chain or ()}
            if self.indexes and dep.resolved:
                changes["indexes"] = tuple(dict.fromkeys((*dep.indexes, *self.indexes)))
            result.dependencies.append(_changed(dep, changes))


def _changed(dep: Dependency, changes: dict[str, object]) -> Dependency:
    """``dataclasses.replace(dep, **changes)`` without re-running ``__init__`` (a lock of
    thousands of entries spends most of its own time there otherwise)."""
    if all(getattr(dep, name) == value for name, value in changes.items()):
        return dep
    made: Dependency = object.__new__(Dependency)
    made.__dict__.update(dep.__dict__, **changes)
    return made


def toml_array(
    document: Mapping[str, Any], lines: TomlLines, key: str
) -> list[tuple[int | None, object]]:
    """The entries of an array of tables (``[[package]]``), each with its header's line."""
    entries = document.get(key, [])
    if not isinstance(entries, list):
        raise ManifestError(f"{key} must be an array of tables", lines.key_line((), key))
    starts: list[int | None] = list(lines.array_lines((key,)))
    if len(starts) != len(entries):  # written inline: no line per entry
        starts = [lines.key_line((), key)] * len(entries)
    return list(zip(starts, entries, strict=True))


def toml_packages(
    document: Mapping[str, Any], lines: TomlLines, key: str, display: str, result: SourceResult
) -> Iterator[tuple[str, Mapping[str, Any], Location]]:
    """Each ``[[key]]`` table with a valid project name, and where its name is written; the
    others are errors in ``result``."""
    for start, entry in toml_array(document, lines, key):
        line = lines.line_in(start, "name")
        if not isinstance(entry, Mapping):
            result.error(display, start, f"[[{key}]] must be a table")
            continue
        name = pypi_name(entry.get("name"))
        if name is None:
            result.error(display, line, f"[[{key}]]: {entry.get('name')!r} is not a project name")
            continue
        yield name, entry, Location(display, line)


def supported(version: object, majors: tuple[str, ...], what: str, line: int | None) -> None:
    """Raise a clear error for a lock format version depguard does not read."""
    if isinstance(version, bool) or str(version).split(".", 1)[0] not in majors:
        known = ", ".join(f"{m}.x" for m in majors)
        raise ManifestError(f"unsupported {what} {version!r} (depguard reads {known})", line or 1)


def python_entry(
    name: str,
    version: str | None,
    location: Location,
    *,
    group: str | None = None,
    marker: str | None = None,
    resolved: str | None = None,
    url: str | None = None,
    url_kind: UrlKind | None = None,
    indexes: tuple[str, ...] = (),
) -> Dependency:
    return Dependency(
        ecosystem=Ecosystem.PYPI,
        name=name,
        normalized=normalize(Ecosystem.PYPI, name),
        location=location,
        named_in=NamedIn.LOCKFILE,
        specifier=f"=={version}" if version and url is None else "",
        version=version or None,
        marker=marker,
        group=group,
        resolved=resolved if url is None else None,
        url=url,
        url_kind=url_kind,
        indexes=indexes,
        detail=f"{name}=={version}" if version else name,
    )


def direct_reference(
    name: str,
    version: str | None,
    location: Location,
    group: str | None,
    entry: Mapping[str, Any],
    *,
    commits: tuple[str, ...],
    urls: tuple[str, ...],
) -> Dependency | None:
    """A locked ``git`` source (pinned by the first of ``commits`` present), or the first of
    ``urls`` (a URL or a path; ``path`` always a path); None for an index package."""
    git = string(entry.get("git"))
    if git:
        commit = next((c for key in commits if (c := string(entry.get(key)))), None)
        url = git_url(git, commit)
        return python_entry(name, version, location, group=group, url=url, url_kind=UrlKind.VCS)
    for key in urls:
        target = string(entry.get(key))
        if target:
            kind = UrlKind.PATH if key == "path" else url_kind(target)
            return python_entry(name, version, location, group=group, url=target, url_kind=kind)
    return None


def pypi_name(value: object) -> str | None:
    """A valid PyPI project name, or None."""
    if isinstance(value, str) and is_valid(Ecosystem.PYPI, value):
        return value
    return None


def requirement_name(text: object) -> str | None:
    """The normalized project name a PEP 508 string starts with."""
    if not isinstance(text, str):
        return None
    match = _PEP508_NAME.match(text)
    return normalize(Ecosystem.PYPI, match.group(1)) if match else None


def git_url(url: str, commit: str | None) -> str:
    """A VCS reference as pip writes it: ``git+URL@COMMIT``."""
    base = url if "+" in url.split("://", 1)[0] else f"git+{url}"
    return f"{base}@{commit}" if commit else base


def url_kind(url: str) -> UrlKind:
    """What kind of direct reference a URL or path is."""
    lower = url.lower()
    if lower.startswith(("git+", "hg+", "svn+", "bzr+", "git://", "git@", "ssh://")):
        return UrlKind.VCS
    if lower.startswith(("http://", "https://")):
        return UrlKind.URL
    return UrlKind.PATH


def table(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def array(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def string(value: object) -> str | None:
    return value if isinstance(value, str) else None


def python_roots(locked: Locked, lock: Path, *, roots: bool = True) -> None:
    """What the ``pyproject.toml`` beside a lock adds to it: the indexes it declares (an entry
    locked from one of them is expected) and, for a lock that does not record them, its direct
    dependencies (every table and group depguard reads there)."""
    from depguard.sources import pyproject
    from depguard.sources.requirements import IncludePolicy

    manifest = lock.with_name("pyproject.toml")
    if not manifest.is_file():
        return
    read = pyproject.parse_file(manifest, str(manifest), IncludePolicy(root=lock.parent))
    locked.indexes = tuple(dict.fromkeys(d.index.url for d in read.indexes))
    if roots:
        locked.root(dep.normalized for dep in read.dependencies)


def npm_entry(
    name: str,
    version: str | None,
    location: Location,
    *,
    source: str | None = None,
    alias: str | None = None,
    group: str | None = None,
    detail: str | None = None,
) -> Dependency:
    """One locked npm package. ``source`` is where the lock fetches it from (a registry tarball
    URL, a git or tarball URL, a path); a registry tarball stays ``resolved``, anything else is
    a direct reference."""
    from depguard import npm_semver
    from depguard.sources.package_lock import source_kind

    kind = source_kind(source) if source else None
    exact = version if version and npm_semver.exact_version(version) else None
    return Dependency(
        ecosystem=Ecosystem.NPM,
        name=name,
        normalized=name,
        location=location,
        named_in=NamedIn.LOCKFILE,
        specifier=(exact or "") if kind is None else "",
        version=exact,
        group=group,
        installed_as=alias if alias and alias != name else None,
        resolved=source if kind is None else None,
        url=source if kind is not None else None,
        url_kind=kind,
        detail=detail or (f"{name}@{version}" if version else name),
    )


def npm_name(value: object) -> str | None:
    """A valid npm package name, or None."""
    if isinstance(value, str) and is_valid(Ecosystem.NPM, value):
        return value
    return None


def split_npm(text: str) -> tuple[str, str]:
    """``name@rest`` -> (name, rest), scoped names included; rest is "" without an ``@``."""
    at = text.find("@", 1)
    if at < 0:
        return text, ""
    return text[:at], text[at + 1 :]


MAX_WORKSPACES = 2000


def npm_manifest_roots(lock: Path) -> list[tuple[str, str, str | None]] | None:
    """(name, range, group) of every dependency the ``package.json`` beside a lock and its
    workspaces declare; None when there is no readable package.json."""
    import json

    from depguard.sources.npm_project import DEPENDENCY_SECTIONS
    from depguard.sources.reading import read_text

    def load(path: Path) -> Mapping[str, Any] | None:
        try:
            data = json.loads(read_text(path))
        except (ManifestError, ValueError, RecursionError):
            return None
        return data if isinstance(data, Mapping) else None

    root = load(lock.with_name("package.json"))
    if root is None:
        return None
    manifests = [root]
    patterns = root.get("workspaces")
    if isinstance(patterns, Mapping):
        patterns = patterns.get("packages")
    for pattern in array(patterns):
        if not isinstance(pattern, str) or ".." in pattern or pattern.startswith("/"):
            continue
        for folder in sorted(lock.parent.glob(pattern))[:MAX_WORKSPACES]:
            member = load(folder / "package.json") if folder.is_dir() else None
            if member is not None:
                manifests.append(member)
    roots = []
    for manifest in manifests:
        for section, group in DEPENDENCY_SECTIONS:
            for name, spec in table(manifest.get(section)).items():
                if isinstance(spec, str):
                    roots.append((str(name), spec, group))
    return roots

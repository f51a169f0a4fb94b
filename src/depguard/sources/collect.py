"""Turning the command line's paths into dependencies: files, directories and standard input."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from depguard.errors import UsageError
from depguard.sources import SourceResult, display_path, pyproject, requirements
from depguard.sources.discover import FileKind, classify, walk
from depguard.sources.npm_project import NpmProjects
from depguard.sources.requirements import STDIN_LABEL, IncludePolicy


@dataclass
class ReadContext:
    """What parsers share during one run."""

    includes: IncludePolicy
    excludes: tuple[str, ...] = ()
    npm: NpmProjects = field(default_factory=NpmProjects)

    def __post_init__(self) -> None:
        self.npm.excludes = self.excludes


Parser = Callable[[Path, str, ReadContext], SourceResult]


def _requirements(path: Path, display: str, context: ReadContext) -> SourceResult:
    return requirements.parse_file(path, display, context.includes)


def _pyproject(path: Path, display: str, context: ReadContext) -> SourceResult:
    return pyproject.parse_file(path, display, context.includes)


def _package_json(path: Path, display: str, context: ReadContext) -> SourceResult:
    from depguard.sources import package_json

    return package_json.parse_file(path, display, context.npm, context.includes.root)


def _package_lock(path: Path, display: str, context: ReadContext) -> SourceResult:
    from depguard.sources import package_lock

    return package_lock.parse_file(path, display)


def _js_imports(path: Path, display: str, context: ReadContext) -> SourceResult:
    from depguard.sources import js_imports

    return js_imports.parse_file(path, display, context.npm, context.includes.root)


PARSERS: dict[FileKind, Parser] = {
    FileKind.REQUIREMENTS: _requirements,
    FileKind.PYPROJECT: _pyproject,
    FileKind.PACKAGE_JSON: _package_json,
    FileKind.PACKAGE_LOCK: _package_lock,
    FileKind.JAVASCRIPT: _js_imports,
}
"""One parser per manifest kind. A kind without a parser is not collected."""


def collect(
    paths: Sequence[str],
    context: ReadContext,
    *,
    stdin: Callable[[], str] | None = None,
    kinds: Iterable[FileKind] | None = None,
) -> SourceResult:
    """Read every path: ``-`` is standard input (a requirements list), directories are walked."""
    wanted = tuple(kinds) if kinds is not None else tuple(PARSERS)
    result = SourceResult()
    for raw in paths:
        if raw == "-":
            if stdin is None:
                raise UsageError("'-' given but standard input is not available")
            text = stdin()
            result.files.append(STDIN_LABEL)
            result.extend(requirements.parse_text(text, STDIN_LABEL, Path.cwd(), context.includes))
            continue
        path = Path(raw)
        if path.is_dir():
            for found in walk(path, wanted, context.excludes):
                result.extend(_parse(found.path, found.kind, context))
        elif path.is_file() or path.is_symlink():
            result.extend(_parse(path, explicit_kind(path), context))
        else:
            raise UsageError(f"no such file or directory: {raw}")
    return result


def explicit_kind(path: Path) -> FileKind:
    """The kind of a file named on the command line: by name, else by extension."""
    kind = classify(path)
    if kind is not None and kind in PARSERS:
        return kind
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return FileKind.PYPROJECT
    if suffix == ".json" and FileKind.PACKAGE_JSON in PARSERS:
        return FileKind.PACKAGE_JSON
    return FileKind.REQUIREMENTS


def _parse(path: Path, kind: FileKind, context: ReadContext) -> SourceResult:
    parser = PARSERS.get(kind)
    if parser is None:
        return SourceResult()
    return parser(path, display_path(path), context)

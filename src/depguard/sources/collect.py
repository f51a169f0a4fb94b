"""Turning the command line's paths into dependencies: files, directories and standard input."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from depguard.errors import UsageError
from depguard.model import Ecosystem
from depguard.sources import (
    SourceResult,
    display_path,
    fixture_trees,
    imports,
    pyproject,
    requirements,
)
from depguard.sources.discover import FileKind, classify, walk
from depguard.sources.fixture_trees import Skipped
from depguard.sources.npm_project import NpmProjects
from depguard.sources.requirements import STDIN_LABEL, IncludePolicy

if TYPE_CHECKING:
    from depguard.cache import Cache


@dataclass
class ReadContext:
    """What parsers share during one run."""

    includes: IncludePolicy
    excludes: tuple[str, ...] = ()
    imports: bool = True
    """Read the imports of Python sources and notebooks in directories and named files."""
    python_version: str | None = None
    """The target Python for the standard-library list (default: the running one)."""
    npm: NpmProjects = field(default_factory=NpmProjects)
    cache: Cache | None = None
    """Where what each source file imports is remembered (by content)."""
    include_fixtures: bool = False
    """Walk into test-data and fixture trees too (see :mod:`depguard.sources.fixture_trees`)."""

    def __post_init__(self) -> None:
        self.npm.excludes = self.excludes
        self.npm.fixtures = () if self.include_fixtures else fixture_trees.RULES


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


CODE_KINDS = (FileKind.PYTHON, FileKind.NOTEBOOK)


def collect(
    paths: Sequence[str],
    context: ReadContext,
    *,
    stdin: Callable[[], str] | None = None,
    kinds: Iterable[FileKind] | None = None,
) -> SourceResult:
    """Read every path: ``-`` is standard input (a requirements list), directories are walked.

    Manifests are parsed as they are found; Python sources and notebooks are parsed together at
    the end (in parallel when there are many), and their imports resolved against what the
    manifests declare and what the tree itself provides.
    """
    wanted = tuple(kinds) if kinds is not None else tuple(PARSERS)
    if not context.imports:
        wanted = tuple(kind for kind in wanted if kind is not FileKind.JAVASCRIPT)
    code = CODE_KINDS if context.imports else ()
    result = SourceResult()
    code_files: list[Path] = []
    trees: list[tuple[Path, list[Path]]] = []  # where local modules are looked for
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
            found_code: list[Path] = []
            skipped: list[Skipped] = []
            rules = () if context.include_fixtures else fixture_trees.RULES
            for found in walk(
                path, (*wanted, *code), context.excludes, fixtures=rules, skipped=skipped
            ):
                if found.kind in CODE_KINDS:
                    found_code.append(found.path)
                else:
                    result.extend(_parse(found.path, found.kind, context))
            code_files.extend(found_code)
            trees.append((path, found_code))
            notice = fixture_trees.describe(skipped)
            if notice:
                result.notices.append(notice if raw == "." else f"{raw}: {notice}")
        elif path.is_file() or path.is_symlink():
            kind = classify(path)
            if kind in CODE_KINDS:
                code_files.append(path)
                trees.append((path.parent, _neighbours(path.parent)))
            else:
                result.extend(_parse(path, explicit_kind(path), context))
        else:
            raise UsageError(f"no such file or directory: {raw}")
    if code_files:
        result.extend(_read_code(code_files, result, trees, context))
    return result


def _read_code(
    files: list[Path],
    manifests: SourceResult,
    trees: list[tuple[Path, list[Path]]],
    context: ReadContext,
) -> SourceResult:
    from depguard import import_names, stdlib
    from depguard.sources.python_code import scan_files

    local: set[str] = set()

    def meanwhile() -> None:
        """What this process can do while the workers parse."""
        for root, found in trees:
            local.update(imports.local_modules(root, found))
        import_names.load()

    unique = list(dict.fromkeys(files))
    scans = scan_files([(path, display_path(path)) for path in unique], context.cache, meanwhile)
    result = SourceResult()
    for scan in scans:
        result.files.append(scan.path)
        result.errors.extend(scan.errors)
    declared = [d.name for d in manifests.dependencies if d.ecosystem is Ecosystem.PYPI]
    result.dependencies.extend(
        imports.resolve(
            scans,
            declared=declared,
            local=frozenset(local),
            stdlib=stdlib.modules(context.python_version) | stdlib.python2_only(),
        )
    )
    return result


def _neighbours(directory: Path) -> list[Path]:
    """Python files and packages right next to a file named on the command line."""
    try:
        entries = list(directory.iterdir())
    except OSError:
        return []
    found = [e for e in entries if e.suffix in (".py", ".pyi") and e.is_file()]
    found += [e / "__init__.py" for e in entries if (e / "__init__.py").is_file()]
    return found


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

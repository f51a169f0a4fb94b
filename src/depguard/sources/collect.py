"""Turning the command line's paths into dependencies: files, directories and standard input."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from depguard.errors import UsageError
from depguard.model import Ecosystem
from depguard.sources import SourceResult, display_path, fixture_trees, imports, kinds, requirements
from depguard.sources.context import ReadContext
from depguard.sources.discover import walk
from depguard.sources.fixture_trees import Skipped
from depguard.sources.kinds import Kind, classify
from depguard.sources.requirements import STDIN_LABEL

__all__ = ["ReadContext", "collect", "explicit_kind"]


REQUIREMENTS_SUFFIXES = (".txt", ".in", ".pip")
"""A file named on the command line with one of these is a requirements file, whatever its name
(``pip install -r`` reads any name)."""


def collect(
    paths: Sequence[str],
    context: ReadContext,
    *,
    stdin: Callable[[], str] | None = None,
) -> SourceResult:
    """Read every path: ``-`` is standard input (a requirements list), directories are walked
    for every kind of :data:`kinds.KINDS`.

    Manifests are parsed as they are found; Python sources and notebooks are parsed together at
    the end (in parallel when there are many), and their imports resolved against what the
    manifests declare and what the tree itself provides.
    """
    forced = _forced(context.as_kind)
    wanted = kinds.KINDS
    if not context.imports:
        wanted = tuple(kind for kind in wanted if not kind.code)
    result = SourceResult()
    code_files: list[Path] = []
    trees: list[tuple[Path, list[Path]]] = []  # where local modules are looked for
    walked: dict[Path, Path] = {}  # code files found by a directory walk, and that directory
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
            for found in walk(path, wanted, context.excludes, fixtures=rules, skipped=skipped):
                if found.kind.reader:
                    result.extend(found.kind.read(found.path, display_path(found.path), context))
                if not found.kind.reader or (found.kind.also_code and context.imports):
                    found_code.append(found.path)
            code_files.extend(found_code)
            trees.append((path, found_code))
            walked.update(dict.fromkeys(found_code, path))
            notice = fixture_trees.describe(skipped)
            if notice:
                result.notices.append(notice if raw == "." else f"{raw}: {notice}")
        elif path.is_file() or path.is_symlink():
            kind = forced or explicit_kind(path)
            if kind is None:
                result.error(
                    display_path(path),
                    None,
                    "not a kind of file depguard reads (by its name); "
                    f"name its kind with --as KIND ({kinds.choices()})",
                )
            elif not kind.reader:
                code_files.append(path)
                trees.append((path.parent, _neighbours(path.parent)))
            else:
                result.extend(kind.read(path, display_path(path), context))
        else:
            raise UsageError(f"no such file or directory: {raw}")
    if code_files:
        result.extend(_read_code(code_files, result, trees, walked, context))
    return result


def _read_code(
    files: list[Path],
    manifests: SourceResult,
    trees: list[tuple[Path, list[Path]]],
    walked: dict[Path, Path],
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
            inside={display_path(p): fixture_trees.inside_tree(p, walked[p]) for p in walked},
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


def explicit_kind(path: Path) -> Kind | None:
    """The kind of a file named on the command line: by name, else a requirements file by its
    extension; None when depguard does not know it."""
    kind = classify(path)
    if kind is not None:
        return kind
    if path.suffix.lower() in REQUIREMENTS_SUFFIXES:
        return kinds.REQUIREMENTS
    return None


def _forced(name: str | None) -> Kind | None:
    if name is None:
        return None
    kind = kinds.named(name)
    if kind is None:
        raise UsageError(
            f"--as {name!r}: not a kind depguard reads; choose one of {kinds.choices()}"
        )
    return kind

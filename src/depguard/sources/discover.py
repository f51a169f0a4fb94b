"""Finding the files to read in a directory tree.

The walk skips what a user would skip (version control, virtual environments, installed
packages, build output, caches), honours exclude globs, and never follows a symlink out of the
tree it was asked to scan.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from depguard.sources.fixture_trees import RULES, Skipped, SkipRule, is_prose, rule_for
from depguard.sources.kinds import Kind, classify

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        "node_modules",
        "site-packages",
        "dist-packages",
        "__pycache__",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        "build",
        "dist",
        ".eggs",
        ".idea",
        ".vscode",
        ".cache",
        "bower_components",
        ".next",
        ".nuxt",
        ".yarn",
        ".pnpm-store",
        ".direnv",
    }
)

MAX_FILES = 200_000
"""The walk stops (and says so) after this many files."""


@dataclass(frozen=True)
class Found:
    path: Path
    kind: Kind


def is_virtualenv(directory: Path) -> bool:
    return (directory / "pyvenv.cfg").is_file() or (directory / "conda-meta").is_dir()


def walk(
    root: Path,
    kinds: Iterable[Kind],
    excludes: Iterable[str] = (),
    max_files: int = MAX_FILES,
    *,
    fixtures: Sequence[SkipRule] = RULES,
    skipped: list[Skipped] | None = None,
) -> Iterator[Found]:
    """Yield the files of the wanted kinds under ``root``, in a stable order.

    Directories that ``fixtures`` rules match (test data, fixture trees; see
    :mod:`depguard.sources.fixture_trees`) are not entered; each is added to ``skipped``.
    Pass ``fixtures=()`` to read them too."""
    wanted = frozenset(kinds)
    patterns = tuple(excludes)
    real_root = root.resolve()
    top = os.path.normpath(root)
    seen = 0
    for current, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(current)
        relative = os.path.relpath(current, top)
        base = () if relative == "." else Path(relative).parts
        kept = []
        for name in sorted(dirnames):
            sub = here / name
            if name in SKIP_DIRS or name.endswith(".egg-info") or _excluded(sub, root, patterns):
                continue
            if sub.is_symlink() or is_virtualenv(sub):
                continue
            rule = rule_for((*base, name), fixtures) if fixtures else None
            if rule is not None:
                if skipped is not None:
                    skipped.append(Skipped("/".join((*base, name)), rule))
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            seen += 1
            if seen > max_files:
                return
            path = here / name
            kind = classify(path)
            if kind is None or kind not in wanted or _excluded(path, root, patterns):
                continue
            if kind.ecosystem is not None and not kind.code and is_prose(base, name):
                continue  # a documentation page named like a manifest
            if path.is_symlink() and not _inside(path, real_root):
                continue
            yield Found(path, kind)


def _excluded(path: Path, root: Path, patterns: tuple[str, ...]) -> bool:
    if not patterns:
        return False
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        relative = path.as_posix()
    # A pattern matches the path relative to the walked root, or the file or directory name;
    # an excluded directory is not entered, so everything below it is excluded too.
    return any(
        fnmatch.fnmatch(relative, pattern.rstrip("/"))
        or fnmatch.fnmatch(path.name, pattern.rstrip("/"))
        for pattern in patterns
    )


def _inside(path: Path, real_root: Path) -> bool:
    try:
        target = path.resolve()
    except (OSError, RuntimeError):
        return False
    return target == real_root or real_root in target.parents

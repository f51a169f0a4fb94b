"""Dependency sources: one parser per manifest kind, plus code imports.

Sources only read files. They never contact a registry and never import, build or run what they
read. Each returns a :class:`SourceResult`: the dependencies found, each with its file and line,
and the input errors met on the way (reported as ``parse-error``; the rest is still read).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from depguard.indexes import Declared
from depguard.model import Dependency, InputError


def display_path(path: Path) -> str:
    """A path as the user would write it: relative to the working directory when inside it.

    Lexical only (no symlink resolution, so no system calls): it is called for every file of
    a tree."""
    cwd = os.getcwd()  # noqa: PTH109 - plain strings: lexical and fast
    absolute = os.path.normpath(os.path.join(cwd, os.fspath(path)))  # noqa: PTH118
    if absolute == cwd:
        return "."
    if absolute.startswith(cwd.rstrip(os.sep) + os.sep):
        return Path(absolute[len(cwd.rstrip(os.sep)) + 1 :]).as_posix()
    return Path(absolute).as_posix() if path.is_absolute() else path.as_posix()


@dataclass
class SourceResult:
    dependencies: list[Dependency] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    """What a person should know about how the sources were read (what a walk skipped)."""
    indexes: list[Declared] = field(default_factory=list)
    """Package indexes the project itself declares (see :mod:`depguard.sources.indexes`)."""

    def extend(self, other: SourceResult) -> None:
        self.dependencies.extend(other.dependencies)
        self.errors.extend(other.errors)
        self.files.extend(other.files)
        self.notices.extend(other.notices)
        self.indexes.extend(other.indexes)

    def error(self, path: str, line: int | None, message: str, text: str | None = None) -> None:
        self.errors.append(InputError(path, line, message, text))

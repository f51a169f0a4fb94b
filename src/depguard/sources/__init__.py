"""Dependency sources: one parser per manifest kind, plus code imports.

Sources only read files. They never contact a registry and never import, build or run what they
read. Each returns a :class:`SourceResult`: the dependencies found, each with its file and line,
and the input errors met on the way (reported as ``parse-error``; the rest is still read).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from depguard.model import Dependency, InputError


def display_path(path: Path) -> str:
    """A path as the user would write it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except (ValueError, OSError):
        return path.as_posix()


@dataclass
class SourceResult:
    dependencies: list[Dependency] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def extend(self, other: SourceResult) -> None:
        self.dependencies.extend(other.dependencies)
        self.errors.extend(other.errors)
        self.files.extend(other.files)

    def error(self, path: str, line: int | None, message: str, text: str | None = None) -> None:
        self.errors.append(InputError(path, line, message, text))

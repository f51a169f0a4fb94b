"""The declared interface of a source: what it is given and what it gives back.

Every kind of input depguard reads (a manifest, a lockfile, code) is one module under
:mod:`depguard.sources` with one function::

    def read(path: Path, display: str, context: ReadContext) -> SourceResult

``path`` is the file to open, ``display`` how the report names it (file and line go into every
:class:`~depguard.model.Dependency` and :class:`~depguard.model.InputError`), ``context`` what
the readers of one run share. It returns the dependencies found and the input errors met; it
never raises for bad input, never contacts a registry and never runs what it reads. The kinds
and the file names that select them are registered in :mod:`depguard.sources.kinds`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from depguard.sources.npm_project import NpmProjects
from depguard.sources.requirements import IncludePolicy

if TYPE_CHECKING:
    from depguard.cache import Cache
    from depguard.sources import SourceResult


@dataclass
class ReadContext:
    """What readers share during one run."""

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
    as_kind: str | None = None
    """``--as KIND``: read every file named on the command line as this kind."""

    def __post_init__(self) -> None:
        from depguard.sources import fixture_trees

        self.npm.excludes = self.excludes
        self.npm.fixtures = () if self.include_fixtures else fixture_trees.RULES


class Reader(Protocol):
    """The one function each source module defines, named ``read``."""

    def __call__(self, path: Path, display: str, context: ReadContext) -> SourceResult: ...

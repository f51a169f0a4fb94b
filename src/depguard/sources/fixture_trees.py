"""Which directories of a tree hold test data and fixtures rather than the project's own code.

A formatter's test cases import modules that do not exist on purpose, a packaging tool keeps
broken ``pyproject.toml`` files under ``tests/fixtures/``, a documentation tool keeps whole
sample projects under ``tests/roots/``. None of it is a dependency of the project, and judging
it produces blocks nobody can act on. A directory walk skips these trees by default (the run
lists what it skipped) and ``--include-fixtures`` reads them too.

The rules are data: each is a path pattern (``/``-separated, one glob per directory name)
matched against the trailing directory names of a directory's path inside the walked tree,
and the reason a person is shown. Adding a convention is adding a :class:`SkipRule` to
:data:`RULES` (or to an ecosystem's tuple that :data:`RULES` joins); no code changes.
"""

from __future__ import annotations

import fnmatch
import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SkipRule:
    pattern: str
    """Directory names from the end of the path, ``/``-separated; each part an fnmatch glob
    matched case-sensitively (``tests/data`` matches ``pkg/tests/data``, not ``data``)."""
    why: str
    """Shown with what was skipped, e.g. ``fixture trees``."""

    @functools.cached_property
    def parts(self) -> tuple[str, ...]:
        return tuple(part for part in self.pattern.split("/") if part)

    def matches(self, parts: Sequence[str]) -> bool:
        """True when ``parts`` (a directory's path inside the tree) ends with this pattern."""
        wanted = self.parts
        if not wanted or len(parts) < len(wanted):
            return False
        tail = parts[len(parts) - len(wanted) :]
        return all(fnmatch.fnmatchcase(name, glob) for name, glob in zip(tail, wanted, strict=True))


FIXTURES = "fixtures"
TEST_DATA = "test data"

COMMON: tuple[SkipRule, ...] = (
    SkipRule("fixtures", FIXTURES),
    SkipRule("fixture", FIXTURES),
    SkipRule("__fixtures__", FIXTURES),
    SkipRule("testdata", TEST_DATA),
    SkipRule("test_data", TEST_DATA),
    SkipRule("test-data", TEST_DATA),
    SkipRule("tests/data", TEST_DATA),
    SkipRule("test/data", TEST_DATA),
    SkipRule("testing/data", TEST_DATA),
    SkipRule("tests/*_data", TEST_DATA),
    SkipRule("tests/resources", TEST_DATA),
    SkipRule("test/resources", TEST_DATA),
)
"""Conventions shared by every ecosystem."""

PYTHON: tuple[SkipRule, ...] = (
    SkipRule("tests/roots", FIXTURES),  # Sphinx-style sample projects, one per test
    SkipRule("testing/example_scripts", FIXTURES),  # pytest's own test projects
    SkipRule("regrtest_data", TEST_DATA),  # pylint's regression inputs
    SkipRule("tests/functional", TEST_DATA),  # linters' input files (pylint)
    SkipRule("tests/input", TEST_DATA),
    SkipRule("tests/*/cases", TEST_DATA),  # formatters' input files (black's tests/data/cases)
)
"""Python projects' own conventions."""

JAVASCRIPT: tuple[SkipRule, ...] = (
    SkipRule("__testfixtures__", FIXTURES),  # codemods' input/output pairs (jscodeshift)
    SkipRule("tests/format", TEST_DATA),  # formatters' input files (prettier's tests/format/**)
    SkipRule("playground", FIXTURES),  # bundlers' sample projects (vite's playground/*)
    SkipRule("test/cases", TEST_DATA),  # bundlers' and compilers' inputs (webpack)
    SkipRule("tests/cases", TEST_DATA),  # (TypeScript's tests/cases/**)
    SkipRule("test/*Cases", TEST_DATA),  # webpack's configCases, watchCases, hotCases, ...
    SkipRule("test/*/samples", TEST_DATA),  # rollup's test/function/samples/**
)
"""JavaScript and TypeScript projects' own conventions (``test/fixtures``, ``__fixtures__`` and
``tests/fixtures`` are common to all)."""

RULES: tuple[SkipRule, ...] = (*COMMON, *PYTHON, *JAVASCRIPT)
"""Every rule the walk applies. An ecosystem adds its conventions as another tuple here."""


SECONDARY_DIRS: tuple[str, ...] = (
    "tests",
    "test",
    "testing",
    "t",
    "docs",
    "doc",
    "docs_src",
    "examples",
    "example",
    "samples",
    "sample",
    "benchmarks",
    "benchmark",
    "bench",
    # vendored copies of other projects: their imports are theirs (often optional or for
    # another platform), already judged where those projects are published
    "_vendor",
    "_vendored",
    "vendored",
    "_extern",
    # JavaScript and TypeScript
    "__tests__",
    "__test__",  # GitHub Actions' layout
    "__mocks__",
    "spec",
    "e2e",
    "cypress",
    "stories",
    ".storybook",
    "demo",
    "demos",
)
"""Directory names whose code is not the project's own shipped code: tests, documentation,
examples, vendored copies of other projects.
Imports found only there are judged one severity lower (a package the test suite needs is a
development dependency, often declared in a file depguard does not read)."""
SECONDARY_FILES: tuple[str, ...] = (
    "test_*.py",
    "*_test.py",
    "conftest.py",
    "noxfile.py",
    # JavaScript and TypeScript: foo.test.ts, foo.spec.js, types.test-d.ts, foo.stories.tsx
    "*.test.*",
    "*.spec.*",
    "*.test-d.*",
    "*.bench.*",
    "*.stories.*",
    "*.e2e.*",
)
"""File names (globs) of test and tooling code, wherever they sit."""


DOCUMENTATION_DIRS: tuple[str, ...] = ("docs", "doc")
"""Documentation trees: their ``.txt`` files are prose (reStructuredText, Markdown)."""
PROSE_NAMES: tuple[str, ...] = ("constraints*.txt", "constraints*.in")
"""Manifest-like names that, inside a documentation tree, are a page about the thing
(Django's ``docs/ref/contrib/postgres/constraints.txt``), not a list of requirements. A
``requirements*.txt`` there is the documentation build's requirements and is read."""


def is_prose(parts: Sequence[str], name: str) -> bool:
    """True for a file called ``name`` in directory ``parts`` that is documentation text."""
    if not any(part in DOCUMENTATION_DIRS for part in parts):
        return False
    return any(fnmatch.fnmatchcase(name.lower(), glob) for glob in PROSE_NAMES)


def inside_tree(path: Path, tree: Path) -> str:
    """``path`` relative to the checked tree, ``/``-separated (folders above it say nothing
    about the file: a checkout under ``~/test/`` is not test code)."""
    file, top = os.path.abspath(path), os.path.abspath(tree)  # noqa: PTH100 - lexical
    if not file.startswith(top.rstrip(os.sep) + os.sep):
        return path.name
    return Path(file[len(top.rstrip(os.sep)) + 1 :]).as_posix()


def is_secondary(path: str) -> bool:
    """True for a file (``/``-separated path) of tests, documentation or examples."""
    parts = path.split("/")
    if any(part in SECONDARY_DIRS for part in parts[:-1]):
        return True
    return any(fnmatch.fnmatchcase(parts[-1], glob) for glob in SECONDARY_FILES)


def rule_for(parts: Sequence[str], rules: Sequence[SkipRule] = RULES) -> SkipRule | None:
    """The first rule that ``parts`` (a directory's path inside the walked tree, as names)
    matches, if any."""
    for rule in rules:
        if rule.matches(parts):
            return rule
    return None


def inside_fixture_tree(parts: Sequence[str], rules: Sequence[SkipRule] = RULES) -> bool:
    """True when a file whose directory is ``parts`` sits in (or below) a skipped tree."""
    return any(rule_for(parts[:end], rules) is not None for end in range(1, len(parts) + 1))


@dataclass(frozen=True)
class Skipped:
    """A directory a walk did not enter, and why."""

    path: str
    """Relative to the walked root, ``/``-separated."""
    rule: SkipRule


def describe(skipped: Sequence[Skipped], limit: int = 8) -> str | None:
    """One notice line for what a walk skipped, or None when nothing was."""
    if not skipped:
        return None
    shown = ", ".join(s.path + "/" for s in skipped[:limit])
    more = f" and {len(skipped) - limit} more" if len(skipped) > limit else ""
    kinds = " and ".join(sorted({s.rule.why for s in skipped}))
    noun = "directory" if len(skipped) == 1 else "directories"
    return (
        f"skipped {len(skipped)} {noun} of {kinds} (not the project's dependencies): "
        f"{shown}{more}; --include-fixtures reads them"
    )

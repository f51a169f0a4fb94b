"""From import statements to distributions: stdlib, local, declared, or third party.

Each top-level module an import names is, in this order:
1. standard library (the target Python's module list): ignored;
2. local (a module or package inside the checked tree): ignored;
3. provided by a distribution. The candidates are the bundled import-name map
   (``depguard.import_names``), the distributions installed where depguard runs
   (``importlib.metadata.packages_distributions()``) and, last, the identity guess (``foo_bar``
   → ``foo-bar``), which the registry then checks like any other name. A candidate that a
   manifest of the run declares wins; otherwise the map's first (most downloaded) provider,
   then the installed one, then the guess.

The result is one ``Dependency`` per import (named in an ``import``), named for the distribution,
with the import name as ``alias``, so it groups with the manifests' declaration of the same
distribution; an import nothing declares becomes ``undeclared-import``.
"""

# ruff: noqa: PTH100, PTH118, PTH119, PTH120, PTH122 - local_modules walks every path of a
# tree with plain string operations, several times faster than pathlib there.
from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from depguard.model import Dependency, Ecosystem, Location, NamedIn
from depguard.names import normalize
from depguard.sources.python_code import FileImports
from depguard.sources.python_imports import ImportRef

SOURCE_ROOTS = ("", "src", "lib", "python", "python-src")
NOT_DISTRIBUTIONS = frozenset(
    {"_typeshed", "test", "tests", "testing", "conftest", "doc", "docs", "examples", "setup"}
    # modules other Python runtimes provide: Pyodide (js, pyodide_js), Jython (java,
    # javax, jarray), IronPython (clr), MicroPython (micropython)
    | {"js", "pyodide_js", "java", "javax", "jarray", "clr", "micropython"}
)
"""Importable names no distribution provides: ``_typeshed`` exists only in type checkers'
standard-library stubs (``if TYPE_CHECKING: from _typeshed import ...``); ``tests``,
``conftest``, ``docs`` and their kind are a project's own trees (often left out of an sdist),
which the import-name map ignores in wheels for the same reason; the runtime modules of other
Python implementations are part of those runtimes."""


@dataclass(frozen=True)
class Resolution:
    distribution: str
    provider_source: str  # "map", "installed", "declared" or "guess"


def local_modules(root: Path, python_files: Iterable[Path]) -> frozenset[str]:
    """Top-level names importable from the checked tree.

    A file's stem counts (scripts import their neighbours); a directory counts when it is a
    package (it has ``__init__.py``) or sits directly in a source root (the root itself,
    ``src/``, ``lib/``, ...) with Python files inside (a namespace package). Plain string
    operations: it runs over every file of a tree.
    """
    top = os.path.abspath(root)
    prefix = top.rstrip(os.sep) + os.sep
    roots = {os.path.join(top, r) if r else top for r in SOURCE_ROOTS}
    files = [os.path.abspath(path) for path in python_files]
    packages = {os.path.dirname(f) for f in files if os.path.basename(f) == "__init__.py"}
    names: set[str] = set()
    for path in files:
        stem = os.path.splitext(os.path.basename(path))[0]
        if stem != "__init__":
            names.add(stem)
        directory = os.path.dirname(path)
        while directory.startswith(prefix):
            if directory in packages or os.path.dirname(directory) in roots:
                names.add(os.path.basename(directory))
            directory = os.path.dirname(directory)
    return frozenset(name for name in names if name.isidentifier())


def resolve(
    scans: Sequence[FileImports],
    *,
    declared: Iterable[str],
    local: frozenset[str],
    stdlib: frozenset[str],
    inside: Mapping[str, str] | None = None,
) -> list[Dependency]:
    """Dependencies for the third-party imports in ``scans``. An import under
    ``if sys.version_info >= (3, N)`` is standard library when Python 3.N or later has it.
    ``inside`` maps the path of a file found by walking a directory to its path inside that
    directory: whether it is test, documentation or example code is read from there (the
    folders above the checked tree say nothing about the file)."""
    from depguard import stdlib as stdlib_lists
    from depguard.sources.fixture_trees import is_secondary

    declared_names = {normalize(Ecosystem.PYPI, name) for name in declared}
    out: list[Dependency] = []
    resolved: dict[tuple[str, tuple[str, ...]], tuple[Resolution, str | None, str]] = {}
    for scan in scans:
        secondary = is_secondary((inside or {}).get(scan.path, scan.path))
        for ref in scan.refs:
            top = ref.top
            if top in stdlib or top in local or top in NOT_DISTRIBUTIONS or top.startswith("__"):
                continue
            if ref.python is not None and top in stdlib_lists.newer(ref.python):
                continue
            known = resolved.get((ref.module, ref.names))
            if known is None:  # the same import recurs across a tree: resolve it once
                resolution = provider(ref, declared_names)
                known = (
                    resolution,
                    _alias(ref, resolution.distribution),
                    normalize(Ecosystem.PYPI, resolution.distribution),
                )
                resolved[(ref.module, ref.names)] = known
            resolution, alias, normalized = known
            out.append(
                Dependency(
                    ecosystem=Ecosystem.PYPI,
                    name=resolution.distribution,
                    normalized=normalized,
                    location=Location(scan.path, ref.line),
                    named_in=NamedIn.IMPORT,
                    imported_as=alias,
                    detail=ref.statement,
                    guarded=ref.guarded,
                    group=resolution.provider_source,
                    conditional=ref.conditional,
                    secondary=secondary,
                )
            )
    return out


def provider(ref: ImportRef, declared: set[str]) -> Resolution:
    """The distribution that provides ``ref``'s module."""
    from depguard import import_names

    # ``from a.b import c`` may import the module a.b.c: look at the longest names first.
    modules = [*(f"{ref.module}.{name}" for name in ref.names), ref.module]
    candidates: list[tuple[str, str]] = []
    namespace = False
    for module in modules:
        match = import_names.lookup(module)
        if match is None:
            continue
        if match.namespace:
            # A "namespace" that a distribution of its own name installs (twisted, sphinx,
            # ruamel.yaml: a regular package others add plugins to) is that distribution's.
            key = normalize(Ecosystem.PYPI, match.key)
            own = [d for d in match.distributions if normalize(Ecosystem.PYPI, d) == key]
            if own:
                candidates.extend((name, "map") for name in own)
                continue
            namespace = True  # many distributions share it: none is implied
            continue
        candidates.extend((name, "map") for name in match.distributions)
    # A declared distribution named like a leading part of the dotted name provides it
    # (``twisted.internet`` with Twisted declared, ``ruamel.yaml.error`` with ruamel.yaml).
    parts = ref.module.split(".")
    for depth in range(len(parts), 0, -1):
        prefix = ".".join(parts[:depth])
        if normalize(Ecosystem.PYPI, prefix) in declared:
            return Resolution(prefix, "declared")
    if not namespace:
        candidates.extend((name, "installed") for name in _installed().get(ref.top, ()))
    # The guess: the top-level name, or for a namespace package the dotted path
    # (google.cloud.foo -> google-cloud-foo), as such distributions are named.
    # A leading underscore marks a private (often compiled) module: `_billiard` is billiard's.
    guess = "-".join(ref.module.split(".")) if namespace else ref.top.strip("_") or ref.top
    candidates.append((guess.replace("_", "-").strip("-") or guess, "guess"))
    for name, source in candidates:
        if normalize(Ecosystem.PYPI, name) in declared:
            return Resolution(name, "declared" if source == "guess" else source)
    name, source = candidates[0]
    return Resolution(name, source)


def _alias(ref: ImportRef, distribution: str) -> str | None:
    """The import name, when it differs from the distribution's. Inside a namespace package
    (``azure.core``) the top-level name (``azure``) says nothing about the distribution, so the
    dotted module is the alias."""
    from depguard import import_names

    wanted = normalize(Ecosystem.PYPI, distribution)
    top = ref.top
    if normalize(Ecosystem.PYPI, top) == wanted:
        return None
    if import_names.is_namespace(top):
        parts = ref.module.split(".")
        dotted = [f"{ref.module}.{name}" for name in ref.names]
        dotted += [".".join(parts[:depth]) for depth in range(len(parts), 1, -1)]
        if any(normalize(Ecosystem.PYPI, name) == wanted for name in dotted):
            return None
        return ".".join(parts[:2]) if len(parts) > 1 else top
    return top


@functools.cache
def _installed() -> Mapping[str, list[str]]:
    """Top-level module → distributions, for what is installed where depguard runs."""
    from importlib.metadata import packages_distributions

    try:
        return packages_distributions()
    except Exception:  # broken metadata of some installed package must not stop a check
        return {}

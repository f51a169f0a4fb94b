"""Standard-library module names: of the running Python, or of a named version (bundled)."""

from __future__ import annotations

import functools
import sys
from importlib import resources

from depguard.errors import UsageError


@functools.cache
def _bundled() -> dict[str, frozenset[str]]:
    text = resources.files("depguard.data").joinpath("stdlib-modules.tsv").read_text("utf-8")
    by_version: dict[str, set[str]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, versions = line.split("\t")
        for version in versions.split(","):
            by_version.setdefault(version, set()).add(name)
    return {version: frozenset(names) for version, names in by_version.items()}


def known_versions() -> list[str]:
    return sorted(_bundled(), key=lambda v: tuple(int(p) for p in v.split(".")))


@functools.cache
def any_python3() -> frozenset[str]:
    """Modules of the standard library of any Python 3 (bundled lists and the running one).

    Code is read whatever Python runs depguard: a project for 3.14 imports ``annotationlib``
    where depguard runs on 3.11. A name that any Python 3 ships is no package to install."""
    table = _bundled()
    names = set(getattr(sys, "stdlib_module_names", ()))
    for version, found in table.items():
        if version.startswith("3."):
            names.update(found)
    return frozenset(names)


def modules(version: str | None = None) -> frozenset[str]:
    """Top-level standard-library modules of ``version`` ("3.12"); without one, of any
    Python 3 (see :func:`any_python3`)."""
    if version is None:
        return any_python3()
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    if version == running:
        names = getattr(sys, "stdlib_module_names", None)
        if names is not None:
            return frozenset(names)
    table = _bundled()
    if version not in table:
        raise UsageError(
            f"no standard-library list for Python {version}; known: {', '.join(known_versions())}"
        )
    return table[version]


def newer(version: str) -> frozenset[str]:
    """Modules of ``version`` ("3.14") or any later Python known: what code under
    ``if sys.version_info >= (3, 14):`` can import from the standard library."""
    try:
        wanted = tuple(int(p) for p in version.split("."))
    except ValueError:
        return frozenset()
    names: set[str] = set()
    for known, found in _bundled().items():
        if tuple(int(p) for p in known.split(".")) >= wanted:
            names.update(found)
    return frozenset(names)


@functools.cache
def python2_only() -> frozenset[str]:
    """Modules only Python 2 had (``urllib2``, ``cPickle``, ``thread``). Python 3 code imports
    them only in compatibility shims (``try: import x except ImportError: import urllib2``);
    they are not packages to install."""
    table = _bundled()
    old = table.get("2.7", frozenset())
    newer = frozenset().union(*(names for version, names in table.items() if version != "2.7"))
    return old - newer

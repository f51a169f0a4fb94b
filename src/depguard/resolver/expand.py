"""From what a project declares to what an install would bring in: the pipeline's use of the
resolvers (``check --resolve``, ``review``).

:func:`expand` turns the declared dependencies of a :class:`SourceResult` into resolution roots
(one group per manifest file: what one ``pip install -r`` installs together), resolves them,
and returns the sources with one ``resolved`` reference per package of the resolution (the
chosen version, ``direct``/``via``, upload time), the resolution's problems as input errors,
and notices (cycles, versions held back by the cooldown).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from depguard.config import Settings
from depguard.model import Dependency, Ecosystem, Location, NamedIn
from depguard.resolver import Resolution, Resolved, Root
from depguard.sources import SourceResult

if TYPE_CHECKING:
    from depguard.indexes import Indexes

PYTHON_ORIGINS = frozenset(
    {
        NamedIn.REQUIREMENT,
        NamedIn.CONSTRAINT,
        NamedIn.PROJECT,
        NamedIn.OPTIONAL,
        NamedIn.GROUP,
        NamedIn.POETRY,
        NamedIn.COMMAND_LINE,
    }
)
"""Declarations a Python install reads (imports, lockfiles and build requirements are not)."""
NPM_ORIGINS = frozenset({NamedIn.PACKAGE_JSON, NamedIn.COMMAND_LINE})


@dataclass(frozen=True)
class Expanded:
    sources: SourceResult
    resolutions: tuple[Resolution, ...]
    notices: tuple[str, ...]


def python_roots(dependencies: Sequence[Dependency]) -> list[Root]:
    roots = []
    for dep in dependencies:
        if dep.ecosystem is not Ecosystem.PYPI or dep.named_in not in PYTHON_ORIGINS:
            continue
        if dep.url is not None or not dep.direct:
            continue  # a direct reference is not resolved from the index
        extras = f"[{','.join(dep.extras)}]" if dep.extras else ""
        marker = f" ; {dep.marker}" if dep.marker else ""
        roots.append(
            Root(
                f"{dep.name}{extras}{dep.specifier}{marker}",
                dep.normalized,
                dep.location,
                constraint=dep.named_in is NamedIn.CONSTRAINT,
                group=dep.location.path,
            )
        )
    return roots


def npm_roots(dependencies: Sequence[Dependency]) -> list[Root]:
    roots = []
    for dep in dependencies:
        if dep.ecosystem is not Ecosystem.NPM or dep.named_in not in NPM_ORIGINS:
            continue
        if dep.url is not None or not dep.direct:
            continue
        roots.append(
            Root(dep.specifier or "latest", dep.name, dep.location, group=dep.location.path)
        )
    return roots


def expand(
    sources: SourceResult,
    settings: Settings,
    *,
    now: datetime,
    indexes: Indexes | None = None,
    time_budget: float | None = None,
) -> Expanded:
    """``sources`` with everything the declared dependencies would install.

    Manifests beside a lockfile are not resolved: the lock already says what is installed."""
    from depguard.cache import open_cache

    locked = locked_directories(sources.dependencies)

    def is_locked(dep: Dependency) -> bool:
        return (dep.ecosystem, _directory(dep.location.path)) in locked

    skipped = sorted(
        {
            d.location.path
            for d in sources.dependencies
            if d.named_in is not NamedIn.LOCKFILE
            and d.named_in is not NamedIn.IMPORT
            and is_locked(d)
        }
    )
    dependencies = [d for d in sources.dependencies if not is_locked(d)]
    python = python_roots(dependencies)
    npm = npm_roots(dependencies)
    resolutions: list[Resolution] = []
    min_age = timedelta(hours=settings.thresholds.min_release_age)
    # Local only: the resolver reads one key at a time, a round trip each to a shared store.
    cache = open_cache(settings, shared=False)
    try:
        if python:
            from depguard.resolver.pypi import resolve_python
            from depguard.resolver.target import Target

            target = Target.parse(settings.python_version, settings.platform)
            resolutions.append(
                resolve_python(
                    python,
                    settings,
                    cache,
                    target=target,
                    now=now,
                    min_release_age=min_age,
                    indexes=indexes,
                    time_budget=time_budget,
                )
            )
        if npm:
            from depguard.resolver.npm import resolve_npm

            resolutions.append(resolve_npm(npm, settings, cache, now=now, time_budget=time_budget))
    finally:
        cache.close()
    result = SourceResult(list(sources.dependencies), list(sources.errors), list(sources.files))
    notices: list[str] = [
        f"{path}: not resolved, a lockfile beside it says what is installed" for path in skipped
    ]
    for resolution in resolutions:
        ecosystem = resolution.ecosystem
        for package in resolution.packages:
            result.dependencies.append(as_dependency(package, ecosystem))
            if package.problem and not package.missing:
                where = package.location or Location("<resolution>")
                chain = " → ".join((*package.via, package.name))
                result.error(where.path, where.line, f"cannot resolve {chain}: {package.problem}")
            if package.held_back and package.version:
                notices.append(
                    f"{package.name}: {package.held_back} is younger than the "
                    f"{settings.thresholds.min_release_age}-hour cooldown; resolved "
                    f"{package.version} instead"
                )
        result.errors.extend(resolution.errors)
        notices.extend(resolution.notices)
    return Expanded(result, tuple(resolutions), tuple(dict.fromkeys(notices)))


def _directory(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else "."


def locked_directories(dependencies: Sequence[Dependency]) -> set[tuple[Ecosystem, str]]:
    """(ecosystem, directory) of each lockfile that was read: its packages are the install."""
    return {
        (d.ecosystem, _directory(d.location.path))
        for d in dependencies
        if d.named_in is NamedIn.LOCKFILE
    }


def as_dependency(package: Resolved, ecosystem: Ecosystem) -> Dependency:
    version = package.version
    chain = " → ".join((*package.via, package.name))
    detail = f"{package.name} {version}" if version else package.name
    if package.via:
        detail = f"{chain} {version}" if version else chain
    return Dependency(
        ecosystem=ecosystem,
        name=package.name,
        location=package.location or Location("<resolution>"),
        normalized=package.normalized,
        named_in=NamedIn.RESOLVED,
        specifier=f"=={version}" if version and ecosystem is Ecosystem.PYPI else (version or ""),
        version=version,
        detail=detail,
        direct=package.direct,
        via=package.via,
        uploaded=package.uploaded,
        dependencies_unknown=package.dependencies_unknown,
    )

"""One run, one direction: sources → registry metadata → signals → policy → report."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from depguard import deadline
from depguard.cache import open_cache

if TYPE_CHECKING:
    from depguard.cache import Cache
    from depguard.lookalike import Lookalikes
from depguard.config import Settings
from depguard.model import (
    Dependency,
    Downloads,
    Ecosystem,
    Evidence,
    Lookup,
    LookupStatus,
    NamedIn,
    Package,
    Report,
    WheelListing,
)
from depguard.names import is_valid, normalize
from depguard.registries.service import Gathered, Progress, RegistryService
from depguard.sources import SourceResult
from depguard.sources.collect import ReadContext, collect
from depguard.sources.requirements import IncludePolicy
from depguard.timeutil import utcnow

if TYPE_CHECKING:
    from depguard.allowlist import Allowlist
    from depguard.indexes import Declared, Indexes


@dataclass(frozen=True)
class RunOptions:
    paths: Sequence[str]
    stdin: Callable[[], str] | None = None
    live_downloads: bool = False
    progress: Callable[[int], Progress | None] | None = None
    diff_ref: str | None = None
    """Judge only what was added or changed since this git ref (``--diff``)."""
    resolve: bool = False
    """Also judge everything an install of the declared dependencies would bring in."""
    default_deadline: float = deadline.CHECK
    """The command's own deadline, when neither ``--deadline`` nor ``deadline`` sets one."""
    started: float = field(default_factory=time.monotonic)
    """When the run began (its deadline counts from here)."""
    as_kind: str | None = None
    """Read the files named in ``paths`` as this kind (``--as``)."""


def group(dependencies: Sequence[Dependency]) -> list[Package]:
    """One package per (ecosystem, normalized name), in order of first mention."""
    grouped: dict[tuple[str, str], list[Dependency]] = {}
    for dep in dependencies:
        grouped.setdefault((dep.ecosystem.value, dep.normalized), []).append(dep)
    packages = []
    for deps in grouped.values():
        first = deps[0]
        packages.append(Package(first.ecosystem, first.name, first.normalized, tuple(deps)))
    return packages


def read_sources(options: RunOptions, settings: Settings) -> SourceResult:
    root = Path(settings.root)
    # What each file imports is remembered locally only: one shared round trip per file would
    # cost more than parsing it.
    cache = open_cache(settings, shared=False)
    context = ReadContext(
        includes=IncludePolicy(root=root, allow_outside=settings.allow_outside_includes),
        excludes=settings.exclude,
        imports=settings.imports,
        python_version=settings.python_version,
        cache=cache,
        include_fixtures=settings.include_fixtures,
        as_kind=options.as_kind,
    )
    try:
        result = collect(options.paths, context, stdin=options.stdin)
    finally:
        cache.close()
    from depguard.sources.indexes import read_pip_configuration, read_pipfiles

    read_pipfiles(options.paths, result)
    if settings.pip_config:
        import os

        read_pip_configuration(os.environ, result)
    return result


def check(options: RunOptions, settings: Settings, *, now: dt.datetime | None = None) -> Report:
    """Run the whole check for the given paths."""
    sources = read_sources(options, settings)
    sources.dependencies = declared_imports(sources.dependencies, settings)
    notices: list[str] = list(sources.notices)
    if options.diff_ref:
        sources, notice = changed_only(options, settings, sources)
        notices.append(notice)
    if options.resolve or settings.resolve:
        sources, found = resolved(sources, settings, options, now=now)
        notices.extend(found)
    return judge_packages(
        group(sources.dependencies), sources, settings, options, now=now, notices=notices
    )


def declared_imports(dependencies: list[Dependency], settings: Settings) -> list[Dependency]:
    """Imports only a guess named, moved to the declared distribution whose wheel provides
    them (see :mod:`depguard.declared_modules`)."""
    from depguard.declared_modules import remap

    cache = open_cache(settings)
    try:
        return remap(dependencies, settings, cache)
    finally:
        cache.close()


RESOLUTION_SHARE = 0.6
"""Part of the run's remaining deadline a resolution may use: judging needs the rest."""


def resolved(
    sources: SourceResult,
    settings: Settings,
    options: RunOptions | None = None,
    *,
    now: dt.datetime | None = None,
) -> tuple[SourceResult, tuple[str, ...]]:
    """``sources`` with what an install would bring in (:mod:`depguard.resolver`), asked of
    the index serving each name, within part of the run's deadline."""
    from depguard.resolver.expand import expand

    options = options or RunOptions(paths=())
    budget = deadline.Deadline(
        settings.deadline if settings.deadline is not None else options.default_deadline,
        options.started,
    )
    expanded = expand(
        sources,
        settings,
        now=now or utcnow(),
        indexes=run_indexes(settings, sources),
        time_budget=max(1.0, budget.for_registry() * RESOLUTION_SHARE),
    )
    return expanded.sources, expanded.notices


def changed_only(
    options: RunOptions, settings: Settings, sources: SourceResult
) -> tuple[SourceResult, str]:
    """``sources`` reduced to what was added or changed since ``options.diff_ref``."""
    from dataclasses import replace

    from depguard.diff import changed_since, resolve

    assert options.diff_ref is not None
    baseline = resolve(options.diff_ref, Path(settings.root))

    def read(paths: Sequence[str], root: Path) -> SourceResult:
        return read_sources(
            replace(options, paths=paths, stdin=None), settings.with_overrides(root=str(root))
        )

    changes = changed_since(baseline, sources, options.paths, read)
    return changes.sources, changes.notice


def judge_dependencies(
    sources: SourceResult,
    settings: Settings,
    options: RunOptions,
    *,
    now: dt.datetime | None = None,
) -> Report:
    """Judge dependencies that were not read from files: names typed on a command line
    (``depguard review``, the install wrappers), built with :mod:`depguard.sources.command_line`.
    """
    notices: tuple[str, ...] = ()
    if options.resolve:
        sources, notices = resolved(sources, settings, options, now=now)
    return judge_packages(
        group(sources.dependencies), sources, settings, options, now=now, notices=notices
    )


def review(
    names: Sequence[str], ecosystem: Ecosystem, settings: Settings, *, resolve: bool = True
) -> Report:
    """``depguard review``: the packages named (and, with ``resolve``, what they bring in), with
    everything the index can tell about them (status markers, live download counts)."""
    from depguard.sources import command_line

    sources = command_line.parse(list(names), ecosystem)
    settings = settings.with_overrides(project_status=True)
    options = RunOptions(paths=(), live_downloads=True, resolve=resolve)
    return judge_dependencies(sources, settings, options)


def judge_packages(
    packages: Sequence[Package],
    sources: SourceResult,
    settings: Settings,
    options: RunOptions,
    *,
    now: dt.datetime | None = None,
    notices: Sequence[str] = (),
) -> Report:
    now = now or utcnow()
    cache = open_cache(settings)
    shadows = alias_packages(packages)
    indexes = run_indexes(settings, sources)
    try:
        budget = deadline.Deadline(
            settings.deadline if settings.deadline is not None else options.default_deadline,
            options.started,
        )
        gathered = RegistryService(
            settings, cache, now=now, indexes=indexes, deadline=budget
        ).gather(
            [*packages, *shadows],
            live_downloads=options.live_downloads,
            progress=options.progress,
        )
        wheels = read_wheels(packages, gathered, settings, cache)
    finally:
        cache.close()
    cache_notices = cache.notices()
    # Judging needs none of this before the registry has been asked: imported late, so the
    # first requests go out sooner.
    from depguard import allowlist as allowlists
    from depguard.policy import judge
    from depguard.signals import Context, evaluate

    team = allowlists.load(allowlists.discover(Path(settings.root), settings.allowlist))
    merging = tuple(d for d in sources.indexes if d.merges)
    context = Context(
        now=now,
        thresholds=settings.thresholds,
        offline=settings.offline,
        index_url=settings.index_url,
        npm_registry=settings.npm_registry,
        npm_scopes=settings.npm_scopes,
        approved_twins=approved_twins(team, now.date()),
        merging=merging,
        public_urls={eco.value: indexes.public(eco).url for eco in Ecosystem},
        lookalikes=lookalike_indexes(packages, cache.directory),
        index_urls={
            eco.value: tuple(i.url for i in indexes.entries if i.ecosystem is eco)
            for eco in Ecosystem
        },
    )
    notices = [*notices, *at_risk_notices(merging, packages, gathered)]
    reports = []
    for package in packages:
        evidence = evidence_for(package, gathered, wheels)
        reports.append(judge(evidence, evaluate(evidence, context), settings, team, now.date()))
    return Report(
        packages=tuple(reports),
        errors=tuple(sources.errors),
        notices=tuple(dict.fromkeys([*notices, *gathered.notices, *cache_notices])),
        root=str(Path(settings.root).resolve()),
    )


def run_indexes(settings: Settings, sources: SourceResult) -> Indexes:
    """The settings' indexes plus the ones the project declares (names pinned to an index
    become its own)."""
    from dataclasses import replace

    from depguard.config import indexes_of

    declared = [
        replace(d.index, owns=d.index.owns + d.pins)
        for d in sources.indexes
        if d.index.url.startswith(("https://", "http://"))  # not a local --find-links folder
    ]
    return indexes_of(settings).plus(declared)


def approved_twins(team: Allowlist, today: dt.date) -> dict[tuple[str, str], str]:
    return {
        (entry.ecosystem.value, entry.normalized): entry.public_twin
        for entry in team.entries
        if entry.kind == "allow" and entry.public_twin and not entry.expired(today)
    }


def at_risk_notices(
    merging: Sequence[Declared], packages: Sequence[Package], gathered: Gathered
) -> list[str]:
    """One line per declaration that merges indexes by version, naming the names at risk."""
    from depguard.sanitize import clean

    out = []
    for declared in merging:
        eco = declared.index.ecosystem
        names = [
            p.name
            for p in packages
            if p.ecosystem is eco and (p.ecosystem, p.normalized) in gathered.private
        ]
        shown = ", ".join(clean(n, 80) for n in names[:20]) + (" ..." if len(names) > 20 else "")
        risk = (
            f"names at risk: {shown}"
            if names
            else "no internal names found (declare them with private = [...])"
        )
        out.append(
            f"{clean(declared.location, 120)}: {clean(declared.how, 60)} "
            f"{clean(declared.index.url, 200)} makes the installer pick among indexes by "
            f"version; {risk}"
        )
    return out


def lookalike_indexes(packages: Sequence[Package], directory: Path | None) -> Lookalikes:
    """The look-alike indexes the signals need, loaded from the cache directory or built (and
    kept there) here at the edge: only for ecosystems with a name outside the popularity
    snapshot (a popular name is answered from the snapshot alone)."""
    from depguard import lookalike_store
    from depguard.lookalike import Lookalikes
    from depguard.popularity import snapshot

    needed = {p.ecosystem for p in packages if p.normalized not in snapshot(p.ecosystem)}
    return Lookalikes({e: lookalike_store.obtain(e, directory) for e in sorted(needed)})


def read_wheels(
    packages: Sequence[Package], gathered: Gathered, settings: Settings, cache: Cache
) -> dict[str, WheelListing]:
    """The newest wheel's modules of each package reached from an import that is not popular
    (module-missing): read from the public index, cached by the wheel's hash; a wheel that
    cannot be read is left out (unknown, never guessed)."""
    from depguard import imported_modules
    from depguard.registries.wheel_modules import lookup_modules

    statuses = {k: v.status for k, v in gathered.lookups.items() if k not in gathered.private}
    wanted = imported_modules.wanted(packages, statuses)
    if not wanted:
        return {}
    found = lookup_modules(wanted, settings, cache)
    return {
        name: imported_modules.listing(w.wheel, w.modules, w.namespaces, wanted[name])
        for name, w in found.items()
        if w is not None and name in wanted
    }


def evidence_for(
    package: Package, gathered: Gathered, wheels: Mapping[str, WheelListing] | None = None
) -> Evidence:
    key = (package.ecosystem, package.normalized)
    aliases = {
        name: gathered.lookups[(package.ecosystem, name)]
        for name in _import_aliases(package)
        if (package.ecosystem, name) in gathered.lookups
    }
    return Evidence(
        package=package,
        lookup=gathered.lookups.get(key, Lookup(LookupStatus.SKIPPED)),
        downloads=gathered.downloads.get(key, Downloads.unknown()),
        version_vulnerabilities=dict(gathered.version_vulnerabilities.get(key, {})),
        aliases=aliases,
        index=gathered.served_by.get(key),
        private=key in gathered.private,
        public_twin=gathered.public_twins.get(key),
        wheel=(wheels or {}).get(package.normalized)
        if package.ecosystem is Ecosystem.PYPI
        else None,
    )


def _import_aliases(package: Package) -> list[str]:
    """Other names a package is only imported under (normalized), when nothing declares it."""
    if package.ecosystem is not Ecosystem.PYPI or not package.dependencies:
        return []
    if any(d.named_in is not NamedIn.IMPORT for d in package.dependencies):
        return []
    names = {
        normalize(Ecosystem.PYPI, d.imported_as) for d in package.dependencies if d.imported_as
    }
    return sorted(n for n in names if n != package.normalized and is_valid(Ecosystem.PYPI, n))


def alias_packages(packages: Sequence[Package]) -> list[Package]:
    """Lookups to make for import names that differ from their distribution: someone asked
    to install ``sklearn`` gets whatever is registered under that name, which may not be the
    provider. Names already in the run are not repeated."""
    known = {(p.ecosystem, p.normalized) for p in packages}
    shadows: dict[str, Package] = {}
    for package in packages:
        for name in _import_aliases(package):
            if (package.ecosystem, name) in known or name in shadows:
                continue
            reference = Dependency(
                ecosystem=Ecosystem.PYPI,
                name=name,
                normalized=name,
                location=package.dependencies[0].location,
                named_in=NamedIn.IMPORT,
            )
            shadows[name] = Package(Ecosystem.PYPI, name, name, (reference,))
    return list(shadows.values())

"""Python resolution with resolvelib, from the index's simple API and core-metadata files.

Choices follow pip's where they matter for *what* is installed: the newest version that
satisfies every requirement, the target's Python and platform; pre-releases only when a
specifier names one or nothing else matches; yanked versions only when pinned with ``==``;
extras as ``name[extra]`` depending on ``name`` at the same version. One difference is
deliberate, the cooldown: a version whose file was uploaded less than ``min_release_age`` ago is
tried only after every older one (``uv --exclude-newer``), so the newest *settled* version wins
unless nothing else satisfies the requirements.

A package the index cannot give (it does not exist, it answered for another project, it could
not be asked) resolves to a placeholder without dependencies, so the rest still resolves and
the package is judged (a missing transitive dependency is exactly what must block).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from depguard.cache import Cache
from depguard.config import Settings
from depguard.model import Ecosystem, InputError, Location
from depguard.resolver import Graph, Resolution, Resolved, Root, assemble, merge
from depguard.resolver.fetch import Fetcher
from depguard.resolver.pypi_index import CoreMetadata, IndexProblem, Listing, PyPIIndex, Release
from depguard.resolver.target import Target
from depguard.sanitize import clean

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version
    from resolvelib.structs import RequirementInformation

    from depguard.indexes import Indexes

MAX_ROUNDS = 5000
"""resolvelib's bound on pinning rounds (backtracking included)."""


@dataclass(frozen=True)
class Requirement:
    name: str
    extras: frozenset[str]
    specifier: SpecifierSet
    parent: str | None
    """The package (``name version``) that asks for this one; None for the project itself."""
    text: str
    url: str | None = None

    @property
    def key(self) -> str:
        return identify(self.name, self.extras)


@dataclass(frozen=True)
class Candidate:
    name: str
    version: Version | None
    extras: frozenset[str]
    release: Release | None = None
    problem: IndexProblem | None = None
    held_back: str | None = None

    @property
    def key(self) -> str:
        return identify(self.name, self.extras)

    def __str__(self) -> str:
        return f"{self.name} {self.version}" if self.version is not None else self.name


def identify(name: str, extras: Iterable[str]) -> str:
    chosen = sorted(extras)
    return f"{name}[{','.join(chosen)}]" if chosen else name


@dataclass
class _State:
    unknown: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


class Provider:
    """resolvelib's provider (duck-typed: resolvelib's own base class is untyped here)."""

    def __init__(
        self,
        index: PyPIIndex,
        target: Target,
        constraints: Mapping[str, SpecifierSet],
        *,
        cutoff: datetime | None,
        state: _State,
    ) -> None:
        from packaging.version import Version

        self.index = index
        self.target = target
        self.constraints = constraints
        self.cutoff = cutoff
        self.state = state
        self.environment = target.environment()
        self.python = Version(target.full_version)
        self._versions: dict[str, list[tuple[Version, Release]]] = {}
        self._crawled: set[str] = set()
        self._crawl_lock = threading.Lock()
        self._pythons: dict[str, bool] = {}

    # -- resolvelib's interface ---------------------------------------------------------------
    def identify(self, requirement_or_candidate: Requirement | Candidate) -> str:
        return requirement_or_candidate.key

    def get_preference(
        self,
        identifier: str,
        resolutions: Mapping[str, Candidate],
        candidates: Mapping[str, Iterator[Candidate]],
        information: Mapping[str, Iterator[RequirementInformation[Requirement, Candidate]]],
        backtrack_causes: Sequence[RequirementInformation[Requirement, Candidate]],
    ) -> tuple[bool, bool, bool, str]:
        infos = list(information[identifier])
        pinned = any(s.operator in ("==", "===") for i in infos for s in i.requirement.specifier)
        direct = any(i.parent is None for i in infos)
        causes = {c.requirement.name for c in backtrack_causes}
        return (
            not pinned,
            identifier.split("[", maxsplit=1)[0] not in causes,
            not direct,
            identifier,
        )

    def find_matches(
        self,
        identifier: str,
        requirements: Mapping[str, Iterator[Requirement]],
        incompatibilities: Mapping[str, Iterator[Candidate]],
    ) -> list[Candidate]:
        wanted = list(requirements[identifier])
        rejected = {c.version for c in incompatibilities[identifier]}
        name = wanted[0].name
        extras = frozenset().union(*(r.extras for r in wanted))
        try:
            listing = self.index.listing(name)
        except IndexProblem as problem:
            if None in rejected:
                return []
            return [Candidate(name, None, extras, problem=problem)]
        found = self.matches(listing, wanted, rejected)
        if found and found[0].release is not None:
            self.index.prefetch_metadata(found[0].release)
        return [Candidate(name, c.version, extras, c.release, held_back=c.held_back) for c in found]

    def is_satisfied_by(self, requirement: Requirement, candidate: Candidate) -> bool:
        if candidate.version is None:
            return True
        if not requirement.specifier.contains(candidate.version, prereleases=True):
            return False
        constraint = self.constraints.get(requirement.name)
        return constraint is None or constraint.contains(candidate.version, prereleases=True)

    def get_dependencies(self, candidate: Candidate) -> list[Requirement]:
        from packaging.specifiers import SpecifierSet

        if candidate.version is None or candidate.release is None:
            return []
        out: list[Requirement] = []
        if candidate.extras:
            pin = SpecifierSet(f"=={candidate.version}")
            out.append(
                Requirement(candidate.name, frozenset(), pin, str(candidate), candidate.name)
            )
        try:
            metadata = self.index.metadata(candidate.release)
        except IndexProblem as problem:
            if not candidate.extras:
                self.state.unknown[candidate.name] = str(problem)
            return out
        for text in metadata.requires_dist:
            requirement = self._requirement(text, candidate)
            if requirement is not None:
                out.append(requirement)
                self._ahead(requirement)
        return out

    def narrow_requirement_selection(
        self,
        identifiers: Iterable[str],
        resolutions: Mapping[str, Candidate],
        candidates: Mapping[str, Iterator[Candidate]],
        information: Mapping[str, Iterator[RequirementInformation[Requirement, Candidate]]],
        backtrack_causes: Sequence[RequirementInformation[Requirement, Candidate]],
    ) -> Iterable[str]:
        return identifiers

    # -- helpers ------------------------------------------------------------------------------
    def matches(
        self,
        listing: Listing,
        wanted: Sequence[Requirement],
        rejected: set[Version | None] | frozenset[Version | None] = frozenset(),
    ) -> list[Candidate]:
        """Acceptable versions, best first: settled ones newest first, then the young ones."""
        from packaging.specifiers import SpecifierSet

        name = listing.name
        specifier = SpecifierSet()
        for requirement in wanted:
            specifier &= requirement.specifier
        constraint = self.constraints.get(name)
        if constraint is not None:
            specifier &= constraint
        pins = {s.version for s in specifier if s.operator in ("==", "===")}
        by_version: dict[Version, Release] = {}
        for version, release in self._installable(listing):
            if version in rejected:
                continue
            if release.yanked and release.version not in pins and str(version) not in pins:
                continue
            by_version[version] = release
        ordered = sorted(specifier.filter(by_version), reverse=True)
        settled: list[Candidate] = []
        young: list[Candidate] = []
        for version in ordered:
            release = by_version[version]
            is_young = (
                self.cutoff is not None
                and release.uploaded is not None
                and release.uploaded > self.cutoff
            )
            (young if is_young else settled).append(Candidate(name, version, frozenset(), release))
        if settled and young:
            newest = str(young[0].version)
            settled = [
                Candidate(c.name, c.version, c.extras, c.release, held_back=newest)
                if young[0].version is not None
                and c.version is not None
                and young[0].version > c.version
                else c
                for c in settled
            ]
        return settled + young

    def _installable(self, listing: Listing) -> list[tuple[Version, Release]]:
        """The listing's versions that run on the target's Python (parsed once per project)."""
        from packaging.specifiers import InvalidSpecifier, SpecifierSet
        from packaging.version import InvalidVersion, Version

        known = self._versions.get(listing.name)
        if known is not None:
            return known
        out: list[tuple[Version, Release]] = []
        for release in listing.releases:
            try:
                version = Version(release.version)
            except InvalidVersion:
                continue
            needs = release.requires_python
            if needs:
                if needs not in self._pythons:
                    try:
                        self._pythons[needs] = SpecifierSet(needs).contains(
                            self.python, prereleases=True
                        )
                    except InvalidSpecifier:
                        self._pythons[needs] = True  # pip ignores one it cannot read
                if not self._pythons[needs]:
                    continue
            out.append((version, release))
        self._versions[listing.name] = out
        return out

    def _requirement(
        self, text: str, parent: Candidate, *, quiet: bool = False
    ) -> Requirement | None:
        from packaging.requirements import InvalidRequirement
        from packaging.requirements import Requirement as Parsed
        from packaging.utils import canonicalize_name

        try:
            parsed = Parsed(text)
        except InvalidRequirement:
            if quiet:
                return None
            self.state.notices.append(
                f"{parent} declares a dependency that cannot be read: {clean(text)[:120]!r}"
            )
            return None
        marker = parsed.marker
        if parent.extras:
            if marker is None:
                return None
            if not any(self._evaluate(marker, extra) for extra in parent.extras):
                return None
            if self._evaluate(marker, ""):
                return None  # the base candidate brings it already
        elif marker is not None and not self._evaluate(marker, ""):
            return None
        extras = frozenset(canonicalize_name(e) for e in parsed.extras)
        return Requirement(
            canonicalize_name(parsed.name),
            extras,
            parsed.specifier,
            str(parent),
            text,
            parsed.url,
        )

    def _evaluate(self, marker: Any, extra: str) -> bool:
        try:
            return bool(marker.evaluate({**self.environment, "extra": extra}))
        except Exception:  # an undefined or malformed marker: pip would not install it
            return False

    def _ahead(self, requirement: Requirement) -> None:
        """Crawl ahead of the resolver: ask for the project page now, for the likely pick's
        metadata once the page arrives, and so on down its dependencies. resolvelib pins one
        package at a time, depth first; without this each pin would wait for two round trips.
        Each requirement key is followed once; what the resolver finally picks is its own
        decision (a wrong guess costs a request, never a wrong answer)."""
        with self._crawl_lock:
            if requirement.key in self._crawled:
                return
            self._crawled.add(requirement.key)
        index = self.index

        def found_listing(listing: Listing) -> None:
            try:
                found = self.matches(listing, [requirement])
            except Exception:  # a guess ahead of need; the resolver will ask again
                return
            if found and found[0].release is not None and found[0].release.wheel:
                pick = Candidate(requirement.name, found[0].version, requirement.extras)
                index.when_metadata(found[0].release, lambda m: found_metadata(pick, m))

        def found_metadata(pick: Candidate, metadata: CoreMetadata) -> None:
            base = Candidate(pick.name, pick.version, frozenset())
            for text in metadata.requires_dist:
                for parent in (base, pick) if pick.extras else (base,):
                    child = self._requirement(text, parent, quiet=True)
                    if child is not None:
                        self._ahead(child)

        index.when_listing(requirement.name, found_listing)


def resolve_python(
    roots: Sequence[Root],
    settings: Settings,
    cache: Cache,
    *,
    target: Target,
    now: datetime,
    min_release_age: timedelta,
    indexes: Indexes | None = None,
    time_budget: float | None = None,
) -> Resolution:
    """Resolve each group of roots (one manifest, one install) for ``target``.

    ``indexes`` says which index serves each name (internal names only their private index);
    without it every name is asked of ``settings.index_url``. ``time_budget`` bounds the
    registry work (default: the settings' budget)."""
    groups: dict[str, list[Root]] = {}
    for root in roots:
        groups.setdefault(root.group, []).append(root)
    cutoff = now - min_release_age if min_release_age > timedelta(0) else None
    with Fetcher(settings, time_budget=time_budget) as fetcher:
        index = PyPIIndex(settings, cache, target, fetcher, now=now, indexes=indexes)
        for root in roots:
            if not root.constraint:
                index.prefetch_listing(root.name)
        results = [
            _resolve_group(group, index, target, cutoff) for group in groups.values() if group
        ]
        requests = index.requests
    if cache.notices():
        results.append(Resolution(Ecosystem.PYPI, notices=tuple(cache.notices())))
    merged = merge(results, Ecosystem.PYPI)
    return Resolution(
        Ecosystem.PYPI, merged.packages, merged.errors, merged.notices, str(target), requests
    )


def _resolve_group(
    roots: Sequence[Root], index: PyPIIndex, target: Target, cutoff: datetime | None
) -> Resolution:
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement as Parsed
    from packaging.specifiers import SpecifierSet
    from packaging.utils import canonicalize_name

    errors: list[InputError] = []
    wanted: list[tuple[Root, Requirement]] = []
    constraints: dict[str, SpecifierSet] = {}
    environment = target.environment()
    for root in roots:
        try:
            parsed = Parsed(root.requirement)
        except InvalidRequirement as exc:
            errors.append(_error(root.location, f"cannot resolve {root.requirement!r}: {exc}"))
            continue
        if parsed.marker is not None:
            try:
                if not parsed.marker.evaluate({**environment, "extra": ""}):
                    continue  # not for this target
            except Exception:  # noqa: S112 - a marker that cannot be evaluated installs nothing
                continue
        name = canonicalize_name(parsed.name)
        if root.constraint:
            constraints[name] = constraints.get(name, SpecifierSet()) & parsed.specifier
            continue
        extras = frozenset(canonicalize_name(e) for e in parsed.extras)
        wanted.append((root, Requirement(name, extras, parsed.specifier, None, root.requirement)))
    if not wanted:
        return Resolution(Ecosystem.PYPI, errors=tuple(errors))
    state = _State()
    try:
        resolution = _run([r for _, r in wanted], wanted, index, target, constraints, cutoff, state)
    except _Failed as failure:
        # Together they cannot be installed; say so, and still resolve each one alone so
        # that every package is judged.
        errors.append(_error(wanted[0][0].location, f"cannot resolve {_where(wanted)}: {failure}"))
        parts = []
        for root, requirement in wanted:
            try:
                parts.append(
                    _run(
                        [requirement],
                        [(root, requirement)],
                        index,
                        target,
                        constraints,
                        cutoff,
                        state,
                    )
                )
            except _Failed as alone:
                errors.append(
                    _error(root.location, f"cannot resolve {root.requirement!r}: {alone}")
                )
                parts.append(_unresolved(root, str(alone)))
        resolution = merge(parts, Ecosystem.PYPI)
    return Resolution(
        Ecosystem.PYPI,
        resolution.packages,
        (*errors, *resolution.errors),
        tuple(dict.fromkeys([*resolution.notices, *state.notices])),
    )


class _Failed(Exception):
    pass


def _run(
    requirements: list[Requirement],
    wanted: Sequence[tuple[Root, Requirement]],
    index: PyPIIndex,
    target: Target,
    constraints: Mapping[str, SpecifierSet],
    cutoff: datetime | None,
    state: _State,
) -> Resolution:
    from resolvelib import BaseReporter, ResolutionImpossible, ResolutionTooDeep, Resolver
    from resolvelib.resolvers import ResolutionError

    provider = Provider(index, target, constraints, cutoff=cutoff, state=state)
    resolver: Any = Resolver(provider, BaseReporter())  # type: ignore[arg-type]
    try:
        result = resolver.resolve(requirements, max_rounds=MAX_ROUNDS)
    except ResolutionImpossible as exc:
        raise _Failed(_impossible(exc.causes)) from None
    except ResolutionTooDeep:
        raise _Failed(
            f"no solution within {MAX_ROUNDS} rounds of backtracking (the constraints are "
            "too tangled to settle)"
        ) from None
    except ResolutionError as exc:
        raise _Failed(clean(str(exc))[:300] or type(exc).__name__) from None
    mapping: Mapping[str, Candidate] = result.mapping
    graph = Graph()
    chosen: dict[str, Resolved] = {}
    for key, candidate in mapping.items():
        base = candidate.name
        for child in result.graph.iter_children(key):
            graph.add(base, mapping[child].name)
        if candidate.extras and base in chosen:
            continue
        problem = candidate.problem
        chosen[base] = Resolved(
            name=base,
            normalized=base,
            version=str(candidate.version) if candidate.version is not None else None,
            direct=False,
            uploaded=candidate.release.uploaded if candidate.release else None,
            dependencies_unknown=state.unknown.get(base),
            problem=str(problem) if problem else None,
            missing=bool(problem and problem.missing),
            held_back=candidate.held_back,
        )
    roots = {requirement.name: root.location for root, requirement in wanted}
    packages = assemble(chosen, graph, roots)
    notices = ["dependency cycle: " + " → ".join((*cycle, cycle[0])) for cycle in graph.cycles()]
    return Resolution(Ecosystem.PYPI, tuple(packages), notices=tuple(notices))


def _impossible(causes: Iterable[RequirementInformation[Requirement, Candidate]]) -> str:
    causes = list(causes)
    parts = []
    for cause in causes[:6]:
        requirement = cause.requirement
        who = f"required by {cause.parent}" if cause.parent is not None else "requested"
        parts.append(f"{clean(requirement.text)[:100]} ({who})")
    names = sorted({c.requirement.name for c in causes})
    return f"no version of {', '.join(names)} satisfies " + "; ".join(parts)


def _where(wanted: Sequence[tuple[Root, Requirement]]) -> str:
    paths = sorted({root.location.path for root, _ in wanted})
    return "the requirements of " + ", ".join(paths)


def _unresolved(root: Root, reason: str) -> Resolution:
    package = Resolved(
        name=root.name, normalized=root.name, version=None, direct=True, location=root.location
    )
    return Resolution(Ecosystem.PYPI, (package,))


def _error(location: Location, message: str) -> InputError:
    return InputError(location.path, location.line, message)

"""Resolvers: what an install of the named requirements would bring in, without installing.

* :mod:`depguard.resolver.pypi` resolves Python requirements with resolvelib (the library pip
  uses) from the index's JSON simple API and the wheels' core-metadata files, for a
  :class:`~depguard.resolver.target.Target` (Python version and platform).
* :mod:`depguard.resolver.npm` resolves npm ranges from the registry's package documents.

Both return a :class:`Resolution`: every package with the chosen version, whether the project
names it itself (``direct``) and, if not, the shortest chain from a direct dependency
(``via``). Nothing is built, installed or run. The install wrappers reuse this module.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from depguard.model import Ecosystem, InputError, Location


@dataclass(frozen=True)
class Root:
    """One requirement to resolve, where it was written."""

    requirement: str
    """As pip reads it: ``name[extras] specifier ; marker`` (npm: the range)."""
    name: str
    """Normalized."""
    location: Location
    constraint: bool = False
    """A ``-c`` constraint: limits versions, installs nothing by itself."""
    group: str = ""
    """Roots of one group are installed together (one manifest file): resolved together."""


@dataclass(frozen=True)
class Resolved:
    """One package of a resolution."""

    name: str
    normalized: str
    version: str | None
    """None when the index could not give the package (see ``problem``)."""
    direct: bool
    via: tuple[str, ...] = ()
    """For a transitive package: the names from a direct dependency down to the one that
    needs it (``("x", "y")`` for x → y → this)."""
    location: Location | None = None
    """Where the direct requirement at the start of the chain was written."""
    requires: tuple[str, ...] = ()
    """Normalized names of what this version depends on (in this resolution)."""
    uploaded: datetime | None = None
    """When the file that would be installed was uploaded (PyPI); None when unknown."""
    dependencies_unknown: str | None = None
    """Why this version's own dependencies are not known (an sdist only; no metadata)."""
    problem: str | None = None
    """Why the index could not give this package (not found, wrong project, unreachable)."""
    missing: bool = False
    """The index says the package does not exist."""
    held_back: str | None = None
    """A newer version that satisfied the requirements but is younger than the cooldown."""


@dataclass(frozen=True)
class Resolution:
    ecosystem: Ecosystem
    packages: tuple[Resolved, ...] = ()
    errors: tuple[InputError, ...] = ()
    notices: tuple[str, ...] = ()
    target: str = ""
    requests: int = 0

    def roots(self) -> list[Resolved]:
        return [p for p in self.packages if p.direct]

    def brought_in(self, name: str) -> list[Resolved]:
        """Everything installed because of the direct package ``name`` (itself excluded)."""
        return [p for p in self.packages if not p.direct and p.via and p.via[0] == name]


@dataclass
class Graph:
    """Package-level dependency edges of one resolution, for chains."""

    edges: dict[str, set[str]] = field(default_factory=dict)

    def add(self, parent: str, child: str) -> None:
        if parent != child:
            self.edges.setdefault(parent, set()).add(child)
            self.edges.setdefault(child, set())

    def chains(self, roots: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Each reachable name -> the shortest path from a root to it (both included).
        Breadth first, names in sorted order: a cycle ends where it meets a visited name."""
        paths: dict[str, tuple[str, ...]] = {}
        queue: deque[str] = deque()
        for root in sorted(set(roots)):
            paths[root] = (root,)
            queue.append(root)
        while queue:
            name = queue.popleft()
            for child in sorted(self.edges.get(name, ())):
                if child not in paths:
                    paths[child] = (*paths[name], child)
                    queue.append(child)
        return paths

    def cycles(self) -> list[tuple[str, ...]]:
        """Dependency cycles (each once, smallest name first): legal, but worth a notice."""
        found: set[tuple[str, ...]] = set()
        for start in sorted(self.edges):
            stack: list[tuple[str, tuple[str, ...]]] = [(start, (start,))]
            while stack:
                name, path = stack.pop()
                if len(path) > 12:
                    continue
                for child in self.edges.get(name, ()):
                    if child == start:
                        found.add(path)
                    elif child not in path and child > start:
                        stack.append((child, (*path, child)))
        return sorted(found, key=lambda c: (len(c), c))


def assemble(
    chosen: Mapping[str, Resolved],
    graph: Graph,
    roots: Mapping[str, Location],
) -> list[Resolved]:
    """The resolution's packages with ``direct``, ``via``, ``location`` and ``requires``."""
    from dataclasses import replace

    paths = graph.chains(roots)
    out = []
    for name in sorted(chosen, key=lambda n: (n not in roots, len(paths.get(n, ())), n)):
        package = chosen[name]
        path = paths.get(name, (name,))
        out.append(
            replace(
                package,
                direct=name in roots,
                via=() if name in roots else path[:-1],
                location=roots.get(path[0]),
                requires=tuple(sorted(graph.edges.get(name, ()))),
            )
        )
    return out


def merge(resolutions: Sequence[Resolution], ecosystem: Ecosystem) -> Resolution:
    """Several resolutions (one per manifest) as one."""
    packages: list[Resolved] = []
    seen: set[tuple[str, str | None, bool, tuple[str, ...]]] = set()
    for resolution in resolutions:
        for package in resolution.packages:
            key = (package.normalized, package.version, package.direct, package.via)
            if key not in seen:
                seen.add(key)
                packages.append(package)
    return Resolution(
        ecosystem,
        tuple(packages),
        tuple(e for r in resolutions for e in r.errors),
        tuple(dict.fromkeys(n for r in resolutions for n in r.notices)),
        next((r.target for r in resolutions if r.target), ""),
        sum(r.requests for r in resolutions),
    )

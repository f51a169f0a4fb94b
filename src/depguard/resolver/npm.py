"""npm resolution: what ``npm install`` would fetch for the named ranges.

For each (name, range) npm keeps the version already in the tree when it satisfies the range
(npm hoists the first copy of a name and dedupes against it); otherwise it picks one as
npm-pick-manifest does (``dist-tags.latest``
when it satisfies the range, else the highest satisfying version that is not deprecated;
:func:`depguard.npm_semver.pick`), then follows that version's ``dependencies``,
``optionalDependencies`` and, as npm 7 and later do, its non-optional ``peerDependencies``.
Several versions of one package may be installed (one per distinct pick); each is judged.

Facts come from the abbreviated package document (the one npm itself reads), reduced to the
dependency maps of each version and cached per registry and name. The npm cooldown is not
applied here: the abbreviated document has no per-version times, and the mirror reachable in
development rewrites ``time`` (never treat those dates as real).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from depguard.cache import FOUND_TTL, NOT_FOUND_TTL, Cache
from depguard.config import Settings
from depguard.model import Ecosystem, InputError, Location
from depguard.resolver import Resolution, Resolved, Root
from depguard.resolver.fetch import Fetcher
from depguard.sanitize import clean

if TYPE_CHECKING:
    from depguard.registries.http import HttpClient

MAX_PACKAGES = 5000
"""Bound on distinct (name, version) pairs in one resolution."""
_SCHEMA = 1


@dataclass(frozen=True)
class NpmVersion:
    dependencies: Mapping[str, str]
    """Everything npm installs with this version: dependencies, optional and required peers."""
    deprecated: bool


@dataclass(frozen=True)
class NpmFacts:
    name: str
    tags: Mapping[str, str]
    versions: Mapping[str, NpmVersion]


class NpmProblem(Exception):
    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing


def facts_from_document(document: Any, name: str) -> NpmFacts:
    if not isinstance(document, Mapping):
        raise NpmProblem("the registry's answer is not a package document")
    answered = document.get("name")
    if isinstance(answered, str) and answered != name:
        raise NpmProblem(f"the registry answered for another package ({clean(answered)[:80]!r})")
    tags_raw = document.get("dist-tags")
    tags = {
        str(k): str(v)
        for k, v in (tags_raw.items() if isinstance(tags_raw, Mapping) else ())
        if isinstance(v, str)
    }
    versions: dict[str, NpmVersion] = {}
    raw_versions = document.get("versions")
    for version, manifest in raw_versions.items() if isinstance(raw_versions, Mapping) else ():
        if not isinstance(manifest, Mapping):
            continue
        wanted: dict[str, str] = {}
        peers = _strings(manifest.get("peerDependencies"))
        meta = manifest.get("peerDependenciesMeta")
        meta = meta if isinstance(meta, Mapping) else {}
        for peer, spec in peers.items():
            flags = meta.get(peer)
            if isinstance(flags, Mapping) and flags.get("optional") is True:
                continue
            wanted[peer] = spec
        wanted.update(_strings(manifest.get("optionalDependencies")))
        wanted.update(_strings(manifest.get("dependencies")))
        deprecated = manifest.get("deprecated")
        versions[str(version)] = NpmVersion(
            wanted, isinstance(deprecated, str) and bool(deprecated.strip())
        )
    return NpmFacts(name, tags, versions)


def _strings(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}


class NpmIndex:
    def __init__(self, settings: Settings, cache: Cache, fetcher: Fetcher, now: datetime):
        self.settings = settings
        self.cache = cache
        self.fetcher = fetcher
        self.now = now
        self._known: dict[str, NpmFacts | NpmProblem | Future[NpmFacts]] = {}
        self.requests = 0

    def _key(self, name: str) -> str:
        from depguard.npmrc import registry_for

        registry = registry_for(name, self.settings.npm_registry, self.settings.npm_scopes)
        return f"resolve-npm|{_SCHEMA}|{registry}|{name}"

    def prefetch(self, name: str) -> None:
        if name in self._known:
            return
        cached = None if self.settings.refresh else self.cache.get(self._key(name), self.now)
        if cached is not None and (cached.fresh or self.settings.offline):
            facts = _from_cache(cached.value, name)
            if facts is not None:
                self._known[name] = facts
                return
        if self.settings.offline:
            self._known[name] = NpmProblem("offline, and the package document is not cached")
            return
        self._known[name] = self.fetcher.submit(lambda http: self._fetch(http, name))

    def facts(self, name: str) -> NpmFacts:
        self.prefetch(name)
        entry = self._known[name]
        if isinstance(entry, Future):
            try:
                entry = entry.result()
            except NpmProblem as exc:
                entry = exc
            except Exception as exc:
                entry = NpmProblem(str(exc).splitlines()[0][:200] if str(exc) else repr(exc))
            self._known[name] = entry
        if isinstance(entry, NpmProblem):
            raise entry
        return entry

    async def _fetch(self, http: HttpClient, name: str) -> NpmFacts:
        import json

        from depguard.registries.http import RegistryError
        from depguard.registries.npm import ABBREVIATED, NpmClient

        client = NpmClient(
            http, self.settings.npm_registry, self.settings.max_npm_bytes, self.settings.npm_scopes
        )
        self.requests += 1
        try:
            response = await http.get(
                client.package_url(name),
                max_bytes=self.settings.max_npm_bytes,
                accept=f"{ABBREVIATED}, application/json;q=0.8",
            )
        except RegistryError as exc:
            raise NpmProblem(f"the registry could not be asked: {exc}") from None
        if response.status in (404, 410):
            self.cache.set(self._key(name), {"missing": True}, NOT_FOUND_TTL)
            raise NpmProblem("the registry has no such package", missing=True)
        if response.status != 200:
            raise NpmProblem(f"HTTP {response.status} from the registry")
        try:
            document = json.loads(response.body)
        except ValueError:
            raise NpmProblem("the registry's answer is not JSON") from None
        facts = facts_from_document(document, name)
        self.cache.set(
            self._key(name),
            {
                "tags": dict(facts.tags),
                "versions": {
                    v: [dict(f.dependencies), f.deprecated] for v, f in facts.versions.items()
                },
            },
            FOUND_TTL,
        )
        return facts


def _from_cache(value: object, name: str) -> NpmFacts | NpmProblem | None:
    if not isinstance(value, dict):
        return None
    if value.get("missing"):
        return NpmProblem("the registry has no such package", missing=True)
    try:
        versions = {
            str(v): NpmVersion(dict(row[0]), bool(row[1])) for v, row in value["versions"].items()
        }
        return NpmFacts(name, dict(value["tags"]), versions)
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def _spec(name: str, spec: str) -> tuple[str, str] | None:
    """(package, range) that ``name: spec`` asks the registry for; None for git, file, link
    and URL specs (not from the registry)."""
    spec = spec.strip()
    if spec.startswith("npm:"):
        target = spec[4:]
        at = target.rfind("@")
        if at > 0:
            return target[:at], target[at + 1 :] or "latest"
        return target, "latest"
    if spec.startswith(("git", "file:", "link:", "http:", "https:", "workspace:", "github:")):
        return None
    if "/" in spec and not spec.startswith("@"):
        return None  # GitHub shorthand user/repo
    return name, spec or "latest"


def resolve_npm(
    roots: Sequence[Root],
    settings: Settings,
    cache: Cache,
    *,
    now: datetime,
    time_budget: float | None = None,
) -> Resolution:
    from depguard.npm_semver import pick

    errors: list[InputError] = []
    notices: list[str] = []
    nodes: dict[str, Resolved] = {}
    edges: dict[str, set[str]] = {}
    paths: dict[str, tuple[str, ...]] = {}
    locations: dict[str, Location] = {}
    direct: set[str] = set()
    with Fetcher(settings, time_budget=time_budget) as fetcher:
        index = NpmIndex(settings, cache, fetcher, now)
        queue: deque[tuple[str, str, str | None, Location]] = deque()
        for root in roots:
            queue.append((root.name, root.requirement, None, root.location))
            index.prefetch(root.name)
        picks: dict[tuple[str, str], str] = {}
        placed: dict[str, str] = {}
        """The first version of each name in the tree (npm hoists it): a later range it
        satisfies gets it too, as npm dedupes, instead of a newer copy."""
        while queue:
            name, spec, parent, location = queue.popleft()
            if (name, spec) in picks:
                node = picks[(name, spec)]
                _link(edges, parent, node, direct)
                continue
            try:
                facts = index.facts(name)
            except NpmProblem as problem:
                node = f"{name}@"
                picks[(name, spec)] = node
                if node not in nodes:
                    nodes[node] = Resolved(
                        name, name, None, False, problem=str(problem), missing=problem.missing
                    )
                    if not problem.missing:
                        errors.append(
                            InputError(location.path, location.line, f"{name}: {problem}")
                        )
                _place(node, parent, paths, locations, location, direct)
                _link(edges, parent, node, direct)
                continue
            hoisted = placed.get(name)
            if hoisted is not None and _satisfies(hoisted, spec):
                version: str | None = hoisted  # npm reuses the copy already in the tree
            else:
                deprecated = {v: "deprecated" for v, f in facts.versions.items() if f.deprecated}
                version = pick(spec, facts.versions, facts.tags, deprecated)
            if version is None or version not in facts.versions:
                message = f"no version of {name} satisfies {clean(spec)[:80]!r}"
                if parent is not None:
                    message += f" (required by {parent})"
                errors.append(InputError(location.path, location.line, message))
                picks[(name, spec)] = ""
                continue
            node = f"{name}@{version}"
            picks[(name, spec)] = node
            placed.setdefault(name, version)
            _place(node, parent, paths, locations, location, direct)
            _link(edges, parent, node, direct)
            if node in nodes:
                continue
            if len(nodes) >= MAX_PACKAGES:
                errors.append(
                    InputError(
                        location.path, location.line, f"more than {MAX_PACKAGES} packages: stopped"
                    )
                )
                break
            nodes[node] = Resolved(name, name, version, False)
            for child, child_spec in sorted(facts.versions[version].dependencies.items()):
                target = _spec(child, child_spec)
                if target is None:
                    continue
                index.prefetch(target[0])
                queue.append((target[0], target[1], node, location))
        requests = index.requests
    packages = []
    for node, package in nodes.items():
        path = paths.get(node, (node,))
        from dataclasses import replace

        packages.append(
            replace(
                package,
                direct=node in direct,
                via=() if node in direct else tuple(p.rsplit("@", 1)[0] for p in path[:-1]),
                location=locations.get(node),
                requires=tuple(sorted(edges.get(node, ()))),
            )
        )
    packages.sort(key=lambda p: (not p.direct, len(p.via), p.name, p.version or ""))
    return Resolution(
        Ecosystem.NPM, tuple(packages), tuple(errors), tuple(notices), "npm", requests
    )


def _satisfies(version: str, spec: str) -> bool:
    from depguard.npm_semver import is_range, satisfies

    spec = spec.strip()
    if spec in ("", "*"):
        return True
    if not is_range(spec):
        return False  # a tag names its own version
    return satisfies(version, spec)


def _place(
    node: str,
    parent: str | None,
    paths: dict[str, tuple[str, ...]],
    locations: dict[str, Location],
    location: Location,
    direct: set[str],
) -> None:
    """Breadth first, so the first path found to a node is a shortest one."""
    if parent is None:
        direct.add(node)
        paths[node] = (node,)
        locations.setdefault(node, location)
    elif node not in paths:
        paths[node] = (*paths.get(parent, (parent,)), node)
        locations.setdefault(node, location)


def _link(edges: dict[str, set[str]], parent: str | None, node: str, direct: set[str]) -> None:
    if parent is not None and node and parent != node:
        edges.setdefault(parent, set()).add(node)

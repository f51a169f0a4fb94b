"""Internal packages: judged against their private index, and against their public twin.

An internal name (``private`` patterns, or owned by a private index) is not judged by public
popularity, typosquatting against public names, age or maintainer counts: those say nothing
about a team's own package and would turn every internal name into a false alarm. What matters
is whether its private index serves it (``not-found`` on that index), whether the same name is
published publicly by someone else (``dependency-confusion``), and whether the project lets an
installer pick among indexes by version (``extra-index-url``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime

from depguard import findings as F
from depguard.model import Evidence, Finding, LookupStatus, PackageInfo, Severity
from depguard.sanitize import clean
from depguard.signals import Context, Signal


def private_signals() -> tuple[Signal, ...]:
    """The signals that judge an internal name (the rest read public-registry evidence)."""
    from depguard.signals import status, stdlib_name, undeclared, versions

    return (
        stdlib_name.check,
        existence,
        confusion,
        locked_elsewhere,
        status.check,
        versions.check,
        extra_index,
        undeclared.check,
    )


def existence(evidence: Evidence, context: Context) -> Iterator[Finding]:
    lookup = evidence.lookup
    index = evidence.index
    if index is None:
        yield F.NOT_FOUND.make(
            "an internal name (matches `private`) that no private index serves: declare its "
            "index (private_index_url, [[index]] or the project's own index settings)",
            registry=None,
            suggestions=[],
        )
        return
    where = clean(index.label, 200)
    if lookup.status is LookupStatus.NOT_FOUND:
        yield F.NOT_FOUND.make(
            f"internal name not served by {where}", registry=where, suggestions=[]
        )
    elif lookup.status is LookupStatus.ERROR:
        error = clean(lookup.error, 300)
        yield F.REGISTRY_ERROR.make(
            error if where in error else f"{where} could not be asked: {error}",
            error=clean(lookup.error, 500),
            registry=where,
        )
    elif lookup.status is LookupStatus.OFFLINE:
        yield F.UNVERIFIED.make(f"not checked against {where} (offline, nothing cached)")


def confusion(evidence: Evidence, context: Context) -> Iterator[Finding]:
    twin = evidence.public_twin
    package = evidence.package
    if twin is None:
        return
    public_label = package.ecosystem.index_label
    if twin.status is LookupStatus.ERROR:
        yield F.REGISTRY_ERROR.make(
            f"could not ask {public_label} whether this internal name is also published there: "
            f"{clean(twin.error, 200)}",
            error=clean(twin.error, 500),
        )
        return
    if twin.status is LookupStatus.OFFLINE:
        yield F.UNVERIFIED.make(
            f"not checked whether {public_label} also publishes this internal name (offline)"
        )
        return
    public = twin.info
    if twin.status is not LookupStatus.FOUND or public is None or not public.exists:
        return
    private = evidence.info if evidence.lookup.status is LookupStatus.FOUND else None
    approved = context.approved_twins.get((package.ecosystem.value, package.normalized))
    if approved is not None and approved_twin(approved, public):
        return
    same, compared = same_project(private, public)
    if same:
        return
    facts = []
    if public.repository:
        facts.append(f"repository {clean(public.repository, 120)}")
    if public.maintainers:
        facts.append("maintainers " + ", ".join(clean(m, 40) for m in public.maintainers[:5]))
    if public.created is not None:
        facts.append(f"first upload {public.created.date().isoformat()}")
    later = _registered_later(private, public)
    message = (
        f"internal name also published on {public_label}"
        + (f" ({'; '.join(facts)})" if facts else "")
        + (", registered there after the internal one" if later else "")
        + (
            f"; {', '.join(compared)} differ"
            if compared
            else "; nothing shows it is the same project"
        )
    )
    pin = public.repository or (public.maintainers[0] if public.maintainers else None)
    yield F.DEPENDENCY_CONFUSION.make(
        message,
        public_repository=clean(public.repository, 300) if public.repository else None,
        public_maintainers=[clean(m, 80) for m in public.maintainers or ()],
        public_created=public.created.isoformat() if public.created else None,
        private_created=private.created.isoformat() if private and private.created else None,
        public_versions=len(public.versions),
        compared=list(compared),
        approve_with=f"public_twin = {json.dumps(clean(pin, 200))}" if pin else None,
    )


def locked_elsewhere(evidence: Evidence, context: Context) -> Iterator[Finding]:
    """A lockfile entry of an internal name resolved from another host than its index: from
    the public registry it is the confusion itself (block)."""
    from urllib.parse import urlsplit

    from depguard.indexes import is_public_host

    index = evidence.index
    if index is None:
        return
    reported: set[str] = set()
    for dep in evidence.package.dependencies:
        if not dep.resolved or not dep.resolved.startswith(("https://", "http://")):
            continue
        parts, ours = urlsplit(dep.resolved), urlsplit(index.url)
        if (parts.hostname, parts.port) == (ours.hostname, ours.port):
            continue
        origin = f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        if origin in reported:
            continue
        reported.add(origin)
        configured = context.public_urls.get(evidence.package.ecosystem.value, "")
        public = is_public_host(evidence.package.ecosystem, dep.resolved, configured)
        yield F.UNEXPECTED_REGISTRY.make(
            f"{clean(str(dep.location), 120)} locks this internal name from "
            f"{'the public registry ' if public else ''}{clean(origin, 120)}, not its index "
            f"{clean(index.label, 200)}",
            severity=Severity.HIGH if public else None,
            resolved=clean(dep.resolved, 300),
            expected=[index.url],
        )


def extra_index(evidence: Evidence, context: Context) -> Iterator[Finding]:
    merging = [d for d in context.merging if d.index.ecosystem is evidence.package.ecosystem]
    if not merging:
        return
    first = merging[0]
    more = f" (+{len(merging) - 1} more)" if len(merging) > 1 else ""
    yield F.EXTRA_INDEX_URL.make(
        f"at risk: {clean(first.location, 120)} makes the installer pick among indexes by "
        f"version ({clean(first.how, 60)} {clean(first.index.url, 200)}){more}; a higher "
        "version published elsewhere would win",
        declared=[f"{d.location}: {d.how} {d.index.url}" for d in merging],
    )


def same_project(private: PackageInfo | None, public: PackageInfo) -> tuple[bool, tuple[str, ...]]:
    """Whether two registries' packages are one project, and which facts differed. Maintainer
    accounts decide when both sides name them (a repository URL is self-declared, anyone can
    copy it); otherwise an equal repository and a public first upload no later than the
    internal one."""
    if private is None:
        return False, ()
    differ: list[str] = []
    if private.maintainers and public.maintainers:
        ours = {m.lower() for m in private.maintainers}
        if ours & {m.lower() for m in public.maintainers}:
            return True, ()
        differ.append("maintainers")
    repo_a, repo_b = _repository(private.repository), _repository(public.repository)
    if repo_a and repo_b:
        if repo_a != repo_b:
            differ.append("repository")
        elif not differ and not _registered_later(private, public):
            return True, ()
    if _registered_later(private, public):
        differ.append("first upload")
    return False, tuple(differ)


def approved_twin(approved: str, public: PackageInfo) -> bool:
    """An allowlisted ``public_twin`` still describes the public package: its repository or
    one of its maintainers."""
    wanted = approved.strip().lower()
    if _repository(approved) and _repository(approved) == _repository(public.repository):
        return True
    return any(m.lower() == wanted for m in public.maintainers or ())


def _registered_later(private: PackageInfo | None, public: PackageInfo) -> bool:
    first: datetime | None = private.created if private else None
    return first is not None and public.created is not None and public.created > first


def _repository(url: str | None) -> str | None:
    """A repository URL in a comparable form: ``github.com/acme/billing``."""
    if not url:
        return None
    value = url.strip().lower().removeprefix("git+")
    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value)
    value = re.sub(r"^git@([^:/]+):", r"\1/", value)
    value = value.rpartition("@")[2] if "@" in value.split("/", 1)[0] else value
    value = value.removeprefix("www.").rstrip("/").removesuffix(".git")
    return value or None

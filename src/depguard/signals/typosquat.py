"""A name that imitates a far more popular package: typos, look-alike characters, separators,
affixes, reordered words, plurals and npm scopes (see :mod:`depguard.lookalike`).

The name alone raises the finding, so it is reported offline and for names no registry knows.
Its weight depends on what the registry says: a package nobody is known to use weighs fully,
however old (placeholders and dormant squats are never taken down); an established one (popular
or widely downloaded) or a maintained project (a repository, three or more releases with files
that hold something) only informs; a package whose repository belongs to the popular project's
owner (``requests-toolbelt`` under ``github.com/requests``) barely counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from depguard import findings as F
from depguard import lookalike
from depguard.maturity import is_established
from depguard.model import Evidence, Finding, JSONValue, LookupStatus, PackageInfo, Severity, Tier
from depguard.sanitize import clean
from depguard.signals import Context
from depguard.substance import maintained

_CODE_HOST = re.compile(r"^https?://(?:www\.)?[^/]+/([^/]+)/([^/#?]+)", re.IGNORECASE)


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    package = evidence.package
    if not package.from_index or evidence.lookup.status is LookupStatus.NOT_FOUND:
        return  # a direct URL is not resolved by name; a missing name gets did-you-mean instead
    match = plausible(evidence, context)
    if match is None or _explained_by_import_name(evidence, match.target.name):
        return
    target = match.target
    info = evidence.info
    shown = f"`{clean(target.name, 80)}` ({match.description})"
    facts: dict[str, JSONValue] = {
        "similar_to": target.name,
        "kind": match.kind,
        "confusion": match.description,
        "edits": match.distance,
        "similar_to_rank": target.rank,
        "similar_to_downloads": target.downloads,
        "downloads_last_month": evidence.downloads.last_month,
    }
    owner = _same_owner(info, target)
    if owner is not None:
        yield F.TYPOSQUAT.make(
            f"resembles {shown}, from the same owner ({clean(owner, 80)})",
            severity=Severity.LOW,
            tier=Tier.MINIMAL,
            same_owner=owner,
            **facts,
        )
    elif is_established(evidence, context.thresholds):
        yield F.TYPOSQUAT.make(
            f"resembles {shown}; in use itself ({_usage(evidence)})",
            severity=Severity.LOW,
            tier=Tier.WEAK,
            established=True,
            **facts,
        )
    elif maintained(info) and not _claims_the_original(info, target):
        assert info is not None
        yield F.TYPOSQUAT.make(
            f"resembles {shown}; a maintained project ({info.releases} releases, a repository)",
            severity=Severity.LOW,
            tier=Tier.WEAK,
            maintained=True,
            **facts,
        )
    else:
        yield F.TYPOSQUAT.make(f"imitates {shown}", **facts)


def _usage(evidence: Evidence) -> str:
    count = evidence.downloads.last_month
    if count is not None:
        return f"{count:,} downloads last month"
    return "in the popularity snapshot"


def plausible(evidence: Evidence, context: Context) -> lookalike.Match | None:
    """The best look-alike match that passes the popularity guard: when the package's own
    download count is known, the imitated package must be ``popularity_ratio`` times as popular."""
    package = evidence.package
    count = evidence.downloads.last_month
    ratio = context.thresholds.popularity_ratio
    for match in context.lookalikes.matches(package.ecosystem, package.normalized):
        downloads = match.target.downloads
        if count is not None and downloads is not None and downloads < ratio * max(count, 1):
            continue
        return match
    return None


def _same_owner(info: PackageInfo | None, target: lookalike.Target) -> str | None:
    """The owner (code-host account or PyPI organization) this package shares with the popular
    one, judged from this package's own metadata: an account named like the popular project
    that hosts a *different* repository. A repository named exactly like the popular one is what
    a copy claims, so it clears nothing."""
    if info is None:
        return None
    stems = {target.compact, lookalike.compact(lookalike.words(target.key)[0])}
    if target.scope:
        stems.add(lookalike.compact(target.scope))
    if info.organization and lookalike.compact(info.organization) in stems:
        return info.organization
    for url in (info.repository, info.homepage):
        found = _CODE_HOST.match(url or "")
        if found is None:
            continue
        account, repository = found.group(1), re.sub(r"\.git$", "", found.group(2))
        if lookalike.compact(account) in stems and lookalike.compact(repository) != target.compact:
            return f"{account}/{repository}"
    return None


def _claims_the_original(info: PackageInfo | None, target: lookalike.Target) -> bool:
    """A repository named exactly like the popular project: what a copy claims."""
    found = _CODE_HOST.match((info.repository if info else None) or "")
    if found is None:
        return False
    return lookalike.compact(re.sub(r"\.git$", "", found.group(2))) == target.compact


def _explained_by_import_name(evidence: Evidence, target: str) -> bool:
    """``yaml`` resembles PyYAML because it is PyYAML's import name: the import-name finding
    says that better, and counting both would punish one slip twice."""
    from depguard import import_names
    from depguard.model import Ecosystem
    from depguard.names import normalize

    package = evidence.package
    if package.ecosystem is not Ecosystem.PYPI:
        return False
    wanted = normalize(Ecosystem.PYPI, target)
    return any(
        normalize(Ecosystem.PYPI, provider) == wanted
        for match in import_names.spelled_like(package.normalized)
        if not match.namespace
        for provider in match.distributions[:1]
    )

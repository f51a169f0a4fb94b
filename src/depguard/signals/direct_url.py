"""References the index cannot vouch for: direct URLs, VCS links, local paths."""

from __future__ import annotations

import re
from collections.abc import Iterator

from depguard import findings as F
from depguard.model import Evidence, Finding, Severity, UrlKind
from depguard.sanitize import clean
from depguard.signals import Context

_COMMIT = re.compile(r"[@#][0-9a-f]{40}(?:[#&]|$)")  # pip's @<sha>, npm's #<sha>


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    seen: set[str] = set()
    for dep in evidence.package.dependencies:
        if dep.url is None or dep.url in seen:
            continue
        seen.add(dep.url)
        url = clean(dep.url, 200)
        if dep.url_kind is UrlKind.PATH:
            yield F.DIRECT_URL.make(
                f"local path {url}{' (editable)' if dep.editable else ''}: not from the index",
                severity=Severity.LOW,
                url=url,
                kind=UrlKind.PATH.value,
            )
        elif dep.url_kind is UrlKind.VCS:
            pinned = bool(_COMMIT.search(dep.url))
            note = "pinned to a commit" if pinned else "not pinned to a commit"
            yield F.DIRECT_URL.make(
                f"installed from version control ({url}), {note}: the index cannot vouch for it",
                url=url,
                kind=UrlKind.VCS.value,
                pinned=pinned,
            )
        else:
            yield F.DIRECT_URL.make(
                f"installed from a URL ({url}): the index cannot vouch for it",
                url=url,
                kind=UrlKind.URL.value,
            )

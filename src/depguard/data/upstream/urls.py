"""Where the data tooling may fetch from: URLs moved onto the configured hosts, others refused.

Registry documents carry absolute URLs to the default hosts (the file host, the npm registry's
tarballs). When a mirror or the loopback test server is configured, those URLs are moved onto
it; a URL on any other host is refused rather than fetched.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit


def rebase(url: str, default: str, configured: str, also: Iterable[str] = ()) -> str | None:
    """``url`` with the ``default`` base replaced by ``configured``; ``url`` itself when it is
    already on ``configured`` or on one of the ``also`` bases' hosts; None otherwise."""
    default = default.rstrip("/")
    configured = configured.rstrip("/")
    if url.startswith(default + "/"):
        return configured + url[len(default) :]
    allowed = {_origin(configured), *(_origin(base) for base in also)}
    return url if _origin(url) in allowed else None


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()

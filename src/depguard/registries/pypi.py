"""The Python package index: project documents, per-version documents and project status."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from urllib.parse import quote

from depguard.model import Ecosystem, Lookup, LookupStatus, PackageInfo, Vulnerability
from depguard.registries.http import HttpClient, RegistryError
from depguard.registries.pypi_document import (
    DocumentError,
    parse_project,
    parse_version_vulnerabilities,
)
from depguard.timeutil import utcnow

SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
SIMPLE_HTML = "application/vnd.pypi.simple.v1+html"
PROJECT_STATUSES = ("active", "archived", "quarantined", "deprecated")


class PyPIClient:
    def __init__(self, http: HttpClient, index_url: str, max_bytes: int) -> None:
        self.http = http
        self.index_url = index_url.rstrip("/")
        self.max_bytes = max_bytes

    def project_url(self, name: str) -> str:
        return f"{self.index_url}/pypi/{quote(name, safe='')}/json"

    async def project(self, name: str) -> Lookup:
        """Ask the index about ``name`` (normalized). Raises RegistryError when it cannot."""
        response = await self.http.get(
            self.project_url(name), max_bytes=self.max_bytes, accept="application/json"
        )
        if response.status == 200:
            try:
                info = parse_project(response.body, name)
            except DocumentError as exc:
                raise RegistryError(_bad_document(str(exc), response.content_type)) from None
            return Lookup(LookupStatus.FOUND, info, fetched_at=utcnow())
        if response.status in (404, 410):
            # Quarantined projects answer 404 here; only the simple API says why.
            status, reason = await self.status(name, tolerate_errors=True)
            if status in ("quarantined", "archived"):
                info = PackageInfo(
                    ecosystem=Ecosystem.PYPI,
                    name=name,
                    exists=True,
                    status=status,
                    status_reason=reason,
                    releases=0,
                )
                return Lookup(LookupStatus.FOUND, info, fetched_at=utcnow())
            return Lookup(LookupStatus.NOT_FOUND, fetched_at=utcnow())
        raise RegistryError(f"HTTP {response.status} from the index")

    async def version_vulnerabilities(
        self, name: str, version: str
    ) -> tuple[Vulnerability, ...] | None:
        """Vulnerabilities of one version, or None when the index serves no such document."""
        url = f"{self.index_url}/pypi/{quote(name, safe='')}/{quote(version, safe='')}/json"
        response = await self.http.get(url, max_bytes=self.max_bytes, accept="application/json")
        if response.status in (404, 410):
            return None
        if response.status != 200:
            raise RegistryError(f"HTTP {response.status} from the index")
        try:
            return parse_version_vulnerabilities(response.body)
        except DocumentError as exc:
            raise RegistryError(_bad_document(str(exc), response.content_type)) from None

    async def status(
        self, name: str, *, tolerate_errors: bool = False
    ) -> tuple[str | None, str | None]:
        """PEP 792 project status from the simple API: (status, reason); (None, None) if unsaid."""
        url = f"{self.index_url}/simple/{quote(name, safe='')}/"
        try:
            response = await self.http.get(
                url,
                max_bytes=self.max_bytes,
                accept=f"{SIMPLE_JSON}, {SIMPLE_HTML};q=0.5",
                retries=1 if tolerate_errors else None,
            )
        except RegistryError:
            if tolerate_errors:
                return None, None
            raise
        if response.status != 200:
            return None, None
        return parse_status(response.body, response.content_type)


def parse_status(body: bytes | bytearray, content_type: str) -> tuple[str | None, str | None]:
    """Read ``project-status`` (JSON) or the ``pypi:project-status`` meta tags (HTML)."""
    if "json" in content_type or body.lstrip()[:1] == b"{":
        try:
            document = json.loads(body)
        except ValueError:
            return None, None
        marker = document.get("project-status") if isinstance(document, Mapping) else None
        if not isinstance(marker, Mapping):
            return None, None
        status = marker.get("status", marker.get("state"))  # PEP prose says "state"
        reason = marker.get("reason")
        return (_status(status), reason if isinstance(reason, str) else None)
    head = body[:65536].decode("utf-8", "replace")
    status_match = re.search(
        r'<meta\s+name="pypi:project-status"\s+content="([^"]*)"', head, re.IGNORECASE
    )
    reason_match = re.search(
        r'<meta\s+name="pypi:project-status-reason"\s+content="([^"]*)"', head, re.IGNORECASE
    )
    import html

    return (
        _status(status_match.group(1)) if status_match else None,
        html.unescape(reason_match.group(1)) if reason_match else None,
    )


def _status(value: object) -> str | None:
    if isinstance(value, str) and value.lower() in PROJECT_STATUSES:
        return value.lower()
    return None


def _bad_document(problem: str, content_type: str) -> str:
    kind = content_type.split(";", maxsplit=1)[0].strip() or "no content type"
    return f"unexpected answer from the index ({problem}; {kind})"

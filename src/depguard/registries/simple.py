"""A private Python index through the simple repository API (PEP 503 HTML, PEP 691 JSON).

Private indexes (pypiserver, devpi, Artifactory, GitLab/GitHub package registries) serve the
simple API, not PyPI's project JSON. A project page lists its files; the versions, the yanked
ones and (PEP 700) upload times are read from it. Nothing is downloaded or run.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import quote, unquote, urlsplit

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from depguard.indexes import Index
from depguard.model import Ecosystem, Lookup, LookupStatus, PackageInfo
from depguard.registries.http import HttpClient, RegistryError
from depguard.registries.pypi import SIMPLE_HTML, SIMPLE_JSON
from depguard.timeutil import parse_timestamp, utcnow

_ANCHOR = re.compile(r"<a\s([^>]*)>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_YANKED = re.compile(r"""data-yanked(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?""", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


class SimpleDocumentError(ValueError):
    pass


class SimpleClient:
    def __init__(
        self, http: HttpClient, index: Index, max_bytes: int, authorization: str | None
    ) -> None:
        self.http = http
        self.index = index
        self.base = index.url.rstrip("/")
        self.max_bytes = max_bytes
        self.headers = {"Authorization": authorization} if authorization else None

    def project_url(self, name: str) -> str:
        return f"{self.base}/{quote(name, safe='')}/"

    async def project(self, name: str) -> Lookup:
        """Ask the index about ``name`` (normalized). Raises RegistryError when it cannot."""
        try:
            response = await self.http.get(
                self.project_url(name),
                max_bytes=self.max_bytes,
                accept=f"{SIMPLE_JSON}, {SIMPLE_HTML};q=0.2, text/html;q=0.1",
                headers=self.headers,
            )
        except RegistryError as exc:
            raise RegistryError(f"{self.index.label}: {exc}") from None
        if response.status == 200:
            try:
                info = parse_project_page(response.body, response.content_type, name)
            except SimpleDocumentError as exc:
                raise RegistryError(f"{self.index.label}: unexpected answer ({exc})") from None
            return Lookup(LookupStatus.FOUND, info, fetched_at=utcnow())
        if response.status in (404, 410):
            return Lookup(LookupStatus.NOT_FOUND, fetched_at=utcnow())
        raise RegistryError(refusal(self.index, response.status, self.headers is not None))


def refusal(index: Index, status: int, sent_credentials: bool) -> str:
    """One line for an index that answered neither the document nor "no such project"."""
    if status == 401:
        if sent_credentials:
            return f"{index.label} refused the credentials (HTTP 401)"
        return (
            f"{index.label} asks for credentials (HTTP 401) and none were found: give them "
            "through the environment, ~/.netrc or a keyring helper"
        )
    if status == 403:
        return f"{index.label} denied access (HTTP 403)"
    return f"HTTP {status} from {index.label}"


def parse_project_page(body: bytes | bytearray, content_type: str, name: str) -> PackageInfo:
    if "json" in content_type or bytes(body[:64]).lstrip()[:1] == b"{":
        files, versions = _json_files(body)
    else:
        files = _html_files(body)
        versions = []
    found: dict[str, list[tuple[datetime | None, str | None]]] = {}
    for filename, uploaded, reason in files:
        version = version_of(filename)
        if version is not None:
            found.setdefault(version, []).append((uploaded, reason))
    for version in versions:
        found.setdefault(version, [])
    ordered = sorted(found, key=_sort_key)
    stable = [v for v in ordered if not _prerelease(v)] or ordered
    times = [t for entries in found.values() for t, _ in entries if t is not None]
    yanked = {
        v: next((reason for _, reason in entries if reason), "yanked")
        for v, entries in found.items()
        if entries and all(reason is not None for _, reason in entries)
    }
    return PackageInfo(
        ecosystem=Ecosystem.PYPI,
        name=name,
        exists=True,
        releases=len(ordered),
        versions=tuple(ordered),
        latest_version=stable[-1] if stable else None,
        created=min(times) if times else None,
        latest_release=max(times) if times else None,
        yanked=yanked,
        document="simple",
    )


def _json_files(
    body: bytes | bytearray,
) -> tuple[list[tuple[str, datetime | None, str | None]], list[str]]:
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise SimpleDocumentError(f"not JSON: {exc}") from None
    if not isinstance(document, Mapping) or not isinstance(document.get("files"), list):
        raise SimpleDocumentError("no files list")
    files = []
    for entry in document["files"]:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("filename"), str):
            continue
        uploaded = entry.get("upload-time")
        yanked = entry.get("yanked")
        reason = (yanked or "yanked") if yanked not in (None, False) else None
        files.append(
            (
                entry["filename"],
                parse_timestamp(uploaded) if isinstance(uploaded, str) else None,
                str(reason) if reason is not None else None,
            )
        )
    versions = document.get("versions")
    listed = [v for v in versions if isinstance(v, str)] if isinstance(versions, list) else []
    return files, listed


def _html_files(body: bytes | bytearray) -> list[tuple[str, datetime | None, str | None]]:
    text = bytes(body).decode("utf-8", "replace")
    files: list[tuple[str, datetime | None, str | None]] = []
    for attributes, inner in _ANCHOR.findall(text):
        href = _HREF.search(attributes)
        target = next((g for g in href.groups() if g), "") if href else ""
        label = html.unescape(_TAG.sub("", inner)).strip()
        filename = label or unquote(urlsplit(html.unescape(target)).path.rsplit("/", 1)[-1])
        yanked_match = _YANKED.search(attributes)
        reason = None
        if yanked_match is not None:
            reason = html.unescape(next((g for g in yanked_match.groups() if g), "")) or "yanked"
        files.append((filename, None, reason))
    return files


def version_of(filename: str) -> str | None:
    """The version a distribution file name carries (wheel or sdist), else None."""
    try:
        if filename.endswith(".whl"):
            return str(parse_wheel_filename(filename)[1])
        return str(parse_sdist_filename(filename)[1])
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
        return _legacy_version(filename)


def _legacy_version(filename: str) -> str | None:
    for suffix in (".tar.gz", ".zip", ".tar.bz2", ".tgz", ".egg"):
        if filename.endswith(suffix):
            stem = filename[: -len(suffix)]
            _, _, version = stem.rpartition("-")
            try:
                return str(Version(version))
            except InvalidVersion:
                return None
    return None


def _sort_key(version: str) -> tuple[int, Version | str]:
    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def _prerelease(version: str) -> bool:
    try:
        return Version(version).is_prerelease
    except InvalidVersion:
        return False

"""Facts from a PyPI project document (``/pypi/<name>/json``), parsing as little as possible.

Project documents are large (botocore's is ~4 MB, pydantic-core's ~12 MB) and ~97 % of their
bytes are ``releases``: one object per file of every release. depguard needs only a few facts
from it: the versions, the earliest and latest upload times, and which versions are yanked.
So the ``releases`` object is cut out of the text and scanned with regular expressions, and only
the rest of the document (``info``, ``urls``, ``vulnerabilities``, ``ownership``) goes through
a JSON parser. The scan relies only on JSON's own guarantees (a ``"`` inside a string is always
escaped), and the result is cross-checked against the parsed rest; anything unexpected falls
back to parsing the whole document, which gives the same facts, only slower.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from depguard.model import Ecosystem, PackageInfo, ReleaseFile, Vulnerability
from depguard.timeutil import parse_timestamp

Bytes = bytes | bytearray

_RELEASES_START = re.compile(rb'"releases"\s*:\s*\{')
_RELEASES_END = re.compile(
    rb'\}\s*(?:,\s*"(?:info|last_serial|urls|vulnerabilities|ownership)"\s*:|\}\s*$)'
)
_BEFORE_URLS = re.compile(rb"\}\s*,\s*$")
_EMPTY_OBJECT = re.compile(rb"\{\s*\}")
_STRING = rb'"((?:[^"\\]|\\.)*)"'
# A version key: the first follows the opening "{", the others the "]," closing the previous
# version's file list. Literal prefixes keep the scan fast.
_FIRST_KEY = re.compile(rb"\{\s*" + _STRING + rb"\s*:\s*\[")
_NEXT_KEY_FAST = re.compile(rb'\],\s*"([^"\\]*)"\s*:\s*\[')
_NEXT_KEY = re.compile(rb"\],\s*" + _STRING + rb"\s*:\s*\[")
_UPLOAD_ISO = re.compile(rb'"upload_time_iso_8601"\s*:\s*"([^"\\]*)"')
_UPLOAD_PLAIN = re.compile(rb'"upload_time"\s*:\s*"([^"\\]*)"')
_YANKED_TRUE = re.compile(rb'"yanked"\s*:\s*true')


class DocumentError(ValueError):
    """The body is not a PyPI project document."""


@dataclass(frozen=True)
class ReleaseFacts:
    versions: tuple[str, ...]
    first_upload: datetime | None
    last_upload: datetime | None
    yanked: dict[str, str]
    recent: dict[str, datetime] = field(default_factory=dict)
    """Versions with a file uploaded within RECENT_WINDOW of the newest upload -> that time."""


RECENT_WINDOW = timedelta(days=30)
"""How far back per-version upload times are kept: enough for any cooldown (``new-release``)."""


def _recent(pairs: Iterable[tuple[str, str]], last: str | None) -> dict[str, datetime]:
    """(version, upload time) pairs -> the newest upload of each version near ``last``. ISO
    8601 times of one format order as text, so only the few recent ones are parsed."""
    newest = _timestamp(last) if last else None
    if newest is None:
        return {}
    cutoff = (newest - RECENT_WINDOW).strftime("%Y-%m-%dT%H:%M:%S")
    out: dict[str, datetime] = {}
    for version, when in pairs:
        if when[:19] < cutoff:
            continue
        moment = _timestamp(when)
        if moment is not None and (version not in out or moment > out[version]):
            out[version] = moment
    return out


def parse_project(body: Bytes, requested: str) -> PackageInfo:
    """The facts depguard keeps from a project document."""
    split = _split_releases(body)
    if split is not None:
        rest, span = split
        facts = _scan_releases(body, span)
        latest = _info(rest).get("version")
        if not isinstance(latest, str) or not latest or latest in facts.versions:
            return _build(rest, facts, requested)
    document = _loads(body)
    releases = document.get("releases")
    facts = _walk_releases(releases if isinstance(releases, Mapping) else {})
    return _build(document, facts, requested)


def parse_version_vulnerabilities(body: Bytes) -> tuple[Vulnerability, ...]:
    """Vulnerabilities from a per-version document (``/pypi/<name>/<version>/json``)."""
    return _vulnerabilities(_loads(body).get("vulnerabilities"))


def _loads(body: Bytes | str) -> dict[str, Any]:
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise DocumentError(f"invalid JSON ({_short(exc)})") from None
    if not isinstance(document, dict):
        raise DocumentError("JSON is not an object")
    if not isinstance(document.get("info"), Mapping):
        raise DocumentError("JSON has no 'info' object: not a PyPI project document")
    return document


def _split_releases(body: Bytes) -> tuple[dict[str, Any], tuple[int, int]] | None:
    """(the document with ``releases`` emptied, the span of ``releases`` in ``body``)."""
    start_match = _RELEASES_START.search(body)
    if start_match is None:
        return None
    start = start_match.end() - 1  # the "{" that opens releases
    empty = _EMPTY_OBJECT.match(body, start)
    if empty is not None:
        end = empty.end() - 1
    else:
        found = _releases_end(body, start)
        if found is None:
            return None
        end = found
    try:
        rest = _loads(body[:start] + b"{}" + body[end + 1 :])
    except DocumentError:
        return None
    return rest, (start, end + 1)


def _releases_end(body: Bytes, start: int) -> int | None:
    """Index of the "}" closing releases. Both the index and its mirrors put "urls" right after
    releases, and a quoted "urls" cannot occur inside a string value, so the last one is the
    top-level key; anything else takes the general search. The caller validates either way."""
    urls = body.rfind(b'"urls"')
    if urls > start:
        before = _BEFORE_URLS.search(body, max(start, urls - 64), urls)
        if before is not None:
            return before.start()
    match = _RELEASES_END.search(body, start + 1)
    return None if match is None else match.start()


def _scan_releases(body: Bytes, span: tuple[int, int]) -> ReleaseFacts:
    """Facts from ``body[span[0]:span[1]]``, the releases object, scanned in place."""
    start, stop = span
    first = _FIRST_KEY.match(body, start, stop)
    keys = [first] if first else []
    following = list(_NEXT_KEY_FAST.finditer(body, start, stop))
    if len(keys) + len(following) != body.count(b"[", start, stop):
        # Every version opens one "[", so a difference means a "[" inside some string or a
        # version key with an escape: take the exact path.
        following = list(_NEXT_KEY.finditer(body, start, stop))
    keys.extend(following)
    versions = tuple(_unescape(m.group(1)) for m in keys)
    starts = [m.start() for m in keys]
    found = list(_UPLOAD_ISO.finditer(body, start, stop)) or list(
        _UPLOAD_PLAIN.finditer(body, start, stop)
    )
    uploads = [m.group(1) for m in found]
    last = max(uploads) if uploads else None
    newest = _timestamp(last) if last else None
    floor = (newest - RECENT_WINDOW).strftime("%Y-%m-%d").encode() if newest is not None else b""
    recent = _recent(
        (
            (versions[index], m.group(1).decode("ascii", "replace"))
            for m in found
            if m.group(1) >= floor and (index := bisect.bisect_right(starts, m.start()) - 1) >= 0
        ),
        last.decode("ascii", "replace") if last else None,
    )
    yanked: dict[str, str] = {}
    for match in _YANKED_TRUE.finditer(body, start, stop):
        index = bisect.bisect_right(starts, match.start()) - 1
        if index < 0 or versions[index] in yanked:
            continue
        # Rare: read this one version's file list exactly, for the reason.
        opening = keys[index].end() - 1
        closing = keys[index + 1].start() + 1 if index + 1 < len(keys) else stop - 1
        try:
            files = json.loads(body[opening:closing])
        except ValueError:
            files = []
        facts = _walk_releases({versions[index]: files if isinstance(files, list) else []})
        yanked[versions[index]] = facts.yanked.get(versions[index], "")
    return ReleaseFacts(
        versions=versions,
        first_upload=_timestamp(min(uploads)) if uploads else None,
        last_upload=_timestamp(last) if last else None,
        yanked=yanked,
        recent=recent,
    )


def _walk_releases(releases: Mapping[str, Any]) -> ReleaseFacts:
    uploads: list[str] = []
    pairs: list[tuple[str, str]] = []
    yanked: dict[str, str] = {}
    for version, files in releases.items():
        for item in files if isinstance(files, list) else ():
            if not isinstance(item, Mapping):
                continue
            when = item.get("upload_time_iso_8601") or item.get("upload_time")
            if isinstance(when, str):
                uploads.append(when)
                pairs.append((str(version), when))
            if item.get("yanked") is True and version not in yanked:
                reason = item.get("yanked_reason")
                yanked[str(version)] = reason if isinstance(reason, str) else ""
    return ReleaseFacts(
        versions=tuple(str(v) for v in releases),
        first_upload=_timestamp(min(uploads)) if uploads else None,
        last_upload=_timestamp(max(uploads)) if uploads else None,
        yanked=yanked,
        recent=_recent(pairs, max(uploads) if uploads else None),
    )


def _build(document: Mapping[str, Any], facts: ReleaseFacts, requested: str) -> PackageInfo:
    info = _info(document)
    ownership = document.get("ownership")
    maintainers, source = _maintainers(info, ownership)
    organization = ownership.get("organization") if isinstance(ownership, Mapping) else None
    repository, homepage = _urls(info)
    latest = _str(info.get("version"))
    description = _str(info.get("description"))
    summary = _str(info.get("summary"))
    return PackageInfo(
        ecosystem=Ecosystem.PYPI,
        name=requested,
        exists=True,
        display_name=_str(info.get("name")),
        summary=summary,
        has_description=_meaningful(description) or _meaningful(summary),
        created=facts.first_upload,
        latest_release=facts.last_upload,
        latest_version=latest,
        releases=len(facts.versions),
        versions=facts.versions,
        recent_uploads=dict(facts.recent),
        yanked=facts.yanked,
        maintainers=maintainers,
        maintainers_source=source,
        organization=_str(organization),
        repository=repository,
        homepage=homepage,
        vulnerabilities=_vulnerabilities(document.get("vulnerabilities")),
        vulnerabilities_version=latest,
        files=_files(document.get("urls")),
        dependencies=_dependencies(info.get("requires_dist")),
        description_head=description[:DESCRIPTION_HEAD]
        if description and _meaningful(description)
        else None,
    )


DESCRIPTION_HEAD = 1000
"""Characters of the long description kept (enough to read what a placeholder declares)."""
MAX_FILES = 64
"""Files of the newest release kept (wheels for every platform run to hundreds)."""
_KINDS = {"bdist_wheel": "wheel", "sdist": "sdist"}


def _files(value: object) -> tuple[ReleaseFile, ...] | None:
    """The newest release's files (``urls``): name, size, type, URL and hash."""
    if not isinstance(value, list):
        return None
    files: list[ReleaseFile] = []
    for item in value:
        if not isinstance(item, Mapping) or not isinstance(item.get("filename"), str):
            continue
        size = item.get("size")
        digests = item.get("digests")
        sha = digests.get("sha256") if isinstance(digests, Mapping) else None
        kind = item.get("packagetype")
        files.append(
            ReleaseFile(
                filename=item["filename"],
                size=size if isinstance(size, int) and not isinstance(size, bool) else None,
                kind=_KINDS.get(kind, kind) if isinstance(kind, str) else "",
                url=_str(item.get("url")),
                sha256=sha if isinstance(sha, str) else None,
            )
        )
        if len(files) >= MAX_FILES:
            break
    return tuple(files)


def _dependencies(value: object) -> int | None:
    """Runtime requirements without an ``extra`` marker (those an install always pulls)."""
    if value is None:
        return 0
    if not isinstance(value, list):
        return None
    return sum(1 for r in value if isinstance(r, str) and "extra" not in r.partition(";")[2])


def _info(document: Mapping[str, Any]) -> Mapping[str, Any]:
    info = document.get("info")
    return info if isinstance(info, Mapping) else {}


def _maintainers(
    info: Mapping[str, Any], ownership: object
) -> tuple[tuple[str, ...] | None, str | None]:
    if isinstance(ownership, Mapping) and isinstance(ownership.get("roles"), list):
        users = []
        for role in ownership["roles"]:
            user = role.get("user") if isinstance(role, Mapping) else None
            if isinstance(user, str) and user not in users:
                users.append(user)
        if users:
            return tuple(users), "ownership"
    names: list[str] = []
    for key in ("maintainer", "author", "maintainer_email", "author_email"):
        for person in _people(info.get(key)):
            if person.lower() not in (n.lower() for n in names):
                names.append(person)
        if names and not key.endswith("_email"):
            break
    if names:
        return tuple(names), "metadata"
    return None, None


def _people(value: object) -> list[str]:
    """Names from free-text author fields ('A <a@x>, B <b@y>' or 'a@x')."""
    if not isinstance(value, str) or not value.strip():
        return []
    people = []
    for raw in re.split(r",(?![^<]*>)", value):
        part = raw.strip()
        if not part:
            continue
        name = re.sub(r"\s*<[^>]*>", "", part).strip().strip('"') or part.strip("<>")
        if name and name.upper() != "UNKNOWN":
            people.append(name)
    return people


_REPO_LABELS = (
    "source",
    "sourcecode",
    "repository",
    "code",
    "github",
    "gitlab",
    "git",
    "sourcerepository",
    "repo",
)
_REPO_HOSTS = (
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "codeberg.org",
    "sr.ht",
    "git.sr.ht",
    "salsa.debian.org",
    "sourceforge.net",
    "heptapod.net",
)


def _urls(info: Mapping[str, Any]) -> tuple[str | None, str | None]:
    project_urls = info.get("project_urls")
    labelled: list[tuple[str, str]] = []
    if isinstance(project_urls, Mapping):
        for label, url in project_urls.items():
            if isinstance(url, str) and url.startswith(("https://", "http://")):
                labelled.append((re.sub(r"[^a-z]", "", str(label).lower()), url.strip()))
    home = _str(info.get("home_page"))
    homepage = home or next((u for label, u in labelled if label in ("homepage", "home")), None)
    for label, url in labelled:
        if label in _REPO_LABELS:
            return url, homepage
    candidates = [u for _, u in labelled] + [u for u in (home, _str(info.get("download_url"))) if u]
    for url in candidates:
        host = re.sub(r"^https?://", "", url).split("/")[0].lower()
        if host.startswith("www."):
            host = host[4:]
        if host in _REPO_HOSTS and url.rstrip("/").count("/") >= 4:
            return url, homepage
    return None, homepage


def _vulnerabilities(value: object) -> tuple[Vulnerability, ...]:
    out: list[Vulnerability] = []
    for item in value if isinstance(value, list) else ():
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            continue
        if item.get("withdrawn"):
            continue
        out.append(
            Vulnerability(
                id=item["id"],
                aliases=tuple(a for a in item.get("aliases") or () if isinstance(a, str)),
                summary=_str(item.get("summary")) or _first_sentence(_str(item.get("details"))),
                fixed_in=tuple(v for v in item.get("fixed_in") or () if isinstance(v, str)),
                link=_str(item.get("link")),
            )
        )
    return tuple(out)


def _first_sentence(text: str | None) -> str | None:
    if not text:
        return None
    return text.strip().split("\n")[0][:200]


def _meaningful(text: str | None) -> bool:
    return bool(text and text.strip() and text.strip().upper() not in ("UNKNOWN", "NONE"))


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _timestamp(value: bytes | str) -> datetime | None:
    text = value.decode("ascii", "replace") if isinstance(value, bytes) else value
    return parse_timestamp(text)


def _unescape(raw: bytes) -> str:
    if b"\\" not in raw:
        return raw.decode("utf-8", "replace")
    try:
        value = json.loads(b'"' + raw + b'"')
    except ValueError:
        return raw.decode("utf-8", "replace")
    return value if isinstance(value, str) else str(value)


def _short(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__

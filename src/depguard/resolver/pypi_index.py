"""What the resolver needs from a Python package index, and nothing more.

* A project's **listing** comes from the simple API in its JSON form (PEP 691): for each
  version, the file that would be installed on the target (the best-ranked compatible wheel,
  else the sdist), its upload time, ``requires-python`` and whether it is yanked. Only that
  summary is cached (per index, target and project), never the document.
* A wheel's **dependencies** come from its separate core-metadata file (PEP 658/714,
  ``<file URL>.metadata``): ``Requires-Dist`` and ``Requires-Python``. They are cached by the
  file's sha256 (immutable), so they are read once. An sdist's dependencies cannot be known
  without building it, which depguard never does: they are reported as unknown.

Requests start ahead of need (:meth:`PyPIIndex.prefetch_listing`,
:meth:`PyPIIndex.prefetch_metadata`) and run concurrently on a :class:`Fetcher`.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote, urljoin, urlsplit

from depguard.cache import FOUND_TTL, NOT_FOUND_TTL, RETENTION, Cache
from depguard.config import Settings
from depguard.indexes import Api, Index, Indexes
from depguard.model import Ecosystem
from depguard.resolver.fetch import Fetcher
from depguard.resolver.target import Target
from depguard.sanitize import clean
from depguard.timeutil import parse_timestamp

if TYPE_CHECKING:
    from depguard.registries.http import HttpClient

SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
METADATA_LIMIT = 4 * 1024 * 1024
"""Bound on one core-metadata file (headers are read; the description may be long)."""
LISTING_SCHEMA = 1
TAIL_BYTES = 64 * 1024
"""First ranged read of a wheel: its last bytes, which usually hold the whole zip directory."""
DIRECTORY_LIMIT = 16 * 1024 * 1024


class IndexProblem(Exception):
    """The index cannot give what the resolver needs for a project (one line, for a person)."""

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing
        """True when the index says the project does not exist (404)."""


@dataclass(frozen=True)
class Release:
    """One version of a project, as it would be installed on the target."""

    version: str
    uploaded: datetime | None
    """Upload time of the file that would be installed (a file added later to an old release
    is as new as its upload)."""
    requires_python: str | None
    yanked: bool
    filename: str
    url: str
    sha256: str | None
    wheel: bool
    metadata: bool | None
    """Whether the index advertises the core-metadata file (None: it does not say)."""
    metadata_sha256: str | None = None

    def to_json(self) -> list[Any]:
        return [
            self.version,
            self.uploaded.isoformat() if self.uploaded else None,
            self.requires_python,
            self.yanked,
            self.filename,
            self.url,
            self.sha256,
            self.wheel,
            self.metadata,
            self.metadata_sha256,
        ]

    @classmethod
    def from_json(cls, row: list[Any]) -> Release:
        return cls(
            version=str(row[0]),
            uploaded=parse_timestamp(row[1]),
            requires_python=row[2],
            yanked=bool(row[3]),
            filename=str(row[4]),
            url=str(row[5]),
            sha256=row[6],
            wheel=bool(row[7]),
            metadata=row[8],
            metadata_sha256=row[9],
        )


@dataclass(frozen=True)
class Listing:
    name: str
    """Normalized project name."""
    releases: tuple[Release, ...]
    """Versions installable on the target (a compatible wheel or an sdist), in index order."""
    status: str | None = None


@dataclass(frozen=True)
class CoreMetadata:
    requires_dist: tuple[str, ...]
    requires_python: str | None


class PyPIIndex:
    """Listings and core metadata for one index and one target, cached and prefetched."""

    def __init__(
        self,
        settings: Settings,
        cache: Cache,
        target: Target,
        fetcher: Fetcher,
        *,
        now: datetime,
        indexes: Indexes | None = None,
    ) -> None:
        self.index_url = settings.index_url.rstrip("/")
        self.indexes = indexes
        self._headers: dict[str, dict[str, str] | None] = {}
        self._names: dict[str, str] = {}
        self.settings = settings
        self.cache = cache
        self.target = target
        self.fetcher = fetcher
        self.now = now
        self._listings: dict[str, Listing | IndexProblem | Future[Listing]] = {}
        self._metadata: dict[str, CoreMetadata | IndexProblem | Future[CoreMetadata]] = {}
        self._lock = threading.Lock()
        self.requests = 0

    # -- listings ---------------------------------------------------------------------------
    def serving(self, name: str) -> Index | None:
        """The index that serves ``name`` (a private one for internal names); None for an
        internal name no private index serves."""
        if self.indexes is None:
            return None
        return self.indexes.serving(Ecosystem.PYPI, name)

    def simple_url(self, name: str) -> str | None:
        index = self.serving(name)
        if index is None and self.indexes is not None:
            return None
        if index is None or index.api is not Api.SIMPLE:
            base = (index.url if index is not None else self.index_url).rstrip("/")
            return f"{base}/simple/{quote(name, safe='')}/"
        return f"{index.url.rstrip('/')}/{quote(name, safe='')}/"

    def _authorization(self, url: str, name: str) -> dict[str, str] | None:
        """Credentials of the index serving ``name``, for its own host only."""
        index = self.serving(name)
        if index is None or not index.private:
            return None
        if urlsplit(url).netloc != urlsplit(index.url).netloc:
            return None
        if index.url not in self._headers:
            from depguard.credentials import authorization

            header = authorization(index)
            self._headers[index.url] = {"Authorization": header} if header else None
        return self._headers[index.url]

    def _listing_key(self, name: str) -> str:
        where = self.simple_url(name) or f"{self.index_url}|unserved|{name}"
        return f"resolve-listing|{LISTING_SCHEMA}|{self.target.key}|{where}"

    def prefetch_listing(self, name: str) -> None:
        self._listing_entry(name)

    def listing(self, name: str) -> Listing:
        """The project's listing; raises IndexProblem when the index cannot give one."""
        return _settle(self._listings, name, self._listing_entry(name), self._lock)

    def when_listing(self, name: str, then: Callable[[Listing], None]) -> None:
        """Call ``then`` with the listing once it is here (now, if it is); not on a problem."""
        _when(self._listing_entry(name), then)

    def when_metadata(self, release: Release, then: Callable[[CoreMetadata], None]) -> None:
        """Call ``then`` with the release's metadata once it is here; not on a problem."""
        if release.wheel:
            _when(self._metadata_entry(release), then)

    def _listing_entry(self, name: str) -> Listing | IndexProblem | Future[Listing]:
        with self._lock:
            known = self._listings.get(name)
        if known is not None:
            return known
        value: Listing | IndexProblem | Future[Listing] | None = self._cached_listing(name)
        if value is None:
            if self.settings.offline:
                value = IndexProblem("offline, and the project's file list is not cached")
            else:
                value = self.fetcher.submit(lambda http: self._fetch_listing(http, name))
        with self._lock:
            return self._listings.setdefault(name, value)

    def _cached_listing(self, name: str) -> Listing | IndexProblem | None:
        if self.settings.refresh:
            return None
        entry = self.cache.get(self._listing_key(name), self.now)
        if entry is None or not (entry.fresh or self.settings.offline):
            return None
        value = entry.value
        if not isinstance(value, dict):
            return None
        try:
            if value.get("missing"):
                return IndexProblem(str(value.get("message")), missing=True)
            releases = tuple(Release.from_json(row) for row in value["releases"])
            self._names.update({r.url: name for r in releases})
            return Listing(name, releases, value.get("status"))
        except (KeyError, TypeError, ValueError, IndexError):
            return None  # a damaged entry is a miss

    async def _fetch_listing(self, http: HttpClient, name: str) -> Listing:
        from depguard.registries.http import RegistryError

        url = self.simple_url(name)
        if url is None:
            raise IndexProblem(
                "an internal name that no private index serves (it is never asked of the "
                "public index)",
                missing=True,
            )
        self.requests += 1
        try:
            response = await http.get(
                url,
                max_bytes=self.settings.max_pypi_bytes,
                accept=SIMPLE_JSON,
                headers=self._authorization(url, name),
            )
        except RegistryError as exc:
            raise IndexProblem(f"the index could not be asked: {exc}") from None
        if response.status in (404, 410):
            message = "the index has no such project"
            self.cache.set(
                self._listing_key(name), {"missing": True, "message": message}, NOT_FOUND_TTL
            )
            raise IndexProblem(message, missing=True)
        if response.status != 200:
            raise IndexProblem(f"HTTP {response.status} from the index")
        if "json" not in response.content_type and response.body.lstrip()[:1] != b"{":
            kind = response.content_type.split(";")[0].strip() or "no content type"
            raise IndexProblem(f"the index did not answer in the JSON simple API ({kind})")
        listing = parse_listing(response.body, name, response.url, self.target)
        self._names.update({r.url: name for r in listing.releases})
        self.cache.set(
            self._listing_key(name),
            {"releases": [r.to_json() for r in listing.releases], "status": listing.status},
            FOUND_TTL,
        )
        return listing

    # -- core metadata ----------------------------------------------------------------------
    def _metadata_key(self, release: Release) -> str:
        return f"resolve-metadata|{release.sha256 or release.url}"

    def prefetch_metadata(self, release: Release) -> None:
        if release.wheel:
            self._metadata_entry(release)

    def metadata(self, release: Release) -> CoreMetadata:
        """The release's dependencies; raises IndexProblem when they cannot be known."""
        if not release.wheel:
            raise IndexProblem("only an sdist: dependencies unknown without building")
        entry = self._metadata_entry(release)
        return _settle(self._metadata, release.url, entry, self._lock)

    def _metadata_entry(
        self, release: Release
    ) -> CoreMetadata | IndexProblem | Future[CoreMetadata]:
        with self._lock:
            known = self._metadata.get(release.url)
        if known is not None:
            return known
        value: CoreMetadata | IndexProblem | Future[CoreMetadata] | None = None
        entry = self.cache.get(self._metadata_key(release), self.now)
        if entry is not None and isinstance(entry.value, dict):
            try:
                value = CoreMetadata(
                    tuple(str(r) for r in entry.value["requires_dist"]),
                    entry.value.get("requires_python"),
                )
            except (KeyError, TypeError):
                value = None
        if value is None:
            if self.settings.offline:
                value = IndexProblem("offline, and the wheel's metadata is not cached")
            else:
                value = self.fetcher.submit(lambda http: self._fetch_metadata(http, release))
        with self._lock:
            return self._metadata.setdefault(release.url, value)

    async def _fetch_metadata(self, http: HttpClient, release: Release) -> CoreMetadata:
        from depguard.registries.http import RegistryError

        if release.metadata is False:  # the index says it has none: read the wheel
            body = await self._metadata_from_wheel(http, release)
            return self._remember(release, parse_metadata(body, release))
        self.requests += 1
        try:
            response = await http.get(
                release.url + ".metadata",
                max_bytes=METADATA_LIMIT,
                headers=self._authorization(release.url, self._names.get(release.url, "")),
            )
        except RegistryError as exc:
            raise IndexProblem(f"the wheel's metadata could not be fetched: {exc}") from None
        if response.status in (404, 410):
            # Not served separately (an index without PEP 658, or a mirror that lacks the
            # file): read METADATA from the wheel itself, by ranges, as pip's lazy wheel does.
            body = await self._metadata_from_wheel(http, release)
        elif response.status != 200:
            raise IndexProblem(f"HTTP {response.status} for the wheel's metadata")
        else:
            body = bytes(response.body)
            expected = release.metadata_sha256
            if expected and hashlib.sha256(body).hexdigest() != expected:
                raise IndexProblem("the wheel's metadata does not match the hash the index gave")
        return self._remember(release, parse_metadata(body, release))

    def _remember(self, release: Release, metadata: CoreMetadata) -> CoreMetadata:
        value = {
            "requires_dist": list(metadata.requires_dist),
            "requires_python": metadata.requires_python,
        }
        self.cache.set(self._metadata_key(release), value, RETENTION)
        return metadata

    async def _metadata_from_wheel(self, http: HttpClient, release: Release) -> bytes:
        """``*.dist-info/METADATA`` read out of the wheel with HTTP range requests: the tail
        (the zip's directory), then the member. Never the whole file."""
        from depguard.data.upstream import zipdir
        from depguard.registries.http import RegistryError

        unknown = "no core metadata served, and the wheel cannot be read by ranges"

        async def ranged(spec: str, limit: int) -> tuple[bytes, int]:
            self.requests += 1
            headers = {"Range": spec}
            headers.update(self._authorization(release.url, self._names.get(release.url, "")) or {})
            response = await http.get(release.url, max_bytes=limit, headers=headers)
            if response.status != 206:
                raise IndexProblem(f"{unknown} (HTTP {response.status})")
            total = response.content_range_total
            return bytes(response.body), total if total is not None else -1

        try:
            tail, size = await ranged(f"bytes=-{TAIL_BYTES}", TAIL_BYTES)
            if size < 0:
                raise IndexProblem(f"{unknown} (no Content-Range)")
            tail_start = size - len(tail)
            directory = zipdir.locate_directory(tail, tail_start)
            if directory.offset >= tail_start:
                start = directory.offset - tail_start
                listing = tail[start : start + directory.size]
            else:
                end = directory.offset + directory.size - 1
                listing, _ = await ranged(
                    f"bytes={directory.offset}-{end}", min(directory.size, DIRECTORY_LIMIT)
                )
            members = [
                m
                for m in zipdir.parse_directory(listing)
                if m.name.count("/") == 1 and m.name.endswith(".dist-info/METADATA")
            ]
            if len(members) != 1:
                raise IndexProblem(f"{unknown} (no single .dist-info/METADATA)")
            member = members[0]
            if member.size > METADATA_LIMIT or member.compressed_size > METADATA_LIMIT:
                raise IndexProblem(f"{unknown} (METADATA larger than the bound)")
            first, last = zipdir.member_span(member)
            if first >= tail_start:
                chunk = tail[first - tail_start : last - tail_start + 1]
            else:
                chunk, _ = await ranged(f"bytes={first}-{last}", METADATA_LIMIT + 2048)
            return zipdir.member_data(member, chunk, METADATA_LIMIT)
        except zipdir.ZipError as exc:
            raise IndexProblem(f"{unknown} ({exc})") from None
        except RegistryError as exc:
            raise IndexProblem(f"the wheel's metadata could not be fetched: {exc}") from None


def parse_listing(body: bytes | bytearray, name: str, url: str, target: Target) -> Listing:
    """A PEP 691 project page reduced to what would be installed on ``target``.

    Raises IndexProblem for a page that is not one, or that is about another project.
    """
    from packaging.utils import InvalidSdistFilename, canonicalize_name, parse_sdist_filename

    try:
        document = json.loads(body)
    except ValueError:
        raise IndexProblem("the index's answer is not JSON") from None
    if not isinstance(document, Mapping):
        raise IndexProblem("the index's answer is not a project page")
    answered = document.get("name")
    if not isinstance(answered, str) or canonicalize_name(answered) != name:
        shown = clean(str(answered))[:80] if answered is not None else "no name"
        raise IndexProblem(f"the index answered for another project ({shown!r})")
    files = document.get("files")
    if not isinstance(files, list):
        raise IndexProblem("the index's project page has no file list")
    status = None
    marker = document.get("project-status")
    if isinstance(marker, Mapping) and isinstance(marker.get("status"), str):
        status = marker["status"]
    # Big projects list tens of thousands of files: each is ranked from its name with plain
    # string work, and only the file chosen for each version becomes a Release.
    best: dict[str, tuple[int, Mapping[str, Any], bool]] = {}
    names: dict[str, str] = {}
    versions: dict[str, str | None] = {}
    for item in files:
        if not isinstance(item, Mapping):
            continue
        filename = item.get("filename")
        if not isinstance(filename, str) or not isinstance(item.get("url"), str):
            continue
        if filename.endswith(".whl"):
            parts = filename[:-4].split("-")
            if len(parts) not in (5, 6):
                continue
            project_raw, version_raw = parts[0], parts[1]
            rank = _rank(parts[-3], parts[-2], parts[-1], target)
            if rank is None:
                continue
            wheel = True
        elif filename.endswith((".tar.gz", ".zip")):
            try:
                sdist_project, sdist_version = parse_sdist_filename(filename)
            except InvalidSdistFilename:
                continue
            project_raw, version_raw = sdist_project, str(sdist_version)
            rank, wheel = 1_000_000, False  # an sdist only when no wheel fits
        else:
            continue  # eggs, installers: pip does not install them
        if project_raw not in names:
            names[project_raw] = canonicalize_name(project_raw)
        if names[project_raw] != name:
            continue  # a file of another project in this listing is never installed as this one
        if version_raw not in versions:
            versions[version_raw] = _normal_version(version_raw)
        version = versions[version_raw]
        if version is None:
            continue
        current = best.get(version)
        if current is None or rank < current[0]:
            best[version] = (rank, item, wheel)
    releases = tuple(_release(v, item, wheel, url) for v, (_, item, wheel) in best.items())
    return Listing(name, releases, status)


def _rank(python: str, abi: str, platform: str, target: Target) -> int | None:
    """The best rank among a wheel's tags on ``target`` (0 best); None if none is supported."""
    priority = target.tag_priority
    best: int | None = None
    for x in python.lower().split("."):
        for y in abi.lower().split("."):
            for z in platform.lower().split("."):
                rank = priority.get(f"{x}-{y}-{z}")
                if rank is not None and (best is None or rank < best):
                    best = rank
    return best


def _normal_version(text: str) -> str | None:
    from packaging.version import InvalidVersion, Version

    try:
        return str(Version(text))
    except InvalidVersion:
        return None


def _release(version: str, item: Mapping[str, Any], wheel: bool, page_url: str) -> Release:
    hashes = item.get("hashes")
    sha256 = hashes.get("sha256") if isinstance(hashes, Mapping) else None
    advertised = item.get("core-metadata", item.get("data-dist-info-metadata"))
    metadata_sha = None
    if isinstance(advertised, Mapping):
        metadata_sha = advertised.get("sha256")
        advertised = True
    requires_python = item.get("requires-python")
    return Release(
        version=version,
        uploaded=parse_timestamp(item.get("upload-time")),
        requires_python=requires_python if isinstance(requires_python, str) else None,
        yanked=bool(item.get("yanked")),
        filename=str(item["filename"]),
        url=urljoin(page_url, str(item["url"])),
        sha256=sha256 if isinstance(sha256, str) else None,
        wheel=wheel,
        metadata=advertised if isinstance(advertised, bool) else None,
        metadata_sha256=metadata_sha if isinstance(metadata_sha, str) else None,
    )


def parse_metadata(body: bytes, release: Release) -> CoreMetadata:
    """``Requires-Dist`` and ``Requires-Python`` from a core-metadata file (its headers only).

    Raises IndexProblem when the file is about another project or version.
    """
    from email.parser import HeaderParser

    from packaging.utils import canonicalize_name, parse_wheel_filename
    from packaging.version import InvalidVersion, Version

    head, _, _ = body.partition(b"\n\n")
    text = head.replace(b"\r\n", b"\n").decode("utf-8", "replace")
    message = HeaderParser().parsestr(text)
    name = message.get("Name")
    version = message.get("Version")
    if not name or not version:
        raise IndexProblem("the wheel's metadata has no name or version")
    expected_name, expected_version, _, _ = parse_wheel_filename(release.filename)
    try:
        same_version = Version(version) == expected_version
    except InvalidVersion:
        same_version = False
    if canonicalize_name(name) != expected_name or not same_version:
        shown = clean(f"{name} {version}")[:80]
        raise IndexProblem(f"the wheel's metadata is for another project or version ({shown})")
    requires = tuple(str(r).strip() for r in message.get_all("Requires-Dist") or ())
    python = message.get("Requires-Python")
    return CoreMetadata(requires, str(python).strip() if python else None)


T = TypeVar("T")


def _when(entry: T | IndexProblem | Future[T], then: Callable[[T], None]) -> None:
    if isinstance(entry, IndexProblem):
        return
    if not isinstance(entry, Future):
        then(entry)
        return

    def done(future: Future[T]) -> None:
        if not future.cancelled() and future.exception() is None:
            then(future.result())

    entry.add_done_callback(done)


def _settle(
    store: dict[str, T | IndexProblem | Future[T]],
    key: str,
    entry: T | IndexProblem | Future[T],
    lock: threading.Lock,
) -> T:
    """The value of ``entry``, waiting for it if it is still being fetched (and remembering
    it); raises the IndexProblem it settled to."""
    if isinstance(entry, Future):
        value: T | IndexProblem
        try:
            value = entry.result()
        except IndexProblem as exc:
            value = exc
        except Exception as exc:
            value = IndexProblem(_describe(exc))
        with lock:
            store[key] = value
        entry = value
    if isinstance(entry, IndexProblem):
        raise entry
    return entry


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]

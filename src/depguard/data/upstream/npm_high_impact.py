"""npm-popular.tsv from the ``npm-high-impact`` package (Titus Wormer, MIT).

The package ships its lists as JavaScript modules (``lib/top.js``, ``lib/top-download.js``,
``lib/top-dependent.js``), each ``export const name = ['a', 'b', ...]``. They are read from the
published tarball as text, in memory, and parsed as string literals; nothing is executed and
nothing is unpacked to disk. The tarball is checked against the registry's integrity hash.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from depguard import endpoints
from depguard.data.upstream import SourceError, urls
from depguard.model import Ecosystem
from depguard.names import is_valid
from depguard.registries.http import HttpClient, RegistryError

PACKAGE = "npm-high-impact"
LISTS = {
    "top": "lib/top.js",
    "download": "lib/top-download.js",
    "dependent": "lib/top-dependent.js",
}
MAX_PACKUMENT_BYTES = 16 * 1024 * 1024
MAX_TARBALL_BYTES = 16 * 1024 * 1024
MAX_LIST_BYTES = 8 * 1024 * 1024

_ARRAY = re.compile(r"export\s+const\s+(\w+)\s*=\s*\[(.*?)\]\s*;?\s*$", re.DOTALL)
_STRING = re.compile(r"'((?:[^'\\\n]|\\.)*)'|\"((?:[^\"\\\n]|\\.)*)\"")
_SEPARATOR = re.compile(r"^[\s,]*$")


@dataclass(frozen=True)
class Lists:
    version: str
    top: list[str]
    download: set[str]
    dependent: set[str]


def string_array(source: str, where: str) -> list[str]:
    """The strings of ``export const x = ['a', "b", ...]``; anything else is an error."""
    match = _ARRAY.search(source)
    if match is None:
        raise SourceError(f"{where}: no `export const name = [...]` list")
    body = match.group(2)
    values: list[str] = []
    position = 0
    for item in _STRING.finditer(body):
        if not _SEPARATOR.match(body[position : item.start()]):
            raise SourceError(f"{where}: unexpected text in the list near item {len(values) + 1}")
        raw = item.group(1) if item.group(1) is not None else item.group(2)
        values.append(_unescape(raw))
        position = item.end()
    if not _SEPARATOR.match(body[position:]):
        raise SourceError(f"{where}: unexpected text at the end of the list")
    for value in values:
        if not is_valid(Ecosystem.NPM, value):
            raise SourceError(f"{where}: {value!r} is not an npm package name")
    return values


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    return str(json.loads('"' + raw.replace('"', '\\"').replace("\\'", "'") + '"'))


def read_tarball(body: bytes | bytearray) -> Lists:
    """The three lists and the version, from the package tarball's bytes."""
    texts: dict[str, str] = {}
    version = "unknown"
    wanted = {f"package/{path}": key for key, path in LISTS.items()}
    try:
        with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as archive:
            for info in archive:
                if not info.isfile() or info.size > MAX_LIST_BYTES:
                    continue
                if info.name in wanted or info.name == "package/package.json":
                    handle = archive.extractfile(info)
                    text = handle.read().decode("utf-8") if handle else ""
                    if info.name == "package/package.json":
                        version = str(json.loads(text).get("version") or "unknown")
                    else:
                        texts[wanted[info.name]] = text
    except (tarfile.TarError, OSError, EOFError, UnicodeDecodeError, ValueError) as exc:
        raise SourceError(f"not a readable package tarball: {exc}") from None
    missing = [LISTS[k] for k in LISTS if k not in texts]
    if missing:
        raise SourceError(f"the tarball has no {', '.join(missing)}")
    return Lists(
        version=version,
        top=string_array(texts["top"], LISTS["top"]),
        download=set(string_array(texts["download"], LISTS["download"])),
        dependent=set(string_array(texts["dependent"], LISTS["dependent"])),
    )


def render(lists: Lists, date: str) -> str:
    if len(set(lists.top)) != len(lists.top):
        raise SourceError("lib/top.js names a package twice")
    header = [
        f"# snapshot-date: {date}",
        f"# {len(lists.top)} npm packages npm counts as high-impact (>= 1,000,000 weekly "
        "downloads or",
        "# >= 500 dependents), by rank (name<TAB>rank<TAB>flags: d = top by downloads, "
        "p = top by dependents).",
        f"# Source: Titus Wormer, wooorm/npm-high-impact v{lists.version} ({date}), lib/top.js,",
        "# lib/top-download.js, lib/top-dependent.js. Licence: MIT (c) Titus Wormer.",
        "# Refresh: python -m depguard.data.refresh npm",
    ]
    rows = [
        f"{name}\t{rank}\t{'d' if name in lists.download else ''}"
        f"{'p' if name in lists.dependent else ''}"
        for rank, name in enumerate(lists.top, 1)
    ]
    return "\n".join(header + rows) + "\n"


@dataclass(frozen=True)
class Release:
    version: str
    tarball: str
    integrity: str | None
    shasum: str | None
    published: str | None


def release(packument: Mapping[str, Any], version: str | None = None) -> Release:
    """The release to read (``version``, else the ``latest`` dist-tag) from the packument."""
    tags = packument.get("dist-tags")
    chosen = version or (tags.get("latest") if isinstance(tags, Mapping) else None)
    versions = packument.get("versions")
    manifest = versions.get(chosen) if isinstance(versions, Mapping) and chosen else None
    dist = manifest.get("dist") if isinstance(manifest, Mapping) else None
    if not isinstance(dist, Mapping) or not isinstance(dist.get("tarball"), str):
        raise SourceError(f"{PACKAGE} has no tarball for version {chosen!r}")
    times = packument.get("time")
    published = times.get(chosen) if isinstance(times, Mapping) else None
    return Release(
        version=str(chosen),
        tarball=dist["tarball"],
        integrity=dist.get("integrity") if isinstance(dist.get("integrity"), str) else None,
        shasum=dist.get("shasum") if isinstance(dist.get("shasum"), str) else None,
        published=published[:10] if isinstance(published, str) else None,
    )


def verify(body: bytes | bytearray, chosen: Release) -> None:
    """Check the tarball against the registry's SRI ``integrity`` (or legacy ``shasum``)."""
    if chosen.integrity and chosen.integrity.startswith("sha512-"):
        digest = base64.b64encode(hashlib.sha512(body).digest()).decode()
        if digest != chosen.integrity[len("sha512-") :]:
            raise SourceError("tarball does not match the registry's sha512 integrity")
    elif chosen.shasum:
        if hashlib.sha1(body).hexdigest() != chosen.shasum.lower():  # noqa: S324 - npm's own
            raise SourceError("tarball does not match the registry's shasum")
    else:
        raise SourceError("the registry gives no integrity hash for the tarball")


async def fetch(
    http: HttpClient, registry: str, version: str | None
) -> tuple[Release, bytes | bytearray]:
    """The chosen release and its verified tarball, from the npm registry."""
    base = registry.rstrip("/")
    try:
        response = await http.get(
            f"{base}/{PACKAGE}", max_bytes=MAX_PACKUMENT_BYTES, accept="application/json"
        )
        if response.status != 200:
            raise SourceError(f"{PACKAGE}: HTTP {response.status} from the registry")
        try:
            packument = json.loads(response.body)
        except ValueError as exc:
            raise SourceError(f"{PACKAGE}: the registry's answer is not JSON ({exc})") from None
        chosen = release(packument if isinstance(packument, dict) else {}, version)
        url = urls.rebase(chosen.tarball, endpoints.NPM_REGISTRY, base)
        if url is None:
            raise SourceError(f"{PACKAGE}: the tarball is not on the registry ({chosen.tarball})")
        tarball = await http.get(url, max_bytes=MAX_TARBALL_BYTES)
    except RegistryError as exc:
        raise SourceError(f"{PACKAGE}: {exc}") from None
    if tarball.status != 200:
        raise SourceError(f"{PACKAGE} tarball: HTTP {tarball.status}")
    verify(tarball.body, chosen)
    return chosen, tarball.body

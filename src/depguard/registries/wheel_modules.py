"""What a distribution installs: the modules of its newest wheel, read without downloading it.

The index's simple API (PEP 691 JSON) lists a project's files with their size and SHA-256. The
newest release's wheel is a zip whose table of contents sits at its end: a ranged request for
the last bytes (sometimes one more for a large directory, and one per pkgutil-style namespace
``__init__.py``) gives every member's name, and the names give the modules
(:mod:`depguard.data.upstream.modules`, the same rules that build the bundled import-name map).
Nothing is executed or unpacked.

What a wheel holds never changes, so the result is cached by the wheel's SHA-256 for good; which
wheel is the newest is cached like other project facts (a day). Typed entry points:

* :func:`newest_wheel` picks the wheel from a PEP 691 document (pure);
* :func:`read_wheel` lists one wheel (cached by hash);
* :func:`distribution_modules` does both for many distributions, bounded and fail-soft;
* :func:`lookup_modules` is the same from synchronous code, with settings.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin

from depguard.indexes import split_userinfo
from depguard.model import Ecosystem
from depguard.names import normalize

if TYPE_CHECKING:
    from depguard.cache import Cache
    from depguard.config import Settings
    from depguard.registries.http import HttpClient

SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
MAX_SIMPLE_BYTES = 32 * 1024 * 1024
WHEEL_TTL = 10 * 365 * 24 * 3600.0
"""A wheel's contents never change (its hash names it): cached for good."""
PICK_TTL = 24 * 3600.0
CONCURRENCY = 8


@dataclass(frozen=True)
class WheelFile:
    """One wheel as the index lists it."""

    filename: str
    url: str
    size: int | None
    sha256: str


@dataclass(frozen=True)
class WheelModules:
    """The modules one wheel installs."""

    distribution: str
    """Normalized distribution name."""
    wheel: str
    """The wheel's file name."""
    sha256: str
    modules: frozenset[str]
    """Importable modules and packages; dotted when inside a namespace (``google.protobuf``)."""
    namespaces: frozenset[str]
    """Namespace packages it installs into (``google``), shared with other distributions."""

    @property
    def top_level(self) -> frozenset[str]:
        """The top-level names an ``import`` of this distribution's code starts with."""
        return frozenset(name.split(".", 1)[0] for name in self.modules | self.namespaces)

    def provides(self, module: str) -> bool:
        """True when importing ``module`` (dotted) reaches code of this wheel: the module, a
        package above it, or (inside a namespace) one of its subpackages."""
        parts = module.split(".")
        return any(".".join(parts[:depth]) in self.modules for depth in range(len(parts), 0, -1))

    def to_json(self) -> dict[str, object]:
        return {
            "distribution": self.distribution,
            "wheel": self.wheel,
            "sha256": self.sha256,
            "modules": sorted(self.modules),
            "namespaces": sorted(self.namespaces),
        }

    @staticmethod
    def from_json(value: object) -> WheelModules | None:
        if not isinstance(value, Mapping):
            return None
        modules, namespaces = value.get("modules"), value.get("namespaces")
        names = (value.get("distribution"), value.get("wheel"), value.get("sha256"))
        if not all(isinstance(n, str) for n in names):
            return None
        if not isinstance(modules, list) or not isinstance(namespaces, list):
            return None
        return WheelModules(
            str(names[0]),
            str(names[1]),
            str(names[2]),
            frozenset(str(m) for m in modules),
            frozenset(str(n) for n in namespaces),
        )


class WheelError(Exception):
    """The wheel could not be listed; one line, for a person."""


def newest_wheel(document: Mapping[str, object], base_url: str) -> WheelFile | None:
    """The wheel of the newest release that has one (yanked files and pre-releases only when
    nothing else exists), preferring a pure-Python wheel, then the first one listed."""
    from packaging.utils import InvalidWheelFilename, parse_wheel_filename
    from packaging.version import Version

    files = document.get("files")
    if not isinstance(files, list):
        return None
    best: tuple[tuple[bool, bool, Version, bool], WheelFile] | None = None
    for item in files:
        if not isinstance(item, Mapping):
            continue
        filename, url = item.get("filename"), item.get("url")
        hashes = item.get("hashes")
        if not isinstance(filename, str) or not filename.endswith(".whl"):
            continue
        if not isinstance(url, str) or not isinstance(hashes, Mapping):
            continue
        sha256 = hashes.get("sha256")
        if not isinstance(sha256, str):
            continue
        try:
            _, version, _, tags = parse_wheel_filename(filename)
        except (InvalidWheelFilename, ValueError):
            continue
        size = item.get("size")
        pure = any(tag.abi == "none" and tag.platform == "any" for tag in tags)
        yanked = bool(item.get("yanked"))
        rank = (not yanked, not version.is_prerelease, version, pure)
        if best is None or rank > best[0]:
            wheel = WheelFile(
                filename, urljoin(base_url, url), size if isinstance(size, int) else None, sha256
            )
            best = (rank, wheel)
    return best[1] if best else None


def _cache_key(sha256: str) -> str:
    return f"wheel-modules|{sha256}"


async def read_wheel(
    http: HttpClient, distribution: str, wheel: WheelFile, cache: Cache | None = None
) -> WheelModules:
    """The modules ``wheel`` installs (from the cache when this hash was read before).
    Raises WheelError when it cannot be listed."""
    if cache is not None:
        entry = cache.get(_cache_key(wheel.sha256))
        known = WheelModules.from_json(entry.value) if entry is not None else None
        if known is not None:
            return known
    from depguard.data.upstream import archives, modules

    def want(names: Sequence[str]) -> list[str]:
        return modules.namespace_candidates(modules.wheel_paths(names))

    try:
        size = wheel.size if wheel.size is not None else archives.TAIL_BYTES
        listing = await archives.wheel_listing(http, wheel.url, size, want)
    except archives.ArchiveError as exc:
        raise WheelError(f"{wheel.filename}: {exc}") from None
    paths = modules.wheel_paths(listing.members)
    declared = [
        name.removesuffix("/__init__.py").replace("/", ".")
        for name, text in listing.texts.items()
        if modules.declares_namespace(text)
    ]
    found = modules.provided(paths, declared)
    result = WheelModules(
        normalize(Ecosystem.PYPI, distribution),
        wheel.filename,
        wheel.sha256,
        found.modules,
        found.namespaces,
    )
    if cache is not None:
        cache.set(_cache_key(wheel.sha256), result.to_json(), WHEEL_TTL)
    return result


async def _pick(
    http: HttpClient, index_url: str, name: str, cache: Cache | None
) -> WheelFile | None:
    key = f"wheel-pick|{split_userinfo(index_url)[0]}|{name}"
    if cache is not None:
        entry = cache.get(key)
        if entry is not None and entry.fresh:
            value = entry.value
            if value is None:
                return None
            if isinstance(value, Mapping):
                size = value.get("size")
                return WheelFile(
                    str(value.get("filename")),
                    str(value.get("url")),
                    size if isinstance(size, int) else None,
                    str(value.get("sha256")),
                )
    import json

    from depguard.registries.http import RegistryError

    url = f"{index_url.rstrip('/')}/simple/{quote(name, safe='')}/"
    try:
        response = await http.get(url, max_bytes=MAX_SIMPLE_BYTES, accept=SIMPLE_JSON)
    except RegistryError as exc:
        raise WheelError(f"{name}: {exc}") from None
    if response.status in (404, 410):
        wheel = None
    elif response.status != 200:
        raise WheelError(f"{name}: HTTP {response.status} from the simple API")
    else:
        try:
            document = json.loads(response.body)
        except (ValueError, RecursionError):
            raise WheelError(f"{name}: the simple API did not answer JSON") from None
        if not isinstance(document, Mapping):
            raise WheelError(f"{name}: the simple API did not answer a JSON object")
        wheel = newest_wheel(document, response.url)
    if cache is not None:
        value = None if wheel is None else dataclasses.asdict(wheel)
        cache.set(key, value, PICK_TTL)
    return wheel


async def distribution_modules(
    http: HttpClient,
    index_url: str,
    names: Iterable[str],
    cache: Cache | None = None,
    *,
    concurrency: int = CONCURRENCY,
) -> dict[str, WheelModules | None]:
    """For each distribution (normalized name): what its newest wheel installs, or None when it
    has no wheel or the wheel could not be read (those are left out of judgement, never
    guessed)."""
    gate = asyncio.Semaphore(concurrency)
    wanted = sorted({normalize(Ecosystem.PYPI, name) for name in names})

    async def one(name: str) -> WheelModules | None:
        async with gate:
            try:
                wheel = await _pick(http, index_url, name, cache)
                if wheel is None:
                    return None
                return await read_wheel(http, name, wheel, cache)
            except WheelError:
                return None

    found = await asyncio.gather(*(one(name) for name in wanted))
    return dict(zip(wanted, found, strict=True))


def _known_hashes(name: str, cache: Cache, index_url: str) -> list[str]:
    """The hash of the wheel picked for ``name`` before (fresh or not)."""
    entry = cache.get(f"wheel-pick|{split_userinfo(index_url)[0]}|{name}")
    value = entry.value if entry is not None else None
    if isinstance(value, Mapping) and isinstance(value.get("sha256"), str):
        return [str(value["sha256"])]
    return []


def lookup_modules(
    names: Iterable[str], settings: Settings, cache: Cache | None = None
) -> dict[str, WheelModules | None]:
    """:func:`distribution_modules` from synchronous code, with the run's network settings
    (offline: only what the cache knows)."""
    wanted = list(names)
    if not wanted:
        return {}
    if settings.offline:
        if cache is None:
            return {}
        known: dict[str, WheelModules | None] = {}
        for name in wanted:
            for sha in _known_hashes(normalize(Ecosystem.PYPI, name), cache, settings.index_url):
                entry = cache.get(_cache_key(sha))
                found = WheelModules.from_json(entry.value) if entry is not None else None
                if found is not None:
                    known[found.distribution] = found
        return known
    from depguard.registries.http import HttpClient

    async def run() -> dict[str, WheelModules | None]:
        async with HttpClient(
            concurrency=min(settings.concurrency, 16),
            timeout=settings.timeout,
            retries=settings.retries,
            time_budget=settings.time_budget,
            ca_bundle=settings.ca_bundle,
        ) as http:
            return await distribution_modules(http, settings.index_url, wanted, cache)

    return asyncio.run(run())

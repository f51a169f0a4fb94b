"""What each popular PyPI project installs: its JSON document, then its newest file's listing.

For every project the newest release's files are taken from the JSON API (``urls``; when they
are all yanked or missing, the newest release in ``releases`` that has files). A wheel is
preferred (pure-Python first, then a Linux x86-64 build, then any), an sdist is the fallback.
Requests stay within ``concurrency`` in flight; file URLs must point at the configured file
host. Each project's outcome is appended to a JSON-lines work file as soon as it is known, so
an interrupted crawl resumes where it stopped.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

from packaging.version import InvalidVersion, Version

from depguard import endpoints
from depguard.data.upstream import modules, urls
from depguard.data.upstream.archives import ArchiveError, Listing, sdist_listing, wheel_listing
from depguard.registries.http import HttpClient, RegistryError

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
SDIST_SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".zip")


@dataclass(frozen=True)
class ProjectRecord:
    """One project's outcome. ``kind``: wheel, sdist, no-files, missing (404) or error.

    The facts are kept raw so that the map can be derived again without the network:
    ``paths`` are the file's members as installed (a wheel's, ``.data/purelib`` folded in and
    metadata left out) or as laid out in the source tree (an sdist's, under ``src/`` when it
    has one); ``declared`` the packages that declare themselves namespaces
    (``namespace_packages.txt``, ``extend_path``); ``top_level`` an sdist's ``top_level.txt``.
    """

    project: str
    name: str
    kind: str
    version: str | None = None
    file: str | None = None
    paths: tuple[str, ...] = ()
    declared: tuple[str, ...] = ()
    top_level: tuple[str, ...] | None = None
    error: str | None = None
    fetched: int = 0

    def provided(self) -> modules.Provided:
        if self.kind == "wheel":
            return modules.provided(self.paths, self.declared)
        if self.kind == "sdist":
            return modules.sdist_provided(
                list(self.paths), self.name, self.top_level, self.declared
            )
        return modules.Provided(frozenset(), frozenset())

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["paths"] = list(self.paths)
        data["declared"] = list(self.declared)
        data["top_level"] = None if self.top_level is None else list(self.top_level)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ProjectRecord:
        top_level = data.get("top_level")
        return cls(
            project=str(data["project"]),
            name=str(data["name"]),
            kind=str(data["kind"]),
            version=data.get("version"),
            file=data.get("file"),
            paths=tuple(data.get("paths") or ()),
            declared=tuple(data.get("declared") or ()),
            top_level=None if top_level is None else tuple(top_level),
            error=data.get("error"),
            fetched=int(data.get("fetched") or 0),
        )


@dataclass(frozen=True)
class CrawlOptions:
    index_url: str = endpoints.PYPI_INDEX
    files_url: str = endpoints.PYPI_FILES
    concurrency: int = 12
    timeout: float = 60.0
    work_file: Path | None = None


def choose_file(document: Mapping[str, Any]) -> tuple[str | None, Mapping[str, Any] | None]:
    """(version, file) to read: the newest release's best file, wheels before sdists."""
    info = document.get("info")
    latest = info.get("version") if isinstance(info, Mapping) else None
    best = _best_file(document.get("urls"))
    if best is not None:
        return (latest if isinstance(latest, str) else None), best
    releases = document.get("releases")
    if not isinstance(releases, Mapping):
        return None, None
    for version in sorted(releases, key=_version_key, reverse=True):
        best = _best_file(releases[version])
        if best is not None:
            return str(version), best
    return None, None


def _version_key(version: str) -> tuple[int, Version]:
    try:
        parsed = Version(version)
    except InvalidVersion:
        return (0, Version("0"))
    return (0 if parsed.is_prerelease else 1, parsed)


def _best_file(files: object) -> Mapping[str, Any] | None:
    usable = [
        f
        for f in (files if isinstance(files, list) else ())
        if isinstance(f, Mapping)
        and not f.get("yanked")
        and isinstance(f.get("url"), str)
        and isinstance(f.get("filename"), str)
    ]
    ranked = sorted(
        (f for f in usable if _file_rank(f["filename"]) is not None),
        key=lambda f: (_file_rank(f["filename"]), f["filename"]),
    )
    return ranked[0] if ranked else None


def _file_rank(filename: str) -> int | None:
    name = filename.lower()
    if name.endswith(".whl"):
        if name.endswith("-none-any.whl"):
            return 0
        if re.search(r"linux[^-]*x86_64", name):
            return 1 if "-cp3" in name else 2
        return 3
    if name.endswith(SDIST_SUFFIXES):
        return 4
    return None


def _wanted(names: Sequence[str]) -> list[str]:
    """Small members that tell namespaces apart: ``namespace_packages.txt`` and the
    ``__init__.py`` of packages that hold nothing but subpackages."""
    wanted = [n for n in names if n.endswith(".dist-info/namespace_packages.txt")]
    wanted += modules.namespace_candidates(modules.wheel_paths(names))
    return wanted


def _sdist_wanted(names: Sequence[str]) -> list[str]:
    meta = [
        n
        for n in names
        if n.endswith((".egg-info/namespace_packages.txt", ".egg-info/top_level.txt"))
        and n.count("/") <= 3
    ]
    paths, prefix = modules.sdist_paths(names)
    roots = {n.split("/", 1)[0] + "/" for n in names if "/" in n}
    root = next(iter(roots)) if len(roots) == 1 else ""
    return meta + [root + prefix + c for c in modules.namespace_candidates(paths)]


def wheel_facts(listing: Listing) -> tuple[list[str], set[str]]:
    """(install paths, declared namespaces) of a wheel's listing."""
    declared = _declared(listing.texts)
    for name, text in listing.texts.items():
        if name.endswith("/__init__.py") and modules.declares_namespace(text):
            declared.add(name[: -len("/__init__.py")].replace("/", "."))
    return modules.wheel_paths(listing.members), declared


def sdist_facts(listing: Listing) -> tuple[list[str], set[str], list[str] | None]:
    """(source paths, declared namespaces, top_level.txt names) of an sdist's listing."""
    paths, prefix = modules.sdist_paths(listing.members)
    declared = _declared(listing.texts)
    for name, text in listing.texts.items():
        if name.endswith("/__init__.py") and modules.declares_namespace(text):
            inner = name.split("/", 1)[1][len(prefix) :]
            declared.add(inner[: -len("/__init__.py")].replace("/", "."))
    top_level = None
    for name, text in sorted(listing.texts.items(), key=lambda kv: kv[0].count("/")):
        if name.endswith("/top_level.txt"):
            top_level = text.split()
            break
    return paths, declared, top_level


def _declared(texts: Mapping[str, str]) -> set[str]:
    declared: set[str] = set()
    for name, text in texts.items():
        if name.endswith("/namespace_packages.txt"):
            declared.update(line.strip() for line in text.splitlines() if line.strip())
    return declared


async def read_project(http: HttpClient, project: str, options: CrawlOptions) -> ProjectRecord:
    url = f"{options.index_url.rstrip('/')}/pypi/{quote(project, safe='')}/json"
    try:
        response = await http.get(url, max_bytes=MAX_DOCUMENT_BYTES, accept="application/json")
    except RegistryError as exc:
        return ProjectRecord(project, project, "error", error=f"JSON API: {exc}")
    if response.status == 404:
        return ProjectRecord(project, project, "missing")
    if response.status != 200:
        return ProjectRecord(project, project, "error", error=f"JSON API: HTTP {response.status}")
    try:
        document = json.loads(response.body)
    except ValueError as exc:
        return ProjectRecord(project, project, "error", error=f"JSON API: invalid JSON ({exc})")
    info = document.get("info") if isinstance(document, dict) else None
    name = info.get("name") if isinstance(info, Mapping) else None
    display = name if isinstance(name, str) and name else project
    version, chosen = choose_file(document if isinstance(document, dict) else {})
    del document, response
    if chosen is None:
        return ProjectRecord(project, display, "no-files", version=version)
    filename = str(chosen["filename"])
    file_url = urls.rebase(
        urljoin(url, str(chosen["url"])),
        endpoints.PYPI_FILES,
        options.files_url,
        also=(options.index_url,),
    )
    base = ProjectRecord(project, display, "error", version=version, file=filename)
    if file_url is None:
        return _replace(base, error="file URL is not on the file host")
    try:
        if filename.lower().endswith(".whl"):
            size = chosen.get("size")
            if not isinstance(size, int) or size <= 0:
                return _replace(base, error="wheel size unknown")
            listing = await wheel_listing(http, file_url, size, _wanted)
            paths, declared = wheel_facts(listing)
            kind, top_level = "wheel", None
        else:
            listing = await sdist_listing(http, file_url, filename, _sdist_wanted)
            paths, declared, top_level = sdist_facts(listing)
            kind = "sdist"
    except ArchiveError as exc:
        return _replace(base, error=str(exc))
    return ProjectRecord(
        project,
        display,
        kind,
        version=version,
        file=filename,
        paths=tuple(paths),
        declared=tuple(sorted(declared)),
        top_level=None if top_level is None else tuple(top_level),
        fetched=listing.fetched,
    )


def _replace(record: ProjectRecord, **changes: Any) -> ProjectRecord:
    data = {**record.to_json(), **changes}
    return ProjectRecord.from_json(data)


def load_work(path: Path | None) -> dict[str, ProjectRecord]:
    """Records of an earlier crawl; errors are left out so that they are tried again."""
    done: dict[str, ProjectRecord] = {}
    if path is None or not path.is_file():
        return done
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = ProjectRecord.from_json(json.loads(line))
        except (ValueError, KeyError, TypeError):
            continue
        if record.kind != "error":
            done[record.project] = record
        else:
            done.pop(record.project, None)
    return done


async def crawl(
    projects: Iterable[str],
    options: CrawlOptions,
    progress: Callable[[int, int], None] | None = None,
) -> list[ProjectRecord]:
    """Read every project (resuming from ``options.work_file``), in the order given."""
    order = list(dict.fromkeys(projects))
    done = load_work(options.work_file)
    todo = [p for p in order if p not in done]
    sink = options.work_file.open("a", encoding="utf-8") if options.work_file else None
    gate = asyncio.Semaphore(max(1, options.concurrency))
    finished = 0
    try:
        async with HttpClient(
            concurrency=options.concurrency,
            timeout=options.timeout,
            retries=4,
            time_budget=24 * 3600.0,
        ) as http:

            async def one(project: str) -> None:
                nonlocal finished
                async with gate:
                    record = await read_project(http, project, options)
                done[project] = record
                if sink is not None:
                    sink.write(json.dumps(record.to_json()) + "\n")
                    sink.flush()
                finished += 1
                if progress is not None:
                    progress(finished, len(todo))

            await asyncio.gather(*(one(p) for p in todo))
    finally:
        if sink is not None:
            sink.close()
    return [done[p] for p in order if p in done]


def print_progress(finished: int, total: int) -> None:
    if finished % 250 == 0 or finished == total:
        print(f"  {finished}/{total} projects read", file=sys.stderr, flush=True)

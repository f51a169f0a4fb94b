"""Facts from an npm package document (a "packument"), parsing as little as possible.

Full packuments run to tens of MB (``@types/node``'s is ~10 MB) and nearly all of it is
``versions``: one whole package.json per published version. depguard needs little from each
version: its key, whether it is deprecated, its install-time scripts and whether it carries a
provenance attestation, plus the whole manifest of the latest version. So ``versions`` is cut
out of the text and split into one slice per version at the ``},"<version>":{`` boundaries;
only the slices that mention one of those facts (and the latest version's) go through the JSON
parser, and every slice is checked to be the version its key says (``"version":"<key>"``).
Everything outside ``versions`` (``dist-tags``, ``time``, ``maintainers``, ``repository``, ...)
is parsed normally. Anything unexpected falls back to parsing the whole document, which gives
the same facts, only slower.

The same reader takes the abbreviated form (``application/vnd.npm.install-v1+json``), which
has no ``time``, ``maintainers`` or ``repository``: those facts then stay unknown (None).
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from depguard.model import Ecosystem, PackageInfo, ReleaseFile
from depguard.npm_semver import parse_version
from depguard.timeutil import parse_timestamp

INSTALL_SCRIPTS = ("preinstall", "install", "postinstall")
SECURITY_HOLDING = re.compile(r"^0\.0\.\d+-security(?:\.\d+)?$")
"""The versions npm publishes when it takes a malicious package over (``0.0.1-security``,
``0.0.2-security``, ``0.0.1-security.1``)."""
_VERSIONS_START = re.compile(r'"versions"\s*:\s*\{')
_EMPTY = re.compile(r"\{\s*\}")
_FIRST_KEY = re.compile(r'\{\s*"((?:[^"\\]|\\.)*)"\s*:\s*\{')
_NEXT_KEY = re.compile(r'\}\s*,\s*"(\d[^"\\]*)"\s*:\s*\{')
_CLOSE = re.compile(r"\s*\}")
_MARKER = re.compile(
    r'"(?:deprecated|preinstall|install|postinstall|gypfile|hasInstallScript|attestations)"'
)
_VERSION_FIELD = re.compile(r'"version"\s*:\s*"((?:[^"\\]|\\.)*)"')
_NO_README = "ERROR: No README data found!"


class DocumentError(ValueError):
    """The body is not an npm package document."""


@dataclass
class VersionFacts:
    versions: list[str] = field(default_factory=list)
    deprecated: dict[str, str] = field(default_factory=dict)
    scripts: dict[str, dict[str, str]] = field(default_factory=dict)
    attested: set[str] = field(default_factory=set)
    latest: Mapping[str, Any] = field(default_factory=dict)

    def add(self, version: str, manifest: Mapping[str, Any]) -> None:
        message = manifest.get("deprecated")
        if isinstance(message, str) and message.strip():
            self.deprecated[version] = message
        elif message is True:
            self.deprecated[version] = ""
        scripts = install_scripts(manifest)
        if scripts is not None:
            self.scripts[version] = scripts
        dist = manifest.get("dist")
        if isinstance(dist, Mapping) and isinstance(dist.get("attestations"), Mapping):
            self.attested.add(version)


def install_scripts(manifest: Mapping[str, Any]) -> dict[str, str] | None:
    """The install-time scripts of one version; ``{}`` when only ``hasInstallScript`` says so."""
    raw = manifest.get("scripts")
    scripts = raw if isinstance(raw, Mapping) else {}
    found = {k: str(scripts[k]) for k in INSTALL_SCRIPTS if isinstance(scripts.get(k), str)}
    if manifest.get("gypfile") is True and "install" not in found and "preinstall" not in found:
        found["install"] = "node-gyp rebuild"  # what npm runs for a binding.gyp
    if found:
        return found
    if manifest.get("hasInstallScript") is True:
        return {}
    return None


def parse_packument(body: bytes | bytearray, requested: str) -> PackageInfo:
    """The facts depguard keeps from a package document (full or abbreviated)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise DocumentError("not UTF-8") from None
    split = _split_versions(text)
    if split is not None:
        rest, facts, spans = split
        latest = _dist_tags(rest).get("latest")
        if latest is None or latest in spans:
            if latest is not None and not facts.latest:
                try:
                    manifest = json.loads(text[slice(*spans[latest])])
                except (ValueError, RecursionError):
                    manifest = None
                facts.latest = manifest if isinstance(manifest, Mapping) else {}
            return _build(rest, facts, requested)
    document = _loads(text)
    facts = VersionFacts()
    versions = document.get("versions")
    for key, manifest in (versions if isinstance(versions, Mapping) else {}).items():
        facts.versions.append(str(key))
        if isinstance(manifest, Mapping):
            facts.add(str(key), manifest)
    latest_key = _dist_tags(document).get("latest")
    if isinstance(versions, Mapping) and isinstance(versions.get(latest_key), Mapping):
        facts.latest = versions[latest_key]
    return _build(document, facts, requested)


def _loads(text: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        message = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise DocumentError(f"invalid JSON ({message})") from None
    if not isinstance(document, dict):
        raise DocumentError("JSON is not an object")
    if not any(k in document for k in ("name", "dist-tags", "versions", "time")):
        raise DocumentError("JSON has no name, dist-tags or versions: not an npm package document")
    return document


Spans = dict[str, tuple[int, int]]


def _split_versions(text: str) -> tuple[dict[str, Any], VersionFacts, Spans] | None:
    """(the document with ``versions`` emptied, the facts scanned from ``versions``, and where
    each version's manifest is in ``text``)."""
    start_match = _VERSIONS_START.search(text)
    if start_match is None:
        return None
    start = start_match.end() - 1
    facts = VersionFacts()
    spans: Spans = {}
    empty = _EMPTY.match(text, start)
    if empty is not None:
        end = empty.end()
    else:
        first = _FIRST_KEY.match(text, start)
        if first is None:
            return None
        # (version, offset of the "{" opening its manifest, offset of the "}" before its key)
        keys = [(_unescape(first.group(1)), first.end() - 1, -1)]
        for match in _NEXT_KEY.finditer(text, first.end()):
            if parse_version(match.group(1)) is not None:
                keys.append((match.group(1), match.end() - 1, match.start()))
        latest_hint = _latest_hint(text)
        try:
            last, last_end = json.JSONDecoder().raw_decode(text, keys[-1][1])
        except ValueError:
            return None
        close = _CLOSE.match(text, last_end)
        if close is None or not isinstance(last, Mapping):
            return None
        end = close.end()
        starts = [offset for _, offset, _ in keys]
        marked = {
            bisect.bisect_right(starts, m.start()) - 1 for m in _MARKER.finditer(text, start, end)
        }
        for index, (version, offset, _) in enumerate(keys):
            stop = keys[index + 1][2] + 1 if index + 1 < len(keys) else last_end
            if version in spans or not _names_version(text, offset, stop, version):
                return None
            spans[version] = (offset, stop)
            facts.versions.append(version)
            if index + 1 == len(keys):
                manifest: Any = last
            elif version == latest_hint or index in marked:
                try:
                    manifest = json.loads(text[offset:stop])
                except (ValueError, RecursionError):
                    return None
            else:
                continue
            if not isinstance(manifest, Mapping) or manifest.get("version") not in (None, version):
                return None
            facts.add(version, manifest)
            if version == latest_hint:
                facts.latest = manifest
    try:
        rest = json.loads(text[:start] + "{}" + text[end:])
    except (ValueError, RecursionError):
        return None
    if not isinstance(rest, dict) or not isinstance(rest.get("dist-tags", {}), Mapping):
        return None
    return rest, facts, spans


def _names_version(text: str, start: int, stop: int, version: str) -> bool:
    """A version's manifest names its own version (a cheap check that the slice is right)."""
    quoted = json.dumps(version)
    if text.find(f'"version":{quoted}', start, stop) >= 0:
        return True
    if text.find(f'"version": {quoted}', start, stop) >= 0:
        return True
    return any(_unescape(m.group(1)) == version for m in _VERSION_FIELD.finditer(text, start, stop))


def _latest_hint(text: str) -> str | None:
    """``dist-tags.latest`` read from the text (it precedes ``versions`` in practice)."""
    match = re.search(r'"dist-tags"\s*:\s*\{[^{}]*?"latest"\s*:\s*"([^"\\]*)"', text)
    return match.group(1) if match else None


def _dist_tags(document: Mapping[str, Any]) -> dict[str, str]:
    tags = document.get("dist-tags")
    if not isinstance(tags, Mapping):
        return {}
    return {str(k): v for k, v in tags.items() if isinstance(v, str)}


def _build(document: Mapping[str, Any], facts: VersionFacts, requested: str) -> PackageInfo:
    tags = _dist_tags(document)
    latest = tags.get("latest")
    manifest = facts.latest or {}
    times = document.get("time")
    full = isinstance(times, Mapping) or "maintainers" in document or "readme" in document
    if not full and facts.latest:
        full = any(k in manifest for k in ("description", "maintainers", "repository", "_id"))
    times = times if isinstance(times, Mapping) else {}
    created = _time(times.get("created"))
    latest_release = _time(times.get(latest)) if latest else None
    if latest_release is None:
        latest_release = _time(times.get("modified"))
    summary = _str(document.get("description")) or _str(manifest.get("description"))
    readme = _str(document.get("readme")) or _str(manifest.get("readme"))
    maintainers, source = _maintainers(document, manifest) if full else (None, None)
    repository = (
        repository_url(document.get("repository")) or repository_url(manifest.get("repository"))
        if full
        else None
    )
    status, reason = None, None
    if (
        latest is not None
        and SECURITY_HOLDING.match(latest)
        and ("security holding" in (summary or "").lower() or len(facts.versions) == 1)
    ):
        status = "quarantined"
        reason = "npm replaced the package with a security holding package (malicious code)"
    elif not facts.versions:
        # Every version is gone (unpublished, or removed by the registry, which is how npm
        # takes malware down): nothing can be installed, and the name may be taken again.
        status = "quarantined"
        unpublished = times.get("unpublished")
        reason = (
            "unpublished: the package has no versions left"
            if isinstance(unpublished, Mapping) or not times
            else "the package has no versions left"
        )
    return PackageInfo(
        ecosystem=Ecosystem.NPM,
        name=requested,
        exists=True,
        display_name=_str(document.get("name")),
        summary=summary,
        has_description=bool(summary and summary.strip())
        or bool(readme and readme.strip() and readme.strip() != _NO_README),
        created=created,
        latest_release=latest_release,
        latest_version=latest,
        releases=len(facts.versions),
        versions=tuple(facts.versions),
        deprecated=dict(facts.deprecated),
        maintainers=maintainers,
        maintainers_source=source,
        repository=repository,
        homepage=_str(document.get("homepage")) or _str(manifest.get("homepage")),
        status=status,
        status_reason=reason,
        install_scripts=facts.scripts.get(latest) if latest else None,
        provenance=(latest in facts.attested) if latest and latest in facts.versions else None,
        dist_tags=tags,
        version_install_scripts={k: dict(v) for k, v in facts.scripts.items()},
        document="full" if full else "abbreviated",
        files=_tarball(manifest) if facts.latest else None,
        dependencies=_dependencies(manifest) if facts.latest else None,
        description_head=readme[:1000] if readme and readme.strip() != _NO_README else None,
    )


def _tarball(manifest: Mapping[str, Any]) -> tuple[ReleaseFile, ...] | None:
    """The latest version's tarball, with its unpacked size and file count when npm gives them."""
    dist = manifest.get("dist")
    if not isinstance(dist, Mapping) or not isinstance(dist.get("tarball"), str):
        return None
    size, count = dist.get("unpackedSize"), dist.get("fileCount")
    return (
        ReleaseFile(
            filename=dist["tarball"].rsplit("/", 1)[-1],
            size=size if isinstance(size, int) and not isinstance(size, bool) else None,
            kind="tarball",
            url=dist["tarball"],
            entries=count if isinstance(count, int) and not isinstance(count, bool) else None,
        ),
    )


def _dependencies(manifest: Mapping[str, Any]) -> int | None:
    deps = manifest.get("dependencies")
    if deps is None:
        return 0
    return len(deps) if isinstance(deps, Mapping) else None


def _maintainers(
    document: Mapping[str, Any], manifest: Mapping[str, Any]
) -> tuple[tuple[str, ...] | None, str | None]:
    for value, source in (
        (document.get("maintainers"), "registry"),
        (manifest.get("maintainers"), "latest version"),
    ):
        if isinstance(value, list):
            names = []
            for person in value:
                name = person.get("name") if isinstance(person, Mapping) else person
                if isinstance(name, str):
                    name = re.sub(r"\s*[<(].*$", "", name).strip()
                    if name and name not in names:
                        names.append(name)
            if names:
                return tuple(names), source
    return None, None


_HOSTS = {"github": "github.com", "gitlab": "gitlab.com", "bitbucket": "bitbucket.org"}


def repository_url(value: object) -> str | None:
    """A browsable URL for package.json ``repository`` (object, URL or shorthand)."""
    if isinstance(value, Mapping):
        value = value.get("url")
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    shorthand = re.match(r"^(?:(github|gitlab|bitbucket):)?([\w.-]+/[\w.-]+?)(?:\.git)?$", text)
    if shorthand:
        return f"https://{_HOSTS[shorthand.group(1) or 'github']}/{shorthand.group(2)}"
    if text.startswith("gist:"):
        return f"https://gist.github.com/{text[5:]}"
    ssh = re.match(r"^(?:git\+)?(?:ssh://)?git@([^:/]+)[:/](.+?)(?:\.git)?/?$", text)
    if ssh:
        return f"https://{ssh.group(1)}/{ssh.group(2)}"
    url = re.sub(r"^git\+", "", text)
    url = re.sub(r"^git://", "https://", url)
    return re.sub(r"\.git$", "", url.rstrip("/"))


def _time(value: object) -> datetime | None:
    return parse_timestamp(value) if isinstance(value, str) and value else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    try:
        value = json.loads(f'"{raw}"')
    except ValueError:
        return raw
    return value if isinstance(value, str) else raw

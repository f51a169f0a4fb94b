"""What an npm dependency spec (the value in ``"name": "<spec>"``) asks for.

The forms follow npm-package-arg: a semver range, a dist-tag, an ``npm:`` alias of another
registry package, a git URL or hosted-git shorthand (``user/repo``, ``github:user/repo``), an
http(s) tarball, a local ``file:``/``link:`` path (or a bare relative path), the
``workspace:`` protocol of yarn and pnpm, Yarn's ``portal:`` and ``exec:`` (local) and ``patch:``
(the patched source), and ``jsr:`` (another registry). pnpm's ``catalog:`` is resolved by the
package.json reader, which knows the workspace. Nothing is fetched: this only reads the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from urllib.parse import quote, unquote

from depguard import npm_semver
from depguard.model import UrlKind


class SpecKind(str, Enum):
    RANGE = "range"
    TAG = "tag"
    ALIAS = "alias"
    GIT = "git"
    URL = "url"
    PATH = "path"
    WORKSPACE = "workspace"


@dataclass(frozen=True)
class Spec:
    kind: SpecKind
    raw: str
    range: str = ""
    """For RANGE, TAG and ALIAS: the range or tag asked of the registry."""
    target: str | None = None
    """For ALIAS: the real package name."""
    url: str | None = None
    """For GIT, URL, PATH and WORKSPACE: what is installed instead of a registry package."""

    @property
    def url_kind(self) -> UrlKind | None:
        return {
            SpecKind.GIT: UrlKind.VCS,
            SpecKind.URL: UrlKind.URL,
            SpecKind.PATH: UrlKind.PATH,
            SpecKind.WORKSPACE: UrlKind.PATH,
        }.get(self.kind)

    @property
    def exact_version(self) -> str | None:
        if self.kind in (SpecKind.RANGE, SpecKind.ALIAS):
            return npm_semver.exact_version(self.range)
        return None


class SpecError(ValueError):
    """The spec cannot be read (npm would refuse it too)."""


_HOSTED = ("github:", "gitlab:", "bitbucket:", "gist:")
_GIT_SCHEMES = ("git+ssh://", "git+https://", "git+http://", "git+file://", "git://", "git@")
_SHORTHAND = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+(?:\.git)?(?:#.*)?$")
_GIT_HOSTS = re.compile(r"^https?://(?:www\.)?(github\.com|gitlab\.com|bitbucket\.org)/", re.I)
_ALIAS = re.compile(r"^(@[^/@\s]+/[^/@\s]+|[^/@\s]+)(?:@(.*))?$", re.DOTALL)


def parse(raw: object) -> Spec:
    """Classify one spec; raises SpecError for what npm would reject."""
    if not isinstance(raw, str):
        raise SpecError(f"expected a version string, got {type(raw).__name__}")
    text = raw.strip()
    lower = text.lower()
    if lower.startswith("npm:"):
        if npm_semver.is_range(text[4:].strip()) and text[4:].strip():
            return Spec(SpecKind.RANGE, raw, range=text[4:].strip())  # Yarn: this name's range
        return _alias(raw, text[4:])
    if lower.startswith("workspace:"):
        return Spec(SpecKind.WORKSPACE, raw, url=text)
    if lower.startswith("patch:"):
        return _patch(raw, text)
    if lower.startswith("jsr:"):
        return Spec(SpecKind.URL, raw, url=text)  # another registry: nothing npm can vouch for
    if lower.startswith(("file:", "link:", "portal:", "exec:")):
        return Spec(SpecKind.PATH, raw, url=text)
    if text.startswith(("./", "../", "/", "~/", ".\\", "..\\")) or text in (".", ".."):
        return Spec(SpecKind.PATH, raw, url=text)
    if re.match(r"^[A-Za-z]:[\\/]", text):
        return Spec(SpecKind.PATH, raw, url=text)
    if lower.startswith(_GIT_SCHEMES) or lower.startswith(_HOSTED):
        return Spec(SpecKind.GIT, raw, url=text)
    if lower.startswith(("http://", "https://")):
        path = text.split("#", 1)[0].split("?", 1)[0]
        if _GIT_HOSTS.match(text) and (path.endswith(".git") or "#" in text):
            return Spec(SpecKind.GIT, raw, url=text)
        return Spec(SpecKind.URL, raw, url=text)
    if _SHORTHAND.match(text) and not npm_semver.is_range(text):
        return Spec(SpecKind.GIT, raw, url=f"github:{text}")
    if npm_semver.is_range(text):
        return Spec(SpecKind.RANGE, raw, range=text)
    if quote(text, safe="") != text or not text:
        raise SpecError(f"not a version range, tag, URL or path: {raw!r}")
    return Spec(SpecKind.TAG, raw, range=text)


def _patch(raw: str, text: str) -> Spec:
    """Yarn's ``patch:<name>@<source>#<patch file>``: the package patched is still fetched from
    its source (URL-encoded: ``patch:lodash@npm%3A4.17.21#./.yarn/patches/x.patch``), so a
    registry source is judged as that range; any other source is local."""
    descriptor = unquote(text[len("patch:") :].split("#", 1)[0].split("::", 1)[0]).strip()
    match = _ALIAS.match(descriptor)
    if match is not None and match.group(2):
        inner = match.group(2).strip()
        try:
            source: Spec | None = parse(inner)
        except SpecError:
            source = None
        if source is not None and source.kind in (SpecKind.RANGE, SpecKind.TAG, SpecKind.ALIAS):
            return Spec(source.kind, raw, range=source.range, target=source.target)
    return Spec(SpecKind.PATH, raw, url=text)


def _alias(raw: str, rest: str) -> Spec:
    match = _ALIAS.match(rest.strip())
    if match is None or not match.group(1):
        raise SpecError(f"npm: alias without a package name: {raw!r}")
    target, inner = match.group(1), (match.group(2) or "").strip()
    if inner and not npm_semver.is_range(inner) and quote(inner, safe="") != inner:
        raise SpecError(f"npm: alias with an unreadable version: {raw!r}")
    return Spec(SpecKind.ALIAS, raw, range=inner, target=target)

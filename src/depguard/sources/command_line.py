"""Package names typed on a command line: ``depguard review``, the install wrappers, approvals.

PyPI arguments are PEP 508 requirements (``name``, ``name==1.2``, ``name[extra]>=1``,
``name @ URL``) or direct references (a URL, VCS link, archive or local path); npm arguments are
``name``, ``name@1.2``, ``@scope/name@^1``, ``alias@npm:name@1`` or direct references (git,
GitHub shorthand, tarball URL, local path). Nothing here touches the network or the disk
beyond asking whether a path exists.
"""

from __future__ import annotations

import re

from depguard.model import Dependency, Ecosystem, Location, NamedIn, UrlKind
from depguard.names import is_valid, normalize
from depguard.sources import SourceResult

LABEL = "<command line>"

_VCS = re.compile(r"^(git|hg|svn|bzr)\+", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_ARCHIVE = (".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2", ".tar.xz", ".tar")
_NPM_DIRECT = re.compile(
    r"^(git\+|git:|github:|gitlab:|bitbucket:|gist:|file:|https?://)", re.IGNORECASE
)
_NPM_SHORTHAND = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+(#.*)?$")
_EXACT_SEMVER = re.compile(r"^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$")


def parse(
    arguments: list[str], ecosystem: Ecosystem, *, named_in: NamedIn = NamedIn.COMMAND_LINE
) -> SourceResult:
    """Every argument as a dependency; a bad one is an input error (never dropped)."""
    result = SourceResult()
    for argument in arguments:
        if ecosystem is Ecosystem.PYPI:
            result.extend(pypi_argument(argument, named_in=named_in))
        else:
            result.extend(npm_argument(argument, named_in=named_in))
    return result


def pypi_argument(
    argument: str, *, editable: bool = False, named_in: NamedIn = NamedIn.COMMAND_LINE
) -> SourceResult:

    result = SourceResult()
    text = argument.strip()
    if _unsafe(argument) or not text:
        result.error(LABEL, None, f"{argument!r} is not a package name or requirement")
        return result
    location = Location(LABEL)
    if not editable and not _looks_direct(text):
        from dataclasses import replace

        from depguard.sources.pyproject import pep508_dependency

        made = pep508_dependency(text, location, named_in)
        if isinstance(made, str):
            result.error(LABEL, None, f"{text!r} is not a valid requirement: {made}", text)
        else:
            result.dependencies.append(replace(made, detail=text))
        return result
    egg = re.search(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)", text)
    name = egg.group(1) if egg else text
    result.dependencies.append(
        Dependency(
            ecosystem=Ecosystem.PYPI,
            name=name,
            normalized=normalize(Ecosystem.PYPI, name) if egg else f"url:{text}",
            location=location,
            named_in=named_in,
            url=text,
            url_kind=_url_kind(text),
            editable=editable,
            detail=f"-e {text}" if editable else text,
        )
    )
    return result


def npm_argument(argument: str, *, named_in: NamedIn = NamedIn.COMMAND_LINE) -> SourceResult:
    result = SourceResult()
    text = argument.strip()
    location = Location(LABEL)
    if _unsafe(argument) or not text:
        result.error(LABEL, None, f"{argument!r} is not a package name or spec")
        return result
    if (
        _NPM_DIRECT.match(text)
        or text.startswith((".", "/", "~"))
        or text.lower().endswith((".tgz", ".tar.gz", ".tar"))
        or (not text.startswith("@") and _NPM_SHORTHAND.match(text))
    ):
        kind = UrlKind.VCS if re.match(r"^(git|github|gitlab|bitbucket|gist)", text) else None
        if kind is None:
            kind = UrlKind.URL if _SCHEME.match(text) else UrlKind.PATH
        if _NPM_SHORTHAND.match(text):
            kind = UrlKind.VCS  # user/repo is a GitHub shorthand
        result.dependencies.append(
            Dependency(
                ecosystem=Ecosystem.NPM,
                name=text,
                normalized=f"url:{text}",
                location=location,
                named_in=named_in,
                url=text,
                url_kind=kind,
                detail=text,
            )
        )
        return result
    name, spec = _split_npm(text)
    alias = None
    if spec.startswith("npm:"):
        alias = name
        name, spec = _split_npm(spec[4:])
    if not is_valid(Ecosystem.NPM, name):
        result.error(LABEL, None, f"{text!r} is not a valid npm package name")
        return result
    result.dependencies.append(
        Dependency(
            ecosystem=Ecosystem.NPM,
            name=name,
            normalized=normalize(Ecosystem.NPM, name),
            location=location,
            named_in=named_in,
            specifier=spec,
            version=spec.removeprefix("v") if _EXACT_SEMVER.match(spec) else None,
            installed_as=alias,
            detail=text,
        )
    )
    return result


def _split_npm(text: str) -> tuple[str, str]:
    at = text.find("@", 1) if text.startswith("@") else text.find("@")
    if at < 0:
        return text, ""
    return text[:at], text[at + 1 :]


def _looks_direct(text: str) -> bool:
    if re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*@\s", text):
        return False  # PEP 508 "name @ URL": a requirement that names itself
    if _SCHEME.match(text) or _VCS.match(text) or text.startswith("file:"):
        return True
    if text.startswith((".", "/", "~")) or "\\" in text:
        return True
    if text.lower().endswith(_ARCHIVE):
        return True
    return "/" in text and " @ " not in text and "@" not in text.split("/", maxsplit=1)[0]


def _url_kind(url: str) -> UrlKind:
    if _VCS.match(url):
        return UrlKind.VCS
    if url.startswith("file:") or not _SCHEME.match(url):
        return UrlKind.PATH
    return UrlKind.URL


def _unsafe(argument: str) -> bool:
    """Control characters (a newline could smuggle a second requirement) are never accepted."""
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in argument)

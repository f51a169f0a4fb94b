"""Whether a package holds anything: pure judgements over the newest release's files and the
text the package says about itself. Shared by the placeholder signal, the look-alike signal
(a maintained project is not a dormant squat) and the policy's weak-signal count.

The size bound was calibrated on real PyPI releases (2026-12, the index's project JSON):
placeholder and research packages ship wheels of 1.0-2.3 kB and sdists of 0.9-1.9 kB (an empty
``__init__.py`` plus metadata), while the smallest honest libraries without dependencies seen
ship 5.1-5.2 kB wheels (mypy-extensions, nest-asyncio, backports.weakref); 3 KiB sits between
the two with room on both sides. A tiny release that declares dependencies is a meta-package
(it installs them), never a placeholder. See benchmarks/quality/README.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from depguard.model import PackageInfo, ReleaseFile

TINY_BYTES = 3 * 1024
"""A release whose every file is smaller than this (and that declares no dependency) is empty."""
TINY_NPM_UNPACKED = 1024
"""npm: an unpacked tarball smaller than this (a package.json and little else) is empty."""

_DECLARED = re.compile(
    r"security[- ]holding package"
    r"|\bplace[- ]?holder\b(?!\s+(?:image|text|value|string|generator|api))"
    r"|\bname[- ]?(?:reservation|reserved|squat)"
    r"|\breserved?\s+(?:the\s+)?(?:name|package|namespace|placeholder|pypi|npm|for\b)"
    r"|\b(?:name|package|project)\s+(?:is\s+)?reserved\b"
    r"|\bslop[- ]?squat"
    r"|dependency hallucination|hallucinated (?:package|dependency|name)"
    r"|(?:benign|harmless|dummy|empty)\s+(?:\w+\s+){0,3}?(?:research|package|placeholder)"
    r"|security research(?:\s+placeholder|\s+purpose|\s+package|\s+only)"
    r"|(?:dependency|namespace) confusion (?:poc|proof|risk|research|attack|test)"
    r"|to (?:prevent|mitigate|avoid) (?:typo|dependency confusion|exploitation|squat|malicious)"
    r"|\bnot installable\b|\bthere is no code\b|\bno functionality\b|\bdoes nothing\b",
    re.IGNORECASE,
)


_BARE_SUMMARY = re.compile(
    r"^\s*(?:a\s+)?(?:temp(?:orary)?\s+)?(?:test|testing|placeholder|todo|tbd|wip|reserved)"
    r"(?:\s+(?:package|pkg|module|project))?\s*[.!]?\s*$",
    re.IGNORECASE,
)
"""A summary that is nothing but "test", "temp test", "placeholder"."""
_ZERO_VERSION = re.compile(r"^0(?:\.0)*(?:[.-]?(?:dev|a|alpha|pre)\.?\d*)?$")


@dataclass(frozen=True)
class Emptiness:
    """What makes a package look empty, in plain words, and whether it said so itself."""

    reason: str
    declared: bool = False
    no_files: bool = False


def declared_placeholder(info: PackageInfo) -> str | None:
    """The phrase in the summary or description start that declares a placeholder."""
    if info.summary and _BARE_SUMMARY.match(info.summary):
        return info.summary.strip()
    for text in (info.summary, info.description_head):
        if text:
            found = _DECLARED.search(text[:1000])
            if found:
                return found.group(0)
    return None


def tiny_files(info: PackageInfo) -> str | None:
    """Plain words for an empty newest release: no files, or only tiny ones and no
    dependencies. None when the release has substance or the index did not say."""
    files = info.files
    if files is None:
        return None
    if not files:
        if info.ecosystem.value == "pypi" and info.releases:
            return "the newest release has no files"
        return None
    if info.dependencies is None or info.dependencies > 0:
        return None  # a meta-package installs its dependencies
    sizes = [f.size for f in files]
    if any(s is None for s in sizes):
        return None
    largest = max(s for s in sizes if s is not None)
    if all(f.kind == "tarball" for f in files):
        entries = files[0].entries
        if largest < TINY_NPM_UNPACKED or entries == 1:
            return f"tiny tarball ({largest:,} B unpacked), no dependencies"
        return None
    if largest < TINY_BYTES:
        return f"tiny files ({_sizes(files)}), no dependencies"
    return None


def _sizes(files: tuple[ReleaseFile, ...]) -> str:
    return ", ".join(f"{f.size or 0:,} B {f.kind or 'file'}" for f in files[:3])


def emptiness(info: PackageInfo | None) -> Emptiness | None:
    if info is None or not info.exists:
        return None
    tiny = tiny_files(info)
    phrase = declared_placeholder(info)
    if phrase is not None and _history(info) and tiny is None:
        phrase = None  # a maintained project that mentions the word: its subject, not its state
    no_files = tiny is not None and tiny.endswith("no files")
    if phrase is not None:
        said = f'it says so itself ("{phrase}")'
        return Emptiness(f"{tiny}; {said}" if tiny else said, declared=True, no_files=no_files)
    if tiny is not None:
        return Emptiness(tiny, no_files=no_files)
    return None


def zero_version_only(info: PackageInfo | None) -> bool:
    """The only release is a version 0.0.0: nothing was ever released."""
    if info is None or info.releases != 1 or not info.latest_version:
        return False
    return _ZERO_VERSION.match(info.latest_version) is not None


def maintained(info: PackageInfo | None) -> bool:
    """A project with a history: a repository, at least three releases and files with
    something in them. Not a judgement of safety: a reason a name resemblance may be honest."""
    if info is None or not _history(info):
        return False
    return tiny_files(info) is None and declared_placeholder(info) is None


def _history(info: PackageInfo) -> bool:
    return info.repository is not None and (info.releases or 0) >= 3

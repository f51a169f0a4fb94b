"""pip requirements files (``requirements.txt``, ``*.in``, ``-r``/``-c`` includes, stdin).

Parsing is pip-requirements-parser's; this module follows includes itself so it can keep them
cycle-safe, depth-bounded and inside the checked tree, and so every line keeps its own file.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packaging.requirements import InvalidRequirement, Requirement

from depguard.model import Dependency, Ecosystem, Location, NamedIn, UrlKind
from depguard.names import normalize
from depguard.sources import SourceResult, display_path
from depguard.sources.indexes import requirement_option
from depguard.sources.reading import LINE_LIMIT, read_into

if TYPE_CHECKING:
    from depguard.sources.context import ReadContext

MAX_INCLUDE_DEPTH = 10
"""How deep ``-r``/``-c`` includes are followed before the include is refused."""

STDIN_LABEL = "<stdin>"


@dataclass
class IncludePolicy:
    """Where includes may lead. ``root`` is the checked tree; None means anywhere."""

    root: Path | None = None
    allow_outside: bool = False
    max_depth: int = MAX_INCLUDE_DEPTH
    visited: set[Path] = field(default_factory=set)


def parse_file(
    path: Path,
    display: str,
    policy: IncludePolicy,
    *,
    constraint: bool = False,
    depth: int = 0,
) -> SourceResult:
    """Read one requirements file and everything it includes."""
    result = SourceResult()
    resolved = _resolve(path)
    if resolved in policy.visited:
        return result
    policy.visited.add(resolved)
    text = read_into(path, display, result)
    if text is None:
        return result
    result.extend(
        parse_text(text, display, path.parent, policy, constraint=constraint, depth=depth)
    )
    return result


def parse_text(
    text: str,
    display: str,
    base_dir: Path,
    policy: IncludePolicy,
    *,
    constraint: bool = False,
    depth: int = 0,
) -> SourceResult:
    """Parse requirements text; ``display`` is the name used in locations and errors."""
    result = SourceResult()
    text = _blank_overlong_lines(text, display, result)
    named_in = NamedIn.CONSTRAINT if constraint else NamedIn.REQUIREMENT
    text, plain = _take_plain_lines(text)
    for number, requirement in plain:
        result.dependencies.append(_plain_dependency(requirement, display, number, named_in))
    parsed = _run_parser(text) if text.strip() else None
    if parsed is None:
        result.dependencies.sort(key=lambda d: d.location.line or 0)
        return result

    for req in parsed.requirements:
        dep = _dependency(req, display, named_in)
        if dep is not None:
            result.dependencies.append(dep)
        else:
            result.error(display, req.line_number, "requirement has no name", _line(req))
    for bad in parsed.invalid_lines:
        message = _first_line(str(bad.error_message or "invalid requirement line"))
        result.error(display, bad.line_number, message, _line(bad))
    for option in parsed.options:
        for key, values in option.options.items():
            requirement_option(key, values, display, option.line_number, result)
            if key in ("requirements", "constraints"):
                for target in values or ():
                    result.extend(
                        _follow(
                            str(target),
                            display,
                            option.line_number,
                            base_dir,
                            policy,
                            constraint=constraint or key == "constraints",
                            depth=depth + 1,
                        )
                    )
    result.dependencies.sort(key=lambda d: d.location.line or 0)
    return result


# A line that is nothing but a PEP 508 requirement (name, extras, specifiers, marker; no
# option, URL, path or continuation). pip-requirements-parser builds an option parser for every
# line, which costs ~150 us a line; these lines are parsed with packaging directly instead, the
# same way the library parses them (a property test holds the two equal), and everything else
# still goes to the library.
_PLAIN = re.compile(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[A-Za-z0-9._,\s-]*\])?\s*"
    r"(?:[<>=!~][^#;@\\/]*)?(?:;[^#\\@]*)?$"
)
_COMMENT = re.compile(r"(^|\s+)#.*$")  # pip's own rule for comments


def _take_plain_lines(text: str) -> tuple[str, list[tuple[int, Requirement]]]:
    """(the text with plain requirement lines blanked, those lines parsed, by line number)."""
    lines = text.splitlines()
    plain: list[tuple[int, Requirement]] = []
    continued = False
    for index, raw in enumerate(lines):
        previous_continues, continued = continued, raw.endswith("\\")
        if previous_continues or continued or "\t" in raw:
            continue
        line = _COMMENT.sub("", raw).strip()
        if not line or not _PLAIN.match(line):
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue  # the library reports it, with its own message
        plain.append((index + 1, requirement))
        lines[index] = ""
    if not plain:
        return text, plain
    return "\n".join(lines), plain


def _plain_dependency(req: Requirement, display: str, line: int, named_in: NamedIn) -> Dependency:
    return Dependency(
        ecosystem=Ecosystem.PYPI,
        name=req.name,
        normalized=normalize(Ecosystem.PYPI, req.name),
        location=Location(display, line),
        named_in=named_in,
        specifier=str(req.specifier),
        extras=tuple(sorted(req.extras)),
        marker=str(req.marker) if req.marker else None,
    )


def _follow(
    target: str,
    display: str,
    line: int | None,
    base_dir: Path,
    policy: IncludePolicy,
    *,
    constraint: bool,
    depth: int,
) -> SourceResult:
    result = SourceResult()
    kind = "-c" if constraint else "-r"
    if "://" in target and not target.startswith("file://"):
        result.error(
            display,
            line,
            f"{kind} {target}: remote includes are not fetched; check that file separately",
        )
        return result
    if "$" in target:
        result.error(display, line, f"{kind} {target}: environment variables are not expanded")
        return result
    if depth > policy.max_depth:
        result.error(
            display,
            line,
            f"{kind} {target}: includes nested deeper than {policy.max_depth} levels; not followed",
        )
        return result
    target_path = Path(target.removeprefix("file://"))
    if not target_path.is_absolute():
        target_path = base_dir / target_path
    resolved = _resolve(target_path)
    if policy.root is not None and not policy.allow_outside:
        root = _resolve(policy.root)
        if resolved != root and root not in resolved.parents:
            result.error(
                display,
                line,
                f"{kind} {target}: points outside the checked tree "
                f"({root}); not followed (use --allow-outside-includes)",
            )
            return result
    if resolved in policy.visited:
        return result  # a cycle or a file already read: its dependencies are already counted
    if not target_path.is_file():
        result.error(display, line, f"{kind} {target}: file not found")
        return result
    shown = display_path(target_path)
    return parse_file(target_path, shown, policy, constraint=constraint, depth=depth)


def _dependency(req: Any, display: str, named_in: NamedIn) -> Dependency | None:
    location = Location(display, req.line_number)
    extras = tuple(sorted(req.extras or ()))
    marker = str(req.marker) if req.marker else None
    link = getattr(req, "link", None)
    if link is not None:
        url = str(link.url if hasattr(link, "url") else link)
        if req.is_vcs_url:
            kind = UrlKind.VCS
        elif req.is_local_path and not req.is_url:
            kind = UrlKind.PATH
        else:
            kind = UrlKind.URL
        name = req.name or url
        normalized = normalize(Ecosystem.PYPI, req.name) if req.name else f"url:{url}"
        return Dependency(
            ecosystem=Ecosystem.PYPI,
            name=name,
            normalized=normalized,
            location=location,
            named_in=named_in,
            extras=extras,
            marker=marker,
            url=url,
            url_kind=kind,
            editable=bool(req.is_editable),
        )
    if not req.name:
        return None
    return Dependency(
        ecosystem=Ecosystem.PYPI,
        name=req.name,
        normalized=normalize(Ecosystem.PYPI, req.name),
        location=location,
        named_in=named_in,
        specifier=str(req.specifier or ""),
        extras=extras,
        marker=marker,
    )


def _run_parser(text: str) -> Any:
    from pip_requirements_parser import RequirementsFile

    # The parser reads files; hand it our already-validated text as UTF-8.
    with tempfile.TemporaryDirectory(prefix="depguard-") as tmp:
        tmp_file = Path(tmp) / "requirements.txt"
        tmp_file.write_text(text, encoding="utf-8")
        return RequirementsFile.from_file(str(tmp_file), include_nested=False)


def _blank_overlong_lines(text: str, display: str, result: SourceResult) -> str:
    if not any(len(line) > LINE_LIMIT for line in text.splitlines()):
        return text
    kept: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > LINE_LIMIT:
            result.error(display, number, f"line longer than {LINE_LIMIT} characters; not read")
            kept.append("")
        else:
            kept.append(line)
    return "\n".join(kept)


def _line(item: Any) -> str | None:
    line = getattr(item, "line", None)
    return str(line) if line is not None else None


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else message


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def read(path: Path, display: str, context: ReadContext) -> SourceResult:
    """The source interface (:mod:`depguard.sources.context`)."""
    return parse_file(path, display, context.includes)

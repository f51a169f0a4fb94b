"""Approvals: ``depguard approve`` / ``depguard deny`` write the team allowlist,
``depguard allowlist check`` finds its stale entries (expired, never used, duplicated)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from depguard.allowlist import Allowlist, Entry, table_spans
from depguard.errors import UsageError
from depguard.model import Dependency, Ecosystem, InputError

if TYPE_CHECKING:
    from depguard.config import Settings

_RELATIVE = re.compile(r"^\+?(\d+)\s*([dwmy])$", re.IGNORECASE)
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


Kind = Literal["allow", "deny"]


@dataclass(frozen=True)
class Decision:
    """``depguard approve`` (kind ``allow``) or ``depguard deny``, as typed on the command line."""

    kind: Kind
    argument: str
    """``NAME``, ``NAME==1.2`` (PyPI) or ``NAME@1.2`` (npm)."""
    ecosystem: Ecosystem
    reason: str
    by: str | None = None
    version: str | None = None
    expires: str | None = None
    allowlist: Path | None = None
    """The file to edit; default: the configured or conventional one."""
    force: bool = False
    """Approve a name the index cannot confirm."""


class Refused(Exception):
    """The decision cannot be recorded (a conflicting entry, a name the index does not know)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def record(
    decision: Decision, settings: Settings, say: Callable[[str], None], warn: Callable[[str], None]
) -> None:
    """Check ``decision`` and write it to the allowlist; ``say`` tells what happened, ``warn``
    what was let through (``--force``). Raises :class:`Refused` or ``UsageError``."""
    from depguard import allowlist as allowlists
    from depguard.names import normalize
    from depguard.sanitize import clean
    from depguard.sources import display_path
    from depguard.timeutil import utcnow

    kind, eco = decision.kind, decision.ecosystem
    today = utcnow().date()
    name, version = target(decision.argument, eco, decision.version)
    reason = checked_text(decision.reason, "--reason")
    by = checked_text(decision.by, "--by") if decision.by else None
    by = by or default_approver()
    expires = expiry(decision.expires, today)
    root = Path(settings.root)
    path = decision.allowlist or allowlists.write_path(root, settings.allowlist)
    known = dict.fromkeys([path, *allowlists.discover(root, settings.allowlist)])
    team = allowlists.load([p for p in known if p.is_file()])
    clash = conflict(team, kind, eco, normalize(eco, name))
    if clash is not None:
        other = "denylist" if clash.kind == "deny" else "allowlist"
        raise Refused(
            f"{name} is on the {other} in {clash.source} ({clean(clash.describe(), 200)}); "
            "remove that entry first"
        )
    if kind == "allow":
        confirm_exists(name, eco, version, settings, say, warn, force=decision.force)
    written = allowlists.write_entry(
        path, kind, entry_values(kind, name, eco, reason, by, today, version, expires)
    )
    word = "approved" if kind == "allow" else "denied"
    where = f"{display_path(written.path)}:{written.line}"
    if written.action == "added":
        say(f"{word} {name} ({eco.index_label}) in {where}")
    else:
        was = ", ".join(f"{k}={clean(v, 80)!r}" for k, v in (written.previous or {}).items())
        say(f"{word} {name} ({eco.index_label}): updated the existing entry at {where}")
        say(f"  it said: {was}")


def confirm_exists(
    name: str,
    ecosystem: Ecosystem,
    version: str | None,
    settings: Settings,
    say: Callable[[str], None],
    warn: Callable[[str], None],
    *,
    force: bool,
) -> None:
    """Ask the index (through the pipeline) that the name exists before approving it."""
    from depguard.model import LookupStatus
    from depguard.pipeline import RunOptions, judge_dependencies
    from depguard.sources import command_line

    sources = command_line.parse([name], ecosystem)
    report = judge_dependencies(sources, settings, RunOptions(paths=()))
    item = report.packages[0]
    from depguard.config import indexes_of

    served = indexes_of(settings).serving(ecosystem, item.package.normalized)
    index = served.label if served is not None and served.private else ecosystem.index_label
    status = item.lookup.status
    info = item.lookup.info
    problem = None
    if status is LookupStatus.NOT_FOUND:
        problem = f"{name} does not exist on {index}"
    elif status is not LookupStatus.FOUND:
        problem = f"could not confirm that {name} exists on {index} ({status.value})"
    elif version and info is not None and info.versions:
        problem = missing_version(name, version, info.versions, ecosystem)
    if problem is None:
        created = info.created.date().isoformat() if info and info.created else "unknown"
        releases = info.releases if info and info.releases is not None else "unknown"
        say(f"{name} exists on {index}: created {created}, {releases} releases")
        return
    if force:
        warn(f"warning: {problem}; approving anyway (--force)")
        return
    raise Refused(
        f"{problem}; refusing to approve it (an approved name that is not on the index is "
        "a squatter's opportunity). Use --force for a package the index cannot see."
    )


def missing_version(
    name: str, spec: str, published: Iterable[str], ecosystem: Ecosystem
) -> str | None:
    """Why ``spec`` cannot be approved for ``name`` when the index publishes ``published``:
    it takes none of them (None when it takes one)."""
    from depguard import versions

    known = list(published)
    if versions.matching(spec, known, ecosystem):
        return None
    pin = versions.exact(spec, ecosystem)
    if pin is not None:
        return f"{name} has no version {pin} on {ecosystem.index_label}"
    return f"no version of {name} on {ecosystem.index_label} is in {spec!r}"


def target(argument: str, ecosystem: Ecosystem, version: str | None) -> tuple[str, str | None]:
    """(name, version spec) from ``NAME``, ``NAME==1.2`` / ``NAME@1.2`` and ``--version``."""
    from depguard.sources import command_line

    parsed = command_line.parse([argument], ecosystem)
    if parsed.errors or len(parsed.dependencies) != 1:
        message = parsed.errors[0].message if parsed.errors else "not a package name"
        raise UsageError(message)
    dep: Dependency = parsed.dependencies[0]
    if dep.is_direct:
        raise UsageError(f"{argument!r} is a URL or path; approvals name index packages")
    from depguard import versions

    try:
        given = versions.checked(version, ecosystem) if version else None
        named = versions.checked(dep.specifier, ecosystem) if dep.specifier else None
    except versions.InvalidRange as exc:
        raise UsageError(str(exc)) from None
    if given and named and not _same_range(given, named, ecosystem):
        raise UsageError(f"{argument!r} and --version {version!r} disagree; give one")
    chosen = given or named
    return dep.name, chosen


def _same_range(one: str, other: str, ecosystem: Ecosystem) -> bool:
    if ecosystem is Ecosystem.PYPI:
        from packaging.specifiers import SpecifierSet

        return SpecifierSet(one) == SpecifierSet(other)
    return one.strip() == other.strip()


def expiry(text: str | None, today: dt.date) -> dt.date | None:
    """``YYYY-MM-DD`` or a span from today (``90d``, ``12w``, ``6m``, ``1y``); must be later."""
    if not text:
        return None
    match = _RELATIVE.match(text.strip())
    if match:
        day = today + dt.timedelta(days=int(match.group(1)) * _DAYS[match.group(2).lower()])
    else:
        try:
            day = dt.date.fromisoformat(text.strip())
        except ValueError:
            raise UsageError(
                f"--expires {text!r}: give a date (YYYY-MM-DD) or a span (90d, 12w, 6m, 1y)"
            ) from None
    if day <= today:
        raise UsageError(f"--expires {day.isoformat()} is not in the future")
    return day


def checked_text(value: str, what: str) -> str:
    text = value.strip()
    if not text:
        raise UsageError(f"{what} must not be empty")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise UsageError(f"{what} must be one line of printable text")
    return text


def default_approver() -> str | None:
    """Who approves, when --by is not given: git's user.name, else the login name."""
    import getpass
    import shutil
    import subprocess

    git = shutil.which("git")
    if git:
        try:
            done = subprocess.run(  # noqa: S603 - fixed argument list, no shell
                [git, "config", "user.name"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
            if done.returncode == 0 and done.stdout.strip():
                return done.stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            pass
    try:
        return getpass.getuser() or None
    except (OSError, KeyError):
        return None


def entry_values(
    kind: str,
    name: str,
    ecosystem: Ecosystem,
    reason: str,
    by: str | None,
    today: dt.date,
    version: str | None,
    expires: dt.date | None,
) -> dict[str, Any]:
    """The keys of a new entry, in the order the allowlist documents them."""
    values: dict[str, Any] = {"name": name}
    if ecosystem is not Ecosystem.PYPI:
        values["ecosystem"] = ecosystem.value
    values["reason"] = reason
    if by:
        values["approved_by" if kind == "allow" else "by"] = by
    values["date"] = today
    if version:
        values["version"] = version
    if expires:
        values["expires"] = expires
    return values


def conflict(team: Allowlist, kind: str, ecosystem: Ecosystem, normalized: str) -> Entry | None:
    """An entry of the other kind for the same package (approving a denied name, or back)."""
    other = "deny" if kind == "allow" else "allow"
    return team.find(other, ecosystem, normalized)


# -- allowlist check -----------------------------------------------------------------------------


class ProblemKind(str, Enum):
    """What is wrong with an allowlist entry."""

    EXPIRED = "expired"
    UNUSED = "unused"
    DUPLICATE = "duplicate"

    @property
    def label(self) -> str:
        return "never used" if self is ProblemKind.UNUSED else self.value


@dataclass(frozen=True)
class Problem:
    entry: Entry
    line: int | None
    kind: ProblemKind
    problem: str
    """The problem in words (``expired on 2026-01-31``)."""


@dataclass(frozen=True)
class Audit:
    """``depguard allowlist check``: the allowlist files, their problems, and the tree's input
    errors (a dependency that could not be read may be the one an entry is for)."""

    files: list[Path]
    entries: int
    problems: list[Problem]
    errors: list[InputError]

    @property
    def failed(self) -> bool:
        return bool(self.problems or self.errors)


def audit_tree(targets: Sequence[str], settings: Settings) -> Audit:
    """The allowlist of ``settings`` checked against the dependencies of ``targets``."""
    from depguard import allowlist as allowlists
    from depguard.pipeline import RunOptions, read_sources
    from depguard.timeutil import utcnow

    files = allowlists.discover(Path(settings.root), settings.allowlist)
    team = allowlists.load(files)
    sources = read_sources(RunOptions(paths=targets), settings)
    used = {(d.ecosystem, d.normalized) for d in sources.dependencies}
    problems = audit(team, used, utcnow().date())
    return Audit(files, len(team.entries), problems, list(sources.errors))


def audit(team: Allowlist, used: Iterable[tuple[Ecosystem, str]], today: dt.date) -> list[Problem]:
    """Expired entries, allow entries no dependency of the tree uses, and duplicates."""
    names = set(used)
    lines = _entry_lines(team)
    problems: list[Problem] = []
    first: dict[tuple[str, Ecosystem, str], int | None] = {}
    for entry, line in zip(team.entries, lines, strict=True):
        key = (entry.kind, entry.ecosystem, entry.normalized)
        if key in first:
            where = f"line {first[key]}" if first[key] else "an earlier entry"
            problems.append(
                Problem(
                    entry,
                    line,
                    ProblemKind.DUPLICATE,
                    f"duplicate of {where}; only the first applies",
                )
            )
            continue
        first[key] = line
        if entry.expired(today) and entry.expires is not None:
            problems.append(
                Problem(entry, line, ProblemKind.EXPIRED, f"expired on {entry.expires.isoformat()}")
            )
        elif entry.kind == "allow" and (entry.ecosystem, entry.normalized) not in names:
            problems.append(
                Problem(
                    entry,
                    line,
                    ProblemKind.UNUSED,
                    "never used: nothing in the checked tree declares or imports it",
                )
            )
    return problems


def _entry_lines(team: Allowlist) -> list[int | None]:
    """The header line of every entry, in ``team.entries`` order (files, then allow, deny)."""
    spans: dict[tuple[str, str], list[int]] = {}
    out: list[int | None] = []
    seen: dict[tuple[str, str], int] = {}
    for entry in team.entries:
        key = (entry.source, entry.kind)
        if key not in spans:
            try:
                text = Path(entry.source).read_text(encoding="utf-8-sig")
            except OSError:
                text = ""
            spans[key] = [s + 1 for s, _ in table_spans(text.splitlines(keepends=True), entry.kind)]
        index = seen.get(key, 0)
        seen[key] = index + 1
        found = spans[key]
        out.append(found[index] if index < len(found) else None)
    return out

"""Approvals: ``depguard approve`` / ``depguard deny`` write the team allowlist,
``depguard allowlist check`` finds its stale entries (expired, never used, duplicated)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from depguard.allowlist import Allowlist, Entry, table_spans
from depguard.errors import UsageError
from depguard.model import Dependency, Ecosystem

_RELATIVE = re.compile(r"^\+?(\d+)\s*([dwmy])$", re.IGNORECASE)
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


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
    spec = dep.specifier or None
    if version and spec and version != spec:
        raise UsageError(f"{argument!r} and --version {version!r} disagree; give one")
    chosen = version or spec
    if chosen and ecosystem is Ecosystem.PYPI:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        if re.fullmatch(r"[0-9][0-9A-Za-z.!+-]*", chosen):
            chosen = f"=={chosen}"  # a bare version means exactly that version
        try:
            SpecifierSet(chosen)
        except InvalidSpecifier:
            raise UsageError(f"invalid version specifier {chosen!r}") from None
    return dep.name, chosen


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


@dataclass(frozen=True)
class Problem:
    entry: Entry
    line: int | None
    problem: str

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.entry.source,
            "line": self.line,
            "kind": self.entry.kind,
            "name": self.entry.name,
            "ecosystem": self.entry.ecosystem.value,
            "problem": self.problem,
            "reason": self.entry.reason,
        }


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
            problems.append(Problem(entry, line, f"duplicate of {where}; only the first applies"))
            continue
        first[key] = line
        if entry.expired(today) and entry.expires is not None:
            problems.append(Problem(entry, line, f"expired on {entry.expires.isoformat()}"))
        elif entry.kind == "allow" and (entry.ecosystem, entry.normalized) not in names:
            problems.append(
                Problem(
                    entry, line, "never used: nothing in the checked tree declares or imports it"
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

"""The team allowlist and denylist: a reviewed TOML file committed with the code.

::

    [[allow]]
    name = "internal-utils"        # as published; compared in normalized form
    ecosystem = "pypi"             # or "npm"; default "pypi"
    reason = "Our package on the private index"
    approved_by = "alice"
    date = 2026-01-10
    version = ">=1.0,<2"           # optional: only these versions are approved
    expires = 2027-01-01           # optional: after this day the entry no longer applies

    [[deny]]
    name = "requests-secure"
    reason = "Typosquat of requests (incident 2026-03)"

Found by convention at the project root (``depguard-allowlist.toml`` or
``.depguard/allowlist.toml``), or named with ``--allowlist`` / ``allowlist = [...]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from depguard.errors import UsageError
from depguard.model import Ecosystem
from depguard.names import normalize

CONVENTIONAL_PATHS = ("depguard-allowlist.toml", ".depguard/allowlist.toml")
_KEYS = {"name", "ecosystem", "reason", "approved_by", "by", "date", "version", "expires"}


@dataclass(frozen=True)
class Entry:
    kind: str  # "allow" or "deny"
    name: str
    ecosystem: Ecosystem
    reason: str
    source: str
    approved_by: str | None = None
    date: dt.date | None = None
    version: str | None = None
    expires: dt.date | None = None

    @property
    def normalized(self) -> str:
        return normalize(self.ecosystem, self.name)

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today

    def covers(self, versions: Iterable[str]) -> bool | None:
        """Whether every given version is within ``version`` (None: cannot tell)."""
        if not self.version:
            return True
        chosen = [v for v in versions if v]
        if not chosen:
            return None
        if self.ecosystem is Ecosystem.PYPI:
            try:
                spec = SpecifierSet(self.version)
                return all(spec.contains(Version(v), prereleases=True) for v in chosen)
            except (InvalidSpecifier, InvalidVersion):
                return None
        allowed = {v.strip() for v in self.version.split("||")}
        return "*" in allowed or all(v in allowed for v in chosen)

    def describe(self) -> str:
        who = f" by {self.approved_by}" if self.approved_by else ""
        when = f" on {self.date.isoformat()}" if self.date else ""
        return f"{self.reason}{who}{when}"


@dataclass
class Allowlist:
    entries: list[Entry] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def find(self, kind: str, ecosystem: Ecosystem, normalized: str) -> Entry | None:
        for entry in self.entries:
            if (
                entry.kind == kind
                and entry.ecosystem is ecosystem
                and entry.normalized == normalized
            ):
                return entry
        return None


def discover(root: Path, configured: Iterable[str]) -> list[Path]:
    paths = [Path(p) for p in configured]
    if paths:
        return paths
    return [root / name for name in CONVENTIONAL_PATHS if (root / name).is_file()]


def load(paths: Iterable[Path]) -> Allowlist:
    allowlist = Allowlist()
    for path in paths:
        if not path.is_file():
            raise UsageError(f"allowlist not found: {path}")
        data = _read(path)
        allowlist.files.append(str(path))
        for kind in ("allow", "deny"):
            items = data.get(kind, [])
            if not isinstance(items, list):
                raise UsageError(f"{path}: [[{kind}]] must be an array of tables")
            for index, item in enumerate(items, start=1):
                allowlist.entries.append(_entry(path, kind, index, item))
        unknown = set(data) - {"allow", "deny"}
        if unknown:
            raise UsageError(
                f"{path}: unknown table(s) {', '.join(sorted(unknown))}; "
                "expected [[allow]] and [[deny]]"
            )
    return allowlist


def _read(path: Path) -> Mapping[str, Any]:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        return tomlkit.parse(path.read_text(encoding="utf-8-sig")).unwrap()
    except (OSError, UnicodeDecodeError, TOMLKitError, RecursionError) as exc:
        raise UsageError(f"{path}: cannot read allowlist: {exc}") from None


def _entry(path: Path, kind: str, index: int, item: object) -> Entry:
    where = f"{path}: [[{kind}]] entry {index}"
    if not isinstance(item, Mapping):
        raise UsageError(f"{where} must be a table")
    unknown = set(item) - _KEYS
    if unknown:
        raise UsageError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    name = item.get("name")
    reason = item.get("reason")
    if not isinstance(name, str) or not name.strip():
        raise UsageError(f"{where}: 'name' is required")
    if not isinstance(reason, str) or not reason.strip():
        raise UsageError(f"{where} ({name}): 'reason' is required")
    try:
        ecosystem = Ecosystem(str(item.get("ecosystem", "pypi")).lower())
    except ValueError:
        raise UsageError(f"{where} ({name}): ecosystem must be 'pypi' or 'npm'") from None
    version = item.get("version")
    if version is not None:
        if not isinstance(version, str):
            raise UsageError(f"{where} ({name}): 'version' must be a string")
        if ecosystem is Ecosystem.PYPI:
            try:
                SpecifierSet(version)
            except InvalidSpecifier:
                raise UsageError(
                    f"{where} ({name}): invalid version specifier {version!r}"
                ) from None
    approver = item.get("approved_by", item.get("by"))
    return Entry(
        kind=kind,
        name=name.strip(),
        ecosystem=ecosystem,
        reason=reason.strip(),
        source=str(path),
        approved_by=str(approver) if approver else None,
        date=_date(item.get("date"), where, "date"),
        version=version,
        expires=_date(item.get("expires"), where, "expires"),
    )


def _date(value: object, where: str, key: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise UsageError(f"{where}: '{key}' must be a date (YYYY-MM-DD)")

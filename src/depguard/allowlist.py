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
    public_twin = "github.com/acme/internal-utils"  # optional, internal names only: the
                                   # public package of the same name is ours (its repository
                                   # or a maintainer), not a dependency-confusion attack

    [[deny]]
    name = "requests-secure"
    reason = "Typosquat of requests (incident 2026-03)"

Found by convention at the project root (``depguard-allowlist.toml`` or
``.depguard/allowlist.toml``), or named with ``--allowlist`` / ``allowlist = [...]``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from depguard.errors import UsageError
from depguard.model import Ecosystem
from depguard.names import normalize

CONVENTIONAL_PATHS = ("depguard-allowlist.toml", ".depguard/allowlist.toml")
_KEYS = {
    "name",
    "ecosystem",
    "reason",
    "approved_by",
    "by",
    "date",
    "version",
    "expires",
    "public_twin",
}


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
    public_twin: str | None = None

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
        from depguard.versions import allows

        answers = [allows(self.version, v, self.ecosystem) for v in chosen]
        if None in answers:
            return None
        return all(answers)

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
    from depguard.tomlread import TOMLError, loads

    try:
        return loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, TOMLError) as exc:
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
        from depguard.versions import InvalidRange, checked

        try:
            checked(version, ecosystem)
        except InvalidRange as exc:
            raise UsageError(f"{where} ({name}): {exc}") from None
    approver = item.get("approved_by", item.get("by"))
    twin = item.get("public_twin")
    if twin is not None and (not isinstance(twin, str) or not twin.strip()):
        raise UsageError(f"{where} ({name}): 'public_twin' must be a repository or maintainer")
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
        public_twin=twin.strip() if isinstance(twin, str) else None,
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


# -- writing (``depguard approve`` / ``depguard deny``) --------------------------------------------

DEFAULT_FILE = CONVENTIONAL_PATHS[0]
NEW_FILE_HEADER = """\
# depguard team allowlist: reviewed decisions about dependencies, committed with the code.
# [[allow]] entries let a package pass after review; [[deny]] entries block it.
# `depguard approve NAME --reason ...` and `depguard deny NAME --reason ...` edit this file
# and keep its comments and order; `depguard allowlist check` finds stale entries.
"""
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]*?)\s*\]\]?\s*(?:#.*)?$")


@dataclass(frozen=True)
class Written:
    """What ``write_entry`` did: ``added`` or ``updated`` (``previous`` holds the old values)."""

    path: Path
    action: str
    line: int
    previous: dict[str, str] | None = None


def write_path(root: Path, configured: Iterable[str]) -> Path:
    """The allowlist file approvals go to: the configured or conventional one, else a new
    ``depguard-allowlist.toml`` at the root of the checked tree."""
    found = discover(root, configured)
    return found[0] if found else root / DEFAULT_FILE


def write_entry(path: Path, kind: str, values: Mapping[str, Any]) -> Written:
    """Add an entry to ``path``, or update the entry of the same ecosystem and name in place.

    The file is edited as text, one table at a time (tomlkit formats the values), so every
    comment, blank line and the order of the other entries stay exactly as they were. The
    result is read back with :func:`load` before it replaces the file.
    """
    import tomlkit

    original = path.read_text(encoding="utf-8-sig") if path.is_file() else NEW_FILE_HEADER
    lines = original.splitlines(keepends=True)
    ecosystem = Ecosystem(str(values.get("ecosystem", "pypi")))
    wanted = normalize(ecosystem, str(values["name"]))
    for start, end in table_spans(lines, kind):
        region = "".join(lines[start:end])
        document = tomlkit.parse(region)
        table = document[kind][0]
        eco = str(table.get("ecosystem", "pypi")).lower()
        if eco != ecosystem.value or normalize(ecosystem, str(table.get("name", ""))) != wanted:
            continue
        previous = {str(k): str(v) for k, v in table.unwrap().items()}
        for key in ("reason", "approved_by", "by", "date", "version", "expires"):
            if key in table and key not in values:
                del table[key]
        for key, value in values.items():
            if key != "name":  # the entry keeps the spelling it was written with
                table[key] = value
        text = "".join([*lines[:start], tomlkit.dumps(document), *lines[end:]])
        _replace(path, text)
        return Written(path, "updated", start + 1, previous)
    entry = tomlkit.table()
    for key, value in values.items():
        entry.add(key, value)
    tables = tomlkit.aot()
    tables.append(entry)
    rendered = tomlkit.dumps({kind: tables})
    spans = list(table_spans(lines, kind))
    at = spans[-1][1] if spans else len(lines)
    before = lines[:at]
    if before and not before[-1].endswith("\n"):
        before[-1] += "\n"
    separator = "\n" if before and before[-1].strip() else ""
    after = lines[at:]
    tail = "\n" if after and after[0].strip() else ""
    text = "".join([*before, separator, rendered, tail, *after])
    _replace(path, text)
    return Written(path, "added", len(before) + len(separator.splitlines()) + 1)


def table_spans(lines: list[str], kind: str) -> Iterator[tuple[int, int]]:
    """(start, end) line spans of every ``[[kind]]`` table; comments and blank lines just
    before the next header belong to that header, not to this table."""
    headers = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _HEADER.match(line))]
    for n, (start, name) in enumerate(headers):
        if name != kind or not lines[start].lstrip().startswith("[["):
            continue
        end = headers[n + 1][0] if n + 1 < len(headers) else len(lines)
        while end > start + 1 and (
            not lines[end - 1].strip() or lines[end - 1].lstrip()[:1] == "#"
        ):
            end -= 1
        yield start, end


def _replace(path: Path, text: str) -> None:
    """Check the new text is a valid allowlist, then swap it in atomically (same mode)."""
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        mode = path.stat().st_mode & 0o777
    else:
        umask = os.umask(0o022)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(prefix=".depguard-", suffix=".toml", dir=path.parent)
    staged = Path(temporary)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        try:
            load([staged])
        except UsageError as exc:
            raise UsageError(str(exc).replace(str(staged), str(path))) from None
        staged.chmod(mode)
        staged.replace(path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise

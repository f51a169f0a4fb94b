"""``depguard allowlist check`` as text or JSON: the entries that expired, that nothing uses, or
that repeat an earlier one, and the inputs that could not be read.

JSON: ``{"files": [...], "entries": N, "problems": [{"id": "expired" | "unused" | "duplicate",
"file", "line", "kind": "allow" | "deny", "name", "ecosystem", "problem", "reason"}],
"errors": [{"path", "line", "message"}]}``.
"""

from __future__ import annotations

import json
from pathlib import Path

from depguard.approvals import Audit, Problem
from depguard.errors import UsageError
from depguard.sanitize import clean

FORMATS = ("text", "json")


def check_format(name: str) -> None:
    if name not in FORMATS:
        raise UsageError(f"unknown format {name!r}; choose text or json")


def render(audit: Audit, format: str) -> str:
    return render_json(audit) if format == "json" else render_text(audit)


def render_json(audit: Audit) -> str:
    document = {
        "files": [str(f) for f in audit.files],
        "entries": audit.entries,
        "problems": [_problem(p) for p in audit.problems],
        "errors": [
            {"path": e.path, "line": e.line, "message": clean(e.message, 500)} for e in audit.errors
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def _problem(problem: Problem) -> dict[str, object]:
    entry = problem.entry
    return {
        "id": problem.kind.value,
        "file": entry.source,
        "line": problem.line,
        "kind": entry.kind,
        "name": entry.name,
        "ecosystem": entry.ecosystem.value,
        "problem": problem.problem,
        "reason": entry.reason,
    }


def render_text(audit: Audit) -> str:
    from depguard.sources import display_path

    lines = []
    if not audit.files:
        lines.append("no allowlist found (depguard-allowlist.toml or .depguard/allowlist.toml)")
    for problem in audit.problems:
        entry = problem.entry
        shown = display_path(Path(entry.source))
        where = f"{shown}:{problem.line}" if problem.line else shown
        lines.append(
            f"{where}: {entry.kind} {clean(entry.name, 100)} ({entry.ecosystem.value}): "
            f"{problem.problem} - {clean(entry.reason, 200)!r}"
        )
    for error in audit.errors:
        line = f":{error.line}" if error.line else ""
        lines.append(f"{clean(error.path, 200)}{line}: parse-error: {clean(error.message, 300)}")
    kinds = [p.kind.label for p in audit.problems]
    counts = ", ".join(f"{kinds.count(k)} {k}" for k in dict.fromkeys(kinds)) or "no problems"
    mark = "✗" if audit.failed else "✓"
    entries = "entry" if audit.entries == 1 else "entries"
    lines.append(f"{mark} {audit.entries} allowlist {entries} checked: {counts}")
    return "".join(line + "\n" for line in lines)

"""What an AI assistant asks of depguard: judged packages as structured data.

The MCP server (:mod:`depguard.mcp_server`) and the agent hook (:mod:`depguard.agent_hook`) are
thin transports over these three requests. Each one runs the same pipeline as the command line,
with the same configuration, allowlist and cache, bounded in names and time, and answers with
the JSON contract's objects (sanitised as every format is) plus one line a model can quote.
Nothing judged is ever installed, imported or run.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from depguard.errors import UsageError
from depguard.model import Ecosystem, JSONValue, PackageReport, Report, Verdict
from depguard.sanitize import clean

if TYPE_CHECKING:
    from depguard.config import Settings

MAX_NAMES = 200
"""Names one request may ask about."""
MAX_NAME_LENGTH = 300
"""Characters of one requested name with its specifier."""
SUMMARY_NAMES = 12
"""Packages named one by one in the summary line; the rest are counted."""


class Refused(UsageError):
    """A request depguard will not run (too many names, a path outside the tree)."""


@dataclass(frozen=True)
class Assistant:
    """The judging service an assistant talks to, for one working tree."""

    root: Path
    """The working tree: ``check_path`` answers only for paths inside it."""

    def settings(self) -> Settings:
        from depguard.config import Overrides, settings_for

        return settings_for([str(self.root)], Overrides())

    def check_packages(self, packages: Sequence[str], ecosystem: Ecosystem) -> dict[str, JSONValue]:
        """Judge names with optional specifiers (``requests>=2``, ``express@^4``)."""
        from depguard import pipeline
        from depguard.sources import command_line

        names = _names(packages)
        sources = command_line.parse(names, ecosystem)
        with _RUN:
            report = pipeline.judge_dependencies(
                sources, self.settings(), pipeline.RunOptions(paths=())
            )
        return _answer(report, brief=True)

    def review_package(self, name: str, ecosystem: Ecosystem) -> dict[str, JSONValue]:
        """The evidence of ``depguard review NAME`` (and what installing it brings in)."""
        from depguard import pipeline

        (requested,) = _names([name])
        with _RUN:
            report = pipeline.review([requested], ecosystem, self.settings(), resolve=True)
        return _answer(report, brief=False)

    def check_path(self, path: str) -> dict[str, JSONValue]:
        """``depguard check PATH`` for a manifest, lockfile or directory inside the tree."""
        from depguard import pipeline
        from depguard.config import Overrides, settings_for

        target = self.inside(path)
        with _RUN:
            settings = settings_for([str(target)], Overrides())
            report = pipeline.check(pipeline.RunOptions(paths=[str(target)]), settings)
        return _answer(report, brief=False)

    def inside(self, path: str) -> Path:
        """``path`` (relative to the tree, or absolute) if it lies inside the tree."""
        if not isinstance(path, str) or not path or "\x00" in path or len(path) > 4096:
            raise Refused("give a path inside the working tree")
        root = self.root.resolve()
        target = (root / path).resolve()
        if target != root and root not in target.parents:
            raise Refused(
                f"{clean(path, 200)} is outside the working tree ({root}); "
                "depguard only checks paths inside it"
            )
        if not target.exists():
            raise Refused(f"{clean(path, 200)} does not exist")
        return target


_RUN = threading.Lock()
"""One judging run at a time: runs share the cache and the registry's in-flight bound."""


def _names(packages: Sequence[str]) -> list[str]:
    if isinstance(packages, str) or not isinstance(packages, Sequence):
        raise Refused("packages must be a list of names")
    if not packages:
        raise Refused("give at least one package name")
    if len(packages) > MAX_NAMES:
        raise Refused(f"at most {MAX_NAMES} names a call ({len(packages)} given)")
    names: list[str] = []
    for item in packages:
        if not isinstance(item, str) or not item.strip():
            raise Refused("every package must be a non-empty name")
        if len(item) > MAX_NAME_LENGTH:
            raise Refused(f"a name is longer than {MAX_NAME_LENGTH} characters")
        names.append(item.strip())
    return names


def _answer(report: Report, *, brief: bool) -> dict[str, JSONValue]:
    from depguard.report import json as json_report

    document = json_report.document(report)
    if brief:
        document["packages"] = [
            _brief(item, full)
            for item, full in zip(report.packages, document["packages"], strict=True)
        ]
    return {"summary_line": summary(report), **document}


def _brief(item: PackageReport, full: dict[str, JSONValue]) -> dict[str, JSONValue]:
    from depguard.report.advice import look_alikes, suggestion

    alikes = look_alikes(item)
    return {
        "ecosystem": full["ecosystem"],
        "name": full["name"],
        "specifier": full["specifier"],
        "verdict": full["verdict"],
        "risk": full["risk"],
        "reason": full["reason"],
        "findings": [
            {"id": f["id"], "severity": f["severity"], "message": clean(str(f["message"]), 500)}
            for f in full["findings"]
            if not f.get("suppressed")
        ],
        "suggested_name": clean(alikes[0], 214) if alikes else None,
        "advice": suggestion(item) or None,
        "exists": full["metadata"]["exists"],
    }


def summary(report: Report) -> str:
    """One line a model can quote: the verdict of each package, blocked ones first."""
    order = {Verdict.BLOCK: 0, Verdict.WARN: 1, Verdict.ALLOW: 2}
    items = sorted(report.packages, key=lambda p: order.get(p.verdict, 3))
    parts: list[str] = []
    for item in items[:SUMMARY_NAMES]:
        text = f"{clean(item.package.name, 100)}: {item.verdict.value}"
        if item.verdict is not Verdict.ALLOW and item.reason:
            text += f" ({clean(item.reason, 160)})"
        parts.append(text)
    if len(items) > SUMMARY_NAMES:
        parts.append(f"and {len(items) - SUMMARY_NAMES} more")
    counts = (
        f"{report.count(Verdict.BLOCK)} blocked, {report.count(Verdict.WARN)} warned, "
        f"{report.count(Verdict.ALLOW)} allowed"
    )
    errors = f", {len(report.errors)} input errors" if report.errors else ""
    head = "Do not use the blocked packages. " if report.count(Verdict.BLOCK) else ""
    return f"{head}{counts}{errors}: " + "; ".join(parts) if parts else counts + errors

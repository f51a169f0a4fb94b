"""``--format markdown``: a compact pull-request comment.

Blocked packages first, then warned ones, each with where it is declared, why, and what to do;
then input errors and a one-line count of what was allowed. Everything a manifest or a registry
wrote is sanitised and escaped: no raw HTML, no links or images, no formatting, no
``@mentions`` that would notify someone (they are shown as code).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from depguard.model import PackageReport, Report, Verdict
from depguard.report.advice import active, suggestion
from depguard.sanitize import clean

MAX_LISTED = 50
"""Packages listed per section; a PR comment has a size limit (about 65,000 characters)."""

# Backslash-escape every ASCII punctuation character that can start markup in CommonMark or
# GitHub Flavored Markdown (emphasis, code, links, images, HTML, tables, strikethrough,
# headings, entities, math). Each line we write starts with our own text, so characters that
# are markup only at the start of a line (``-``, ``+``, ``=``, ``1.``) need no escape.
_MARKUP = re.compile(r"([\\`*_{}\[\]<>()#!|~&$])")
_MENTION = re.compile(r"(?<![A-Za-z0-9_.])@[A-Za-z0-9](?:[A-Za-z0-9_.\-/]*[A-Za-z0-9])?")


def text(value: object, limit: int = 300) -> str:
    """Registry or manifest text as inert Markdown: escaped, mentions defused."""
    cleaned = clean(value, limit)
    out: list[str] = []
    position = 0
    for match in _MENTION.finditer(cleaned):
        out.append(_MARKUP.sub(r"\\\1", cleaned[position : match.start()]))
        out.append(code(match.group()))
        position = match.end()
    out.append(_MARKUP.sub(r"\\\1", cleaned[position:]))
    return "".join(out)


def code(value: object, limit: int = 120) -> str:
    """An inline code span that holds any text (no markup, no mentions inside code)."""
    cleaned = clean(value, limit) or " "
    longest = max((len(run) for run in re.findall(r"`+", cleaned)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if cleaned.startswith("`") or cleaned.endswith("`") else ""
    return f"{fence}{pad}{cleaned}{pad}{fence}"


def render(report: Report) -> str:
    blocked = _sorted(p for p in report.packages if p.verdict is Verdict.BLOCK)
    warned = _sorted(p for p in report.packages if p.verdict is Verdict.WARN)
    allowed = report.count(Verdict.ALLOW)
    mark = {Verdict.BLOCK: "❌", Verdict.WARN: "⚠️", Verdict.ALLOW: "✅"}[report.worst]
    counts = f"{len(blocked)} blocked, {len(warned)} warned, {allowed} allowed"
    if report.errors:
        counts += f", {len(report.errors)} input error{'s' if len(report.errors) != 1 else ''}"
    lines = [f"### {mark} depguard: {counts}", ""]
    for title, items in (("Blocked", blocked), ("Warned", warned)):
        if not items:
            continue
        lines.append(f"**{title}**")
        lines.append("")
        lines.extend(_item(item) for item in items[:MAX_LISTED])
        if len(items) > MAX_LISTED:
            lines.append(f"- … and {len(items) - MAX_LISTED} more (see the full report)")
        lines.append("")
    if report.errors:
        lines.append("**Input errors** (the run fails; everything else was still checked)")
        lines.append("")
        for error in report.errors[:MAX_LISTED]:
            where = f"{error.path}:{error.line}" if error.line else error.path
            lines.append(f"- {code(where)}: {text(error.message)}")
        if len(report.errors) > MAX_LISTED:
            lines.append(f"- … and {len(report.errors) - MAX_LISTED} more")
        lines.append("")
    if report.notices:
        lines.extend(f"> {text(notice, 400)}" for notice in report.notices)
        lines.append("")
    if not blocked and not warned and not report.errors:
        lines.append(f"All {len(report.packages)} checked dependencies are allowed.")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _sorted(items: Iterable[PackageReport]) -> list[PackageReport]:
    return sorted(items, key=lambda p: (p.package.ecosystem.value, p.package.normalized))


def _item(item: PackageReport) -> str:
    package = item.package
    label = code(f"{package.name} {', '.join(package.specifiers)}".strip())
    where = ", ".join(code(str(loc)) for loc in package.locations[:3])
    if len(package.locations) > 3:
        where += f" (+{len(package.locations) - 3})"
    reasons = "; ".join(text(f.message, 200) for f in active(item)[:4]) or text(item.reason)
    parts = [f"- **{label}** ({package.ecosystem.index_label}, risk {item.risk})"]
    if where:
        parts[0] += f" at {where}"
    parts[0] += f": {reasons}"
    advice = suggestion(item)
    if advice:
        parts.append(f"  ↳ {text(advice, 400)}")
    info = item.lookup.info
    if info is not None and (info.summary or info.maintainers):
        said = []
        if info.summary:
            said.append(f"summary {text(info.summary, 150)}")
        if info.maintainers:
            said.append("maintainers " + ", ".join(code(m, 60) for m in info.maintainers[:5]))
        parts.append(f"  ↳ registry: {'; '.join(said)}")
    return "\n".join(parts)

"""Reading a resolution back out of a report: what each direct package brings in.

Transitive packages (``direct`` false) carry the chain that brings them in (``via``). A report
lists the direct packages in full and, of the transitive ones, only those that warn or block:
deep, popular dependencies must not drown the few that matter.
"""

from __future__ import annotations

from depguard.model import PackageReport, Report, Verdict
from depguard.sanitize import clean


def split(report: Report) -> tuple[list[PackageReport], list[PackageReport]]:
    """(direct packages, transitive ones)."""
    direct = [p for p in report.packages if p.package.direct]
    transitive = [p for p in report.packages if not p.package.direct]
    return direct, transitive


def chain(item: PackageReport) -> str:
    """``x → y → z`` for a transitive package, else its name."""
    return " → ".join(clean(n, 80) for n in (*item.package.via, item.package.name))


def resolved_version(item: PackageReport) -> str | None:
    versions = [
        d.version for d in item.package.dependencies if d.named_in.value == "resolved" and d.version
    ]
    return versions[0] if versions else None


def headlines(report: Report) -> list[str]:
    """``installing x 2.1 brings in 14 packages (13 allowed, 1 blocked: z via x → y)``."""
    direct, transitive = split(report)
    if not transitive and not any(resolved_version(d) for d in direct):
        return []
    lines = []
    for item in direct:
        version = resolved_version(item)
        if version is None:
            continue
        name = item.package.normalized
        mine = [t for t in transitive if t.package.via and t.package.via[0] == name]
        count = len(mine)
        text = (
            f"installing {clean(item.package.name, 80)} {clean(version, 40)} brings in "
            f"{count} package{'s' if count != 1 else ''}"
        )
        flagged = [t for t in mine if t.verdict is not Verdict.ALLOW]
        if flagged:
            worst = sorted(flagged, key=lambda t: -t.verdict.rank)
            shown = ", ".join(f"{t.verdict.value} {chain(t)}" for t in worst[:5])
            text += f" ({count - len(flagged)} allowed; {shown})"
        elif count:
            text += " (all allowed)"
        lines.append(text)
    return lines


def allowed_transitive(report: Report) -> list[PackageReport]:
    return [t for t in split(report)[1] if t.verdict is Verdict.ALLOW]

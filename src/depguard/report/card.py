"""``depguard review``: one card per package with the evidence a person needs before installing.

Every value is plain ``rich.text.Text`` built from sanitised text (never markup), so nothing a
registry says can style, move or hide what the terminal shows.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import TYPE_CHECKING

from depguard.model import Ecosystem, LookupStatus, PackageReport, Report, Verdict
from depguard.report.advice import active, look_alikes, suggestion
from depguard.report.text import STYLE, make_console, summary_line
from depguard.sanitize import clean
from depguard.timeutil import age_in_days, describe_age, utcnow

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

LABEL_WIDTH = 17


def render(report: Report) -> str:
    buffer = io.StringIO()
    print_cards(report, make_console(file=buffer))
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def print_cards(
    report: Report,
    console: Console,
    *,
    exit_status: int | None = None,
    fail_on: str = "block",
    now: datetime | None = None,
) -> None:
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from depguard.report import tree

    now = now or utcnow()
    for line in tree.headlines(report):
        console.print(Text(line, style="bold"))
    if tree.headlines(report):
        console.print()
    quiet = {id(p) for p in tree.allowed_transitive(report)}
    for item in report.packages:
        if id(item) in quiet:
            continue
        console.print(_title(item))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, min_width=LABEL_WIDTH - 2)
        grid.add_column(overflow="fold")
        for label, value in card_rows(item, now):
            grid.add_row(Text(label, style="dim"), Text(value))
        console.print(Padding(grid, (0, 0, 0, 2)))
        console.print()
    allowed = tree.allowed_transitive(report)
    if allowed:
        names = ", ".join(
            f"{clean(p.package.name, 60)} {tree.resolved_version(p) or ''}".strip() for p in allowed
        )
        console.print(Text(f"also brought in, all allowed ({len(allowed)}): {names}", style="dim"))
        console.print()
    for error in report.errors:
        console.print(Text(f"input error: {clean(error.message, 300)}", style=STYLE[Verdict.BLOCK]))
    for notice in report.notices:
        console.print(Text(f"note: {clean(notice, 400)}", style="dim"))
    if report.errors or report.notices:
        console.print()
    console.print(summary_line(report, exit_status, fail_on))


def _title(item: PackageReport) -> Text:
    from rich.text import Text

    package = item.package
    info = item.lookup.info
    spec = ", ".join(package.specifiers)
    title = Text(clean(package.name, 100), style="bold")
    if spec:
        title.append(f" {clean(spec, 60)}")
    elif info is not None and info.latest_version:
        title.append(f" {clean(info.latest_version, 40)}")
    title.append(f" ({package.ecosystem.index_label})  ")
    title.append(item.verdict.value.upper(), style=STYLE[item.verdict])
    title.append(f"  risk {item.risk}")
    return title


def card_rows(item: PackageReport, now: datetime) -> list[tuple[str, str]]:
    """(label, value) pairs, already sanitised: the card's content, in reading order."""
    package = item.package
    lookup = item.lookup
    info = lookup.info
    index = package.ecosystem.index_label
    rows: list[tuple[str, str]] = []
    if not package.direct and package.via:
        from depguard.report.tree import chain

        rows.append(("brought in by", chain(item)))
    if package.dependencies and all(d.is_direct for d in package.dependencies):
        rows.append(("source", f"not from {index}: {clean(package.dependencies[0].url, 200)}"))
    elif lookup.status is LookupStatus.NOT_FOUND:
        rows.append(("exists", f"NO: there is no package of this name on {index}"))
    elif lookup.status is LookupStatus.ERROR:
        rows.append(("exists", f"unknown: {index} could not be asked ({clean(lookup.error)})"))
    elif lookup.status is LookupStatus.OFFLINE:
        rows.append(("exists", f"unknown: offline and not cached ({index} not asked)"))
    elif info is not None:
        cached = " (cached)" if lookup.from_cache else ""
        rows.append(("exists", f"yes, on {index}{cached}" + (" (stale)" if lookup.stale else "")))
    if info is not None and info.exists:
        rows.extend(_metadata(item, now))
    rows.append(("downloads", _downloads(item)))
    alikes = look_alikes(item)
    rows.append(("look-alikes", ", ".join(alikes) if alikes else "none found"))
    if item.allowlisted:
        rows.append(("allowlist", clean(item.allowlisted, 300)))
    findings = active(item)
    rows.append(("verdict", f"{item.verdict.value.upper()}, risk {item.risk} of 100"))
    for n, finding in enumerate(findings):
        rows.append(
            (
                "why" if n == 0 else "",
                f"{finding.id} ({finding.severity.value}): {clean(finding.message, 300)}",
            )
        )
    if not findings:
        rows.append(("why", clean(item.reason, 300)))
    advice = suggestion(item)
    if advice:
        rows.append(("what to do", advice))
    elif item.verdict is Verdict.ALLOW:
        rows.append(("what to do", "nothing found against it; review the code as usual"))
    return rows


def _metadata(item: PackageReport, now: datetime) -> list[tuple[str, str]]:
    info = item.lookup.info
    assert info is not None
    rows: list[tuple[str, str]] = []
    if info.summary:
        rows.append(("summary", clean(info.summary, 200)))
    rows.append(("created", _when(info.created, now)))
    latest = clean(info.latest_version, 40) if info.latest_version else "unknown"
    rows.append(("latest release", f"{latest}, {_when(info.latest_release, now)}"))
    rows.append(("releases", "unknown" if info.releases is None else str(info.releases)))
    if info.maintainers is None:
        rows.append(("maintainers", "not stated by the registry"))
    else:
        shown = ", ".join(clean(m, 60) for m in info.maintainers[:8])
        more = f" (+{len(info.maintainers) - 8})" if len(info.maintainers) > 8 else ""
        count = len(info.maintainers)
        rows.append(("maintainers", f"{count}: {shown}{more}" if count else "none listed"))
    if info.organization:
        rows.append(("organization", clean(info.organization, 100)))
    rows.append(("repository", clean(info.repository, 200) or "none linked"))
    rows.append(("install scripts", _scripts(item)))
    rows.append(("vulnerabilities", _vulnerabilities(item)))
    status = clean(info.status, 40) if info.status else "no marker (active)"
    if info.status_reason:
        status += f": {clean(info.status_reason, 200)}"
    rows.append(("project status", status))
    return rows


def _when(value: datetime | None, now: datetime) -> str:
    if value is None:
        return "date unknown"
    return f"{value.date().isoformat()} ({describe_age(age_in_days(value, now))} ago)"


def _downloads(item: PackageReport) -> str:
    downloads = item.downloads
    source = clean(downloads.source, 100)
    if downloads.last_month is None:
        return source if source.startswith("unknown") else f"unknown ({source})"
    rank = f", rank {downloads.rank:,}" if downloads.rank else ""
    return f"{downloads.last_month:,} last month ({source}{rank})"


def _scripts(item: PackageReport) -> str:
    info = item.lookup.info
    assert info is not None
    scripts = info.install_scripts
    if scripts is None:
        if info.ecosystem is Ecosystem.PYPI:
            return "none declared (PyPI has no install hooks; building from source runs code)"
        return "unknown (the registry did not say)"
    if not scripts:
        return "none"
    return "; ".join(f"{clean(k, 30)}: {clean(v, 120)}" for k, v in list(scripts.items())[:4])


def _vulnerabilities(item: PackageReport) -> str:
    for finding in item.findings:
        if finding.id == "vulnerable":
            ids = [
                clean(v.get("id"), 40)
                for v in finding.evidence.get("vulnerabilities") or []
                if isinstance(v, dict)
            ]
            which = clean(finding.evidence.get("version"), 40)
            shown = ", ".join(ids[:6]) + (f" (+{len(ids) - 6})" if len(ids) > 6 else "")
            return f"{len(ids)} known in {which}: {shown}"
    pins = item.package.pinned_versions
    if pins:
        return f"none reported by the index for {clean(', '.join(pins), 80)}"
    info = item.lookup.info
    latest = clean(info.latest_version, 40) if info and info.latest_version else ""
    return f"none reported by the index for the latest release {latest}".rstrip()

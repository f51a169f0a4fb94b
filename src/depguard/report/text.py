"""The human report: a table of flagged packages, input errors, notices and a summary line.

Every cell is built as plain ``rich.text.Text`` (never parsed as markup) from sanitised text, so
nothing a manifest or a registry says can style, move or hide what the terminal shows.
"""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING

from depguard.findings import CATALOG
from depguard.model import PackageReport, Report, Verdict
from depguard.sanitize import clean

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

STYLE = {Verdict.BLOCK: "bold red", Verdict.WARN: "yellow", Verdict.ALLOW: "green"}
MAX_LOCATIONS = 3


def make_console(*, stderr: bool = False, file: io.StringIO | None = None) -> Console:
    from rich.console import Console

    width = None
    if file is not None:
        width = 120
    elif not (os.isatty(2) if stderr else os.isatty(1)):
        width = int(os.environ.get("COLUMNS", "0") or 0) or 120
    return Console(
        file=file,
        stderr=stderr,
        width=width,
        no_color=bool(os.environ.get("NO_COLOR")) or file is not None,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )


def render_plain(report: Report) -> str:
    buffer = io.StringIO()
    print_report(report, make_console(file=buffer), verbose=True)
    return buffer.getvalue()


def print_report(
    report: Report,
    console: Console,
    *,
    verbose: bool = False,
    explain: bool = True,
    exit_status: int | None = None,
    fail_on: str = "block",
) -> None:
    from rich.table import Table
    from rich.text import Text

    shown = [p for p in report.packages if verbose or p.verdict is not Verdict.ALLOW]
    shown.sort(key=lambda p: (-p.verdict.rank, p.package.ecosystem.value, p.package.normalized))
    if shown:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False, expand=False)
        table.add_column("verdict", no_wrap=True)
        table.add_column("package", no_wrap=True, max_width=40)
        table.add_column("risk", justify="right", no_wrap=True)
        table.add_column("reason", ratio=1, overflow="fold")
        table.add_column("declared at", no_wrap=False, max_width=45)
        for item in shown:
            table.add_row(
                Text(item.verdict.value.upper(), style=STYLE[item.verdict]),
                Text(_label(item)),
                Text(str(item.risk)),
                Text(_reason(item)),
                Text(_where(item)),
            )
        console.print(table)

    if report.errors:
        console.print()
        console.print(
            Text(
                "Input errors (the run fails; everything else was still checked):", style="bold red"
            )
        )
        for error in report.errors:
            line = f":{error.line}" if error.line else ""
            console.print(
                Text(f"  {clean(error.path, 200)}{line}: parse-error: {clean(error.message, 300)}")
            )

    if report.notices:
        console.print()
        for notice in report.notices:
            console.print(Text(f"note: {clean(notice, 400)}", style="dim"))

    if explain:
        ids = sorted(
            {
                f.id
                for p in shown
                if p.verdict is not Verdict.ALLOW
                for f in p.findings
                if not f.suppressed
            }
        )
        if report.errors:
            ids.append("parse-error")
        if ids:
            console.print()
            for finding_id in ids:
                kind = CATALOG.get(finding_id)
                if kind is not None:
                    console.print(Text(f"{kind.id}: {kind.help}", style="dim"))

    console.print()
    console.print(
        summary_line(report, exit_status, fail_on, hidden=len(report.packages) - len(shown))
    )


def _label(item: PackageReport) -> str:
    package = item.package
    spec = ", ".join(package.specifiers)
    name = clean(package.name, 60)
    if package.ecosystem.value != "pypi":
        name = f"{name} ({package.ecosystem.value})"
    return f"{name} {clean(spec, 40)}".strip()


def _reason(item: PackageReport) -> str:
    if not item.package.direct and item.package.via:
        from depguard.report.tree import chain

        return f"via {chain(item)}: {_findings(item)}"
    return _findings(item)


def _findings(item: PackageReport) -> str:
    active = [f for f in item.findings if not f.suppressed]
    if not active:
        if item.allowlisted:
            return clean(f"allowlisted: {item.allowlisted}", 300)
        return "no risk found"
    return clean("; ".join(f"{f.message}" for f in active[:4]), 600) + (
        f" (+{len(active) - 4} more)" if len(active) > 4 else ""
    )


def _where(item: PackageReport) -> str:
    locations = item.package.locations
    shown = ", ".join(clean(str(loc), 120) for loc in locations[:MAX_LOCATIONS])
    if len(locations) > MAX_LOCATIONS:
        shown += f" (+{len(locations) - MAX_LOCATIONS})"
    return shown


def summary_line(report: Report, exit_status: int | None, fail_on: str, hidden: int = 0) -> Text:
    from rich.text import Text

    blocked = report.count(Verdict.BLOCK)
    warned = report.count(Verdict.WARN)
    allowed = report.count(Verdict.ALLOW)
    total = len(report.packages)
    parts = [
        f"{total} package{'s' if total != 1 else ''} checked",
        f"{blocked} blocked",
        f"{warned} warned",
        f"{allowed} allowed",
    ]
    if report.errors:
        parts.append(f"{len(report.errors)} input error{'s' if len(report.errors) != 1 else ''}")
    text = ", ".join(parts)
    transitive = sum(1 for p in report.packages if not p.package.direct)
    if transitive:
        text += f" ({transitive} transitive)"
    if hidden:
        text += f" ({hidden} allowed not listed; --verbose lists them)"
    if exit_status is not None:
        text += f" - exit {exit_status} (fail-on: {fail_on})"
    worst = report.worst
    mark = {Verdict.BLOCK: "✗", Verdict.WARN: "!", Verdict.ALLOW: "✓"}[worst]
    return Text(f"{mark} {text}", style=STYLE[worst])

"""``--format github``: workflow commands that GitHub Actions shows as annotations.

``::error file=F,line=N,title=T::MESSAGE`` for every place a blocked package is declared or
imported, ``::warning`` for warned ones, ``::error`` for input errors and ``::notice`` for
notes. Data and properties are escaped as the Actions runner decodes them (``%``, CR and LF in
both; ``:`` and ``,`` in properties too), after :func:`depguard.sanitize.clean`, so nothing a
manifest or a registry says can end a command early or start a new one.
"""

from __future__ import annotations

from depguard.model import PackageReport, Report, Verdict
from depguard.report.advice import active, suggestion
from depguard.report.paths import located
from depguard.sanitize import clean

COMMAND = {Verdict.BLOCK: "error", Verdict.WARN: "warning"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str | int | None) -> str:
    """One workflow command line; properties that are None are left out."""
    shown = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None and value != ""
    )
    return f"::{name}{' ' + shown if shown else ''}::{escape_data(message)}"


def render(report: Report) -> str:
    lines: list[str] = []
    flagged = [p for p in report.packages if p.verdict is not Verdict.ALLOW]
    flagged.sort(key=lambda p: (-p.verdict.rank, p.package.ecosystem.value, p.package.normalized))
    for item in flagged:
        lines.extend(_package(report, item))
    for error in report.errors:
        path, line = located(report, error.location)
        lines.append(
            command(
                "error",
                f"{clean(error.path, 200)}: {clean(error.message, 500)}",
                file=path,
                line=line,
                title="depguard: parse-error",
            )
        )
    for notice in report.notices:
        lines.append(command("notice", clean(notice, 500), title="depguard"))
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _package(report: Report, item: PackageReport) -> list[str]:
    package = item.package
    name = clean(package.name, 100)
    spec = clean(", ".join(package.specifiers), 80)
    findings = active(item)
    ids = ", ".join(dict.fromkeys(f.id for f in findings))
    title = f"depguard: {item.verdict.value} {name}" + (f" ({ids})" if ids else "")
    body = [f"{name} {spec}".strip() + f" ({package.ecosystem.index_label}, risk {item.risk}):"]
    body.extend(f"- {clean(f.message, 300)}" for f in findings[:6])
    if len(findings) > 6:
        body.append(f"- and {len(findings) - 6} more")
    info = item.lookup.info
    if info is not None and info.summary:
        body.append(f"Registry summary: {clean(info.summary, 200)}")
    advice = suggestion(item)
    if advice:
        body.append(f"Suggestion: {advice}")
    message = "\n".join(body)
    kind = COMMAND[item.verdict]
    places = [located(report, loc) for loc in package.locations] or [(None, None)]
    return [command(kind, message, file=path, line=line, title=title) for path, line in places]


def _summary(report: Report) -> str:
    text = (
        f"depguard: {len(report.packages)} packages checked, {report.count(Verdict.BLOCK)} "
        f"blocked, {report.count(Verdict.WARN)} warned, {report.count(Verdict.ALLOW)} allowed"
    )
    if report.errors:
        text += f", {len(report.errors)} input error{'s' if len(report.errors) != 1 else ''}"
    return text

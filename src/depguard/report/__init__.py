"""Report formats. Each reads only the :class:`~depguard.model.Report` and returns text."""

from __future__ import annotations

from collections.abc import Callable

from depguard.model import Report

Renderer = Callable[[Report], str]

FORMATS = ("text", "json", "sarif", "github", "markdown")


def renderer(name: str) -> Renderer:
    if name == "json":
        from depguard.report.json import render

        return render
    if name == "text":
        from depguard.report.text import render_plain

        return render_plain
    if name == "sarif":
        from depguard.report.sarif import render as sarif

        return sarif
    if name == "github":
        from depguard.report.github import render as github

        return github
    if name == "markdown":
        from depguard.report.markdown import render as markdown

        return markdown
    raise ValueError(f"unknown format {name!r}")
